//! Tweets: an OAuth 1.0a user-context signed `POST {"text": …}` to the X API v2 endpoint.
//!
//! egg-mode signs the request (its `raw::auth::RequestBuilder`); the v1.1 endpoint its
//! `DraftTweet` used is gone, so the signed request is sent through our own HTTP client, which
//! also lets us keep the API's error message (egg-mode reduces a v2 error to its status code).

use egg_mode::raw::auth::{Method, RequestBuilder};
use egg_mode::{KeyPair, Token};
use futures_util::future::BoxFuture;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};

use super::TWITTER;
use super::channel::{Channel, Outgoing, SendError};
use super::http::{self, HandOverClient};
use super::message::{MessageContext, tweet};
use crate::settings::Settings;

pub struct TwitterChannel {
    token: Token,
    endpoint: String,
    client: HandOverClient,
    context: MessageContext,
}

impl TwitterChannel {
    pub fn new(settings: &Settings) -> Result<TwitterChannel, String> {
        let t = &settings.twitter;
        let token = Token::Access {
            consumer: KeyPair::new(t.consumer_key.clone(), t.consumer_secret.clone()),
            access: KeyPair::new(t.access_token.clone(), t.access_secret.clone()),
        };
        // The signature covers the URL without its query; v2 takes none.
        let mut endpoint = t.endpoint.clone();
        endpoint.set_query(None);
        Ok(TwitterChannel {
            token,
            endpoint: endpoint.to_string(),
            client: HandOverClient::new()?,
            context: MessageContext::from_settings(settings),
        })
    }

    /// The `Authorization` header egg-mode computes for a JSON POST of `body`.
    fn authorization(&self, body: &str) -> Result<String, SendError> {
        let signed = RequestBuilder::new(Method::POST, &self.endpoint)
            .with_body(body.to_owned(), "application/json")
            .request_token(&self.token);
        signed
            .headers()
            .get(AUTHORIZATION.as_str())
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
            .ok_or_else(|| SendError::Unreachable("egg-mode produced no Authorization header".into()))
    }

    async fn post(&self, outgoing: Outgoing<'_>) -> Result<(), SendError> {
        let body = serde_json::json!({ "text": tweet(outgoing.alert, &self.context) }).to_string();
        let authorization = self.authorization(&body)?;
        let request = self
            .client
            .post(&self.endpoint)
            .header(AUTHORIZATION, authorization)
            .header(CONTENT_TYPE, "application/json")
            .body(body);
        let response = self.client.send(request, &outgoing.handover, "X API").await?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let headers = response.headers().clone();
        let text = http::body_text(response).await;
        Err(match status {
            StatusCode::TOO_MANY_REQUESTS => http::rate_limited("X API", &headers, &text),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => SendError::Down(format!(
                "X API refused the request ({}); check the [twitter] keys and the app's write permission",
                http::refusal(status, &text)
            )),
            s if s.is_client_error() => {
                SendError::Refused(format!("X API refused the tweet ({})", http::refusal(s, &text)))
            }
            s => SendError::Down(format!("X API failed ({})", http::refusal(s, &text))),
        })
    }
}

impl Channel for TwitterChannel {
    fn name(&self) -> &'static str {
        TWITTER
    }

    fn send<'a>(&'a self, outgoing: Outgoing<'a>) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(self.post(outgoing))
    }
}
