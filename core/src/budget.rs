//! The rate budget one client shares across every task and thread: what
//! every request of every machine draws from, so that a service's own
//! traffic never runs into DigitalOcean's limits.
//!
//! DigitalOcean allows an account 250 requests a minute and 5,000 an hour.
//! The headers report the hourly quota only, so the budget counts its own
//! requests against the minute (a sliding window, with a margin for clock
//! differences) and reads the hour from the responses. A 429 (another
//! process on the account spent the budget) is news for every task: the
//! budget holds every request until the server said it may come.
//!
//! Requests carry a [`Priority`]. Interactive ones (calls, listings) go out
//! while any budget is left; background ones (a wait's polls) leave a
//! reserve to them, but never wait longer than
//! [`Allowance::background_patience`] for it, so a busy service still sees
//! its waits end.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use http::{Request, Response, StatusCode};

use crate::machine::retry::{retry_after, until_reset};
use crate::ratelimit::ResponseInfo;

/// The limits a client keeps to, and how it shares them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    /// Requests in any minute (DigitalOcean's burst limit: 250). `0` turns
    /// the budget off.
    pub per_minute: u32,
    /// The share of the minute kept for interactive requests: background
    /// polls go out only while more than this is left. Default 10 %.
    pub reserve_percent: u8,
    /// The longest a background request yields to interactive ones; after
    /// that it takes any budget left. Default 2 s (a wait's interval).
    pub background_patience: Duration,
    /// How many pages of one listing are fetched at once, once its first
    /// page has said how many there are (1: one after another). Default 8:
    /// a listing of 10,000 droplets (50 pages) is then 7 round trips after
    /// the first, and no listing holds more than 8 of the service's
    /// connections or 8 pages of memory.
    pub pages_in_flight: u32,
}

impl Default for Allowance {
    fn default() -> Self {
        Allowance {
            per_minute: 250,
            reserve_percent: 10,
            background_patience: Duration::from_secs(2),
            pages_in_flight: 8,
        }
    }
}

impl Allowance {
    /// No budget: every request goes out at once (for a simulator or a
    /// test whose own limit is off).
    pub fn unlimited() -> Self {
        Allowance {
            per_minute: 0,
            ..Allowance::default()
        }
    }
}

/// How a request draws from the budget: carried in its extensions (an
/// interactive request, the default, carries none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Priority {
    /// Someone is waiting for its answer: a call, a page of a listing.
    #[default]
    Interactive,
    /// A poll of a wait: it yields to interactive requests.
    Background,
}

impl Priority {
    /// The priority a request carries.
    pub fn of<B>(request: &Request<B>) -> Priority {
        request
            .extensions()
            .get::<Priority>()
            .copied()
            .unwrap_or_default()
    }
}

/// The minute is counted a little longer than a minute, so that the
/// server, whose clock and arrival times differ from ours, never sees more
/// than the allowance in its own minute.
const MINUTE: Duration = Duration::from_secs(61);

/// A client's shared budget; see the [module docs](self).
#[derive(Debug)]
pub struct Budget {
    allowance: Allowance,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// When each of the requests of the last minute went out, oldest first.
    sent: VecDeque<Instant>,
    /// No request before this (after a 429, or the hourly quota spent).
    held_until: Option<Instant>,
}

impl Budget {
    /// A budget keeping to `allowance`.
    pub fn new(allowance: Allowance) -> Self {
        Budget {
            allowance,
            state: Mutex::default(),
        }
    }

    /// The allowance.
    pub fn allowance(&self) -> Allowance {
        self.allowance
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is plain data: a panic elsewhere cannot leave it
        // half-written.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes budget for a request at `now`, of `priority`, that has waited
    /// for it since `since`: `Ok` (counted: send it now) or the time to ask
    /// again.
    pub fn admit(&self, now: Instant, priority: Priority, since: Instant) -> Result<(), Instant> {
        let mut st = self.lock();
        if let Some(until) = st.held_until {
            if now < until {
                return Err(until);
            }
            st.held_until = None;
        }
        let limit = self.allowance.per_minute as usize;
        if limit == 0 {
            return Ok(());
        }
        while st
            .sent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= MINUTE)
        {
            st.sent.pop_front();
        }
        let patient = now.saturating_duration_since(since) < self.allowance.background_patience;
        let cap = match priority {
            Priority::Background if patient => {
                let reserve = limit * usize::from(self.allowance.reserve_percent.min(100)) / 100;
                limit - reserve
            }
            _ => limit,
        };
        if st.sent.len() < cap {
            st.sent.push_back(now);
            return Ok(());
        }
        // Asked again when enough of the counted requests have left the
        // minute, or when a patient background request runs out of
        // patience.
        let freed = st.sent.len() + 1 - cap;
        let at = st.sent[freed - 1] + MINUTE;
        Err(match priority {
            Priority::Background if patient => at.min(since + self.allowance.background_patience),
            _ => at,
        })
    }

    /// Reads what a response says of the budget: a 429 holds every request
    /// until the server said it may come (`Retry-After`, else the reset);
    /// an hourly quota spent holds them until its reset.
    pub fn observe(&self, now: Instant, response: &Response<Vec<u8>>) {
        let info = ResponseInfo::new(response.status(), response.headers());
        let hold = if response.status() == StatusCode::TOO_MANY_REQUESTS {
            retry_after(response.headers())
                .or_else(|| until_reset(&info))
                .or(Some(Duration::from_secs(1)))
        } else if info.rate_limit.is_some_and(|r| r.remaining == 0) {
            until_reset(&info)
        } else {
            None
        };
        if let Some(wait) = hold {
            let until = now.checked_add(wait.min(Duration::from_secs(3600)));
            let mut st = self.lock();
            st.held_until = st.held_until.max(until);
        }
    }

    /// How many requests went out in the last minute, as counted.
    pub fn sent_in_last_minute(&self, now: Instant) -> usize {
        let st = self.lock();
        st.sent
            .iter()
            .filter(|t| now.saturating_duration_since(**t) < MINUTE)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Budget {
        Budget::new(Allowance {
            per_minute: 10,
            reserve_percent: 20,
            ..Allowance::default()
        })
    }

    #[test]
    fn interactive_requests_go_out_until_the_minute_is_spent() {
        let b = small();
        let t0 = crate::testing::FakeClock::new().now();
        for i in 0..10 {
            assert_eq!(
                b.admit(t0 + Duration::from_millis(i), Priority::Interactive, t0),
                Ok(())
            );
        }
        // The eleventh waits until the first leaves the minute.
        assert_eq!(
            b.admit(t0 + Duration::from_secs(1), Priority::Interactive, t0),
            Err(t0 + MINUTE)
        );
        assert_eq!(b.admit(t0 + MINUTE, Priority::Interactive, t0), Ok(()));
        assert_eq!(b.sent_in_last_minute(t0 + MINUTE), 10);
    }

    #[test]
    fn background_requests_leave_a_reserve_but_only_for_a_while() {
        let b = small();
        let t0 = crate::testing::FakeClock::new().now();
        for _ in 0..8 {
            assert_eq!(b.admit(t0, Priority::Background, t0), Ok(()));
        }
        // 8 of 10 spent: a background request yields the last 2 ...
        let asked = t0 + Duration::from_millis(500);
        assert_eq!(
            b.admit(asked, Priority::Background, asked),
            Err(asked + Duration::from_secs(2))
        );
        // ... to interactive ones,
        assert_eq!(b.admit(asked, Priority::Interactive, asked), Ok(()));
        // and takes what is left once its patience is spent.
        let later = asked + Duration::from_secs(2);
        assert_eq!(b.admit(later, Priority::Background, asked), Ok(()));
        assert_eq!(
            b.admit(later, Priority::Background, asked),
            Err(t0 + MINUTE)
        );
    }

    #[test]
    fn a_429_holds_every_request_until_the_server_said() {
        let b = small();
        let t0 = crate::testing::FakeClock::new().now();
        let limited = Response::builder()
            .status(429)
            .header("retry-after", "7")
            .body(Vec::new())
            .unwrap();
        b.observe(t0, &limited);
        let hold = Err(t0 + Duration::from_secs(7));
        assert_eq!(b.admit(t0, Priority::Interactive, t0), hold);
        assert_eq!(b.admit(t0, Priority::Background, t0), hold);
        assert_eq!(
            b.admit(t0 + Duration::from_secs(7), Priority::Interactive, t0),
            Ok(())
        );
        // The hourly quota spent holds requests until its reset.
        let spent = Response::builder()
            .status(200)
            .header("ratelimit-limit", "5000")
            .header("ratelimit-remaining", "0")
            .header("ratelimit-reset", "784111837")
            .header("date", "Sun, 06 Nov 1994 08:49:37 GMT")
            .body(Vec::new())
            .unwrap();
        let t1 = t0 + Duration::from_secs(10);
        b.observe(t1, &spent);
        assert_eq!(
            b.admit(t1, Priority::Interactive, t1),
            Err(t1 + Duration::from_secs(60))
        );
        let off = Budget::new(Allowance::unlimited());
        for _ in 0..1000 {
            assert_eq!(off.admit(t0, Priority::Interactive, t0), Ok(()));
        }
    }
}
