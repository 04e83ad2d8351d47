//! Webhooks: a JSON POST of each alert to every `[[webhooks]]` URL, signed with
//! `X-Sitewatch-Signature: sha256=<hex HMAC-SHA256 of the body>` when the entry has a secret.

use std::collections::HashMap;

use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use sha2::Sha256;

use super::WEBHOOK;
use super::channel::{Channel, Outgoing, SendError};
use super::http;
use super::message::{MessageContext, WebhookBody};
use crate::settings::Settings;

pub const SIGNATURE_HEADER: &str = "X-Sitewatch-Signature";
pub const EVENT_HEADER: &str = "X-Sitewatch-Event";
/// The same for every attempt at one delivery, so a receiver can drop a repeat.
pub const DELIVERY_HEADER: &str = "X-Sitewatch-Delivery";

/// `sha256=<hex HMAC-SHA256 of body keyed by secret>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

pub struct WebhookChannel {
    /// Secret per URL, as configured now.
    secrets: HashMap<String, String>,
    client: reqwest::Client,
    context: MessageContext,
}

impl WebhookChannel {
    pub fn new(settings: &Settings) -> Result<WebhookChannel, String> {
        Ok(WebhookChannel {
            secrets: settings.webhooks.iter().map(|h| (h.url.to_string(), h.secret.clone())).collect(),
            client: http::client()?,
            context: MessageContext::from_settings(settings),
        })
    }

    async fn post(&self, outgoing: Outgoing<'_>) -> Result<(), SendError> {
        let url = outgoing.target;
        let Some(secret) = self.secrets.get(url) else {
            return Err(SendError::Down(format!(
                "webhook {url} is no longer in the settings; add it back to [[webhooks]] to deliver"
            )));
        };
        let body = serde_json::to_vec(&WebhookBody::new(outgoing.alert, &self.context))
            .map_err(|e| SendError::Refused(format!("cannot write the webhook body: {e}")))?;
        let mut request = self
            .client
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .header(EVENT_HEADER, outgoing.alert.event.as_str())
            .header(DELIVERY_HEADER, outgoing.delivery.to_string());
        if !secret.is_empty() {
            request = request.header(SIGNATURE_HEADER, signature(secret, &body));
        }
        let what = format!("webhook {url}");
        let response = request.body(body).send().await.map_err(|e| http::request_failed(&e, &what))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let headers = response.headers().clone();
        let text = http::body_text(response).await;
        Err(match status {
            StatusCode::TOO_MANY_REQUESTS => http::rate_limited(&what, &headers, &text),
            s => SendError::Down(format!("{what} answered {}", http::refusal(s, &text))),
        })
    }
}

impl Channel for WebhookChannel {
    fn name(&self) -> &'static str {
        WEBHOOK
    }

    /// Each URL is its own circuit: one receiver being down holds up none of the others.
    fn circuit(&self, target: &str) -> String {
        format!("{WEBHOOK} {target}")
    }

    fn send<'a>(&'a self, outgoing: Outgoing<'a>) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(self.post(outgoing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_rfc_4231_hmac_sha256() {
        // RFC 4231, test case 2.
        let sig = signature("Jefe", b"what do ya want for nothing?");
        assert_eq!(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
