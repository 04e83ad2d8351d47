//! Real HTTP servers on 127.0.0.1 for the checker to probe, scripted per test: a status per
//! path, a server that never answers, a large GET body, and a record of every request.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub user_agent: Option<String>,
    pub host: Option<String>,
    pub authorization: Option<String>,
}

/// How the server answers a request.
#[derive(Debug, Clone)]
pub enum Reply {
    Status(u16),
    /// A status with a `Location` header (for redirects).
    Redirect(u16, String),
    /// A status and a body of this many bytes.
    Body(u16, usize),
    /// A status and a page: `before` bytes of filler, `text`, then `after` bytes of filler.
    Page {
        status: u16,
        before: usize,
        text: String,
        after: usize,
    },
    /// Accept the request and never answer.
    Hang,
}

type Responder = Box<dyn FnMut(&Request) -> Reply + Send>;

struct Shared {
    requests: Mutex<Vec<Request>>,
    responder: Mutex<Responder>,
    held: Mutex<Vec<TcpStream>>,
    /// Set when a body was written completely, per request (in order).
    bodies_completed: Mutex<Vec<bool>>,
    /// Per page request: its path, and whether the page was written completely.
    pages: Mutex<Vec<(String, bool)>>,
    stopping: AtomicBool,
}

pub struct HttpServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
}

impl HttpServer {
    pub fn start(responder: impl FnMut(&Request) -> Reply + Send + 'static) -> HttpServer {
        HttpServer::start_on("127.0.0.1:0", responder)
    }

    /// A server on another local address, `[::1]:0` say.
    pub fn start_on(address: &str, responder: impl FnMut(&Request) -> Reply + Send + 'static) -> HttpServer {
        let listener = TcpListener::bind(address).expect("bind a test server");
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            responder: Mutex::new(Box::new(responder)),
            held: Mutex::new(Vec::new()),
            bodies_completed: Mutex::new(Vec::new()),
            pages: Mutex::new(Vec::new()),
            stopping: AtomicBool::new(false),
        });
        let accept_shared = Arc::clone(&shared);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if accept_shared.stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&accept_shared);
                thread::spawn(move || serve(stream, &shared));
            }
        });
        HttpServer { addr, shared }
    }

    /// Answers every request with `status`.
    pub fn always(status: u16) -> HttpServer {
        HttpServer::start(move |_| Reply::Status(status))
    }

    /// Changes how later requests are answered.
    pub fn respond_with(&self, responder: impl FnMut(&Request) -> Reply + Send + 'static) {
        *self.shared.responder.lock().unwrap() = Box::new(responder);
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().unwrap().clone()
    }

    pub fn count(&self, method: &str, path: &str) -> usize {
        self.requests().iter().filter(|r| r.method == method && r.path == path).count()
    }

    pub fn bodies_completed(&self) -> Vec<bool> {
        self.shared.bodies_completed.lock().unwrap().clone()
    }

    /// For each request of the page at `path` (whatever its query): whether it was written completely.
    pub fn pages_completed(&self, path: &str) -> Vec<bool> {
        let pages = self.shared.pages.lock().unwrap();
        pages.iter().filter(|(p, _)| p.split('?').next() == Some(path)).map(|(_, done)| *done).collect()
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        self.shared.held.lock().unwrap().clear();
    }
}

fn serve(stream: TcpStream, shared: &Shared) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let (method, path) = (parts.next().unwrap_or_default().to_owned(), parts.next().unwrap_or_default().to_owned());
        let (mut user_agent, mut host, mut authorization) = (None, None, None);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                let value = Some(value.trim().to_owned());
                match name.to_ascii_lowercase().as_str() {
                    "user-agent" => user_agent = value,
                    "host" => host = value,
                    "authorization" => authorization = value,
                    _ => {}
                }
            }
        }
        let request = Request { method, path, user_agent, host, authorization };
        shared.requests.lock().unwrap().push(request.clone());
        let reply = (shared.responder.lock().unwrap())(&request);
        let mut out = stream.try_clone().expect("clone the stream");
        let head = |status: u16, extra: &str, length: usize| {
            format!("HTTP/1.1 {status} Test\r\nContent-Length: {length}\r\n{extra}\r\n")
        };
        let written = match reply {
            Reply::Status(status) => out.write_all(head(status, "", 0).as_bytes()),
            Reply::Redirect(status, location) => {
                out.write_all(head(status, &format!("Location: {location}\r\n"), 0).as_bytes())
            }
            Reply::Body(status, length) => {
                let sent = out.write_all(head(status, "", length).as_bytes()).and_then(|()| filler(&mut out, length));
                shared.bodies_completed.lock().unwrap().push(sent.is_ok());
                sent
            }
            Reply::Page { status, before, text, after } => {
                // A small send buffer keeps the kernel from taking the whole page at once, so a
                // reader that stops early shows as a failed write here.
                let _ = socket2::SockRef::from(&out).set_send_buffer_size(16 * 1024);
                let sent = out
                    .write_all(head(status, "Content-Type: text/html\r\n", before + text.len() + after).as_bytes())
                    .and_then(|()| filler(&mut out, before))
                    .and_then(|()| out.write_all(text.as_bytes()))
                    .and_then(|()| filler(&mut out, after));
                shared.pages.lock().unwrap().push((request.path.clone(), sent.is_ok()));
                sent
            }
            Reply::Hang => {
                shared.held.lock().unwrap().push(out);
                return;
            }
        };
        if written.is_err() {
            return;
        }
    }
}

/// Writes `length` filler bytes in 64 KiB pieces.
fn filler(out: &mut TcpStream, length: usize) -> std::io::Result<()> {
    let chunk = vec![b'x'; 64 * 1024];
    let mut left = length;
    while left > 0 {
        let n = left.min(chunk.len());
        out.write_all(&chunk[..n])?;
        left -= n;
    }
    Ok(())
}

/// A TLS server with a self-signed certificate: the checker must refuse it (`tls`).
pub struct SelfSignedTlsServer {
    pub addr: SocketAddr,
}

impl SelfSignedTlsServer {
    pub fn start() -> SelfSignedTlsServer {
        sitewatch::tls::install_crypto_provider();
        let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("a certificate");
        let cert = certified.cert.der().clone();
        let key = rustls::pki_types::PrivateKeyDer::try_from(certified.signing_key.serialize_der()).expect("a key");
        let config = Arc::new(
            rustls::ServerConfig::builder()
                .with_no_client_auth()
                .with_single_cert(vec![cert], key)
                .expect("a TLS config"),
        );
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a TLS test server");
        let addr = listener.local_addr().unwrap();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let config = Arc::clone(&config);
                thread::spawn(move || {
                    let mut tls = rustls::ServerConnection::new(config).expect("a TLS session");
                    // Drive the handshake until the client gives up on our certificate.
                    while tls.is_handshaking() {
                        if tls.complete_io(&mut stream).is_err() {
                            break;
                        }
                    }
                });
            }
        });
        SelfSignedTlsServer { addr }
    }

    pub fn url(&self) -> String {
        format!("https://localhost:{}/", self.addr.port())
    }
}

/// A port on 127.0.0.1 with nothing listening (bound, then released).
pub fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
