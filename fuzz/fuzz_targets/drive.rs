//! Shared by the machine fuzz targets: answers, clock jumps and inputs
//! chosen by the fuzzer's bytes, and a driver loop that checks the calling
//! contract while it runs.
//!
//! When the bytes run out every request fails with a transport error, so a
//! machine that keeps sending must give up under its retry policy: each run
//! ends within a bounded number of steps, or the loop panics.

use doapi_core::http::{Request, Response};
use doapi_core::testing::FakeClock;
use doapi_core::{Answer, Config, Machine, TransportError, TransportErrorKind};
use std::time::Duration;

/// The bytes left to choose from.
pub struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes(data)
    }

    pub fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    pub fn pick<T: Clone>(&mut self, table: &[T]) -> Option<T> {
        let b = self.byte()?;
        table.get(usize::from(b) % table.len()).cloned()
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        head
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

const API: &str = "https://api.digitalocean.com";
const DATE: &str = "Sun, 06 Nov 1994 08:49:37 GMT";
const EPOCH: u64 = 784_111_777;

const STATUSES: &[u16] = &[
    200, 200, 200, 200, 201, 202, 204, 301, 400, 401, 404, 404, 422, 429, 429, 500, 501, 502, 503,
    504,
];
const RETRY_AFTER: &[&str] = &[
    "0",
    "1",
    "30",
    "99999999999999999999",
    "Sun, 06 Nov 1994 08:50:07 GMT",
    "Sun, 06 Nov 1994 08:00:00 GMT",
    "soon",
    "",
];
const DATES: &[&str] = &[DATE, "Sun, 06 Nov 1994 08:50:37 GMT", "not a date"];
const REMAINING: &[u64] = &[0, 1, 2, 10, 4999, u64::MAX];
const RESET_IN: &[u64] = &[0, 1, 60, 3600, 1 << 40];
const TOTALS: &[Option<u64>] = &[
    None,
    Some(0),
    Some(1),
    Some(3),
    Some(200),
    Some(450),
    Some(u64::MAX),
];
const DROPLET_STATUSES: &[&str] = &["new", "active", "off", "archive", "weird"];
const ACTION_STATUSES: &[&str] = &["in-progress", "completed", "errored", "paused"];

/// A jump of the virtual clock.
pub fn jump(b: &mut Bytes) -> Duration {
    let ms = b
        .pick(&[0u64, 0, 1, 999, 2_000, 61_000, 3_600_000])
        .unwrap_or(0);
    Duration::from_millis(ms)
}

/// The answer to `req`: a transport error, or a response with a status,
/// headers and a body chosen by the bytes.
pub fn answer(b: &mut Bytes, req: &Request<Vec<u8>>) -> Answer {
    let failed = |kind| Err(TransportError::new(kind, "fuzzed"));
    let Some(sel) = b.byte() else {
        return failed(TransportErrorKind::Io);
    };
    if sel % 8 == 0 {
        let kinds = [
            TransportErrorKind::Connect,
            TransportErrorKind::Timeout,
            TransportErrorKind::Io,
            TransportErrorKind::Protocol,
            TransportErrorKind::TooLarge,
        ];
        return failed(kinds[usize::from(sel / 8) % kinds.len()]);
    }
    let status = b.pick(STATUSES).unwrap_or(200);
    let mut resp = Response::builder().status(status);
    let flags = b.byte().unwrap_or(0);
    if flags & 1 != 0 {
        resp = resp.header("retry-after", b.pick(RETRY_AFTER).unwrap_or("1"));
    }
    if flags & 2 != 0 {
        resp = resp.header("date", b.pick(DATES).unwrap_or(DATE));
    }
    if flags & 4 != 0 {
        let remaining = b.pick(REMAINING).unwrap_or(1);
        let reset = EPOCH.saturating_add(b.pick(RESET_IN).unwrap_or(60));
        resp = resp
            .header("ratelimit-limit", "250")
            .header("ratelimit-remaining", remaining.to_string())
            .header("ratelimit-reset", reset.to_string());
    }
    let body = match b.byte().unwrap_or(2) % 6 {
        0 => {
            let n = usize::from(b.byte().unwrap_or(0));
            b.take(n).to_vec()
        }
        1 => {
            let mut body = valid_body(b, req).into_bytes();
            body.truncate(usize::from(b.byte().unwrap_or(0)) * 4);
            body
        }
        _ => valid_body(b, req).into_bytes(),
    };
    resp.body(body)
        .map_err(|_| TransportError::new(TransportErrorKind::Io, "fuzzed"))
}

fn droplet(id: u64, status: &str, locked: bool) -> String {
    format!(
        r#"{{"id":{id},"name":"d{id}","memory":1024,"vcpus":1,"disk":25,"locked":{locked},"status":"{status}","created_at":"2020-07-21T18:37:44Z","features":[],"backup_ids":[],"snapshot_ids":[],"volume_ids":[],"image":{{"id":1}},"size":{{"slug":"s","memory":1,"vcpus":1,"disk":1,"transfer":1,"price_monthly":5,"price_hourly":0.01,"regions":[],"available":true,"description":""}},"size_slug":"s","networks":{{"v4":[],"v6":[]}},"region":{{"name":"r","slug":"r","features":[],"available":true,"sizes":[]}},"tags":["t"]}}"#
    )
}

fn action(id: u64, status: &str) -> String {
    format!(r#"{{"id":{id},"status":"{status}","type":"reboot"}}"#)
}

/// A body of the shape the request's path expects, with contents chosen by
/// the bytes: ids in 1..=5 so that they hit the targets.
fn valid_body(b: &mut Bytes, req: &Request<Vec<u8>>) -> String {
    let path = req.uri().path();
    let segments: Vec<&str> = path.trim_start_matches("/v2/").split('/').collect();
    let is_actions = segments.last() == Some(&"actions");
    let item = |b: &mut Bytes, id: u64| {
        if is_actions || segments.first() == Some(&"actions") {
            action(id, b.pick(ACTION_STATUSES).unwrap_or("completed"))
        } else {
            let locked = b.byte().unwrap_or(0) % 2 == 0;
            droplet(id, b.pick(DROPLET_STATUSES).unwrap_or("active"), locked)
        }
    };
    match segments[..] {
        [kind, id] if kind == "droplets" || kind == "actions" => {
            let id = id.parse().unwrap_or(1);
            let key = if kind == "droplets" {
                "droplet"
            } else {
                "action"
            };
            format!(r#"{{"{key}":{}}}"#, item(b, id))
        }
        _ => {
            let key = if is_actions || segments.first() == Some(&"actions") {
                "actions"
            } else {
                "droplets"
            };
            let n = b.byte().unwrap_or(0) % 4;
            let items: Vec<String> = (0..n)
                .map(|_| {
                    let id = u64::from(b.byte().unwrap_or(0) % 5) + 1;
                    item(b, id)
                })
                .collect();
            let own = req.uri().to_string();
            let page = b.byte().unwrap_or(0);
            let next = match b.byte().unwrap_or(0) % 6 {
                0 | 1 => String::new(),
                2 => format!(r#","next":"{API}{path}?page={page}&per_page=200""#),
                3 => format!(r#","next":"https://evil.test{path}?page={page}""#),
                4 => format!(r#","next":"{own}""#),
                _ => r#","next":"not a url""#.to_owned(),
            };
            let meta = match b.pick(TOTALS).flatten() {
                Some(t) => format!(r#","meta":{{"total":{t}}}"#),
                None => String::new(),
            };
            format!(
                r#"{{"{key}":[{}],"links":{{"pages":{{"last":"x"{next}}}}}{meta}}}"#,
                items.join(",")
            )
        }
    }
}

/// Drives `m` with answers from the bytes until it finishes, checking the
/// contract: the token never leaves the endpoint's origin, an error is the
/// last output, time only moves forward, and the run ends within a bounded
/// number of steps. `control` is called at every sleep with a byte, to give
/// the machine other inputs (a cancel). Returns the number of outputs.
pub fn run<M: Machine>(
    m: &mut M,
    b: &mut Bytes,
    config: &Config,
    clock: &mut FakeClock,
    mut control: impl FnMut(&mut M, u8),
) -> usize {
    let max_steps = 64 * (b.len() + 64);
    let mut outputs = 0;
    let mut failed = false;
    for _ in 0..max_steps {
        while let Some(out) = m.poll_output() {
            assert!(!failed, "an output after an error");
            failed = out.is_err();
            outputs += 1;
        }
        if let Some(req) = m.poll_request() {
            assert!(!failed, "a request after an error");
            let url = req.uri().to_string();
            assert!(config.is_same_origin(&url), "token sent to {url}");
            let answer = answer(b, &req);
            clock.advance(jump(b));
            m.handle_answer(clock.now(), answer);
            continue;
        }
        let Some(at) = m.poll_timeout() else {
            return outputs;
        };
        let c = b.byte().unwrap_or(1);
        if c % 16 == 0 {
            // A spurious wake-up before the timeout.
            m.handle_timeout(clock.now());
        }
        control(m, c);
        clock.jump_to(at);
        if c % 16 == 1 {
            clock.advance(jump(b));
        }
        m.handle_timeout(clock.now());
    }
    panic!("no end after {max_steps} steps");
}
