//! ICMP echo messages: requests as we send them, replies as they come back (IPv4 and IPv6).

/// The ICMP header: type, code, checksum, identifier, sequence.
pub const HEADER_LEN: usize = 8;
/// Data after the header, as iputils' ping sends by default.
pub const PAYLOAD_LEN: usize = 56;
/// Marks our payloads; the round's token follows it.
const MAGIC: &[u8; 4] = b"swpg";

const ECHO_REQUEST_V4: u8 = 8;
pub const ECHO_REPLY_V4: u8 = 0;
const ECHO_REQUEST_V6: u8 = 128;
pub const ECHO_REPLY_V6: u8 = 129;

/// An echo request for `ident`/`seq` carrying `token`. IPv4's checksum is filled in; for IPv6
/// the kernel computes it (it covers a pseudo-header only the kernel knows).
pub fn echo_request(v6: bool, ident: u16, seq: u16, token: u64) -> Vec<u8> {
    let mut packet = vec![0u8; HEADER_LEN + PAYLOAD_LEN];
    packet[0] = if v6 { ECHO_REQUEST_V6 } else { ECHO_REQUEST_V4 };
    packet[4..6].copy_from_slice(&ident.to_be_bytes());
    packet[6..8].copy_from_slice(&seq.to_be_bytes());
    packet[8..12].copy_from_slice(MAGIC);
    packet[12..20].copy_from_slice(&token.to_be_bytes());
    for (i, byte) in packet[20..].iter_mut().enumerate() {
        *byte = i as u8;
    }
    if !v6 {
        let sum = checksum(&packet);
        packet[2..4].copy_from_slice(&sum.to_be_bytes());
    }
    packet
}

/// What identifies a reply: the request's identifier and sequence, and the token it carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    pub ident: u16,
    pub seq: u16,
    pub token: u64,
}

/// Reads an echo reply of ours from what a socket received; `None` for anything else (other
/// ICMP messages, other programs' pings, corrupted packets). `with_ip_header`: raw IPv4
/// sockets deliver the IP header first.
pub fn parse_reply(v6: bool, with_ip_header: bool, data: &[u8]) -> Option<Reply> {
    let icmp = if with_ip_header && !v6 {
        let header_len = usize::from(data.first()? & 0x0f) * 4;
        data.get(header_len..)?
    } else {
        data
    };
    if icmp.len() < HEADER_LEN + 12 {
        return None;
    }
    let expected = if v6 { ECHO_REPLY_V6 } else { ECHO_REPLY_V4 };
    if icmp[0] != expected || icmp[1] != 0 || &icmp[8..12] != MAGIC {
        return None;
    }
    // The kernel has checked an IPv6 checksum, and a datagram socket's; a raw IPv4 socket
    // hands over what came in.
    if !v6 && checksum(icmp) != 0 {
        return None;
    }
    Some(Reply {
        ident: u16::from_be_bytes([icmp[4], icmp[5]]),
        seq: u16::from_be_bytes([icmp[6], icmp[7]]),
        token: u64::from_be_bytes(icmp[12..20].try_into().ok()?),
    })
}

/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of the
/// 16-bit words. Over a message that carries its checksum, it is 0.
pub fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    let mut words = data.chunks_exact(2);
    for word in &mut words {
        sum += u32::from(u16::from_be_bytes([word[0], word[1]]));
    }
    if let [last] = words.remainder() {
        sum += u32::from(*last) << 8;
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reply a host makes of a request: type changed, checksum adjusted.
    fn answer(mut request: Vec<u8>, v6: bool) -> Vec<u8> {
        request[0] = if v6 { ECHO_REPLY_V6 } else { ECHO_REPLY_V4 };
        request[2..4].copy_from_slice(&[0, 0]);
        if !v6 {
            let sum = checksum(&request);
            request[2..4].copy_from_slice(&sum.to_be_bytes());
        }
        request
    }

    #[test]
    fn the_checksum_matches_rfc_1071() {
        // The example of RFC 1071 section 3: words 0001 f203 f4f5 f6f7 sum to ddf2.
        assert_eq!(checksum(&[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]), !0xddf2);
        let request = echo_request(false, 0x1234, 7, 42);
        assert_eq!(checksum(&request), 0, "a request checks out with its own checksum");
        assert_eq!(checksum(&[0xff]), !0xff00, "an odd byte counts as the high half of a word");
    }

    #[test]
    fn replies_round_trip_on_both_families() {
        for v6 in [false, true] {
            let reply = answer(echo_request(v6, 0xbeef, 513, 0x0102_0304_0506_0708), v6);
            assert_eq!(reply.len(), HEADER_LEN + PAYLOAD_LEN);
            assert_eq!(
                parse_reply(v6, false, &reply),
                Some(Reply { ident: 0xbeef, seq: 513, token: 0x0102_0304_0506_0708 })
            );
        }
    }

    #[test]
    fn raw_ipv4_replies_come_after_the_ip_header() {
        let mut data = vec![0x45, 0, 0, 0, 0, 0, 0, 0, 64, 1, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1];
        data.extend(answer(echo_request(false, 9, 10, 11), false));
        assert_eq!(parse_reply(false, true, &data), Some(Reply { ident: 9, seq: 10, token: 11 }));
        assert_eq!(parse_reply(false, true, &data[..10]), None, "cut short");
    }

    #[test]
    fn anything_but_our_echo_replies_is_ignored() {
        let request = echo_request(false, 1, 2, 3);
        assert_eq!(parse_reply(false, false, &request), None, "a request is not a reply");
        let mut corrupt = answer(request.clone(), false);
        corrupt[30] ^= 0xff;
        assert_eq!(parse_reply(false, false, &corrupt), None, "a bad checksum");
        let mut foreign = answer(request, false);
        foreign[8..12].copy_from_slice(b"ping");
        assert_eq!(parse_reply(false, false, &foreign), None, "someone else's payload");
        let v4_reply = answer(echo_request(false, 1, 2, 3), false);
        assert_eq!(parse_reply(true, false, &v4_reply), None, "an IPv4 type on an IPv6 socket");
        assert_eq!(parse_reply(false, false, &[0; 4]), None);
    }
}
