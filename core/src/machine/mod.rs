//! The one protocol every state machine of the core speaks, and how to
//! drive it.
//!
//! A machine ([`Call`](crate::call::Call),
//! [`Paginator`](crate::paginate::Paginator), the waits of
//! [`wait`](crate::wait)) holds the whole loop of an operation: retries,
//! backoff, pages, the polling schedule. It never does I/O and never reads a
//! clock. A driver (the blocking or async adapter; in tests,
//! `testing::Harness` of the feature `testing`) moves its requests and
//! responses and tells it the time, and the driver's
//! [`Session`](crate::session::Session) does the bookkeeping of every
//! exchange (see [`Session::next`](crate::session::Session::next)).
//!
//! # Calling contract
//!
//! Inputs are pushed (`handle_*`, each with the current time), outputs are
//! pulled (`poll_*`):
//!
//! ```text
//!   loop {
//!       while let Some(out) = m.poll_output()   { give `out` to the caller }
//!       if let Some(req) = m.poll_request()     { send req;
//!           match the answer {
//!               response  => m.handle_response(now, resp),
//!               no answer => m.handle_transport_error(now, error),
//!           }
//!           continue
//!       }
//!       match m.poll_timeout() {
//!           Some(at) => { sleep until `at`; m.handle_timeout(now) }
//!           None     => break   // finished
//!       }
//!   }
//! ```
//!
//! - After every `handle_*`, drain [`Machine::poll_output`], then ask
//!   [`Machine::poll_request`]. If neither yields, sleep until
//!   [`Machine::poll_timeout`]; no timeout and nothing to send means the
//!   machine has finished.
//! - A machine may have several requests outstanding: a listing fetches
//!   the pages after the first a few at a time
//!   ([`Allowance::pages_in_flight`](crate::budget::Allowance::pages_in_flight)).
//!   Every request it hands out while another is outstanding carries a
//!   [`Tag`] in its extensions. A driver may send all the requests
//!   `poll_request` gives, at once, and hand each answer back with
//!   [`Machine::handle_tagged`] and the request's tag, in any order. A
//!   driver that sends one request at a time keeps the simple rule: the
//!   answer given with `handle_answer` (or with no tag) is the answer to
//!   the request `poll_request` returned last. Every other machine has at
//!   most one request outstanding. Answers nothing is waiting for are
//!   ignored.
//! - Every `handle_*` and `poll_request` may change `poll_timeout`; a
//!   driver asks again before each sleep.
//! - `handle_timeout` may be called at any time: a call before the
//!   machine's timeout is a no-op, so spurious wake-ups are safe.
//! - **One start rule**: a machine is ready when it is built. It is built
//!   for a time (`now`, for the machines that poll) and its first request,
//!   if one is due then, comes from the first `poll_request`; a machine whose
//!   first request is due later says when through `poll_timeout`. No
//!   machine needs a `handle_timeout` to start.
//! - Outputs appear only after an input (a `handle_*` call, or the
//!   machine's construction); `poll_request` and `poll_timeout` never add
//!   one.
//! - Errors are final: an `Err` is the machine's last output, and every
//!   later input is ignored.
//! - A driver that stops calling `poll_request` after an output (an
//!   iterator returning a page to its caller) loses nothing: machines hand
//!   out the next request only when asked, which is what makes pagination
//!   lazy.
//!
//! # One request under the retry policy
//!
//! Every request a machine sends goes through the same states (the
//! decisions are [`RetryPolicy::decide`](retry::RetryPolicy::decide), the
//! states are [`RetriedRequest`](request::RetriedRequest)'s):
//!
//! ```text
//!                 poll_request               handle_response /
//!      Ready ─────────────────────▶ Sent ─── handle_transport_error ──┐
//!        ▲                                                            │
//!        │ handle_timeout(now ≥ at)                                   ▼
//!   Backoff(at) ◀── retryable, attempts and deadline left ────── decide
//!                                                                     │
//!     2xx, not retryable, out of attempts, or past the deadline       │
//!                                                                     ▼
//!                                            Done: the response or the error
//! ```
//!
//! # Time
//!
//! `now` is an [`Instant`] from the driver's clock; timeouts are returned as
//! `Instant`s of that same clock. The machines compare and add instants,
//! nothing else, so a test can drive them with a fake clock that jumps
//! straight to `poll_timeout()` (see the `testing` module, feature `testing`).
//!
//! # Modules
//!
//! - [`retry`]: the retry policy, pure;
//! - [`request`]: one request under that policy, the part every machine
//!   shares.

pub mod request;
pub mod retry;

use std::time::Instant;

use http::{Request, Response};

use crate::error::{Error, TransportError};

/// A sans-IO state machine: push inputs with `handle_*`, pull outputs with
/// `poll_*`. See the [module docs](self) for the calling contract.
pub trait Machine {
    /// What the machine yields: a decoded response, a page, a finished
    /// target.
    type Output;

    /// The next request to send, if one is due now.
    #[must_use]
    fn poll_request(&mut self) -> Option<Request<Vec<u8>>>;

    /// The answer to the request last returned by
    /// [`poll_request`](Machine::poll_request), as a transport gives it: a
    /// response, whatever its status, or no response.
    fn handle_answer(&mut self, now: Instant, answer: Answer);

    /// The answer to the request that carried `tag` ([`Tag::of`]), when the
    /// machine has several outstanding; without a tag, the answer to the
    /// request returned last. Machines with one request at a time take it
    /// as [`handle_answer`](Machine::handle_answer).
    fn handle_tagged(&mut self, now: Instant, tag: Option<Tag>, answer: Answer) {
        let _ = tag;
        self.handle_answer(now, answer);
    }

    /// The request got this response ([`handle_answer`](Machine::handle_answer)
    /// with `Ok`).
    fn handle_response(&mut self, now: Instant, response: Response<Vec<u8>>) {
        self.handle_answer(now, Ok(response));
    }

    /// The request got no response ([`handle_answer`](Machine::handle_answer)
    /// with `Err`): the transport's error, whose kind decides the retry and
    /// whose message ends up in [`Error::Transport`].
    fn handle_transport_error(&mut self, now: Instant, error: TransportError) {
        self.handle_answer(now, Err(error));
    }

    /// When to call [`handle_timeout`](Machine::handle_timeout) next, if the
    /// machine is waiting for time to pass.
    #[must_use]
    fn poll_timeout(&self) -> Option<Instant>;

    /// Time has passed. Calls before [`poll_timeout`](Machine::poll_timeout)
    /// are no-ops.
    fn handle_timeout(&mut self, now: Instant);

    /// The next output; drain after every input.
    #[must_use]
    fn poll_output(&mut self) -> Option<Result<Self::Output, Error>>;

    /// The same machine with each output passed through `f`.
    fn map_output<T>(self, f: fn(Self::Output) -> T) -> MapOutput<Self, T>
    where
        Self: Sized,
    {
        MapOutput { machine: self, f }
    }
}

/// What a transport gives for one request: a response of any status, or
/// why none came.
pub type Answer = Result<Response<Vec<u8>>, TransportError>;

/// A machine that can be stopped early with its current state: the waits.
/// Drivers call [`Cancel::handle_cancel`] when their caller cancels (Ctrl-C,
/// a dropped future, a cancel token); the next output is then
/// [`Error::Cancelled`] carrying the states as last seen.
pub trait Cancel: Machine {
    /// Ends the machine now; does nothing once it has ended.
    fn handle_cancel(&mut self);
}

/// Which attempt of its request a request is (1 for the first send, 2 for
/// the first retry, ...): every machine puts it in the extensions of each
/// request it yields, for the driver's logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Attempt(pub u32);

impl Attempt {
    /// The attempt number a request carries (1 if it carries none).
    pub fn of<B>(request: &Request<B>) -> u32 {
        request.extensions().get::<Attempt>().map_or(1, |a| a.0)
    }
}

/// Which of a machine's outstanding requests a request is, when it has
/// several: carried in the request's extensions, handed back with its
/// answer to [`Machine::handle_tagged`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag(pub u64);

impl Tag {
    /// The tag a request carries, if any.
    pub fn of<B>(request: &Request<B>) -> Option<Tag> {
        request.extensions().get::<Tag>().copied()
    }
}

/// A machine whose outputs pass through a function: see
/// [`Machine::map_output`].
#[derive(Debug)]
pub struct MapOutput<M: Machine, T> {
    machine: M,
    f: fn(M::Output) -> T,
}

impl<M: Machine, T> Machine for MapOutput<M, T> {
    type Output = T;

    fn poll_request(&mut self) -> Option<Request<Vec<u8>>> {
        self.machine.poll_request()
    }

    fn handle_answer(&mut self, now: Instant, answer: Answer) {
        self.machine.handle_answer(now, answer);
    }

    fn handle_tagged(&mut self, now: Instant, tag: Option<Tag>, answer: Answer) {
        self.machine.handle_tagged(now, tag, answer);
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.machine.poll_timeout()
    }

    fn handle_timeout(&mut self, now: Instant) {
        self.machine.handle_timeout(now);
    }

    fn poll_output(&mut self) -> Option<Result<T, Error>> {
        self.machine.poll_output().map(|out| out.map(self.f))
    }
}

impl<M: Cancel, T> Cancel for MapOutput<M, T> {
    fn handle_cancel(&mut self) {
        self.machine.handle_cancel();
    }
}
