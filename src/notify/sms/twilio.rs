//! Twilio's Messages API: a form-encoded POST of `To`, `From` and `Body` with basic auth
//! `account_sid:auth_token`; 201 with a `sid` when queued, JSON `{code, message, more_info,
//! status}` when not.

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

use crate::domain::phone::PhoneNumber;
use crate::notify::http::{HandOverClient, refusal};
use crate::settings::SmsSettings;

pub struct Twilio {
    url: String,
    account_sid: String,
    auth_token: String,
    from: String,
}

impl Twilio {
    pub fn new(sms: &SmsSettings) -> Twilio {
        Twilio {
            url: sms.endpoint(),
            account_sid: sms.account_sid.clone(),
            auth_token: sms.auth_token.clone(),
            from: sms.from.clone(),
        }
    }

    pub fn request(&self, client: &HandOverClient, to: &PhoneNumber, text: &str) -> reqwest::RequestBuilder {
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("To", to.as_str())
            .append_pair("From", &self.from)
            .append_pair("Body", text)
            .finish();
        client
            .post(&self.url)
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form)
    }
}

/// "HTTP 400 Bad Request: <Twilio's message> (Twilio error 21211, <more_info>)".
pub fn describe(status: StatusCode, body: &str) -> String {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(body) else { return refusal(status, body) };
    let Some(message) = json.get("message").and_then(|m| m.as_str()) else { return refusal(status, body) };
    let reason = status.canonical_reason().map(|r| format!(" {r}")).unwrap_or_default();
    let code = json.get("code").and_then(|c| c.as_i64());
    let more_info = json.get("more_info").and_then(|m| m.as_str()).filter(|m| !m.is_empty());
    let detail = match (code, more_info) {
        (Some(code), Some(link)) => format!(" (Twilio error {code}, {link})"),
        (Some(code), None) => format!(" (Twilio error {code})"),
        (None, Some(link)) => format!(" ({link})"),
        (None, None) => String::new(),
    };
    format!("HTTP {}{reason}: {message}{detail}", status.as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_errors_keep_their_message_code_and_link() {
        let body = r#"{"code": 21211, "message": "The 'To' number +15005550001 is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#;
        assert_eq!(
            describe(StatusCode::BAD_REQUEST, body),
            "HTTP 400 Bad Request: The 'To' number +15005550001 is not a valid phone number. \
             (Twilio error 21211, https://www.twilio.com/docs/errors/21211)"
        );
        assert_eq!(describe(StatusCode::BAD_GATEWAY, "upstream down"), "HTTP 502 Bad Gateway: upstream down");
    }
}
