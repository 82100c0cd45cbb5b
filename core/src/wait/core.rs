//! What every wait shares: its settings from the configuration (interval,
//! time limit, retry policy), the time of its last input, its outputs, and
//! how it ends: finished, timed out, cancelled, or failed, with the states.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use http::Request;

use crate::budget::Priority;
use crate::config::Config;
use crate::error::{Error, RequestError};
use crate::machine::request::RetriedRequest;
use crate::machine::{Cancel, Machine};
use crate::wait::state::WaitStates;

/// Durations are clamped to this before being added to an `Instant`.
const YEAR: Duration = Duration::from_secs(365 * 24 * 3600);

/// `t + d`, with `d` clamped so that it cannot overflow.
pub fn add_clamped(t: Instant, d: Duration) -> Instant {
    t.checked_add(d.min(YEAR)).unwrap_or(t)
}

/// The shared part of a wait machine, yielding `T`s.
#[derive(Debug)]
pub struct WaitCore<T> {
    /// The configuration the wait was built with: its interval, time limit
    /// and retry policy.
    pub config: Config,
    /// When the wait started.
    pub start: Instant,
    /// The time of the last input.
    pub now: Instant,
    /// When the wait times out, if it does.
    pub deadline: Option<Instant>,
    out: VecDeque<Result<T, Error>>,
    ended: bool,
}

impl<T> WaitCore<T> {
    /// A wait starting at `now`, timing out after the configuration's
    /// `wait_time`.
    pub fn new(config: &Config, now: Instant) -> Self {
        WaitCore {
            config: config.clone(),
            start: now,
            now,
            deadline: config.wait_time.map(|t| add_clamped(now, t)),
            out: VecDeque::new(),
            ended: false,
        }
    }

    /// Time between rounds.
    pub fn interval(&self) -> Duration {
        self.config.wait_interval
    }

    /// Moves the wait's time to `now` (never back); whether the wait still
    /// runs.
    pub fn tick(&mut self, now: Instant) -> bool {
        self.now = self.now.max(now);
        !self.ended
    }

    /// Whether the wait has ended.
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// Yields a finished target.
    pub fn output(&mut self, item: T) {
        self.out.push_back(Ok(item));
    }

    /// Ends the wait with nothing more to say: every target finished.
    pub fn finish(&mut self) {
        self.ended = true;
    }

    /// Ends the wait with an error, unless it has already ended.
    pub fn end_with(&mut self, error: Error) {
        if !self.ended {
            self.ended = true;
            self.out.push_back(Err(error));
        }
    }

    /// Whether the deadline has passed while the wait runs.
    pub fn past_deadline(&self) -> bool {
        !self.ended && self.deadline.is_some_and(|d| self.now >= d)
    }

    /// When to wake the wait: the earlier of `next` (what its current step
    /// waits for) and the deadline; `None` once it has ended.
    pub fn timeout(&self, next: Option<Instant>) -> Option<Instant> {
        if self.ended {
            return None;
        }
        [next, self.deadline].into_iter().flatten().min()
    }

    /// The next output.
    pub fn poll_output(&mut self) -> Option<Result<T, Error>> {
        self.out.pop_front()
    }

    /// A request of the wait under its retry policy, drawing from the
    /// budget in the background; a request that cannot be built ends the
    /// wait with the error.
    pub fn retried(
        &mut self,
        request: Result<Request<Vec<u8>>, RequestError>,
    ) -> Option<RetriedRequest> {
        match request {
            Ok(mut req) => {
                req.extensions_mut().insert(Priority::Background);
                Some(RetriedRequest::new(req, &self.config.retry))
            }
            Err(e) => {
                self.end_with(e.into());
                None
            }
        }
    }
}

/// A wait machine as its [`WaitCore`] sees it when it ends early: where
/// its targets stand, and how its own steps stop. Each wait implements the
/// first three methods; the endings (the timeout at the deadline, the
/// cancel) are written here once, and every wait is a [`Cancel`] through
/// them.
pub trait EndsEarly: Machine {
    /// What the wait yields.
    type Yields;

    /// Its core.
    fn core(&mut self) -> &mut WaitCore<Self::Yields>;

    /// The finished targets and the pending ones, as last seen.
    fn states(&self) -> WaitStates;

    /// Drops what the machine was doing, once its core has ended.
    fn stop(&mut self) {}

    /// Times out if the deadline has passed; whether the wait has ended.
    fn check_deadline(&mut self) -> bool {
        if self.core().past_deadline() {
            let states = self.states();
            self.core().end_with(Error::WaitTimeout(Box::new(states)));
            self.stop();
        }
        self.core().is_ended()
    }
}

impl<W: EndsEarly> Cancel for W {
    /// Ends the wait now: the next output is [`Error::Cancelled`] with the
    /// finished and pending states, and nothing more is sent. Does nothing
    /// once the wait has ended.
    fn handle_cancel(&mut self) {
        if !self.core().is_ended() {
            let states = self.states();
            self.core().end_with(Error::Cancelled(Box::new(states)));
            self.stop();
        }
    }
}
