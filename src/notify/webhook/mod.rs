//! Webhooks: a POST of each alert to every `[[webhooks]]` URL, in the entry's `format` (see
//! `format`), signed with `X-Sitewatch-Signature: sha256=<hex HMAC-SHA256 of the body>` when
//! the entry has a secret, whatever the format.

mod format;

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use reqwest::header::CONTENT_TYPE;
use sha2::Sha256;

use super::WEBHOOK;
use super::channel::{Channel, Outgoing, SendError};
use super::http::{self, HandOverClient};
use super::message::MessageContext;
use crate::settings::{Settings, WebhookFormat};

pub use format::{DISCORD_LIMIT, Rendered, render};

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

/// One configured URL, with its own client (its own circuit: see `http::HandOverClient`).
struct Hook {
    secret: String,
    format: WebhookFormat,
    client: HandOverClient,
}

pub struct WebhookChannel {
    /// By URL, as configured now.
    hooks: HashMap<String, Hook>,
    context: MessageContext,
}

impl WebhookChannel {
    pub fn new(settings: &Settings) -> Result<WebhookChannel, String> {
        let mut hooks = HashMap::new();
        for hook in &settings.webhooks {
            // The first entry for a URL wins, as the outbox queues each URL once.
            if let Entry::Vacant(slot) = hooks.entry(hook.url.to_string()) {
                slot.insert(Hook { secret: hook.secret.clone(), format: hook.format, client: HandOverClient::new()? });
            }
        }
        Ok(WebhookChannel { hooks, context: MessageContext::from_settings(settings) })
    }

    async fn post(&self, outgoing: Outgoing<'_>) -> Result<(), SendError> {
        let url = outgoing.target;
        let Some(hook) = self.hooks.get(url) else {
            return Err(SendError::Unreachable(format!(
                "webhook {url} is no longer in the settings; add it back to [[webhooks]] to deliver"
            )));
        };
        let rendered = render(hook.format, outgoing.alert, &self.context).map_err(SendError::Rejected)?;
        let mut request = hook
            .client
            .post(url)
            .header(CONTENT_TYPE, rendered.content_type)
            .header(EVENT_HEADER, outgoing.alert.event.as_str())
            .header(DELIVERY_HEADER, outgoing.delivery.to_string());
        for (name, value) in rendered.headers {
            request = request.header(name, value);
        }
        if !hook.secret.is_empty() {
            request = request.header(SIGNATURE_HEADER, signature(&hook.secret, &rendered.body));
        }
        let what = format!("webhook {url}");
        let response = hook.client.send(request.body(rendered.body), &outgoing.handover, &what).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = if status.is_success() { String::new() } else { http::body_text(response).await };
        http::classify(status, &headers, &text, &what, &http::refusal(status, &text))
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
