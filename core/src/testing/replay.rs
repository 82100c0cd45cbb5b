//! Recorded exchanges, played back in order.

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use http::{Method, Request, Response};
use serde_json::Value;

use crate::error::{TransportError, TransportErrorKind};
use crate::machine::Answer;

/// One recorded request and its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) json_body: Option<Value>,
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) transport_error: Option<TransportErrorKind>,
    pub(crate) latency: Duration,
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
            return Ok(Err(TransportError::new(kind, "replayed")));
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
    pub(crate) sent: Vec<Request<Vec<u8>>>,
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
