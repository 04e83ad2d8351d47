//! Echo requests to one loopback address dropped by a netfilter rule (nftables), so a ping
//! target exists but never answers; the rule goes away when the guard is dropped, however the
//! test ends.

use std::net::IpAddr;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A table of our own holding the rule; deleting the table removes everything.
pub struct DroppedEchoRequests {
    table: String,
    pub address: IpAddr,
}

fn nft(args: &[&str]) -> Result<(), String> {
    let output = Command::new("nft").args(args).output().map_err(|e| format!("the `nft` tool (nftables): {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("a working `nft {}`: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim()))
    }
}

impl DroppedEchoRequests {
    /// A loopback address of this test's own (127.77.x.y) whose echo requests are dropped.
    pub fn new_loopback_address() -> Result<DroppedEchoRequests, String> {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let pid = std::process::id();
        let address: IpAddr = format!("127.77.{}.{}", pid % 250 + 1, n % 250 + 1).parse().unwrap();
        let table = format!("sitewatch_test_{pid}_{n}");
        nft(&["add", "table", "inet", &table])?;
        let guard = DroppedEchoRequests { table, address };
        nft(&["add", "chain", "inet", &guard.table, "input", "{ type filter hook input priority 0; }"])?;
        nft(&[
            "add",
            "rule",
            "inet",
            &guard.table,
            "input",
            "ip",
            "daddr",
            &address.to_string(),
            "icmp",
            "type",
            "echo-request",
            "drop",
        ])?;
        Ok(guard)
    }
}

impl Drop for DroppedEchoRequests {
    fn drop(&mut self) {
        if let Err(error) = nft(&["delete", "table", "inet", &self.table]) {
            eprintln!("could not remove the test's netfilter table {}: {error}", self.table);
        }
    }
}
