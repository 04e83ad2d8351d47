//! An HTTP client for one circuit that records each send's hand-over at the last moment: once
//! its connection is open (TCP and TLS) and before the request is written.
//!
//! reqwest writes the request as soon as its connector returns a connection, so the hand-over
//! runs in a layer around the connector. Connections are never pooled (each request opens its
//! own, so each passes the layer) and never retried (a second write would be a second message).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;

use super::{HTTP_TIMEOUT, chain};
use crate::notify::channel::{HandOver, SendError};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The hand-over of the send under way, taken by the first connection it opens.
type Slot = Arc<Mutex<Option<Arc<dyn HandOver>>>>;

pub struct HandOverClient {
    client: reqwest::Client,
    slot: Slot,
    /// One send at a time: the slot belongs to it.
    turn: tokio::sync::Mutex<()>,
}

impl HandOverClient {
    pub fn new() -> Result<HandOverClient, String> {
        crate::tls::install_crypto_provider();
        let slot: Slot = Arc::new(Mutex::new(None));
        let client = reqwest::Client::builder()
            .user_agent(concat!("sitewatch/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .pool_max_idle_per_host(0)
            .timeout(HTTP_TIMEOUT)
            .connect_timeout(HTTP_TIMEOUT)
            .connector_layer(HandOverLayer { slot: Arc::clone(&slot) })
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(HandOverClient { client, slot, turn: tokio::sync::Mutex::new(()) })
    }

    pub fn post(&self, url: &str) -> reqwest::RequestBuilder {
        self.client.post(url)
    }

    /// Sends `request`, calling `handover` once its connection is open. A request that got no
    /// response surely did not arrive when it was never handed over; otherwise it may have.
    pub async fn send(
        &self,
        request: reqwest::RequestBuilder,
        handover: &Arc<dyn HandOver>,
        what: &str,
    ) -> Result<reqwest::Response, SendError> {
        let _turn = self.turn.lock().await;
        let handed_over = Arc::new(AtomicBool::new(false));
        let tracked = Tracked { inner: Arc::clone(handover), done: Arc::clone(&handed_over) };
        *self.slot.lock().expect("the hand-over slot is never poisoned") = Some(Arc::new(tracked));
        let sent = request.send().await;
        self.slot.lock().expect("the hand-over slot is never poisoned").take();
        sent.map_err(|error| {
            let text = chain(&error);
            if !handed_over.load(Ordering::SeqCst) {
                SendError::Unreachable(format!("{what}: cannot connect: {text}"))
            } else if error.is_timeout() {
                SendError::Unknown(format!(
                    "{what}: no answer within {} s after the request was sent",
                    HTTP_TIMEOUT.as_secs()
                ))
            } else {
                SendError::Unknown(format!("{what}: the connection failed after the request was sent: {text}"))
            }
        })
    }
}

/// Notes whether the hand-over went through.
struct Tracked {
    inner: Arc<dyn HandOver>,
    done: Arc<AtomicBool>,
}

impl HandOver for Tracked {
    fn hand_over(&self) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            self.inner.hand_over().await?;
            self.done.store(true, Ordering::SeqCst);
            Ok(())
        })
    }
}

#[derive(Clone)]
struct HandOverLayer {
    slot: Slot,
}

impl<S> tower_layer::Layer<S> for HandOverLayer {
    type Service = HandOverConnector<S>;

    fn layer(&self, inner: S) -> HandOverConnector<S> {
        HandOverConnector { inner, slot: Arc::clone(&self.slot) }
    }
}

#[derive(Clone)]
struct HandOverConnector<S> {
    inner: S,
    slot: Slot,
}

impl<S, R> tower_service::Service<R> for HandOverConnector<S>
where
    S: tower_service::Service<R, Error = BoxError>,
    S::Future: Send + 'static,
    S::Response: Send + 'static,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, target: R) -> Self::Future {
        let connecting = self.inner.call(target);
        // Taken, not cloned: a second connection within one send finds nothing and fails.
        let handover = self.slot.lock().expect("the hand-over slot is never poisoned").take();
        Box::pin(async move {
            let connection = connecting.await?;
            let handover = handover.ok_or_else(|| BoxError::from("a second connection within one send"))?;
            handover.hand_over().await.map_err(|e| BoxError::from(format!("not handed over: {e}")))?;
            Ok(connection)
        })
    }
}
