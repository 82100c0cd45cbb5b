//! A server that misbehaves on purpose, on 127.0.0.1, for the hostile
//! suites of the clients (`tests/hostile.rs`) and of the command line: std
//! only, a thread per connection, every answer chosen by the test from the
//! request ([`Hostile::start`]). It can answer with any status and body,
//! with bytes that are not HTTP, trickle a body a byte at a time, send a
//! body of any length without holding it, or never answer.
//!
//! And what the OS says a process's memory peaked at ([`peak_kb`]), with a
//! way to run a scenario in a child process so that its peak is its own
//! ([`child_url`], [`run_child`]).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One request as the server read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path and query as sent.
    pub target: String,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The server's own `http://127.0.0.1:PORT`, for links back to it.
    pub origin: String,
}

impl Asked {
    /// The token the request carried (`Authorization: Bearer ...`), or
    /// nothing.
    pub fn token(&self) -> &str {
        let auth = self.authorization.as_deref().unwrap_or("");
        auth.strip_prefix("Bearer ").unwrap_or(auth)
    }

    /// The value of a query parameter.
    pub fn query(&self, key: &str) -> Option<&str> {
        let (_, query) = self.target.split_once('?')?;
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
    }
}

/// What the server does with a request. Every connection is closed after
/// its answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A response with this status, these headers and body, and its
    /// `Content-Length`.
    Http {
        /// The status.
        status: u16,
        /// More headers.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// These bytes as they are: not necessarily HTTP.
    Raw(Vec<u8>),
    /// A `200` promising a long body, then a space every `every`, for as
    /// long as the client reads.
    Trickle {
        /// Time between bytes.
        every: Duration,
    },
    /// A `200` with a body of `len` spaces, made as it is sent; with its
    /// `Content-Length` or without (the end of the body is then the end of
    /// the connection).
    Huge {
        /// The body's length.
        len: u64,
        /// Whether the head says the length.
        with_length: bool,
    },
    /// No answer at all: the connection stays open until the client gives
    /// up (or the test process ends).
    Stall,
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Http {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }
}

/// A misbehaving server on 127.0.0.1, on threads of its own for as long as
/// the test process runs.
pub struct Hostile {
    url: String,
    requests: Arc<AtomicU64>,
    first: Arc<Mutex<Vec<Asked>>>,
}

/// How many requests [`Hostile::asked`] keeps (the first ones).
const KEPT: usize = 100;

/// The most a request head may be.
const MAX_HEAD: usize = 1 << 20;

impl Hostile {
    /// Starts the server; `answer` says what to do with each request.
    pub fn start(answer: impl Fn(&Asked) -> Reply + Send + Sync + 'static) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let requests = Arc::new(AtomicU64::new(0));
        let first = Arc::new(Mutex::new(Vec::new()));
        let (count, kept, answer) = (requests.clone(), first.clone(), Arc::new(answer));
        let origin = url.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (count, kept, answer) = (count.clone(), kept.clone(), answer.clone());
                let origin = origin.clone();
                thread::spawn(move || serve(stream, &origin, &count, &kept, &*answer));
            }
        });
        Hostile {
            url,
            requests,
            first,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many requests came in so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    /// The first requests (at most 100), their targets cut at 200 bytes.
    pub fn asked(&self) -> Vec<Asked> {
        self.first.lock().expect("the requests").clone()
    }
}

fn serve(
    mut stream: TcpStream,
    origin: &str,
    count: &AtomicU64,
    kept: &Mutex<Vec<Asked>>,
    answer: &(dyn Fn(&Asked) -> Reply + Send + Sync),
) {
    // Small writes go out at once (no waiting on the client's ACK).
    let _ = stream.set_nodelay(true);
    let Some(asked) = read_request(&mut stream, origin) else {
        return;
    };
    count.fetch_add(1, Ordering::SeqCst);
    if let Ok(mut kept) = kept.lock() {
        if kept.len() < KEPT {
            let mut short = asked.clone();
            short.target.truncate(200);
            kept.push(short);
        }
    }
    let _ = reply(&mut stream, answer(&asked));
}

/// Reads a request's head and body (by its `Content-Length`).
fn read_request(stream: &mut TcpStream, origin: &str) -> Option<Asked> {
    let mut head = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let end = loop {
        let n = stream.read(&mut buf).ok().filter(|&n| n > 0)?;
        // Only the new bytes (and the three before them) can end the head.
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        if let Some(at) = head[from..].windows(4).position(|w| w == b"\r\n\r\n") {
            break from + at + 4;
        }
        if head.len() > MAX_HEAD {
            return None;
        }
    };
    let text = String::from_utf8_lossy(&head[..end]).into_owned();
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let header = |name: &str| {
        text.split("\r\n").skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = head.len() - end;
    while body < length {
        body += stream.read(&mut buf).ok().filter(|&n| n > 0)?;
    }
    Some(Asked {
        method,
        target,
        authorization: header("authorization"),
        origin: origin.to_owned(),
    })
}

fn reply(stream: &mut TcpStream, reply: Reply) -> std::io::Result<()> {
    match reply {
        Reply::Http {
            status,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} Hostile\r\n");
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str(&format!(
                "content-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            ));
            let mut all = head.into_bytes();
            all.extend_from_slice(&body);
            stream.write_all(&all)
        }
        Reply::Raw(bytes) => stream.write_all(&bytes),
        Reply::Trickle { every } => {
            stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n")?;
            loop {
                thread::sleep(every);
                stream.write_all(b" ")?;
            }
        }
        Reply::Huge { len, with_length } => {
            let length = if with_length {
                format!("content-length: {len}\r\n")
            } else {
                String::new()
            };
            let head = format!("HTTP/1.1 200 OK\r\n{length}connection: close\r\n\r\n");
            stream.write_all(head.as_bytes())?;
            let chunk = [b' '; 64 * 1024];
            let mut left = len;
            while left > 0 {
                let n = left.min(chunk.len() as u64) as usize;
                stream.write_all(&chunk[..n])?;
                left -= n as u64;
            }
            Ok(())
        }
        Reply::Stall => loop {
            thread::sleep(Duration::from_secs(3600));
        },
    }
}

/// The peak resident memory of a process in KiB, as the OS counts it
/// (`VmHWM` of `/proc/<pid>/status`; `"self"` for this process). `None`
/// when the process is gone or the OS does not say.
pub fn peak_kb(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The environment variable that makes a test binary the child of
/// [`run_child`]: it holds the hostile server's URL.
const CHILD: &str = "DOAPI_HOSTILE_CHILD";

/// In the child process of [`run_child`], the hostile server's URL; `None`
/// in the test itself.
pub fn child_url() -> Option<String> {
    std::env::var(CHILD).ok()
}

/// What the child process said: its peak memory, and the lines it printed
/// with [`child_says`].
#[derive(Debug)]
pub struct ChildRun {
    /// Its peak resident memory in KiB, as it read it from the OS at its end.
    pub peak_kb: u64,
    /// What it said.
    pub said: Vec<String>,
}

const SAYS: &str = "HOSTILE-CHILD: ";

/// In the child, says a line for the test to read in [`ChildRun::said`].
pub fn child_says(line: impl std::fmt::Display) {
    println!("{SAYS}{line}");
}

/// Runs the current test again in a child process (this test binary,
/// running only the test of this thread's name) with [`child_url`] set to
/// `url`: the test sees it, runs the client against `url`, and says what it
/// saw with [`child_says`]; its peak memory is then its own, measured by
/// the OS, not this process's with the server in it.
pub fn run_child(url: &str) -> ChildRun {
    let me = thread::current();
    let test = me.name().expect("the test's thread has the test's name");
    let out = Command::new(std::env::current_exe().expect("the test binary"))
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, url)
        .output()
        .expect("the child runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the child of {test} failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A line may follow the test harness's own words on the same line.
    let said: Vec<String> = stdout
        .lines()
        .filter_map(|l| Some(l.split_once(SAYS)?.1.to_owned()))
        .collect();
    let peak_kb = said
        .iter()
        .find_map(|l| l.strip_prefix("peak_kb=")?.parse().ok())
        .expect("the child said its peak");
    ChildRun { peak_kb, said }
}

/// In the child, at the end of its work: says its peak memory.
pub fn child_done() {
    child_says(format_args!("peak_kb={}", peak_kb("self").unwrap_or(0)));
}

/// A droplet as DigitalOcean writes one, with `future`, a field no client
/// knows, holding `extra` (raw JSON) when given.
pub fn droplet_json(id: u64, name: &str, extra: Option<&str>) -> String {
    let future = extra.map_or(String::new(), |e| format!(r#","future":{e}"#));
    format!(
        r#"{{"id":{id},"name":"{name}","memory":1024,"vcpus":1,"disk":25,"locked":false,"status":"active","created_at":"2020-07-21T18:37:44Z","features":[],"backup_ids":[],"snapshot_ids":[],"volume_ids":[],"image":{{"id":1,"slug":"ubuntu-24-04-x64"}},"size":{{"slug":"s-1vcpu-1gb","memory":1024,"vcpus":1,"disk":25,"transfer":1,"price_monthly":5,"price_hourly":0.00744,"regions":["nyc3"],"available":true,"description":"Basic"}},"size_slug":"s-1vcpu-1gb","networks":{{"v4":[],"v6":[]}},"region":{{"name":"New York 3","slug":"nyc3","features":[],"available":true,"sizes":[]}},"tags":[]{future}}}"#
    )
}

/// `text` as a JSON string (quoted, control characters escaped).
fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// A page of the droplet listing: these droplets (JSON), and a next link.
pub fn droplet_page(droplets: &[String], next: Option<&str>) -> Vec<u8> {
    let next = next.map_or(String::new(), |n| format!(r#""next":{}"#, json_string(n)));
    format!(
        r#"{{"droplets":[{}],"links":{{"pages":{{{next}}}}},"meta":{{"total":1000000000}}}}"#,
        droplets.join(",")
    )
    .into_bytes()
}

/// Escape sequences that would clear the screen, retitle the window and
/// fake a red error, and a right-to-left override.
pub const EVIL: &str = "\x1b]0;pwned\x07\x1b[2J\x1b[31mFAKE ERROR\x1b[0m\u{202e}";

impl Asked {
    /// The `page` the request asks for (1 without one).
    pub fn page(&self) -> u64 {
        self.query("page").and_then(|p| p.parse().ok()).unwrap_or(1)
    }
}

/// Endless pages of one droplet each (its id the page's number), whose next
/// links never repeat and are 60 kB long (a URL may be 64 kB).
pub fn endless(asked: &Asked) -> Reply {
    let page = asked.page();
    let pad = "p".repeat(60_000);
    let next = format!("{}/v2/droplets?page={}&pad={pad}", asked.origin, page + 1);
    Reply::json(
        200,
        droplet_page(&[droplet_json(page, "d", None)], Some(&next)),
    )
}

/// Pages 1 and 2, then 3, 4 and 5 over and over: next links that loop, a
/// loop of 3 pages entered after 2, so caught within [`LOOP_BOUND`] pages.
pub fn looping(asked: &Asked) -> Reply {
    let page = asked.page();
    let next = if page < 5 { page + 1 } else { 3 };
    let next = format!("{}/v2/droplets?page={next}", asked.origin);
    Reply::json(
        200,
        droplet_page(&[droplet_json(page, "d", None)], Some(&next)),
    )
}

/// The most requests [`looping`] gets from a client: `2 × max(2, 3) + 3`
/// following links, and the pages fetched ahead by number (8 in flight,
/// from page 2) that are dropped once page 5's link breaks the numbering.
pub const LOOP_BOUND: u64 = 9 + 8;

/// Answers that are not HTTP, and what each is: a bad chunk, no status
/// line (HTTP/0.9), 1 MB of headers.
pub fn not_http() -> [(&'static str, Reply); 3] {
    let chunk = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n";
    let mut headers = b"HTTP/1.1 200 OK\r\n".to_vec();
    for i in 0..1_000 {
        headers.extend_from_slice(format!("x-junk-{i}: {}\r\n", "j".repeat(1_000)).as_bytes());
    }
    headers.extend_from_slice(b"content-length: 2\r\n\r\n{}");
    [
        ("a bad chunk", Reply::Raw(chunk.to_vec())),
        (
            "HTTP/0.9",
            Reply::Raw(br#"{"droplet": {"id": 1}}"#.to_vec()),
        ),
        ("1 MB of headers", Reply::Raw(headers)),
    ]
}
