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
use serde_json::Value;

use crate::error::Error;
use crate::machine::{Answer, Machine, TransportErrorKind};

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
