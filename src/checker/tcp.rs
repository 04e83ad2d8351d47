//! One TCP check: a connection within `timeout_secs`, closed again at once.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use tokio::net::{TcpSocket, TcpStream};

use super::classify::io_kind;
use super::resolve;
use crate::domain::status::ErrorKind;
use crate::domain::target::TargetHost;

/// Connects to `host:port`, trying each address in turn, all within `timeout`; `Ok` when one
/// accepted the connection.
pub async fn connect(host: &TargetHost, port: u16, timeout: Duration, source: Option<IpAddr>) -> Result<(), ErrorKind> {
    // Dropping the stream closes the connection: accepted is all we wanted to know.
    let attempt = async { open_to(host, port, source).await.map(drop) };
    tokio::time::timeout(timeout, attempt).await.unwrap_or(Err(ErrorKind::Timeout))
}

/// Opens a connection to `host:port` from `source`, resolving a name and trying each of its
/// addresses in turn (HTTP checks connect through it too); the kind of the last failure when
/// none accepted.
pub async fn open_to(host: &TargetHost, port: u16, source: Option<IpAddr>) -> Result<TcpStream, ErrorKind> {
    let addresses = match host {
        TargetHost::Ip(ip) => vec![*ip],
        TargetHost::Name(name) => resolve::resolve(name, source).await.map_err(|error| {
            tracing::debug!(%error, "no address to connect to");
            error.kind()
        })?,
    };
    open_any(&addresses, port, source).await
}

/// Opens a connection to the first of `addresses` that accepts one on `port`.
async fn open_any(addresses: &[IpAddr], port: u16, source: Option<IpAddr>) -> Result<TcpStream, ErrorKind> {
    let mut last = ErrorKind::Connect;
    for ip in addresses {
        match open(SocketAddr::new(*ip, port), source).await {
            Ok(stream) => return Ok(stream),
            Err(error) => {
                tracing::debug!(%ip, port, %error, "TCP connection failed");
                last = io_kind(&error).unwrap_or(ErrorKind::Connect);
            }
        }
    }
    Err(last)
}

async fn open(to: SocketAddr, source: Option<IpAddr>) -> io::Result<TcpStream> {
    socket_for(to, source)?.connect(to).await
}

/// A socket to reach `to`, bound to `source` when one is given.
fn socket_for(to: SocketAddr, source: Option<IpAddr>) -> io::Result<TcpSocket> {
    let socket = if to.is_ipv6() { TcpSocket::new_v6()? } else { TcpSocket::new_v4()? };
    if let Some(source) = source {
        if source.is_ipv6() != to.is_ipv6() {
            return Err(io::Error::new(
                io::ErrorKind::AddrNotAvailable,
                format!("cannot reach {to} from the source address {source}"),
            ));
        }
        defer_port_choice(&socket);
        socket.bind(SocketAddr::new(source, 0))?;
    }
    Ok(socket)
}

/// Asks the kernel to pick the local port at connect time rather than at bind time. A port
/// picked at bind time must be free for every destination, so a round of thousands of probes
/// from `check.source_address` (with the last round's connections still in TIME_WAIT) would
/// search the whole port range for each probe and then run out; picked at connect time, a port
/// only has to be unused towards that one destination. Best effort: without it, bind still works.
#[cfg(target_os = "linux")]
fn defer_port_choice(socket: &TcpSocket) {
    use std::os::fd::AsRawFd;
    let on: libc::c_int = 1;
    // SAFETY: setsockopt reads `size_of::<c_int>()` bytes from the live `on` on an open socket.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_IP,
            libc::IP_BIND_ADDRESS_NO_PORT,
            (&raw const on).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        tracing::debug!(error = %io::Error::last_os_error(), "IP_BIND_ADDRESS_NO_PORT refused; the port is picked at bind");
    }
}

#[cfg(not(target_os = "linux"))]
fn defer_port_choice(_socket: &TcpSocket) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn a_socket_bound_to_the_source_address_reserves_no_port_until_it_connects() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let to = listener.local_addr().unwrap();
        let source: IpAddr = "127.0.0.2".parse().unwrap();
        let socket = socket_for(to, Some(source)).unwrap();
        assert_eq!(socket.local_addr().unwrap(), SocketAddr::new(source, 0), "no port taken at bind");
        let stream = socket.connect(to).await.unwrap();
        let local = stream.local_addr().unwrap();
        assert_eq!(local.ip(), source);
        assert_ne!(local.port(), 0, "the port is picked when connecting");
    }

    #[tokio::test]
    async fn the_other_family_than_the_source_address_is_refused_before_any_packet() {
        let to: SocketAddr = "[::1]:9".parse().unwrap();
        let error = socket_for(to, Some("127.0.0.1".parse().unwrap())).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AddrNotAvailable);
    }
}
