//! SMS: one text of at most 160 GSM-7 characters per phone number, through Twilio or any HTTP
//! gateway (`twilio`, `gateway`), with the outcomes of webhooks: 2xx delivered, 429 retried
//! after the reset, 5xx retried, another 4xx failed with the gateway's own message, and no
//! answer after the request was written "outcome unknown".

mod gateway;
mod twilio;

use futures_util::future::BoxFuture;

use super::SMS;
use super::channel::{Channel, Outgoing, SendError};
use super::http::{self, HandOverClient};
use super::message::{MessageContext, sms_text};
use crate::domain::phone::PhoneNumber;
use crate::settings::{Settings, SmsProvider};

pub use gateway::Gateway;
pub use twilio::Twilio;

enum Provider {
    Twilio(Twilio),
    Gateway(Gateway),
}

pub struct SmsChannel {
    provider: Provider,
    client: HandOverClient,
    context: MessageContext,
}

impl SmsChannel {
    pub fn new(settings: &Settings) -> Result<SmsChannel, String> {
        let provider = match settings.sms.provider {
            SmsProvider::Twilio => Provider::Twilio(Twilio::new(&settings.sms)),
            SmsProvider::Http => Provider::Gateway(Gateway::new(&settings.sms)),
        };
        Ok(SmsChannel { provider, client: HandOverClient::new()?, context: MessageContext::from_settings(settings) })
    }

    async fn send_one(&self, outgoing: Outgoing<'_>) -> Result<(), SendError> {
        let to = PhoneNumber::parse(outgoing.target).map_err(|e| SendError::Rejected(e.to_string()))?;
        let text = sms_text(outgoing.alert, &self.context);
        let (request, what) = match &self.provider {
            Provider::Twilio(twilio) => (twilio.request(&self.client, &to, &text), "Twilio".to_owned()),
            Provider::Gateway(gateway) => (gateway.request(&self.client, &to, &text)?, gateway.what()),
        };
        let response = self.client.send(request, &outgoing.handover, &what).await?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let headers = response.headers().clone();
        let body = http::body_text(response).await;
        let described = match &self.provider {
            Provider::Twilio(_) => twilio::describe(status, &body),
            Provider::Gateway(_) => http::refusal(status, &body),
        };
        http::classify(status, &headers, &body, &what, &described)
    }
}

impl Channel for SmsChannel {
    fn name(&self) -> &'static str {
        SMS
    }

    fn send<'a>(&'a self, outgoing: Outgoing<'a>) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(self.send_one(outgoing))
    }
}
