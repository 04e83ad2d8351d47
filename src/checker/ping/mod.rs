//! Ping checks without shelling out: one ICMP socket per address family for the whole round,
//! shared by every ping site, so a thousand sites are pinged at once and the round takes about
//! `probes x gap`. Replies are matched to requests by `registry`.

mod packet;
mod registry;
mod socket;

use std::io;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::domain::ping::{EchoReply, PingStats};
use socket::{IcmpSocket, OpenError};

/// What to do when this process may not open ICMP sockets.
pub const NOT_PERMITTED_HELP: &str = "ping checks need ICMP sockets, which this process may not open; allow \
     unprivileged ping sockets with `sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"`, or let `check` open \
     raw sockets with `setcap cap_net_raw+ep $(command -v check)`. Until then ping sites are recorded as failed \
     (error `other`)";

/// Why a ping could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PingError {
    #[error("not permitted to open ICMP sockets")]
    NotPermitted,
    /// No socket for the target's family: the system has none, or `check.source_address` is
    /// of the other family.
    #[error("cannot ping {0}: {1}")]
    NoSocket(IpAddr, String),
    #[error("cannot send echo requests to {0}: {1}")]
    Send(IpAddr, io::Error),
}

struct Family {
    socket: Result<Arc<IcmpSocket>, String>,
    not_permitted: bool,
    receiver: Option<JoinHandle<()>>,
}

impl Family {
    fn open(v6: bool, source: Option<IpAddr>) -> Family {
        if let Some(source) = source.filter(|s| s.is_ipv6() != v6) {
            let reason = format!("check.source_address {source} is of the other IP family");
            return Family { socket: Err(reason), not_permitted: false, receiver: None };
        }
        match IcmpSocket::open(v6, source) {
            Ok(socket) => {
                let socket = Arc::new(socket);
                tracing::debug!(v6, raw = socket.is_raw(), "opened an ICMP socket");
                let receiver = tokio::spawn(Arc::clone(&socket).receive_loop());
                Family { socket: Ok(socket), not_permitted: false, receiver: Some(receiver) }
            }
            Err(error) => {
                let not_permitted = matches!(error, OpenError::NotPermitted(_));
                tracing::debug!(v6, %error, "no ICMP socket");
                Family { socket: Err(error.to_string()), not_permitted, receiver: None }
            }
        }
    }
}

/// The round's ICMP sockets; dropping it stops their receive loops.
pub struct Pinger {
    v4: Family,
    v6: Family,
}

impl Pinger {
    /// Opens both families' sockets (bound to `source` when given). Must run inside the runtime.
    pub fn open(source: Option<IpAddr>) -> Pinger {
        Pinger { v4: Family::open(false, source), v6: Family::open(true, source) }
    }

    /// True when no socket could be opened, at least one for lack of permission.
    pub fn not_permitted(&self) -> bool {
        self.v4.socket.is_err() && self.v6.socket.is_err() && (self.v4.not_permitted || self.v6.not_permitted)
    }

    /// Sends `count` echo requests to `addr`, `gap` apart, each waiting at most `timeout` for
    /// its reply, and counts what came back.
    pub async fn ping(
        &self,
        addr: IpAddr,
        count: u32,
        gap: Duration,
        timeout: Duration,
    ) -> Result<PingStats, PingError> {
        let family = if addr.is_ipv6() { &self.v6 } else { &self.v4 };
        let socket = match &family.socket {
            Ok(socket) => Arc::clone(socket),
            Err(_) if family.not_permitted => return Err(PingError::NotPermitted),
            Err(reason) => return Err(PingError::NoSocket(addr, reason.clone())),
        };
        let (to, mut replies) = unbounded_channel();
        let mut waiting = Waiting { socket: Arc::clone(&socket), addr, seqs: Vec::new() };
        let mut seen: Vec<EchoReply> = Vec::new();
        let mut sent_at: Vec<Option<Instant>> = vec![None; count as usize];
        let mut last_error = None;
        let start = Instant::now();
        for probe in 0..count {
            gather_until(&mut replies, start + gap * probe, &mut seen).await;
            let seq = socket.registry.lock().expect("the registry lock").register(addr, probe, to.clone());
            let Some(seq) = seq else { continue };
            waiting.seqs.push(seq);
            match socket.send(addr, seq).await {
                Ok(()) => sent_at[probe as usize] = Some(Instant::now()),
                Err(error) => {
                    tracing::debug!(%addr, %error, "echo request not sent");
                    last_error = Some(error);
                }
            }
        }
        if sent_at.iter().all(Option::is_none) {
            let error = last_error.unwrap_or_else(|| io::Error::other("no sequence number free"));
            return Err(PingError::Send(addr, error));
        }
        // Wait until every request sent has its reply or has waited `timeout`.
        loop {
            let answered = |probe: usize| seen.iter().any(|r| r.probe as usize == probe);
            let deadline = sent_at.iter().enumerate().filter(|(p, _)| !answered(*p)).filter_map(|(_, at)| *at).max();
            let Some(deadline) = deadline.map(|at| at + timeout) else { break };
            if !gather_one(&mut replies, deadline, &mut seen).await {
                break;
            }
        }
        drop(waiting);
        while let Ok(reply) = replies.try_recv() {
            seen.push(reply);
        }
        Ok(PingStats::from_replies(count, &seen))
    }
}

impl Drop for Pinger {
    fn drop(&mut self) {
        for family in [&self.v4, &self.v6] {
            if let Some(receiver) = &family.receiver {
                receiver.abort();
            }
        }
    }
}

/// The requests of one ping still registered; forgotten however the ping ends.
struct Waiting {
    socket: Arc<IcmpSocket>,
    addr: IpAddr,
    seqs: Vec<u16>,
}

impl Drop for Waiting {
    fn drop(&mut self) {
        let mut registry = self.socket.registry.lock().expect("the registry lock");
        for seq in &self.seqs {
            registry.forget(self.addr, *seq);
        }
    }
}

/// Collects replies until `until`.
async fn gather_until(replies: &mut UnboundedReceiver<EchoReply>, until: Instant, seen: &mut Vec<EchoReply>) {
    while gather_one(replies, until, seen).await {}
}

/// Waits for one reply until `until`; false when the time came first.
async fn gather_one(replies: &mut UnboundedReceiver<EchoReply>, until: Instant, seen: &mut Vec<EchoReply>) -> bool {
    match tokio::time::timeout_at(until, replies.recv()).await {
        Ok(Some(reply)) => {
            seen.push(reply);
            true
        }
        Ok(None) | Err(_) => false,
    }
}
