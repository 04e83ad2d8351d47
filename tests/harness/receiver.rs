//! An HTTP server on 127.0.0.1 that records whole requests (headers and body) and answers as
//! each test scripts it: the stand-in for webhook receivers, SMS gateways and the X API.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.body))
    }

    /// The body's `application/x-www-form-urlencoded` fields.
    pub fn form(&self) -> HashMap<String, String> {
        url::form_urlencoded::parse(&self.body).into_owned().collect()
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("a UTF-8 body")
    }
}

/// An answer: status, extra headers, body; optionally late, or never.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Keep the connection open and never answer.
    pub hang: bool,
}

impl Answer {
    pub fn status(status: u16) -> Answer {
        Answer { status, headers: Vec::new(), body: String::new(), delay: Duration::ZERO, hang: false }
    }

    pub fn json(status: u16, body: &str) -> Answer {
        Answer {
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_owned(),
            ..Answer::status(status)
        }
    }

    /// Take the request, then say nothing.
    pub fn hang() -> Answer {
        Answer { hang: true, ..Answer::status(0) }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn after(mut self, delay: Duration) -> Answer {
        self.delay = delay;
        self
    }
}

type Responder = Box<dyn FnMut(&Received) -> Answer + Send>;

struct Shared {
    received: Mutex<Vec<Received>>,
    responder: Mutex<Responder>,
    stopping: AtomicBool,
    connections: AtomicUsize,
    held: Mutex<Vec<TcpStream>>,
}

pub struct Receiver {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
}

impl Receiver {
    pub fn start(responder: impl FnMut(&Received) -> Answer + Send + 'static) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a test receiver");
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            received: Mutex::new(Vec::new()),
            responder: Mutex::new(Box::new(responder)),
            stopping: AtomicBool::new(false),
            connections: AtomicUsize::new(0),
            held: Mutex::new(Vec::new()),
        });
        let accept = Arc::clone(&shared);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if accept.stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                accept.connections.fetch_add(1, Ordering::SeqCst);
                let shared = Arc::clone(&accept);
                thread::spawn(move || serve(stream, &shared));
            }
        });
        Receiver { addr, shared }
    }

    pub fn always(status: u16) -> Receiver {
        Receiver::start(move |_| Answer::status(status))
    }

    pub fn respond_with(&self, responder: impl FnMut(&Received) -> Answer + Send + 'static) {
        *self.shared.responder.lock().unwrap() = Box::new(responder);
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Connections accepted so far, whether or not a whole request came over them.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        self.shared.held.lock().unwrap().clear();
    }
}

fn serve(stream: TcpStream, shared: &Shared) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
    let mut out = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let path = parts.next().unwrap_or_default().to_owned();
        let mut headers = HashMap::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
            }
        }
        let length = headers.get("content-length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let request = Received { method, path, headers, body };
        shared.received.lock().unwrap().push(request.clone());
        let answer = (shared.responder.lock().unwrap())(&request);
        if answer.hang {
            shared.held.lock().unwrap().push(out);
            return;
        }
        thread::sleep(answer.delay);
        let mut head = format!("HTTP/1.1 {} Test\r\nContent-Length: {}\r\n", answer.status, answer.body.len());
        for (name, value) in &answer.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        if out.write_all(head.as_bytes()).and_then(|()| out.write_all(answer.body.as_bytes())).is_err() {
            return;
        }
    }
}
