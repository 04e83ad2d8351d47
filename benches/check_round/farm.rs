//! A farm of HTTP listeners on loopback: many ports that answer 200 at once (keep-alive; GET
//! gets a small page holding `KEYWORD`), and ports that accept a request and never answer.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;

/// Text every page of the farm holds, for keyword sites.
pub const KEYWORD: &str = "sitewatch bench page";

const PAGE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 48\r\n\r\n<html><body>sitewatch bench page</body></html>\r\n";
const HEAD_ANSWER: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

pub struct Farm {
    pub answering: Vec<u16>,
    pub hanging: Vec<u16>,
    _runtime: Runtime,
}

impl Farm {
    pub fn start(answering: usize, hanging: usize) -> Farm {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let (answering, hanging) = runtime.block_on(async {
            let mut open = Vec::new();
            for _ in 0..answering {
                open.push(listen(false).await);
            }
            let mut stuck = Vec::new();
            for _ in 0..hanging {
                stuck.push(listen(true).await);
            }
            (open, stuck)
        });
        Farm { answering, hanging, _runtime: runtime }
    }
}

async fn listen(hang: bool) -> u16 {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            if hang {
                tokio::spawn(hold(stream));
            } else {
                tokio::spawn(answer(stream));
            }
        }
    });
    port
}

/// Answers every request on the connection with 200: a page for GET, headers for HEAD.
async fn answer(mut stream: TcpStream) {
    let mut buf = vec![0u8; 4096];
    let mut pending = Vec::new();
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
        pending.extend_from_slice(&buf[..n]);
        while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            let answer = if pending.starts_with(b"GET ") { PAGE } else { HEAD_ANSWER };
            pending.drain(..end + 4);
            if stream.write_all(answer).await.is_err() {
                return;
            }
        }
    }
}

/// Reads the request and keeps the connection open without a word until the client leaves.
async fn hold(mut stream: TcpStream) {
    let mut buf = vec![0u8; 4096];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
    }
}
