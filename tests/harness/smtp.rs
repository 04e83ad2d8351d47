//! A real SMTP server on 127.0.0.1 for alert tests: EHLO, STARTTLS or implicit TLS (rustls,
//! with a self-signed certificate from rcgen), AUTH PLAIN and LOGIN, MAIL/RCPT/DATA, RSET,
//! QUIT. It records every message it accepts, and can refuse recipients or go silent.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::tls::TestCert;

#[derive(Clone)]
pub enum SmtpTls {
    None,
    Starttls(Arc<TestCert>),
    Implicit(Arc<TestCert>),
}

/// A message as the server accepted it.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
    /// The session was encrypted when the message was sent.
    pub encrypted: bool,
    pub login: Option<String>,
}

impl Received {
    pub fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(self.data.as_bytes()).expect("a well-formed message")
    }

    pub fn header(&self, name: &str) -> String {
        use mailparse::MailHeaderMap;
        self.parsed().headers.get_first_value(name).unwrap_or_else(|| panic!("no {name} header in {}", self.data))
    }

    /// The decoded body of the part with this content type (`text/plain`, `text/html`).
    pub fn body(&self, mime: &str) -> String {
        fn find(part: &mailparse::ParsedMail<'_>, mime: &str) -> Option<String> {
            if part.ctype.mimetype == mime {
                return part.get_body().ok();
            }
            part.subparts.iter().find_map(|p| find(p, mime))
        }
        find(&self.parsed(), mime).unwrap_or_else(|| panic!("no {mime} part in {}", self.data))
    }
}

pub struct SmtpOptions {
    pub tls: SmtpTls,
    /// (user, password) the server requires before MAIL.
    pub login: Option<(String, String)>,
}

struct Shared {
    received: Mutex<Vec<Received>>,
    refused: Mutex<HashSet<String>>,
    /// Take the message after DATA and never answer.
    silent_after_data: AtomicBool,
    data_commands: Mutex<usize>,
    /// The envelope recipients of every DATA the server said 354 to, in order.
    data_for: Mutex<Vec<Vec<String>>>,
    /// Waits before the 354 and before the final 250 (to give a kill time to land there).
    delays: Mutex<(Duration, Duration)>,
    stopping: AtomicBool,
    options: SmtpOptions,
}

pub struct SmtpServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
}

impl SmtpServer {
    pub fn start(options: SmtpOptions) -> SmtpServer {
        SmtpServer::start_on(0, options)
    }

    /// Starts on a given port (0 for any), e.g. one that was closed for earlier rounds.
    pub fn start_on(port: u16, options: SmtpOptions) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the SMTP test server");
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            received: Mutex::new(Vec::new()),
            refused: Mutex::new(HashSet::new()),
            silent_after_data: AtomicBool::new(false),
            data_commands: Mutex::new(0),
            data_for: Mutex::new(Vec::new()),
            delays: Mutex::new((Duration::ZERO, Duration::ZERO)),
            stopping: AtomicBool::new(false),
            options,
        });
        let accept = Arc::clone(&shared);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if accept.stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&accept);
                thread::spawn(move || {
                    let _ = Session::new(stream, &shared).and_then(|mut s| s.run());
                });
            }
        });
        SmtpServer { addr, shared }
    }

    pub fn plain() -> SmtpServer {
        SmtpServer::start(SmtpOptions { tls: SmtpTls::None, login: None })
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Messages received for `address`.
    pub fn received_by(&self, address: &str) -> Vec<Received> {
        self.received().into_iter().filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address))).collect()
    }

    pub fn refuse(&self, address: &str) {
        self.shared.refused.lock().unwrap().insert(address.to_lowercase());
    }

    pub fn go_silent_after_data(&self) {
        self.shared.silent_after_data.store(true, Ordering::SeqCst);
    }

    /// How many times a client sent DATA (accepted or not).
    pub fn data_commands(&self) -> usize {
        *self.shared.data_commands.lock().unwrap()
    }

    /// The recipients of each DATA the server accepted (said 354 to), message body or not.
    pub fn data_for(&self) -> Vec<Vec<String>> {
        self.shared.data_for.lock().unwrap().clone()
    }

    /// Answers DATA with 354 after `before_354`, and the message with 250 after `before_250`.
    pub fn slow_down(&self, before_354: Duration, before_250: Duration) {
        *self.shared.delays.lock().unwrap() = (before_354, before_250);
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

struct Session<'a> {
    stream: Box<dyn Stream>,
    raw: Option<TcpStream>,
    encrypted: bool,
    shared: &'a Shared,
    login: Option<String>,
    from: Option<String>,
    to: Vec<String>,
}

fn tls_stream(stream: TcpStream, cert: &TestCert) -> std::io::Result<Box<dyn Stream>> {
    let conn = rustls::ServerConnection::new(Arc::clone(&cert.server_config)).map_err(std::io::Error::other)?;
    Ok(Box::new(rustls::StreamOwned::new(conn, stream)))
}

impl<'a> Session<'a> {
    fn new(stream: TcpStream, shared: &'a Shared) -> std::io::Result<Session<'a>> {
        let (boxed, raw, encrypted): (Box<dyn Stream>, Option<TcpStream>, bool) = match &shared.options.tls {
            SmtpTls::Implicit(cert) => (tls_stream(stream, cert)?, None, true),
            _ => (Box::new(stream.try_clone()?), Some(stream), false),
        };
        Ok(Session { stream: boxed, raw, encrypted, shared, login: None, from: None, to: Vec::new() })
    }

    fn reply(&mut self, line: &str) -> std::io::Result<()> {
        self.stream.write_all(format!("{line}\r\n").as_bytes())?;
        self.stream.flush()
    }

    fn line(&mut self) -> std::io::Result<Option<String>> {
        let mut bytes = Vec::new();
        let mut byte = [0u8; 1];
        loop {
            if self.stream.read(&mut byte)? == 0 {
                return Ok(None);
            }
            bytes.push(byte[0]);
            if bytes.ends_with(b"\r\n") {
                bytes.truncate(bytes.len() - 2);
                return Ok(Some(String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }

    fn run(&mut self) -> std::io::Result<()> {
        self.reply("220 smtp.test ESMTP ready")?;
        while let Some(line) = self.line()? {
            let upper = line.to_ascii_uppercase();
            let verb = upper.split_whitespace().next().unwrap_or_default().to_owned();
            match verb.as_str() {
                "EHLO" => {
                    let starttls = matches!(self.shared.options.tls, SmtpTls::Starttls(_)) && !self.encrypted;
                    let auth = self.shared.options.login.is_some() && !starttls;
                    self.reply("250-smtp.test")?;
                    if starttls {
                        self.reply("250-STARTTLS")?;
                    }
                    if auth {
                        self.reply("250-AUTH PLAIN LOGIN")?;
                    }
                    self.reply("250 8BITMIME")?;
                }
                "HELO" | "NOOP" => self.reply("250 OK")?,
                "STARTTLS" => {
                    let SmtpTls::Starttls(cert) = &self.shared.options.tls else {
                        self.reply("502 no TLS here")?;
                        continue;
                    };
                    let cert = Arc::clone(cert);
                    self.reply("220 go ahead")?;
                    let raw = self.raw.take().expect("STARTTLS once, on a plain connection");
                    self.stream = tls_stream(raw, &cert)?;
                    self.encrypted = true;
                }
                "AUTH" => self.auth(&line)?,
                "MAIL" => {
                    if self.shared.options.login.is_some() && self.login.is_none() {
                        self.reply("530 5.7.0 authentication required")?;
                    } else {
                        self.from = Some(address(&line));
                        self.to.clear();
                        self.reply("250 OK")?;
                    }
                }
                "RCPT" => {
                    let to = address(&line);
                    if self.shared.refused.lock().unwrap().contains(&to.to_lowercase()) {
                        self.reply("550 5.1.1 no such user here")?;
                    } else {
                        self.to.push(to);
                        self.reply("250 OK")?;
                    }
                }
                "DATA" => {
                    *self.shared.data_commands.lock().unwrap() += 1;
                    if self.from.is_none() || self.to.is_empty() {
                        self.reply("503 need MAIL and RCPT first")?;
                        continue;
                    }
                    let (before_354, before_250) = *self.shared.delays.lock().unwrap();
                    thread::sleep(before_354);
                    self.shared.data_for.lock().unwrap().push(self.to.clone());
                    self.reply("354 end with <CRLF>.<CRLF>")?;
                    let mut data = String::new();
                    loop {
                        let Some(line) = self.line()? else { return Ok(()) };
                        if line == "." {
                            break;
                        }
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                        data.push_str("\r\n");
                    }
                    if self.shared.silent_after_data.load(Ordering::SeqCst) {
                        // Keep the message, never answer: the client cannot know it arrived.
                        let mut sink = [0u8; 64];
                        while self.stream.read(&mut sink).unwrap_or(0) > 0 {}
                        return Ok(());
                    }
                    self.shared.received.lock().unwrap().push(Received {
                        from: self.from.take().unwrap_or_default(),
                        to: std::mem::take(&mut self.to),
                        data,
                        encrypted: self.encrypted,
                        login: self.login.clone(),
                    });
                    thread::sleep(before_250);
                    self.reply("250 2.0.0 queued")?;
                }
                "RSET" => {
                    self.from = None;
                    self.to.clear();
                    self.reply("250 OK")?;
                }
                "QUIT" => {
                    self.reply("221 bye")?;
                    return Ok(());
                }
                _ => self.reply("502 command not implemented")?,
            }
        }
        Ok(())
    }

    fn auth(&mut self, line: &str) -> std::io::Result<()> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let decode =
            |text: &str| String::from_utf8(STANDARD.decode(text.trim()).unwrap_or_default()).unwrap_or_default();
        let (user, password) = match words.get(1).map(|w| w.to_ascii_uppercase()).as_deref() {
            Some("PLAIN") => {
                let encoded = match words.get(2) {
                    Some(initial) => (*initial).to_owned(),
                    None => {
                        self.reply("334 ")?;
                        self.line()?.unwrap_or_default()
                    }
                };
                let decoded = decode(&encoded);
                let mut parts = decoded.split('\0').skip(1);
                (parts.next().unwrap_or_default().to_owned(), parts.next().unwrap_or_default().to_owned())
            }
            Some("LOGIN") => {
                self.reply("334 VXNlcm5hbWU6")?;
                let user = decode(&self.line()?.unwrap_or_default());
                self.reply("334 UGFzc3dvcmQ6")?;
                (user, decode(&self.line()?.unwrap_or_default()))
            }
            _ => return self.reply("504 unknown mechanism"),
        };
        match &self.shared.options.login {
            Some((u, p)) if *u == user && *p == password => {
                self.login = Some(user);
                self.reply("235 2.7.0 authenticated")
            }
            _ => self.reply("535 5.7.8 bad credentials"),
        }
    }
}

/// The address inside `MAIL FROM:<a@b>` or `RCPT TO:<a@b>`.
fn address(line: &str) -> String {
    let start = line.find('<').map_or(0, |i| i + 1);
    let end = line[start..].find('>').map_or(line.len(), |i| start + i);
    line[start..end].to_owned()
}
