//! The per-token request budget: DigitalOcean's sliding windows of an hour
//! and a minute.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// What the `ratelimit-*` headers say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quota {
    pub limit: u32,
    pub remaining: u32,
    /// When the oldest counted request expires (for a refusal: when the
    /// next request is allowed).
    pub reset: Instant,
}

/// What the headers say when the budget is off: a large allowance.
const UNLIMITED: u32 = 1_000_000;

impl Quota {
    /// The quota sent when both limits are off: a million of a million,
    /// reset in a minute.
    pub fn unlimited(now: Instant) -> Quota {
        Quota {
            limit: UNLIMITED,
            remaining: UNLIMITED,
            reset: now + MINUTE,
        }
    }
}

/// The budget's answer to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Both limits are off (the headers say [`Quota::unlimited`]).
    Unlimited,
    /// Counted and allowed.
    Allowed(Quota),
    /// Refused: retry at `quota.reset`.
    Limited(Quota),
}

/// Request times per token.
#[derive(Debug)]
pub(crate) struct Budget {
    per_minute: u32,
    per_hour: u32,
    hits: HashMap<String, VecDeque<Instant>>,
}

impl Budget {
    pub fn new(per_minute: u32, per_hour: u32) -> Self {
        Budget {
            per_minute,
            per_hour,
            hits: HashMap::new(),
        }
    }

    /// Counts a request of `token` at `now`, unless a limit is spent.
    pub fn check(&mut self, token: &str, now: Instant) -> Verdict {
        if self.per_minute == 0 && self.per_hour == 0 {
            return Verdict::Unlimited;
        }
        let (limit, window) = if self.per_hour > 0 {
            (self.per_hour, HOUR)
        } else {
            (self.per_minute, MINUTE)
        };
        let hits = match self.hits.get_mut(token) {
            Some(h) => h,
            None => self.hits.entry(token.to_owned()).or_default(),
        };
        let expired = |t: &Instant, w: Duration| now.saturating_duration_since(*t) >= w;
        while hits.front().is_some_and(|t| expired(t, window)) {
            hits.pop_front();
        }
        let in_minute = hits.len() - hits.partition_point(|t| expired(t, MINUTE));
        let refuse = |oldest: Option<&Instant>, w: Duration| {
            Verdict::Limited(Quota {
                limit,
                remaining: 0,
                reset: oldest.map_or(now, |t| *t + w),
            })
        };
        if self.per_hour > 0 && hits.len() >= self.per_hour as usize {
            return refuse(hits.get(hits.len() - self.per_hour as usize), HOUR);
        }
        if self.per_minute > 0 && in_minute >= self.per_minute as usize {
            return refuse(hits.get(hits.len() - self.per_minute as usize), MINUTE);
        }
        hits.push_back(now);
        let used = u32::try_from(hits.len()).unwrap_or(u32::MAX);
        Verdict::Allowed(Quota {
            limit,
            remaining: limit.saturating_sub(used),
            reset: hits.front().map_or(now, |t| *t + window),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quota(v: Verdict) -> Quota {
        match v {
            Verdict::Allowed(q) | Verdict::Limited(q) => q,
            Verdict::Unlimited => panic!("unlimited"),
        }
    }

    #[test]
    fn minute_limit_refuses_then_frees_a_slot() {
        let t0 = Instant::now();
        let mut b = Budget::new(3, 10);
        for i in 0..3 {
            let v = b.check("t", t0 + Duration::from_secs(i));
            assert!(matches!(v, Verdict::Allowed(_)), "{i}");
        }
        let v = b.check("t", t0 + Duration::from_secs(10));
        assert_eq!(
            v,
            Verdict::Limited(Quota {
                limit: 10,
                remaining: 0,
                reset: t0 + MINUTE
            })
        );
        // Another token has its own budget.
        assert!(matches!(b.check("u", t0), Verdict::Allowed(_)));
        // The oldest request leaves the minute window at t0 + 60 s.
        let q = quota(b.check("t", t0 + MINUTE));
        assert_eq!((q.limit, q.remaining), (10, 6));
        assert_eq!(q.reset, t0 + HOUR);
    }

    #[test]
    fn hour_limit_and_its_reset() {
        let t0 = Instant::now();
        let mut b = Budget::new(0, 2);
        assert_eq!(quota(b.check("t", t0)).remaining, 1);
        assert_eq!(quota(b.check("t", t0 + MINUTE)).remaining, 0);
        let v = b.check("t", t0 + 2 * MINUTE);
        assert_eq!(
            v,
            Verdict::Limited(Quota {
                limit: 2,
                remaining: 0,
                reset: t0 + HOUR
            })
        );
        assert!(matches!(b.check("t", t0 + HOUR), Verdict::Allowed(_)));
    }

    #[test]
    fn minute_only_and_off() {
        let t0 = Instant::now();
        let mut b = Budget::new(1, 0);
        assert_eq!(quota(b.check("t", t0)).limit, 1);
        assert!(matches!(b.check("t", t0), Verdict::Limited(_)));
        assert_eq!(Budget::new(0, 0).check("t", t0), Verdict::Unlimited);
    }
}
