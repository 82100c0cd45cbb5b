//! One operation, one request, retried under the [`RetryPolicy`].

use std::time::Instant;

use http::{Request, Response};

use crate::config::Config;
use crate::decode::Reply;
use crate::endpoints::Endpoint;
use crate::error::{ApiError, Error};
use crate::machine::{Answer, Attempt, Machine};
use crate::ratelimit::ResponseInfo;
use crate::retry::{Decision, Outcome, RetryPolicy, Rng};

/// One operation as a [`Machine`]: sends its request, retries it as the
/// [`RetryPolicy`] says, and yields the decoded reply or the error, once.
///
/// ```
/// use std::time::Instant;
/// use doapi_core::{Call, Config, Machine, Token, endpoints::GetAction};
///
/// let config = Config::new(Token::new("my-token")?);
/// let mut call = Call::new(&config, GetAction { id: 36804636 });
/// let req = call.poll_request().expect("one request");
/// assert_eq!(req.uri(), "https://api.digitalocean.com/v2/actions/36804636");
/// let body = br#"{"action": {"id": 36804636, "status": "completed", "type": "reboot"}}"#;
/// let resp = http::Response::builder().status(200).body(body.to_vec())?;
/// call.handle_response(Instant::now(), resp);
/// let action = call.poll_output().expect("finished")?.value;
/// assert!(action.is_completed());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Call<E: Endpoint> {
    op: E,
    send: Option<Retrying>,
    attempts: u32,
    out: Option<Result<Reply<E::Output>, Error>>,
}

impl<E: Endpoint> Call<E> {
    /// The call of `op` with the default [`RetryPolicy`]. A request that
    /// cannot be built (the operation fails validation) becomes the call's
    /// only output, and nothing is sent.
    pub fn new(config: &Config, op: E) -> Self {
        match config.request(&op) {
            Ok(req) => {
                let policy = RetryPolicy::default();
                Call {
                    send: Some(Retrying::new(req, &policy)),
                    op,
                    attempts: 0,
                    out: None,
                }
            }
            Err(e) => Call {
                op,
                send: None,
                attempts: 0,
                out: Some(Err(e.into())),
            },
        }
    }

    /// The same call under another retry policy. Call before the first
    /// request.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        if let Some(send) = &mut self.send {
            send.set_policy(policy);
        }
        self
    }

    /// The operation.
    pub fn endpoint(&self) -> &E {
        &self.op
    }

    /// How many times the request has been sent so far.
    pub fn attempts(&self) -> u32 {
        self.send.as_ref().map_or(self.attempts, |s| s.attempts)
    }

    fn finish(&mut self, result: Result<Response<Vec<u8>>, Error>) {
        self.attempts = self.attempts();
        self.send = None;
        self.out = Some(result.and_then(|resp| self.op.parse(&resp)));
    }
}

impl<E: Endpoint> Machine for Call<E> {
    type Output = Reply<E::Output>;

    fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        self.send.as_mut()?.poll_request()
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        if let Some(result) = self.send.as_mut().and_then(|s| s.handle(now, answer)) {
            self.finish(result);
        }
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.send.as_ref()?.poll_timeout()
    }

    fn handle_timeout(&mut self, now: Instant) {
        if let Some(send) = &mut self.send {
            send.handle_timeout(now);
        }
    }

    fn poll_output(&mut self) -> Option<Result<Self::Output, Error>> {
        self.out.take()
    }
}

/// One request under the retry policy: the part of [`Call`] that the
/// [`Paginator`](crate::Paginator) and [`Wait`](crate::Wait) share.
/// [`Retrying::handle`] returns the final result when there is one: the
/// response if it is a success, else the error with the attempt count.
#[derive(Debug)]
pub(crate) struct Retrying {
    request: Request<Vec<u8>>,
    policy: RetryPolicy,
    rng: Rng,
    attempts: u32,
    first_answer: Option<Instant>,
    state: State,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Ready,
    Sent,
    Backoff(Instant),
    Done,
}

impl Retrying {
    pub(crate) fn new(request: Request<Vec<u8>>, policy: &RetryPolicy) -> Self {
        Retrying {
            request,
            rng: policy.rng(),
            policy: policy.clone(),
            attempts: 0,
            first_answer: None,
            state: State::Ready,
        }
    }

    pub(crate) fn set_policy(&mut self, policy: RetryPolicy) {
        self.rng = policy.rng();
        self.policy = policy;
    }

    pub(crate) fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        if self.state != State::Ready {
            return None;
        }
        self.state = State::Sent;
        self.attempts += 1;
        let mut req = self.request.clone();
        req.extensions_mut().insert(Attempt(self.attempts));
        Some(req)
    }

    /// Takes the answer to the request in flight; returns the final
    /// result when there is one.
    pub(crate) fn handle(
        &mut self,
        now: Instant,
        answer: Answer,
    ) -> Option<Result<Response<Vec<u8>>, Error>> {
        if self.state != State::Sent {
            return None;
        }
        let resp = match answer {
            Ok(resp) if resp.status().is_success() => {
                self.state = State::Done;
                return Some(Ok(resp));
            }
            Ok(resp) => resp,
            Err(kind) => {
                let decision = self.decide(now, Outcome::Transport(kind));
                return self.after(now, decision, || Error::Transport { kind, attempts: 0 });
            }
        };
        let decision = self.decide(now, Outcome::Response(&resp));
        self.after(now, decision, || {
            let info = ResponseInfo::new(resp.status(), resp.headers());
            Error::Api(ApiError::from_response(&info, resp.body()))
        })
    }

    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            State::Backoff(at) => Some(at),
            _ => None,
        }
    }

    pub(crate) fn handle_timeout(&mut self, now: Instant) {
        if let State::Backoff(at) = self.state {
            if now >= at {
                self.state = State::Ready;
            }
        }
    }

    fn decide(&mut self, now: Instant, outcome: Outcome<'_>) -> Decision {
        let first = *self.first_answer.get_or_insert(now);
        let elapsed = now.saturating_duration_since(first);
        let method = self.request.method();
        self.policy
            .decide(method, outcome, self.attempts, elapsed, &mut self.rng)
    }

    fn after(
        &mut self,
        now: Instant,
        decision: Decision,
        last: impl FnOnce() -> Error,
    ) -> Option<Result<Response<Vec<u8>>, Error>> {
        let attempts = self.attempts;
        let error = match decision {
            Decision::Retry(delay) => match now.checked_add(delay) {
                Some(at) => {
                    self.state = State::Backoff(at);
                    return None;
                }
                None => Error::DeadlineExceeded {
                    attempts,
                    last: Box::new(last().with_attempts(attempts)),
                },
            },
            Decision::Stop => last().with_attempts(attempts),
            Decision::DeadlineExceeded => Error::DeadlineExceeded {
                attempts,
                last: Box::new(last().with_attempts(attempts)),
            },
        };
        self.state = State::Done;
        Some(Err(error))
    }
}
