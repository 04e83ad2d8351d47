//! One ICMP socket of one address family, shared by every ping of a round: an unprivileged
//! datagram ("ping") socket when the system allows it, else a raw one; sends echo requests and
//! runs the receive loop that hands replies to the registry.

use std::io;
use std::mem::MaybeUninit;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::AsRawFd;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;

use super::packet::{self, echo_request, parse_reply};
use super::registry::Registry;

/// Asks for room for bursts of replies (the kernel may grant less).
const RECEIVE_BUFFER: usize = 4 << 20;

/// Why a socket could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Neither kind of ICMP socket is allowed to this process.
    #[error("not permitted to open ICMP sockets ({0})")]
    NotPermitted(io::Error),
    /// The system has no such family (IPv6 turned off).
    #[error("this system cannot open {family} ICMP sockets ({error})")]
    Unsupported { family: &'static str, error: io::Error },
    #[error("cannot open an {family} ICMP socket: {error}")]
    Failed { family: &'static str, error: io::Error },
}

pub struct IcmpSocket {
    fd: AsyncFd<Socket>,
    pub v6: bool,
    /// Raw sockets see every ICMP message of the host, IPv4 ones with the IP header.
    raw: bool,
    pub registry: Mutex<Registry>,
}

fn family(v6: bool) -> &'static str {
    if v6 { "IPv6" } else { "IPv4" }
}

impl IcmpSocket {
    /// Opens the socket of family `v6`, bound to `source` if given. Must run inside the runtime.
    pub fn open(v6: bool, source: Option<IpAddr>) -> Result<IcmpSocket, OpenError> {
        let (domain, protocol) = if v6 { (Domain::IPV6, Protocol::ICMPV6) } else { (Domain::IPV4, Protocol::ICMPV4) };
        let (socket, raw) = match Socket::new(domain, Type::DGRAM, Some(protocol)) {
            Ok(socket) => (socket, false),
            // EACCES: our group is outside net.ipv4.ping_group_range; try the privileged way.
            Err(_) => match Socket::new(domain, Type::RAW, Some(protocol)) {
                Ok(socket) => (socket, true),
                Err(error) => return Err(open_error(v6, error)),
            },
        };
        let failed = |error| OpenError::Failed { family: family(v6), error };
        socket.set_nonblocking(true).map_err(failed)?;
        let _ = socket.set_recv_buffer_size(RECEIVE_BUFFER);
        let unspecified = if v6 { IpAddr::V6(Ipv6Addr::UNSPECIFIED) } else { IpAddr::V4(Ipv4Addr::UNSPECIFIED) };
        let local = source.unwrap_or(unspecified);
        let ident = if raw {
            if source.is_some() {
                socket.bind(&SockAddr::from(SocketAddr::new(local, 0))).map_err(failed)?;
            }
            only_echo_replies(&socket, v6);
            random_u16()
        } else {
            // A ping socket's "port" is the echo identifier: binding picks a free one, and the
            // kernel writes it into every request and routes only matching replies to us.
            socket.bind(&SockAddr::from(SocketAddr::new(local, 0))).map_err(failed)?;
            let bound = socket.local_addr().map_err(failed)?;
            bound.as_socket().map_or(0, |a| a.port())
        };
        let registry = Registry::new(ident, random_u64(), random_u16());
        // SAFETY: the socket owns its descriptor, which stays open and unchanged until the
        // AsyncFd (its only owner) drops it.
        let fd = unsafe { AsyncFd::register(socket) }.map_err(|e| failed(e.into()))?;
        Ok(IcmpSocket { fd, v6, raw, registry: Mutex::new(registry) })
    }

    pub fn is_raw(&self) -> bool {
        self.raw
    }

    /// Sends echo request `seq` to `addr`.
    pub async fn send(&self, addr: IpAddr, seq: u16) -> io::Result<()> {
        let (ident, token) = {
            let registry = self.registry.lock().expect("the registry lock");
            (registry.ident(), registry.token())
        };
        let request = echo_request(self.v6, ident, seq, token);
        let to = SockAddr::from(SocketAddr::new(addr, 0));
        self.fd.async_io(Interest::WRITABLE, |socket| socket.send_to(&request, &to)).await.map(|_| ())
    }

    /// Reads replies until the socket fails (or the task is dropped with the pinger).
    pub async fn receive_loop(self: Arc<IcmpSocket>) {
        let mut buffer = vec![MaybeUninit::<u8>::uninit(); 65_536];
        loop {
            let mut guard = match self.fd.readable().await {
                Ok(guard) => guard,
                Err(error) => {
                    tracing::error!(%error, family = family(self.v6), "the ICMP socket stopped; pings get no more replies");
                    return;
                }
            };
            loop {
                match guard.try_io(|socket| socket.get_ref().recv_from(&mut buffer)) {
                    Ok(Ok((length, from))) => {
                        let at = Instant::now();
                        // SAFETY: recv_from initialised the first `length` bytes of the buffer.
                        let data = unsafe { std::slice::from_raw_parts(buffer.as_ptr().cast::<u8>(), length) };
                        self.take(data, from, at);
                    }
                    Ok(Err(error)) => {
                        // An ICMP error queued for the socket, and the like: nothing to match.
                        tracing::debug!(%error, "ICMP receive error");
                        guard.clear_ready();
                        break;
                    }
                    Err(_would_block) => break,
                }
            }
        }
    }

    fn take(&self, data: &[u8], from: SockAddr, at: Instant) {
        let Some(from) = from.as_socket().map(|a| a.ip()) else { return };
        let Some(reply) = parse_reply(self.v6, self.raw, data) else { return };
        self.registry.lock().expect("the registry lock").deliver(from, reply, at);
    }
}

fn open_error(v6: bool, error: io::Error) -> OpenError {
    match error.raw_os_error() {
        Some(libc::EPERM | libc::EACCES) => OpenError::NotPermitted(error),
        Some(libc::EAFNOSUPPORT | libc::EPROTONOSUPPORT) => OpenError::Unsupported { family: family(v6), error },
        _ => OpenError::Failed { family: family(v6), error },
    }
}

/// Tells a raw socket to pass only echo replies, sparing the receive loop every other ICMP
/// message of the host (on loopback, our own requests too). Best effort: without the filter
/// the loop ignores them itself.
fn only_echo_replies(socket: &Socket, v6: bool) {
    // From linux/icmp.h and linux/icmpv6.h: a set bit blocks that message type.
    const ICMP_FILTER: libc::c_int = 1;
    const ICMPV6_FILTER: libc::c_int = 1;
    let fd = socket.as_raw_fd();
    if v6 {
        let mut blocked = [u32::MAX; 8];
        let reply = usize::from(packet::ECHO_REPLY_V6);
        blocked[reply >> 5] &= !(1 << (reply & 31));
        // SAFETY: the option value is the 32-byte struct icmp6_filter, passed with its size.
        unsafe {
            libc::setsockopt(
                fd,
                libc::IPPROTO_ICMPV6,
                ICMPV6_FILTER,
                blocked.as_ptr().cast(),
                std::mem::size_of_val(&blocked) as libc::socklen_t,
            );
        }
    } else {
        let blocked: u32 = !(1 << packet::ECHO_REPLY_V4);
        // SAFETY: the option value is the 4-byte struct icmp_filter, passed with its size.
        unsafe {
            libc::setsockopt(
                fd,
                libc::SOL_RAW,
                ICMP_FILTER,
                (&blocked as *const u32).cast(),
                std::mem::size_of::<u32>() as libc::socklen_t,
            );
        }
    }
}

fn random_u64() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        nanos as u64 ^ u64::from(std::process::id())
    })
}

fn random_u16() -> u16 {
    (random_u64() >> 17) as u16
}
