//! The alert settings beyond e-mail and Twitter: `[sms]`, `[alerts]` and the webhook formats,
//! with the checks that name the key at fault.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Settings;
use crate::domain::phone::PhoneNumber;

/// Twilio's Messages endpoint; `{account_sid}` is filled in from the settings.
pub const TWILIO_URL: &str = "https://api.twilio.com/2010-04-01/Accounts/{account_sid}/Messages.json";

/// What a webhook POST looks like: sitewatch's own JSON, or what a chat service expects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookFormat {
    #[default]
    Json,
    Slack,
    Discord,
    Ntfy,
}

impl WebhookFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookFormat::Json => "json",
            WebhookFormat::Slack => "slack",
            WebhookFormat::Discord => "discord",
            WebhookFormat::Ntfy => "ntfy",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsProvider {
    Twilio,
    /// Any gateway taking a form or JSON POST.
    Http,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsFormat {
    Form,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmsSettings {
    pub enabled: bool,
    pub provider: SmsProvider,
    /// Phone numbers (E.164) that receive every alert, like `[email] to`.
    pub to: Vec<String>,
    /// The sender: an E.164 number, or (Twilio) an alphanumeric sender name.
    pub from: String,
    pub account_sid: String,
    pub auth_token: String,
    /// The gateway's endpoint; for Twilio empty means `TWILIO_URL`.
    pub url: String,
    pub format: SmsFormat,
    pub to_field: String,
    pub body_field: String,
    /// Empty: the gateway takes no sender field.
    pub from_field: String,
    /// Sent with every request (API keys).
    pub headers: BTreeMap<String, String>,
}

/// How alerts are repeated and given up.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct AlertsSettings {
    /// While an outage is open, a reminder every this many minutes; 0 sends none.
    pub remind_every_mins: u32,
    /// A delivery not sent after this many hours is given up (and listed for people to see).
    pub give_up_after_hours: u32,
}

impl Default for SmsSettings {
    fn default() -> Self {
        SmsSettings {
            enabled: false,
            provider: SmsProvider::Twilio,
            to: Vec::new(),
            from: String::new(),
            account_sid: String::new(),
            auth_token: String::new(),
            url: String::new(),
            format: SmsFormat::Form,
            to_field: "to".into(),
            body_field: "body".into(),
            from_field: String::new(),
            headers: BTreeMap::new(),
        }
    }
}

impl Default for AlertsSettings {
    fn default() -> Self {
        AlertsSettings { remind_every_mins: 0, give_up_after_hours: 72 }
    }
}

impl SmsSettings {
    /// Where messages are posted (validated on load).
    pub fn endpoint(&self) -> String {
        let url = match (self.provider, self.url.trim()) {
            (SmsProvider::Twilio, "") => TWILIO_URL,
            (_, url) => url,
        };
        url.replace("{account_sid}", &self.account_sid)
    }

    /// The global numbers, in E.164 form (validated on load).
    pub fn numbers(&self) -> Vec<PhoneNumber> {
        self.to.iter().filter_map(|n| PhoneNumber::parse(n).ok()).collect()
    }
}

pub(super) fn check(s: &Settings) -> Result<(), String> {
    let a = &s.alerts;
    if a.give_up_after_hours == 0 || a.give_up_after_hours > 8_760 {
        return Err(format!(
            "key `alerts.give_up_after_hours`: must be between 1 and 8760 (a year) (got {})",
            a.give_up_after_hours
        ));
    }
    if a.remind_every_mins > 10_080 {
        return Err(format!(
            "key `alerts.remind_every_mins`: at most 10080 (a week), or 0 for no reminders (got {})",
            a.remind_every_mins
        ));
    }
    if s.sms.enabled { check_sms(&s.sms) } else { Ok(()) }
}

fn check_sms(sms: &SmsSettings) -> Result<(), String> {
    for (i, to) in sms.to.iter().enumerate() {
        PhoneNumber::parse(to).map_err(|e| format!("key `sms.to[{i}]`: {e}"))?;
    }
    let required = |key: &str, value: &str| {
        if value.trim().is_empty() {
            Err(format!(
                "key `sms.{key}`: required with provider = \"{}\" (set it here or in SITEWATCH_SMS_{})",
                provider_word(sms.provider),
                key.to_ascii_uppercase()
            ))
        } else {
            Ok(())
        }
    };
    match sms.provider {
        SmsProvider::Twilio => {
            required("account_sid", &sms.account_sid)?;
            if !sms.account_sid.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(
                    "key `sms.account_sid`: letters and digits only (like AC0123…, from the Twilio console)".into()
                );
            }
            required("auth_token", &sms.auth_token)?;
            required("from", &sms.from)?;
            if PhoneNumber::parse(&sms.from).is_err() && !is_sender_name(&sms.from) {
                return Err(format!(
                    "key `sms.from`: `{}` is neither a phone number in international form (like +447700900123) \
                     nor a sender name (1 to 11 letters, digits and spaces, at least one letter)",
                    sms.from
                ));
            }
        }
        SmsProvider::Http => {
            required("url", &sms.url)?;
            for key in ["account_sid", "auth_token"] {
                let value = if key == "account_sid" { &sms.account_sid } else { &sms.auth_token };
                if !value.is_empty() {
                    return Err(format!(
                        "key `sms.{key}`: only used with provider = \"twilio\"; a gateway's credentials go in `sms.headers`"
                    ));
                }
            }
            required("to_field", &sms.to_field)?;
            required("body_field", &sms.body_field)?;
            match (sms.from_field.trim().is_empty(), sms.from.trim().is_empty()) {
                (true, false) => {
                    return Err("key `sms.from_field`: name the gateway's sender field to send `sms.from`".into());
                }
                (false, true) => required("from", &sms.from)?,
                _ => {}
            }
        }
    }
    let endpoint = sms.endpoint();
    match url::Url::parse(&endpoint) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()) => {}
        _ => return Err(format!("key `sms.url`: `{endpoint}` is not an http(s) URL with a host")),
    }
    for (name, value) in &sms.headers {
        if !is_header_name(name) {
            return Err(format!("key `sms.headers`: `{name}` is not an HTTP header name"));
        }
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(format!(
                "key `sms.headers.{name}`: a header value cannot hold line breaks or control characters"
            ));
        }
    }
    Ok(())
}

fn provider_word(provider: SmsProvider) -> &'static str {
    match provider {
        SmsProvider::Twilio => "twilio",
        SmsProvider::Http => "http",
    }
}

/// An alphanumeric sender ID as Twilio takes it.
fn is_sender_name(from: &str) -> bool {
    (1..=11).contains(&from.chars().count())
        && from.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ')
        && from.chars().any(|c| c.is_ascii_alphabetic())
}

/// RFC 9110 token characters.
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn load(text: &str) -> Result<Settings, String> {
        Settings::from_parts(Some((Path::new("/etc/sitewatch/sitewatch.toml"), text)), &[]).map_err(|e| e.to_string())
    }

    const TWILIO: &str =
        "[sms]\nenabled = true\naccount_sid = \"AC0123\"\nauth_token = \"t\"\nfrom = \"+15005550006\"\n";

    #[test]
    fn defaults_are_off_and_give_up_after_three_days() {
        let s = Settings::from_parts(None, &[]).unwrap();
        assert!(!s.sms.enabled);
        assert_eq!(s.alerts, AlertsSettings { remind_every_mins: 0, give_up_after_hours: 72 });
        assert!(s.webhooks.iter().all(|h| h.format == WebhookFormat::Json));
    }

    #[test]
    fn twilio_needs_its_credentials_and_a_sender() {
        let s = load(TWILIO).unwrap();
        assert_eq!(s.sms.endpoint(), "https://api.twilio.com/2010-04-01/Accounts/AC0123/Messages.json");
        for (missing, key) in
            [("account_sid", "sms.account_sid"), ("auth_token", "sms.auth_token"), ("from", "sms.from")]
        {
            let text: String = TWILIO.lines().filter(|l| !l.starts_with(missing)).map(|l| format!("{l}\n")).collect();
            let error = load(&text).unwrap_err();
            assert!(error.contains(key) && error.contains("required"), "{error}");
        }
        assert!(load(&TWILIO.replace("+15005550006", "Sitewatch")).is_ok(), "a sender name");
        let error = load(&TWILIO.replace("+15005550006", "07700 900123")).unwrap_err();
        assert!(error.contains("sms.from") && error.contains("sender name"), "{error}");
        let error = load(&format!("{TWILIO}to = [\"+447700900123\", \"ops\"]\n")).unwrap_err();
        assert!(error.contains("sms.to[1]"), "{error}");
    }

    #[test]
    fn a_generic_gateway_needs_a_url_and_a_sender_field_for_its_sender() {
        let base = "[sms]\nenabled = true\nprovider = \"http\"\n";
        let error = load(base).unwrap_err();
        assert!(error.contains("sms.url"), "{error}");
        let with_url = format!("{base}url = \"https://sms.example.com/send\"\n");
        let s = load(&format!("{with_url}format = \"json\"\n[sms.headers]\nX-Api-Key = \"k\"\n")).unwrap();
        assert_eq!((s.sms.format, s.sms.to_field.as_str(), s.sms.body_field.as_str()), (SmsFormat::Json, "to", "body"));
        assert_eq!(s.sms.headers["X-Api-Key"], "k");
        let error = load(&format!("{with_url}from = \"+15005550006\"\n")).unwrap_err();
        assert!(error.contains("sms.from_field"), "{error}");
        let error = load(&format!("{with_url}account_sid = \"AC1\"\n")).unwrap_err();
        assert!(error.contains("sms.account_sid") && error.contains("twilio"), "{error}");
        let error = load(&format!("{with_url}[sms.headers]\n\"Bad Header\" = \"x\"\n")).unwrap_err();
        assert!(error.contains("sms.headers") && error.contains("Bad Header"), "{error}");
        let error = load(&format!("{base}url = \"ftp://sms.example.com/\"\n")).unwrap_err();
        assert!(error.contains("sms.url"), "{error}");
        let error = load(&format!("{with_url}format = \"xml\"\n")).unwrap_err();
        assert!(error.contains("sms.format"), "{error}");
    }

    #[test]
    fn unknown_webhook_formats_are_refused_naming_the_entry() {
        let text = "[[webhooks]]\nurl = \"https://a.example.com/\"\n[[webhooks]]\nurl = \"https://b.example.com/\"\nformat = \"teams\"\n";
        let error = load(text).unwrap_err();
        assert!(error.contains("webhooks[1].format") && error.contains("teams"), "{error}");
        let s = load(&text.replace("teams", "ntfy")).unwrap();
        assert_eq!((s.webhooks[0].format, s.webhooks[1].format), (WebhookFormat::Json, WebhookFormat::Ntfy));
    }

    #[test]
    fn secrets_headers_and_formats_come_from_the_environment() {
        let vars: Vec<(String, String)> = [
            ("SITEWATCH_SMS_AUTH_TOKEN", "from-env"),
            ("SITEWATCH_SMS_HEADERS", "{ X-Api-Key = \"k1\", Authorization = \"Bearer b\" }"),
            ("SITEWATCH_WEBHOOKS_0_URL", "https://hooks.example.com/"),
            ("SITEWATCH_WEBHOOKS_0_FORMAT", "discord"),
            ("SITEWATCH_ALERTS_REMIND_EVERY_MINS", "45"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let text = TWILIO.replace("auth_token = \"t\"\n", "");
        let s = Settings::from_parts(Some((Path::new("/etc/sitewatch.toml"), &text)), &vars).unwrap();
        assert_eq!(s.sms.auth_token, "from-env");
        assert_eq!((s.sms.headers["X-Api-Key"].as_str(), s.sms.headers["Authorization"].as_str()), ("k1", "Bearer b"));
        assert_eq!(s.webhooks[0].format, WebhookFormat::Discord);
        assert_eq!(s.alerts.remind_every_mins, 45);
        let bad = [("SITEWATCH_SMS_HEADERS".to_owned(), "X-Api-Key: k1".to_owned())];
        let error = Settings::from_parts(None, &bad).unwrap_err().to_string();
        assert!(error.starts_with("SITEWATCH_SMS_HEADERS:") && error.contains("inline table"), "{error}");
    }

    #[test]
    fn alert_limits_are_checked() {
        let s = load("[alerts]\nremind_every_mins = 30\ngive_up_after_hours = 24\n").unwrap();
        assert_eq!(s.alerts, AlertsSettings { remind_every_mins: 30, give_up_after_hours: 24 });
        let error = load("[alerts]\ngive_up_after_hours = 0\n").unwrap_err();
        assert!(error.contains("alerts.give_up_after_hours"), "{error}");
        let error = load("[alerts]\nremind_every_mins = 20000\n").unwrap_err();
        assert!(error.contains("alerts.remind_every_mins"), "{error}");
    }
}
