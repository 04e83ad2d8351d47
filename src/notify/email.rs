//! E-mail over SMTP with lettre: one message per recipient (nobody sees the others), one
//! connection reused for a round's messages, TLS none | starttls | tls, optional login.
//!
//! The SMTP dialogue is driven step by step rather than through lettre's transport so that
//! each failure can be placed, and so that the hand-over is recorded between the server's 354
//! and the message body: anything before the body surely did not deliver (retried later; a
//! server that cannot be reached costs no attempt); a refusal after it did not either; but a
//! connection lost or a timeout after the body was handed over may have delivered, and is
//! reported as unknown.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use askama::Template;
use futures_util::future::BoxFuture;
use lettre::Message;
use lettre::address::Envelope;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailParameter};

use super::EMAIL;
use super::channel::{Channel, HandOver, Outgoing, SendError};
use super::message::{EmailView, MessageContext, subject};
use crate::db::Id;
use crate::domain::alert::Alert;
use crate::settings::{EmailSettings, Settings, SmtpTls};

#[derive(Template)]
#[template(path = "email/alert.txt")]
struct TextBody<'a> {
    view: &'a EmailView,
}

#[derive(Template)]
#[template(path = "email/alert.html")]
struct HtmlBody<'a> {
    view: &'a EmailView,
}

/// Renders the subject and both bodies of delivery `delivery` of `alert` for `to`.
pub fn compose(
    delivery: Id,
    alert: &Alert,
    from: &Mailbox,
    to: Mailbox,
    context: &MessageContext,
) -> Result<Message, String> {
    let view = EmailView::new(alert, context);
    let text = TextBody { view: &view }.render().map_err(|e| format!("cannot render the text body: {e}"))?;
    let html = HtmlBody { view: &view }.render().map_err(|e| format!("cannot render the HTML body: {e}"))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject(alert))
        .message_id(Some(format!("<{}@{}>", delivery, from.email.domain())))
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| format!("cannot build the message: {e}"))
}

pub struct EmailChannel {
    settings: EmailSettings,
    from: Mailbox,
    tls: Option<TlsParameters>,
    hello: ClientId,
    timeout: Duration,
    context: MessageContext,
    /// The round's open connection, taken out while a message is being sent.
    connection: Mutex<Option<AsyncSmtpConnection>>,
}

impl EmailChannel {
    /// Prepares the channel; fails with a sentence naming the key when the settings cannot work.
    pub fn new(settings: &Settings) -> Result<EmailChannel, String> {
        let email = &settings.email;
        let from: Mailbox = email.from.parse().map_err(|e| format!("key `email.from`: {e}"))?;
        let tls = match email.tls {
            SmtpTls::None => None,
            SmtpTls::Starttls | SmtpTls::Tls => Some(tls_parameters(settings)?),
        };
        Ok(EmailChannel {
            settings: email.clone(),
            from,
            tls,
            hello: ClientId::default(),
            timeout: Duration::from_secs(email.timeout_secs),
            context: MessageContext::from_settings(settings),
            connection: Mutex::new(None),
        })
    }

    fn server(&self) -> String {
        format!("{}:{}", self.settings.host, self.settings.port)
    }

    /// Runs one step of the dialogue within the configured timeout.
    async fn step<T>(&self, what: &str, future: impl Future<Output = Result<T, SmtpError>>) -> Result<T, StepError> {
        match tokio::time::timeout(self.timeout, future).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) if error.status().is_some() => {
                Err(StepError::Refused(format!("{what}: {}", describe(&error))))
            }
            Ok(Err(error)) => Err(StepError::Broken(format!("{what}: {}", describe(&error)))),
            Err(_) => Err(StepError::Broken(format!("{what}: no answer within {} s", self.timeout.as_secs()))),
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let server = self.server();
        let implicit = if self.settings.tls == SmtpTls::Tls { self.tls.clone() } else { None };
        let unreachable = |e: StepError| SendError::Unreachable(format!("SMTP server {server}: {}", e.text()));
        let down = |e: StepError| SendError::Down(format!("SMTP server {server}: {}", e.text()));
        let address = (self.settings.host.as_str(), self.settings.port);
        let connecting = AsyncSmtpConnection::connect_tokio1(address, Some(self.timeout), &self.hello, implicit, None);
        let mut conn = self.step("cannot connect", connecting).await.map_err(unreachable)?;
        if self.settings.tls == SmtpTls::Starttls {
            if !conn.can_starttls() {
                conn.abort().await;
                return Err(SendError::Unreachable(format!(
                    "SMTP server {server} does not offer STARTTLS; use a server that does, or set [email] tls = \"tls\" or \"none\""
                )));
            }
            let params = self.tls.clone().expect("TLS parameters are made for starttls");
            self.step("STARTTLS failed", conn.starttls(params, &self.hello)).await.map_err(unreachable)?;
        }
        if !self.settings.username.is_empty() {
            let credentials = Credentials::new(self.settings.username.clone(), self.settings.password.clone());
            let login = conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials);
            if let Err(error) = self.step(&format!("login as `{}` refused", self.settings.username), login).await {
                conn.abort().await;
                return Err(down(error));
            }
        }
        Ok(conn)
    }

    /// Connects, says hello, starts TLS and logs in as a delivery would, then quits without
    /// sending anything (`sitewatch doctor`).
    pub async fn try_connection(&self) -> Result<(), String> {
        let mut conn = self.connect().await.map_err(|e| e.to_string())?;
        let _ = self.step("QUIT", conn.quit()).await;
        Ok(())
    }

    /// MAIL, RCPT, DATA, the hand-over, then the message. Leaves `conn` ready for the next
    /// message unless it broke or the message was not handed over.
    async fn transact(
        &self,
        conn: &mut AsyncSmtpConnection,
        envelope: &Envelope,
        body: &[u8],
        handover: &Arc<dyn HandOver>,
    ) -> Result<(), SendError> {
        let mut options = Vec::new();
        let non_ascii = envelope.from().into_iter().chain(envelope.to()).any(|a| !AsRef::<str>::as_ref(a).is_ascii());
        if non_ascii {
            if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
                return Err(SendError::Refused(
                    "the SMTP server does not accept international addresses (no SMTPUTF8)".into(),
                ));
            }
            options.push(MailParameter::SmtpUtfEight);
        }
        let before_body = async {
            let from = envelope.from().cloned();
            self.step("sender refused", conn.command(Mail::new(from, options))).await.map_err(|e| (e, false))?;
            for to in envelope.to() {
                self.step("recipient refused", conn.command(Rcpt::new(to.clone(), Vec::new())))
                    .await
                    .map_err(|e| (e, true))?;
            }
            self.step("DATA refused", conn.command(Data)).await.map_err(|e| (e, false))?;
            Ok::<_, (StepError, bool)>(())
        };
        if let Err((error, recipient)) = before_body.await {
            return Err(match error {
                // Reset the transaction so the connection can carry the next message.
                StepError::Refused(text) => {
                    let _ = self.step("RSET", conn.command(Rset)).await;
                    if recipient { SendError::Refused(text) } else { SendError::Down(text) }
                }
                StepError::Broken(text) => SendError::Down(format!("SMTP server {}: {text}", self.server())),
            });
        }
        // The server waits for the body after its 354; if the hand-over is refused, the
        // connection is dropped mid-DATA, which makes the server discard the transaction.
        if let Err(error) = handover.hand_over().await {
            return Err(SendError::Unreachable(format!("the message was not handed over: {error}")));
        }
        match self.step("message", conn.message(body)).await {
            Ok(_) => Ok(()),
            Err(StepError::Refused(text)) => Err(SendError::Refused(format!("the SMTP server refused the {text}"))),
            Err(StepError::Broken(text)) => Err(SendError::Unknown(format!(
                "SMTP server {} after the message was handed over: {text}",
                self.server()
            ))),
        }
    }

    async fn send_one(&self, outgoing: Outgoing<'_>) -> Result<(), SendError> {
        let to: Mailbox = outgoing
            .target
            .parse()
            .map_err(|e| SendError::Refused(format!("`{}` is not a usable address: {e}", outgoing.target)))?;
        let message =
            compose(outgoing.delivery, outgoing.alert, &self.from, to, &self.context).map_err(SendError::Refused)?;
        let body = message.formatted();
        let cached = self.connection.lock().expect("the connection lock is never poisoned").take();
        let mut conn = match cached {
            Some(conn) if !conn.has_broken() => conn,
            _ => self.connect().await?,
        };
        let result = self.transact(&mut conn, message.envelope(), &body, &outgoing.handover).await;
        let reusable = matches!(result, Ok(()) | Err(SendError::Refused(_))) && !conn.has_broken();
        if reusable {
            *self.connection.lock().expect("the connection lock is never poisoned") = Some(conn);
        } else {
            let _ = tokio::time::timeout(self.timeout, conn.abort()).await;
        }
        result
    }
}

impl Channel for EmailChannel {
    fn name(&self) -> &'static str {
        EMAIL
    }

    fn send<'a>(&'a self, outgoing: Outgoing<'a>) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(self.send_one(outgoing))
    }

    fn finish(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let cached = self.connection.lock().expect("the connection lock is never poisoned").take();
            if let Some(mut conn) = cached {
                let _ = tokio::time::timeout(self.timeout, conn.quit()).await;
            }
        })
    }
}

enum StepError {
    /// The server answered with a refusal; the connection is still usable.
    Refused(String),
    /// No answer, or the connection failed.
    Broken(String),
}

impl StepError {
    fn text(self) -> String {
        match self {
            StepError::Refused(text) | StepError::Broken(text) => text,
        }
    }
}

/// lettre's error with its causes ("Connection error: Connection refused (os error 111)").
fn describe(error: &SmtpError) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// TLS for the SMTP server: the system's trusted roots, plus `email.ca_file` when set (a
/// private CA, or the server's own self-signed certificate).
fn tls_parameters(settings: &Settings) -> Result<TlsParameters, String> {
    crate::tls::install_crypto_provider();
    let email = &settings.email;
    let mut builder = TlsParameters::builder(email.host.clone());
    if !email.ca_file.is_empty() {
        let path = settings.base_dir().join(&email.ca_file);
        let pem =
            std::fs::read(&path).map_err(|e| format!("key `email.ca_file`: cannot read {}: {e}", path.display()))?;
        let certificate = Certificate::from_pem(&pem)
            .map_err(|e| format!("key `email.ca_file`: {} holds no usable PEM certificate: {e}", path.display()))?;
        builder = builder.add_root_certificate(certificate);
    }
    builder.build_rustls().map_err(|e| format!("cannot set up TLS for the SMTP server: {e}"))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::alert::{AlertOutage, AlertSite, Event};

    #[test]
    fn the_text_body_reads_cleanly() {
        let at = |h, m| NaiveDate::from_ymd_opt(2026, 11, 21).unwrap().and_hms_opt(h, m, 0).unwrap();
        let site = |name: &str, up: bool| AlertSite {
            site_id: None,
            group_id: None,
            name: name.into(),
            slug: name.into(),
            url: format!("https://{name}.example.com/"),
            status_code: None,
            error: Some("timeout".into()),
            down_at: Some(at(9, 30)),
            up_at: up.then(|| at(9, 45)),
            locations: None,
        };
        let alert = Alert {
            event: Event::SiteRecovered,
            outage: Some(AlertOutage { id: "o1".into(), started_at: at(9, 30), resolved_at: None }),
            sites: vec![site("api", true)],
            still_down: vec![site("shop", false)],
            created_at: at(9, 46),
            detail: None,
        };
        let context =
            MessageContext { public_url: "https://s.example.com/".parse().unwrap(), time_zone: chrono_tz::UTC };
        let view = EmailView::new(&alert, &context);
        let text = TextBody { view: &view }.render().unwrap();
        let from: Mailbox = "sitewatch@example.com".parse().unwrap();
        let message = compose(Id::new(), &alert, &from, from.clone(), &context);
        assert!(message.is_ok());
        assert_eq!(
            text,
            "api is back up; shop is still down.\n\n\
             * api - https://api.example.com/\n  back up at 2026-11-21 09:45 UTC after 15 minutes (it timed out)\n\n\
             Still down:\n* shop - https://shop.example.com/ (timed out)\n\n\
             The outage began at 2026-11-21 09:30 UTC.\n\
             Details: https://s.example.com/outages/o1\n\n-- \nsitewatch, https://s.example.com/"
        );
    }
}
