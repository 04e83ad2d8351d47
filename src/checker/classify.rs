//! Sorting a failed exchange into the kinds people understand: timeout, tls, connect, other.

use std::error::Error as StdError;
use std::io;

use crate::domain::status::ErrorKind;

/// The kind of `error`, from the first cause in its chain that tells: a TLS refusal is `tls`,
/// a refused, reset or unreachable connection `connect`, a socket timeout `timeout`; `fallback`
/// when none does.
pub fn classify(error: &(dyn StdError + 'static), fallback: ErrorKind) -> ErrorKind {
    let mut source = Some(error);
    while let Some(e) = source {
        if let Some(kind) = known_kind(e) {
            return kind;
        }
        if let Some(io_error) = e.downcast_ref::<io::Error>() {
            if let Some(kind) = wrapped_kind(io_error) {
                return kind;
            }
            if let Some(kind) = io_kind(io_error) {
                return kind;
            }
        }
        source = e.source();
    }
    fallback
}

/// The kind of an I/O failure to connect: a refusal, a reset or an unreachable network is
/// `connect`, a socket timeout `timeout`.
pub fn io_kind(error: &io::Error) -> Option<ErrorKind> {
    match error.kind() {
        io::ErrorKind::TimedOut => Some(ErrorKind::Timeout),
        io::ErrorKind::ConnectionRefused
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::NotConnected
        | io::ErrorKind::AddrNotAvailable
        | io::ErrorKind::HostUnreachable
        | io::ErrorKind::NetworkUnreachable => Some(ErrorKind::Connect),
        _ => None,
    }
}

fn known_kind(e: &(dyn StdError + 'static)) -> Option<ErrorKind> {
    e.downcast_ref::<rustls::Error>().map(|_| ErrorKind::Tls)
}

/// TLS failures arrive wrapped in `io::Error`s, sometimes twice; `io::Error::source`
/// skips the wrapped error itself, so look inside explicitly.
fn wrapped_kind(io_error: &io::Error) -> Option<ErrorKind> {
    let mut inner = io_error.get_ref();
    while let Some(e) = inner {
        if let Some(kind) = known_kind(e) {
            return Some(kind);
        }
        inner = e.downcast_ref::<io::Error>().and_then(io::Error::get_ref);
    }
    None
}

/// The error and its causes on one line, for logs.
pub fn error_chain(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}
