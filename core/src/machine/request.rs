//! One request under the retry policy: what every machine sends its
//! requests through.

use std::time::Instant;

use http::{Request, Response};

use crate::error::{ApiError, Error};
use crate::machine::retry::{Decision, RetryPolicy, Rng};
use crate::machine::{Answer, Attempt};
use crate::ratelimit::ResponseInfo;

/// One request and its retries: the states `Ready`, `Sent`, `Backoff(at)`
/// and `Done` of the [machine docs](crate::machine). A machine hands out
/// [`poll_request`](Self::poll_request), feeds the answer to
/// [`handle`](Self::handle), and gets the final result when there is one:
/// the response if it is a success, else the error with the attempt count.
#[derive(Debug)]
pub struct RetriedRequest {
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

impl RetriedRequest {
    /// The request, not sent yet, under `policy`.
    pub fn new(request: Request<Vec<u8>>, policy: &RetryPolicy) -> Self {
        RetriedRequest {
            request,
            rng: policy.rng(),
            policy: policy.clone(),
            attempts: 0,
            first_answer: None,
            state: State::Ready,
        }
    }

    /// Puts the request under another policy (before it is first sent).
    pub fn set_policy(&mut self, policy: &RetryPolicy) {
        self.rng = policy.rng();
        self.policy = policy.clone();
    }

    /// How many times the request has been sent.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The request to send, when it is due: once, then again after each
    /// backoff. Each copy carries its [`Attempt`] number.
    pub fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
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
    /// result when there is one. Answers when nothing is in flight are
    /// ignored.
    pub fn handle(
        &mut self,
        now: Instant,
        answer: Answer,
    ) -> Option<Result<Response<Vec<u8>>, Error>> {
        if self.state != State::Sent {
            return None;
        }
        if answer.as_ref().is_ok_and(|r| r.status().is_success()) {
            self.state = State::Done;
            return answer.ok().map(Ok);
        }
        let first = *self.first_answer.get_or_insert(now);
        let elapsed = now.saturating_duration_since(first);
        let decision = self.policy.decide(
            self.request.method(),
            answer.as_ref().map_err(|e| e.kind),
            self.attempts,
            elapsed,
            &mut self.rng,
        );
        let last = match answer {
            Ok(resp) => {
                let info = ResponseInfo::new(resp.status(), resp.headers());
                Error::Api(ApiError::from_response(&info, resp.body()))
            }
            Err(e) => Error::Transport {
                kind: e.kind,
                message: e.message,
                attempts: 0,
            },
        };
        let attempts = self.attempts;
        let error = match decision {
            Decision::Retry(delay) => match now.checked_add(delay) {
                Some(at) => {
                    self.state = State::Backoff(at);
                    return None;
                }
                None => Error::DeadlineExceeded {
                    attempts,
                    last: Box::new(last.with_attempts(attempts)),
                },
            },
            Decision::Stop => last.with_attempts(attempts),
            Decision::DeadlineExceeded => Error::DeadlineExceeded {
                attempts,
                last: Box::new(last.with_attempts(attempts)),
            },
        };
        self.state = State::Done;
        Some(Err(error))
    }

    /// When the backoff ends, while backing off.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            State::Backoff(at) => Some(at),
            _ => None,
        }
    }

    /// Ends the backoff once its time has come.
    pub fn handle_timeout(&mut self, now: Instant) {
        if let State::Backoff(at) = self.state {
            if now >= at {
                self.state = State::Ready;
            }
        }
    }
}
