//! Errors of the core: the API said no, a body did not decode, or the
//! request was refused before anything was sent.
//!
//! Transports report a failed request as a [`TransportError`]: its
//! [`TransportErrorKind`] decides the retry, its message says what happened.
//! The machines add their own ends: retries given up at the deadline, a
//! listing that loops or whose next link is refused, a wait that timed
//! out, was cancelled, or saw an action fail.
//!
//! Every `Display` here shows the server's text (messages, ids, URLs, the
//! start of a body) through [`Safe`]: escaped, capped, on one line. A
//! client's session removes its token from every error it returns
//! ([`Error::redact`]).

use std::fmt;

use http::{StatusCode, Uri};

use crate::models::{Action, ErrorBody};
use crate::ratelimit::{RateLimit, ResponseInfo};
use crate::text::{redact, Safe};
use crate::wait::state::{TargetState, WaitStates};

/// Longest slice of a response body kept in an error.
pub const BODY_SNIPPET_LEN: usize = 512;

/// Every error the core reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// DigitalOcean answered with an error status.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A response body did not match the model it should decode into.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The request was refused before anything was sent.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The request got no response, and was not (or no longer) retried.
    #[error("{kind}: {} (after {attempts} attempt(s))", Safe::new(.message))]
    Transport {
        /// What went wrong, as the driver reported it.
        kind: TransportErrorKind,
        /// What happened, in the transport's words (host, cause).
        message: String,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// A retry would have started after the retry policy's deadline; `last`
    /// is the answer that would have been retried.
    #[error("gave up retrying at the deadline after {attempts} attempt(s); last answer: {last}")]
    DeadlineExceeded {
        /// How many times the request was sent.
        attempts: u32,
        /// The last answer: an [`Error::Api`] or an [`Error::Transport`].
        last: Box<Error>,
    },
    /// A listing's `links.pages.next` named a page already fetched: following
    /// it would loop forever.
    #[error("the listing's next page \"{}\" was already fetched", Safe::new(.url))]
    RepeatedNext {
        /// The repeated URL.
        url: String,
    },
    /// A listing's `links.pages.next` was refused: not a URL, or not on the
    /// endpoint's origin. The server's answer, not the caller's input.
    #[error("the listing's next page link was refused: {0}")]
    BadNext(RequestError),
    /// A wait ran out of time (doapi's `WaitTimeoutError`).
    #[error("wait time limit exceeded with {} of {} target(s) pending", .0.pending.len(), .0.pending.len() + .0.finished.len())]
    WaitTimeout(Box<WaitStates>),
    /// A wait was cancelled; the states are as last seen.
    #[error("wait cancelled with {} target(s) pending", .0.pending.len())]
    Cancelled(Box<WaitStates>),
    /// An action waited on ended `errored` (doapi's `ActionError`).
    #[error("action {} ({}) errored", .0.id, Safe::new(.0.kind.as_str()))]
    ActionFailed(Box<Action>),
    /// A resource waited on reached a status it does not leave (a load
    /// balancer `errored`); the resource as last seen.
    #[error("{} failed: it will not reach the status waited for", .0.target)]
    ResourceFailed(Box<TargetState>),
    /// A machine finished without the output its driver waited for (a
    /// wait given no targets, say).
    #[error("the operation finished without a result")]
    NoOutput,
}

impl Error {
    /// The API error, if this is one or if it is the last answer of an
    /// [`Error::DeadlineExceeded`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            Error::DeadlineExceeded { last, .. } => last.api(),
            _ => None,
        }
    }

    /// How many times the request was sent, for the errors that answer a
    /// request.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(e) => Some(e.attempts),
            Error::Transport { attempts, .. } | Error::DeadlineExceeded { attempts, .. } => {
                Some(*attempts)
            }
            _ => None,
        }
    }

    /// The same error with `secret` (the token) replaced in every text it
    /// carries from the server: a server that echoes the token back does
    /// not get it shown. The session does this to every error it returns.
    pub fn redact(mut self, secret: &str) -> Self {
        match &mut self {
            Error::Api(e) => {
                redact(&mut e.message, secret);
                for s in [&mut e.id, &mut e.request_id].into_iter().flatten() {
                    redact(s, secret);
                }
            }
            Error::Decode(e) => {
                for s in [&mut e.path, &mut e.message, &mut e.snippet] {
                    redact(s, secret);
                }
            }
            Error::Request(e) | Error::BadNext(e) => e.redact(secret),
            Error::Transport { message, .. } => redact(message, secret),
            Error::DeadlineExceeded { last, .. } => **last = last.as_ref().clone().redact(secret),
            Error::RepeatedNext { url } => redact(url, secret),
            _ => {}
        }
        self
    }

    /// The same error, recording that the request was sent `attempts`
    /// times.
    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        match &mut self {
            Error::Api(e) => e.attempts = n,
            Error::Transport { attempts, .. } | Error::DeadlineExceeded { attempts, .. } => {
                *attempts = n
            }
            _ => {}
        }
        self
    }

    /// Whether DigitalOcean answered 404 `not_found`.
    pub fn is_not_found(&self) -> bool {
        self.api().is_some_and(ApiError::is_not_found)
    }

    /// Whether DigitalOcean answered 429 `too_many_requests`.
    pub fn is_rate_limited(&self) -> bool {
        self.api().is_some_and(ApiError::is_rate_limited)
    }
}

/// An error response from DigitalOcean (doapi's `DOAPIError`).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// DigitalOcean's error id (`not_found`, `too_many_requests`,
    /// `unprocessable_entity`, ...), when the body had one.
    pub id: Option<String>,
    /// The body's message, or a slice of the body when it was not DigitalOcean's
    /// error JSON.
    pub message: String,
    /// The request id: the body's, else the `x-request-id` header.
    pub request_id: Option<String>,
    /// The rate limit the error response reported.
    pub rate_limit: Option<RateLimit>,
    /// How many times the request was sent.
    pub attempts: u32,
}

impl ApiError {
    /// Builds the error from a non-success response.
    pub fn from_response(info: &ResponseInfo, body: &[u8]) -> Self {
        let parsed = serde_json::from_slice::<ErrorBody>(body).ok();
        let (id, message, body_request_id) = match parsed {
            Some(b) => (Some(b.id), b.message, b.request_id),
            None => (None, snippet(body), None),
        };
        ApiError {
            status: info.status,
            id,
            message,
            request_id: body_request_id.or_else(|| info.request_id.clone()),
            rate_limit: info.rate_limit,
            attempts: 1,
        }
    }

    /// 404 `not_found`.
    pub fn is_not_found(&self) -> bool {
        self.status == StatusCode::NOT_FOUND
    }

    /// 429 `too_many_requests`.
    pub fn is_rate_limited(&self) -> bool {
        self.status == StatusCode::TOO_MANY_REQUESTS
    }

    /// 5xx: DigitalOcean failed, not the request.
    pub fn is_server_error(&self) -> bool {
        self.status.is_server_error()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DigitalOcean answered {}", self.status)?;
        if let Some(id) = &self.id {
            write!(f, " {}", Safe::new(id))?;
        }
        write!(f, ": {}", Safe::new(&self.message))?;
        if let Some(r) = &self.request_id {
            write!(f, " (request id {})", Safe::new(r))?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A response body that did not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot decode the response body at `{}`: {}; body starts \"{}\"",
    Safe::new(.path),
    Safe::new(.message),
    Safe::new(.snippet)
)]
pub struct DecodeError {
    /// Where in the JSON the decoding failed, such as `droplets[3].networks.v4`
    /// (`.` for the top level).
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The start of the body, at most [`BODY_SNIPPET_LEN`] bytes of it, and
    /// how many bytes were left out if any (`… (N more bytes)`).
    pub snippet: String,
}

impl DecodeError {
    /// Builds the error for a body.
    pub fn new(path: impl Into<String>, message: impl Into<String>, body: &[u8]) -> Self {
        DecodeError {
            path: path.into(),
            message: message.into(),
            snippet: snippet(body),
        }
    }
}

/// The start of a body as text, at most [`BODY_SNIPPET_LEN`] bytes of it,
/// then, if it was cut, how many bytes were left out.
pub(crate) fn snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(BODY_SNIPPET_LEN)];
    let mut text = String::from_utf8_lossy(cut).into_owned();
    if body.len() > cut.len() {
        text.push_str(&format!("… ({} more bytes)", body.len() - cut.len()));
    }
    text
}

/// A request refused before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// A name or other required text was empty.
    #[error("{what} must not be empty")]
    Empty {
        /// What was empty.
        what: &'static str,
    },
    /// A droplet name DigitalOcean would refuse.
    #[error("invalid droplet name \"{}\": {reason}", Safe::new(.name))]
    InvalidDropletName {
        /// The name given.
        name: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// More droplets in one create call than DigitalOcean allows.
    #[error(
        "{count} names in one create: DigitalOcean creates at most {max} droplets per request"
    )]
    TooManyNames {
        /// How many names were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// An action body without a `type`, or a `type` the target does not take.
    #[error("invalid action: {}", Safe::new(.0))]
    InvalidAction(String),
    /// Some other argument DigitalOcean would refuse.
    #[error("invalid {what}: {}", Safe::new(.reason))]
    InvalidArgument {
        /// The argument.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// The token was empty, or not something an HTTP header can carry.
    #[error("invalid API token: {0}")]
    InvalidToken(&'static str),
    /// A URL that could not be parsed.
    #[error("invalid URL \"{}\": {}", Safe::new(.url), Safe::new(.reason))]
    InvalidUrl {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// A URL on another origin than the configured endpoint: the token is
    /// only ever sent to the endpoint's origin.
    #[error(
        "refusing to send the token to \"{}\": not the endpoint's origin \"{}\"",
        Safe::new(.url),
        Safe::new(.endpoint)
    )]
    ForeignOrigin {
        /// The URL asked for.
        url: String,
        /// The configured endpoint.
        endpoint: String,
    },
    /// A plain-HTTP endpoint that is not a loopback address, without opt-in.
    #[error(
        "refusing to send the token over plain HTTP to \"{}\"; use https, a loopback address, or opt in",
        Safe::new(.0)
    )]
    InsecureEndpoint(String),
}

impl RequestError {
    /// The same error with `secret` replaced in the text it carries.
    fn redact(&mut self, secret: &str) {
        match self {
            RequestError::InvalidDropletName { name: s, .. }
            | RequestError::InvalidAction(s)
            | RequestError::InvalidArgument { reason: s, .. }
            | RequestError::InsecureEndpoint(s) => redact(s, secret),
            RequestError::InvalidUrl { url, reason: other }
            | RequestError::ForeignOrigin {
                url,
                endpoint: other,
            } => {
                redact(url, secret);
                redact(other, secret);
            }
            RequestError::Empty { .. }
            | RequestError::TooManyNames { .. }
            | RequestError::InvalidToken(_) => {}
        }
    }
}

/// Why a request got no response: what a driver reports, in a
/// [`TransportError`], through
/// [`Machine::handle_transport_error`](crate::machine::Machine::handle_transport_error).
///
/// It decides the retry. What matters first is whether the request may have
/// reached the server: a `POST` is retried after [`Connect`](Self::Connect)
/// (nothing was sent) but never after the others (the droplet may have been
/// created). Then whether sending again can help: a [`Timeout`](Self::Timeout)
/// or a broken connection ([`Io`](Self::Io)) may pass on the next try, an
/// answer that is not HTTP ([`Protocol`](Self::Protocol)) or too large
/// ([`TooLarge`](Self::TooLarge)) would only come again, so those are never
/// retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection was made, so nothing was sent: the name did not
    /// resolve, the connection was refused or timed out, or the TLS
    /// handshake failed.
    Connect,
    /// The request was sent, or may have been, and no complete response
    /// came in time.
    Timeout,
    /// The request was sent, or may have been, and the connection failed:
    /// reset, or closed before the whole response came.
    Io,
    /// The server's answer is not HTTP the client can read: no status line
    /// (HTTP/0.9), headers too large, a bad chunk, a bad header.
    Protocol,
    /// The response is larger than the size cap
    /// ([`Limits::max_body`](crate::config::Limits::max_body)); it was not
    /// read further.
    TooLarge,
}

impl TransportErrorKind {
    /// Whether the failure happened before any byte of the request was
    /// sent, so that even a non-idempotent request is safe to resend.
    pub fn is_before_send(self) -> bool {
        self == TransportErrorKind::Connect
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out waiting for the response",
            TransportErrorKind::Io => "the connection failed after the request was sent",
            TransportErrorKind::Protocol => "the server's answer is not valid HTTP",
            TransportErrorKind::TooLarge => "the response is larger than the size cap",
        })
    }
}

/// A request that got no response, as a driver's transport reports it: the
/// [`TransportErrorKind`] the machines need, and what happened, for logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// Whether anything may have been sent.
    pub kind: TransportErrorKind,
    /// What happened.
    pub message: String,
}

impl TransportError {
    /// An error of this kind.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
        }
    }

    /// An error of this kind for a request to `url`, saying its host and
    /// port, then what `cause` and each of its sources say (each once):
    /// which server, what failed and why.
    pub fn caused_by(kind: TransportErrorKind, url: &Uri, cause: &dyn std::error::Error) -> Self {
        let mut message = format!("{}: {cause}", host(url));
        let mut source = cause.source();
        while let Some(s) = source {
            let said = s.to_string();
            if !message.contains(&said) {
                message.push_str(": ");
                message.push_str(&said);
            }
            source = s.source();
        }
        TransportError::new(kind, message)
    }
}

/// The host and port of a URL, as a transport's message names them.
pub(crate) fn host(url: &Uri) -> &str {
    url.authority().map_or("", |a| a.as_str())
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, Safe::new(&self.message))
    }
}

impl std::error::Error for TransportError {}
