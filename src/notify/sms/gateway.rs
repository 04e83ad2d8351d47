//! Any SMS gateway taking a POST: the number, the text and (if it takes one) the sender in
//! fields named by the settings, as a form or as JSON, with the settings' headers (API keys).

use reqwest::header::CONTENT_TYPE;

use crate::domain::phone::PhoneNumber;
use crate::notify::channel::SendError;
use crate::notify::http::HandOverClient;
use crate::settings::{SmsFormat, SmsSettings};

pub struct Gateway {
    url: String,
    format: SmsFormat,
    to_field: String,
    body_field: String,
    /// The sender's field and value, when the gateway takes one.
    from: Option<(String, String)>,
    headers: Vec<(String, String)>,
}

impl Gateway {
    pub fn new(sms: &SmsSettings) -> Gateway {
        Gateway {
            url: sms.endpoint(),
            format: sms.format,
            to_field: sms.to_field.clone(),
            body_field: sms.body_field.clone(),
            from: (!sms.from_field.is_empty()).then(|| (sms.from_field.clone(), sms.from.clone())),
            headers: sms.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }
    }

    /// "SMS gateway https://sms.example.com/send", for messages.
    pub fn what(&self) -> String {
        format!("SMS gateway {}", self.url)
    }

    pub fn request(
        &self,
        client: &HandOverClient,
        to: &PhoneNumber,
        text: &str,
    ) -> Result<reqwest::RequestBuilder, SendError> {
        let mut fields = vec![(self.to_field.as_str(), to.as_str()), (self.body_field.as_str(), text)];
        if let Some((field, from)) = &self.from {
            fields.push((field, from));
        }
        let (content_type, body) = match self.format {
            SmsFormat::Form => {
                let mut form = url::form_urlencoded::Serializer::new(String::new());
                for (name, value) in &fields {
                    form.append_pair(name, value);
                }
                ("application/x-www-form-urlencoded", form.finish().into_bytes())
            }
            SmsFormat::Json => {
                let object: serde_json::Map<String, serde_json::Value> =
                    fields.iter().map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v))).collect();
                let body = serde_json::to_vec(&object)
                    .map_err(|e| SendError::Rejected(format!("cannot write the gateway's JSON: {e}")))?;
                ("application/json", body)
            }
        };
        let mut request = client.post(&self.url).header(CONTENT_TYPE, content_type);
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        Ok(request.body(body))
    }
}
