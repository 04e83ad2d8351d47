//! One TCP check: a connection within `timeout_secs`, closed again at once.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use tokio::net::{TcpSocket, TcpStream};

use super::classify::io_kind;
use super::client::{self, ResolveError};
use crate::domain::status::ErrorKind;
use crate::domain::target::TargetHost;

/// Connects to `host:port`, trying each address in turn, all within `timeout`; `Ok` when one
/// accepted the connection.
pub async fn connect(host: &TargetHost, port: u16, timeout: Duration, source: Option<IpAddr>) -> Result<(), ErrorKind> {
    let attempt = async {
        let addresses = match host {
            TargetHost::Ip(ip) => vec![*ip],
            TargetHost::Name(name) => client::resolve(name, source).await.map_err(|e| match e {
                ResolveError::Dns(_) => ErrorKind::Dns,
                ResolveError::WrongFamily(_) => ErrorKind::Connect,
            })?,
        };
        let mut last = ErrorKind::Connect;
        for ip in addresses {
            match open(SocketAddr::new(ip, port), source).await {
                // Dropping the stream closes the connection: accepted is all we wanted to know.
                Ok(stream) => {
                    drop(stream);
                    return Ok(());
                }
                Err(error) => {
                    tracing::debug!(%ip, port, %error, "TCP connection failed");
                    last = io_kind(&error).unwrap_or(ErrorKind::Connect);
                }
            }
        }
        Err(last)
    };
    tokio::time::timeout(timeout, attempt).await.unwrap_or(Err(ErrorKind::Timeout))
}

async fn open(to: SocketAddr, source: Option<IpAddr>) -> io::Result<TcpStream> {
    let socket = if to.is_ipv6() { TcpSocket::new_v6()? } else { TcpSocket::new_v4()? };
    if let Some(source) = source {
        if source.is_ipv6() != to.is_ipv6() {
            return Err(io::Error::new(
                io::ErrorKind::AddrNotAvailable,
                format!("cannot reach {to} from the source address {source}"),
            ));
        }
        socket.bind(SocketAddr::new(source, 0))?;
    }
    socket.connect(to).await
}
