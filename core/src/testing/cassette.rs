//! Cassettes: exchanges as lines of JSON, without request headers (so
//! never the token).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use http::{Method, Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{TransportError, TransportErrorKind};
use crate::testing::replay::{Exchange, Replay, ReplayError};

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
        TransportErrorKind::Protocol => "protocol",
        TransportErrorKind::TooLarge => "too_large",
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
            Some("protocol") => Some(TransportErrorKind::Protocol),
            Some("too_large") => Some(TransportErrorKind::TooLarge),
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

/// What a [`Recorder`] keeps of a request before sending it, to make its
/// cassette line once it is answered.
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

/// A transport wrapped so that every exchange it makes is kept as a
/// cassette line (method, URL, JSON body, status, headers and body; never
/// a request header, so never the token). The adapters implement their
/// transport trait for it; [`Recorder::cassette`] hands out the lines, for
/// a test to save and later replay with
/// [`OfflineTransport::from_cassette`](crate::testing::OfflineTransport::from_cassette).
#[derive(Debug)]
pub struct Recorder<T> {
    inner: T,
    cassette: Cassette,
}

/// The lines a [`Recorder`] has kept so far; clones share them.
#[derive(Debug, Clone, Default)]
pub struct Cassette {
    lines: Arc<Mutex<Vec<String>>>,
}

impl Cassette {
    /// The lines so far, one per exchange.
    pub fn lines(&self) -> Vec<String> {
        self.lock().clone()
    }

    /// The cassette's text: the lines, each ending with a newline (what
    /// [`Replay::from_cassette`] reads).
    pub fn text(&self) -> String {
        self.lock().iter().map(|l| format!("{l}\n")).collect()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<String>> {
        // A poisoned lock only means a test already panicked.
        self.lines.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<T> Recorder<T> {
    /// Records what `inner` sends and receives.
    pub fn new(inner: T) -> Self {
        Recorder {
            inner,
            cassette: Cassette::default(),
        }
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// The lines recorded so far, and those to come.
    pub fn cassette(&self) -> Cassette {
        self.cassette.clone()
    }

    /// Keeps the line of a finished exchange.
    pub fn keep(
        &self,
        recording: Recording,
        result: &Result<Response<Vec<u8>>, TransportError>,
        now: Instant,
    ) {
        let line = recording.line(result, now);
        self.cassette.lock().push(line);
    }
}
