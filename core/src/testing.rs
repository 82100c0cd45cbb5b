//! Deterministic tests of anything built on the machines, without sockets,
//! sleeps or a DigitalOcean account (feature `testing`).
//!
//! - [`Replay`] plays recorded [`Exchange`]s: each request the machine sends
//!   must be the next one recorded (method, URL and, if recorded, JSON
//!   body), and gets the recorded answer. An unexpected request, and a
//!   recorded one never sent, are errors ([`ReplayError`]).
//! - [`FakeClock`] is virtual time: it only moves when told to.
//! - [`Harness`] drives any [`Machine`] with the two, the way the adapters
//!   do with real I/O, except that instead of sleeping the clock jumps
//!   straight to [`Machine::poll_timeout`]. A test then checks what was
//!   sent ([`Harness::sent`]) and how much virtual time it took
//!   ([`Harness::elapsed`]).
//!
//! A user's own test: an action that is in progress, then fails once with a
//! `503`, then is completed.
//!
//! ```
//! use std::time::Duration;
//! use doapi_core::testing::{Exchange, Harness, Replay};
//! use doapi_core::{Config, RetryPolicy, Token, WaitActions};
//! use serde_json::json;
//!
//! let action = |status| json!({"action": {"id": 7, "status": status, "type": "reboot"}});
//! let replay = Replay::new()
//!     .then(Exchange::get("/v2/actions/7").json(200, &action("in-progress")))
//!     .then(Exchange::get("/v2/actions/7").respond(503, "try again"))
//!     .then(Exchange::get("/v2/actions/7").json(200, &action("completed")));
//!
//! let config = Config::new(Token::new("test-token")?);
//! let mut harness = Harness::new(replay);
//! let mut wait = WaitActions::action_ids(&config, [7], harness.now())
//!     .with_retry(RetryPolicy::default().without_jitter());
//! let outputs = harness.run(&mut wait)?;
//!
//! assert_eq!(outputs.len(), 1);
//! assert!(outputs[0].as_ref().is_ok_and(|a| a.is_completed()));
//! assert_eq!(harness.sent().len(), 3);
//! // Polls at 0 s and 2 s (the wait interval), then 1 s of backoff.
//! assert_eq!(harness.elapsed(), Duration::from_secs(3));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use http::{Method, Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::Error;
use crate::machine::{Answer, Machine, TransportError, TransportErrorKind};

/// Virtual time: an `Instant` that moves only when told to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FakeClock {
    origin: Instant,
    now: Instant,
}

impl FakeClock {
    /// A clock at an arbitrary origin. (The origin is the one reading of
    /// the real clock; virtual time never reads it again.)
    #[allow(clippy::disallowed_methods)]
    pub fn new() -> Self {
        FakeClock::starting_at(Instant::now())
    }

    /// A clock whose time is `origin`.
    pub fn starting_at(origin: Instant) -> Self {
        FakeClock {
            origin,
            now: origin,
        }
    }

    /// The current virtual time.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// Virtual time passed since the origin.
    pub fn elapsed(&self) -> Duration {
        self.now - self.origin
    }

    /// Moves time forward.
    pub fn advance(&mut self, by: Duration) {
        self.now = self.now.checked_add(by).unwrap_or(self.now);
    }

    /// Moves time forward to `at`; never backwards.
    pub fn jump_to(&mut self, at: Instant) {
        self.now = self.now.max(at);
    }
}

impl Default for FakeClock {
    fn default() -> Self {
        FakeClock::new()
    }
}

/// One recorded request and its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    method: Method,
    url: String,
    json_body: Option<Value>,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    transport_error: Option<TransportErrorKind>,
    latency: Duration,
}

impl Exchange {
    /// A request of `method` to `url`, answered `200` with an empty body
    /// until told otherwise. A `url` starting with `/` is matched against
    /// the request's path and query; otherwise against the whole URL.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Exchange {
            method,
            url: url.into(),
            json_body: None,
            status: 200,
            headers: Vec::new(),
            body: Vec::new(),
            transport_error: None,
            latency: Duration::ZERO,
        }
    }

    /// A `GET` of `url`.
    pub fn get(url: impl Into<String>) -> Self {
        Exchange::new(Method::GET, url)
    }

    /// A `POST` to `url`.
    pub fn post(url: impl Into<String>) -> Self {
        Exchange::new(Method::POST, url)
    }

    /// A `DELETE` of `url`.
    pub fn delete(url: impl Into<String>) -> Self {
        Exchange::new(Method::DELETE, url)
    }

    /// Requires the request's body to be this JSON.
    pub fn expect_json(mut self, body: Value) -> Self {
        self.json_body = Some(body);
        self
    }

    /// Answers with this status and body.
    pub fn respond(mut self, status: u16, body: impl Into<Vec<u8>>) -> Self {
        self.status = status;
        self.body = body.into();
        self
    }

    /// Answers with this status and JSON body.
    pub fn json(self, status: u16, body: &Value) -> Self {
        self.respond(status, body.to_string())
            .header("content-type", "application/json")
    }

    /// Adds a header to the answer.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answers with no response at all.
    pub fn transport_error(mut self, kind: TransportErrorKind) -> Self {
        self.transport_error = Some(kind);
        self
    }

    /// The answer comes after this much virtual time.
    pub fn after(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    fn matches(&self, req: &Request<Vec<u8>>) -> bool {
        let url_matches = if self.url.starts_with('/') {
            req.uri().path_and_query().map(|p| p.as_str()) == Some(self.url.as_str())
        } else {
            req.uri().to_string() == self.url
        };
        let body_matches = self.json_body.as_ref().is_none_or(|want| {
            serde_json::from_slice::<Value>(req.body()).is_ok_and(|got| &got == want)
        });
        req.method() == self.method && url_matches && body_matches
    }

    fn answer(&self) -> Result<Answer, ReplayError> {
        if let Some(kind) = self.transport_error {
            return Ok(Err(kind));
        }
        let mut resp = Response::builder().status(self.status);
        for (name, value) in &self.headers {
            resp = resp.header(name.as_str(), value.as_str());
        }
        resp.body(self.body.clone())
            .map(Ok)
            .map_err(|e| ReplayError::BadExchange {
                exchange: self.to_string(),
                reason: e.to_string(),
            })
    }
}

impl fmt::Display for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.url)
    }
}

/// A replay of recorded exchanges, in order.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    queue: VecDeque<Exchange>,
    sent: Vec<Request<Vec<u8>>>,
}

impl Replay {
    /// An empty replay: any request is unexpected.
    pub fn new() -> Self {
        Replay::default()
    }

    /// Records the next exchange.
    pub fn then(mut self, exchange: Exchange) -> Self {
        self.queue.push_back(exchange);
        self
    }

    /// Records the next exchange.
    pub fn push(&mut self, exchange: Exchange) {
        self.queue.push_back(exchange);
    }

    /// Answers a request with the next recorded exchange, and the virtual
    /// time the answer takes. Fails if it is not the one recorded next.
    pub fn answer(&mut self, req: Request<Vec<u8>>) -> Result<(Answer, Duration), ReplayError> {
        let got = format!("{} {}", req.method(), req.uri());
        let next = self.queue.front().filter(|e| e.matches(&req)).cloned();
        self.sent.push(req);
        let exchange = next.ok_or_else(|| ReplayError::Unexpected {
            expected: self.queue.front().map(ToString::to_string),
            got,
        })?;
        self.queue.pop_front();
        Ok((exchange.answer()?, exchange.latency))
    }

    /// Every request sent so far, the unexpected one included.
    pub fn sent(&self) -> &[Request<Vec<u8>>] {
        &self.sent
    }

    /// How many recorded exchanges have not been played.
    pub fn remaining(&self) -> usize {
        self.queue.len()
    }

    /// Fails if some recorded exchanges were never played.
    pub fn finish(&self) -> Result<(), ReplayError> {
        if self.queue.is_empty() {
            Ok(())
        } else {
            Err(ReplayError::Missing(
                self.queue.iter().map(ToString::to_string).collect(),
            ))
        }
    }
}

/// A replay that did not go as recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// A request that is not the next one recorded.
    #[error("unexpected request {got}; expected {}", expected.as_deref().unwrap_or("no more requests"))]
    Unexpected {
        /// The next recorded request, if any.
        expected: Option<String>,
        /// The request sent.
        got: String,
    },
    /// Recorded requests that were never sent.
    #[error("requests recorded but never sent: {0:?}")]
    Missing(Vec<String>),
    /// A recorded answer that is not a valid response.
    #[error("recorded answer of {exchange} is invalid: {reason}")]
    BadExchange {
        /// The exchange.
        exchange: String,
        /// Why.
        reason: String,
    },
    /// The machine did not finish within the harness's step limit.
    #[error("the machine did not finish within {0} steps")]
    TooManySteps(usize),
}

/// What one [`Harness::step`] did.
#[derive(Debug)]
pub enum Step<T> {
    /// The machine yielded an output.
    Output(Result<T, Error>),
    /// A request was sent and answered.
    Exchanged,
    /// Nothing to do until the timeout: the clock jumped to it.
    Slept,
    /// The machine has finished.
    Finished,
}

/// Drives a machine with a [`Replay`] and a [`FakeClock`].
#[derive(Debug)]
pub struct Harness {
    /// The virtual clock.
    pub clock: FakeClock,
    /// The recorded exchanges.
    pub replay: Replay,
    steps: usize,
    max_steps: usize,
}

impl Harness {
    /// A harness over `replay`, with a fresh clock and a limit of 100,000
    /// steps.
    pub fn new(replay: Replay) -> Self {
        Harness {
            clock: FakeClock::new(),
            replay,
            steps: 0,
            max_steps: 100_000,
        }
    }

    /// The same harness with another step limit.
    pub fn with_max_steps(mut self, max_steps: usize) -> Self {
        self.max_steps = max_steps;
        self
    }

    /// The current virtual time: what to give a machine's constructor.
    pub fn now(&self) -> Instant {
        self.clock.now()
    }

    /// Virtual time passed.
    pub fn elapsed(&self) -> Duration {
        self.clock.elapsed()
    }

    /// Every request sent so far.
    pub fn sent(&self) -> &[Request<Vec<u8>>] {
        self.replay.sent()
    }

    /// One step of the calling contract: take an output if there is one,
    /// else send a request and hand over its answer, else jump the clock to
    /// the machine's timeout; else the machine has finished.
    pub fn step<M: Machine>(&mut self, machine: &mut M) -> Result<Step<M::Output>, ReplayError> {
        self.steps += 1;
        if self.steps > self.max_steps {
            return Err(ReplayError::TooManySteps(self.max_steps));
        }
        if let Some(out) = machine.poll_output() {
            return Ok(Step::Output(out));
        }
        if let Some(req) = machine.poll_request() {
            let (answer, latency) = self.replay.answer(req)?;
            self.clock.advance(latency);
            machine.handle_answer(self.clock.now(), answer);
            return Ok(Step::Exchanged);
        }
        match machine.poll_timeout() {
            Some(at) => {
                self.clock.jump_to(at);
                machine.handle_timeout(self.clock.now());
                Ok(Step::Slept)
            }
            None => Ok(Step::Finished),
        }
    }

    /// Drives the machine until its next output, or `None` once it has
    /// finished.
    pub fn next_output<M: Machine>(
        &mut self,
        machine: &mut M,
    ) -> Result<Option<Result<M::Output, Error>>, ReplayError> {
        loop {
            match self.step(machine)? {
                Step::Output(out) => return Ok(Some(out)),
                Step::Finished => return Ok(None),
                Step::Exchanged | Step::Slept => {}
            }
        }
    }

    /// Drives the machine to the end and returns its outputs; fails if a
    /// recorded exchange was not played.
    pub fn run<M: Machine>(
        &mut self,
        machine: &mut M,
    ) -> Result<Vec<Result<M::Output, Error>>, ReplayError> {
        let mut outputs = Vec::new();
        while let Some(out) = self.next_output(machine)? {
            outputs.push(out);
        }
        self.replay.finish()?;
        Ok(outputs)
    }
}

/// What [`drive`] saw.
#[derive(Debug)]
pub struct Run<T> {
    /// Every output, in order.
    pub outputs: Vec<Result<T, Error>>,
    /// Every request sent, in order.
    pub sent: Vec<Request<Vec<u8>>>,
    /// The virtual time it took.
    pub elapsed: Duration,
}

/// Drives a machine to the end over `replay` (see [`Harness::run`]). For
/// machines whose constructor takes `now`, use a [`Harness`] and its
/// [`Harness::now`].
pub fn drive<M: Machine>(machine: &mut M, replay: Replay) -> Result<Run<M::Output>, ReplayError> {
    let mut harness = Harness::new(replay);
    let outputs = harness.run(machine)?;
    Ok(Run {
        outputs,
        elapsed: harness.elapsed(),
        sent: harness.replay.sent,
    })
}

/// One line of a cassette: an exchange as JSON. Request headers are not
/// recorded at all, so a cassette never holds the `Authorization` token.
#[derive(Debug, Serialize, Deserialize)]
struct CassetteLine {
    method: String,
    url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_body: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    transport_error: Option<String>,
    #[serde(default)]
    status: u16,
    #[serde(default)]
    headers: Vec<(String, String)>,
    #[serde(default)]
    body: String,
    #[serde(default)]
    latency_ms: u64,
}

fn kind_name(kind: TransportErrorKind) -> &'static str {
    match kind {
        TransportErrorKind::Connect => "connect",
        TransportErrorKind::Timeout => "timeout",
        TransportErrorKind::Io => "io",
    }
}

impl Exchange {
    /// Records a real exchange: the request's method, URL and JSON body
    /// (never its headers, so never the token), and the answer with its
    /// status, headers and body.
    pub fn recorded(
        req: &Request<Vec<u8>>,
        answer: Result<&Response<Vec<u8>>, TransportErrorKind>,
        latency: Duration,
    ) -> Self {
        let mut e = Exchange::new(req.method().clone(), req.uri().to_string()).after(latency);
        e.json_body = serde_json::from_slice(req.body()).ok();
        match answer {
            Err(kind) => e.transport_error(kind),
            Ok(resp) => {
                e.status = resp.status().as_u16();
                e.headers = resp
                    .headers()
                    .iter()
                    .filter_map(|(k, v)| Some((k.to_string(), v.to_str().ok()?.to_owned())))
                    .collect();
                e.body = resp.body().clone();
                e
            }
        }
    }

    /// The exchange as one line of JSON (a cassette line, without the
    /// newline).
    pub fn to_json_line(&self) -> String {
        let line = CassetteLine {
            method: self.method.to_string(),
            url: self.url.clone(),
            request_body: self.json_body.clone(),
            transport_error: self.transport_error.map(|k| kind_name(k).to_owned()),
            status: self.status,
            headers: self.headers.clone(),
            body: String::from_utf8_lossy(&self.body).into_owned(),
            latency_ms: u64::try_from(self.latency.as_millis()).unwrap_or(u64::MAX),
        };
        serde_json::to_string(&line).unwrap_or_default()
    }

    /// Reads one cassette line.
    pub fn from_json_line(line: &str) -> Result<Self, ReplayError> {
        let bad = |reason: String| ReplayError::BadExchange {
            exchange: line.chars().take(120).collect(),
            reason,
        };
        let l: CassetteLine = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let method = Method::from_bytes(l.method.as_bytes()).map_err(|e| bad(e.to_string()))?;
        let transport_error = match l.transport_error.as_deref() {
            None => None,
            Some("connect") => Some(TransportErrorKind::Connect),
            Some("timeout") => Some(TransportErrorKind::Timeout),
            Some("io") => Some(TransportErrorKind::Io),
            Some(other) => return Err(bad(format!("unknown transport error {other:?}"))),
        };
        Ok(Exchange {
            method,
            url: l.url,
            json_body: l.request_body,
            status: l.status,
            headers: l.headers,
            body: l.body.into_bytes(),
            transport_error,
            latency: Duration::from_millis(l.latency_ms),
        })
    }
}

impl Replay {
    /// A replay of a cassette: one [`Exchange::to_json_line`] per line
    /// (blank lines are skipped).
    pub fn from_cassette(text: &str) -> Result<Self, ReplayError> {
        let mut replay = Replay::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            replay.push(Exchange::from_json_line(line)?);
        }
        Ok(replay)
    }
}

/// What a recorder keeps of a request before sending it, to write its
/// cassette line once it is answered: the part of the adapters' recorders
/// they share.
#[derive(Debug)]
pub struct Recording {
    request: Request<Vec<u8>>,
    start: Instant,
}

impl Recording {
    /// Keeps the request's method, URL and body (never its headers) and
    /// when it was sent.
    pub fn start(req: &Request<Vec<u8>>, now: Instant) -> Self {
        let mut request = Request::new(req.body().clone());
        *request.method_mut() = req.method().clone();
        *request.uri_mut() = req.uri().clone();
        Recording {
            request,
            start: now,
        }
    }

    /// The cassette line of the request and its answer, received at `now`.
    pub fn line(&self, result: &Result<Response<Vec<u8>>, TransportError>, now: Instant) -> String {
        let answer = result.as_ref().map_err(|e| e.kind);
        let latency = now.saturating_duration_since(self.start);
        Exchange::recorded(&self.request, answer, latency).to_json_line()
    }
}

/// The answer of an offline responder: the answer and how much virtual time
/// it takes.
pub type Timed = (Answer, Duration);

/// A whole offline world for an adapter's transport: a [`FakeClock`] and a
/// responder, such as a [`Replay`] or an in-process simulator. Sending
/// advances the clock by the answer's latency; sleeping jumps the clock.
/// Adapters wrap it in their transport trait, so a user's test runs the
/// real client without sockets and without sleeping.
pub struct Offline {
    clock: FakeClock,
    responder: Responder,
}

/// A function answering a request at a virtual time.
pub type RespondFn = Box<dyn FnMut(&Request<Vec<u8>>, Instant) -> Timed + Send>;

enum Responder {
    Replay(Replay),
    Fn(RespondFn),
}

impl fmt::Debug for Offline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.responder {
            Responder::Replay(r) => format!("Replay({} left)", r.remaining()),
            Responder::Fn(_) => "Fn".to_owned(),
        };
        f.debug_struct("Offline")
            .field("clock", &self.clock)
            .field("responder", &kind)
            .finish()
    }
}

impl Offline {
    /// Answers from recorded exchanges. A request that is not the next one
    /// recorded fails the test at once (panics, naming the request); see
    /// [`Offline::finish`] for the ones never sent.
    pub fn replay(replay: Replay) -> Self {
        Offline {
            clock: FakeClock::new(),
            responder: Responder::Replay(replay),
        }
    }

    /// Answers with a function of the request and the virtual time, such as
    /// a simulator's `handle`.
    pub fn new(respond: impl FnMut(&Request<Vec<u8>>, Instant) -> Timed + Send + 'static) -> Self {
        Offline {
            clock: FakeClock::new(),
            responder: Responder::Fn(Box::new(respond)),
        }
    }

    /// The same world starting at another virtual time (for a simulator
    /// created at that time).
    pub fn starting_at(mut self, origin: Instant) -> Self {
        self.clock = FakeClock::starting_at(origin);
        self
    }

    /// Answers a request, advancing the clock by its latency.
    #[allow(clippy::panic)]
    pub fn send(&mut self, req: Request<Vec<u8>>) -> Answer {
        let now = self.clock.now();
        let (answer, latency) = match &mut self.responder {
            Responder::Fn(f) => f(&req, now),
            Responder::Replay(r) => match r.answer(req) {
                Ok(timed) => timed,
                // A test double: a request nobody recorded fails the test.
                Err(e) => panic!("offline replay: {e}"),
            },
        };
        self.clock.advance(latency);
        answer
    }

    /// The virtual time.
    pub fn now(&self) -> Instant {
        self.clock.now()
    }

    /// Virtual time passed since the start.
    pub fn elapsed(&self) -> Duration {
        self.clock.elapsed()
    }

    /// Jumps the clock to `at` (a sleep that takes no time).
    pub fn sleep_until(&mut self, at: Instant) {
        self.clock.jump_to(at);
    }

    /// For a replay, fails if some recorded exchanges were never sent.
    pub fn finish(&self) -> Result<(), ReplayError> {
        match &self.responder {
            Responder::Replay(r) => r.finish(),
            Responder::Fn(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod cassette_tests {
    use super::*;

    #[test]
    fn a_recorded_exchange_replays_without_the_token() {
        let req = Request::post("https://api.test/v2/droplets")
            .header("authorization", "Bearer secret-token")
            .body(br#"{"name":"web-1"}"#.to_vec())
            .unwrap();
        let resp = Response::builder()
            .status(202)
            .header("ratelimit-remaining", "4999")
            .body(br#"{"droplet":{"id":1}}"#.to_vec())
            .unwrap();
        let start = FakeClock::new();
        let recording = Recording::start(&req, start.now());
        let line = recording.line(&Ok(resp), start.now() + Duration::from_millis(12));
        assert!(!line.contains("secret-token"), "{line}");
        let failed = Exchange::recorded(&req, Err(TransportErrorKind::Timeout), Duration::ZERO);
        let cassette = format!("{line}\n\n{}\n", failed.to_json_line());

        let mut offline = Offline::replay(Replay::from_cassette(&cassette).unwrap());
        let start = offline.now();
        let again = Request::post("https://api.test/v2/droplets")
            .body(br#"{ "name": "web-1" }"#.to_vec())
            .unwrap();
        let answer = offline.send(again.clone()).unwrap();
        assert_eq!(answer.status(), 202);
        assert_eq!(answer.headers()["ratelimit-remaining"], "4999");
        assert_eq!(answer.body(), br#"{"droplet":{"id":1}}"#);
        assert_eq!(offline.now() - start, Duration::from_millis(12));
        assert!(offline.finish().is_err());
        assert_eq!(
            offline.send(again).unwrap_err(),
            TransportErrorKind::Timeout
        );
        assert!(offline.finish().is_ok());
        assert!(Replay::from_cassette("{not json").is_err());
    }
}
