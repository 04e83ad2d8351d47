//! Which echo requests are waiting for replies, and where each reply goes. Replies are matched
//! by (address, identifier, sequence) and the round's token in the payload, so a reply meant
//! for another program or for an earlier round is ignored; every reply to a request still
//! registered is passed on, so a second one shows up as a duplicate.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Instant;

use tokio::sync::mpsc::UnboundedSender;

use super::packet::Reply;
use crate::domain::ping::EchoReply;

struct Waiting {
    probe: u32,
    sent_at: Instant,
    to: UnboundedSender<EchoReply>,
}

pub struct Registry {
    token: u64,
    ident: u16,
    next_seq: u16,
    waiting: HashMap<(IpAddr, u16), Waiting>,
}

impl Registry {
    pub fn new(ident: u16, token: u64, first_seq: u16) -> Registry {
        Registry { token, ident, next_seq: first_seq, waiting: HashMap::new() }
    }

    pub fn ident(&self) -> u16 {
        self.ident
    }

    pub fn token(&self) -> u64 {
        self.token
    }

    /// Registers request `probe` to `addr`, sent now, and returns its sequence number: the next
    /// one not waiting already for that address (sequence numbers wrap after 65,536 requests).
    pub fn register(&mut self, addr: IpAddr, probe: u32, to: UnboundedSender<EchoReply>) -> Option<u16> {
        for _ in 0..=u16::MAX {
            let seq = self.next_seq;
            self.next_seq = self.next_seq.wrapping_add(1);
            if let std::collections::hash_map::Entry::Vacant(slot) = self.waiting.entry((addr, seq)) {
                slot.insert(Waiting { probe, sent_at: Instant::now(), to });
                return Some(seq);
            }
        }
        None
    }

    /// Stops waiting for replies to `seq` from `addr`.
    pub fn forget(&mut self, addr: IpAddr, seq: u16) {
        self.waiting.remove(&(addr, seq));
    }

    /// Passes on a reply from `from` received at `at`; false when it is not one of ours.
    pub fn deliver(&self, from: IpAddr, reply: Reply, at: Instant) -> bool {
        if reply.token != self.token || reply.ident != self.ident {
            return false;
        }
        let Some(waiting) = self.waiting.get(&(from, reply.seq)) else { return false };
        let rtt = at.saturating_duration_since(waiting.sent_at);
        waiting.to.send(EchoReply { probe: waiting.probe, rtt }).is_ok()
    }

    #[cfg(test)]
    fn waiting(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::sync::mpsc::unbounded_channel;

    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn replies_reach_their_request_and_duplicates_come_through_too() {
        let mut registry = Registry::new(77, 0xfeed, 10);
        let (to, mut from) = unbounded_channel();
        let first = registry.register(ip("127.0.0.2"), 0, to.clone()).unwrap();
        let second = registry.register(ip("127.0.0.2"), 1, to).unwrap();
        assert_eq!((first, second), (10, 11));
        let later = Instant::now() + Duration::from_millis(5);
        let reply = |seq| Reply { ident: 77, seq, token: 0xfeed };
        assert!(registry.deliver(ip("127.0.0.2"), reply(second), later));
        assert!(registry.deliver(ip("127.0.0.2"), reply(second), later), "a duplicate is passed on");
        let got: Vec<u32> = std::iter::from_fn(|| from.try_recv().ok()).map(|r| r.probe).collect();
        assert_eq!(got, [1, 1]);
    }

    #[test]
    fn foreign_and_stale_replies_are_ignored() {
        let mut registry = Registry::new(77, 0xfeed, 0);
        let (to, mut from) = unbounded_channel();
        let seq = registry.register(ip("::1"), 0, to).unwrap();
        let now = Instant::now();
        assert!(!registry.deliver(ip("::1"), Reply { ident: 78, seq, token: 0xfeed }, now), "another identifier");
        assert!(!registry.deliver(ip("::1"), Reply { ident: 77, seq, token: 0xbad }, now), "an earlier round's token");
        assert!(!registry.deliver(ip("::2"), Reply { ident: 77, seq, token: 0xfeed }, now), "another address");
        assert!(!registry.deliver(ip("::1"), Reply { ident: 77, seq: seq + 1, token: 0xfeed }, now), "never sent");
        registry.forget(ip("::1"), seq);
        assert!(!registry.deliver(ip("::1"), Reply { ident: 77, seq, token: 0xfeed }, now), "no longer waited for");
        assert!(from.try_recv().is_err());
        assert_eq!(registry.waiting(), 0);
    }

    #[test]
    fn sequence_numbers_wrap_and_skip_those_still_waiting() {
        let mut registry = Registry::new(1, 1, u16::MAX);
        let (to, _from) = unbounded_channel();
        assert_eq!(registry.register(ip("127.0.0.1"), 0, to.clone()), Some(u16::MAX));
        assert_eq!(registry.register(ip("127.0.0.1"), 1, to.clone()), Some(0));
        registry.next_seq = u16::MAX;
        assert_eq!(registry.register(ip("127.0.0.1"), 2, to.clone()), Some(1), "65535 and 0 are taken");
        assert_eq!(registry.register(ip("127.0.0.9"), 0, to), Some(2), "other addresses share the counter");
    }
}
