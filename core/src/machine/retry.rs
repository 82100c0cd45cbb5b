//! The retry policy: which failed attempts are tried again, and after how
//! long. Pure functions of the answer, the attempt count and a seedable
//! random source; every machine sends its requests through it (by way of
//! [`RetriedRequest`](crate::machine::request::RetriedRequest)).
//!
//! - `429 Too Many Requests` is retried for every method, `POST` included:
//!   the request was refused, so nothing happened.
//! - `5xx` except `501 Not Implemented`, and timeouts and broken
//!   connections after the request may have been sent
//!   ([`TransportErrorKind::Timeout`], [`TransportErrorKind::Io`]), are
//!   retried only for idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`,
//!   `OPTIONS`, `TRACE`). A `POST` that failed that way may have created the
//!   droplet: sending it again could create a second one.
//! - A connection that failed before anything was sent
//!   ([`TransportErrorKind::Connect`]) is retried for every method.
//! - An answer that is not valid HTTP ([`TransportErrorKind::Protocol`]) or
//!   larger than the size cap ([`TransportErrorKind::TooLarge`]) is never
//!   retried: the server would say the same again, and a large body would
//!   be downloaded again.
//! - The delay is what the server asked for when it said: `Retry-After`
//!   (seconds, or an HTTP date taken relative to the response's own `Date`),
//!   else for a 429 `ratelimit-reset` minus the response's `Date`. The local
//!   clock is never compared with the server's. Otherwise the delay is an
//!   exponential backoff, capped, with jitter.
//! - No more than [`RetryPolicy::max_attempts`] attempts, and no retry that
//!   would start later than [`RetryPolicy::deadline`] after the first
//!   answer.

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use http::{HeaderMap, Method, Response, StatusCode};

use crate::error::TransportErrorKind;
use crate::ratelimit::{parse_http_date, ResponseInfo};

/// When and how often a failed request is tried again.
///
/// ```
/// use std::time::Duration;
/// use doapi_core::RetryPolicy;
///
/// let mut policy = RetryPolicy::default().with_seed(7);
/// policy.max_attempts = 3;
/// policy.deadline = Some(Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Most attempts of one request, the first included; `1` never
    /// retries. Default 5.
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles with every retry.
    /// Default 1 s.
    pub initial_backoff: Duration,
    /// The longest backoff. Default 30 s.
    pub max_backoff: Duration,
    /// Spread each backoff at random over its upper half, so that clients
    /// failing together do not retry together. Default on. Delays the
    /// server asked for are kept as they are.
    pub jitter: bool,
    /// No retry starts later than this after the first answer; a retry
    /// that would is given up with [`Error::DeadlineExceeded`](crate::Error).
    /// `None`: no limit but `max_attempts`. Default 2 minutes.
    pub deadline: Option<Duration>,
    /// The seed of the jitter. `None` (the default) takes a fresh random seed
    /// for every machine; a fixed seed makes the delays reproducible.
    pub seed: Option<u64>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            jitter: true,
            deadline: Some(Duration::from_secs(120)),
            seed: None,
        }
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send the request again after this delay.
    Retry(Duration),
    /// Stop: the answer is final (a success, an error that is not
    /// retryable, or the last attempt allowed).
    Stop,
    /// The answer is retryable, but the retry would start after the
    /// deadline.
    DeadlineExceeded,
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn no_retries() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The same policy with a fixed jitter seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The same policy without jitter: every backoff is exact.
    pub fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }

    /// The random source of one machine: from [`RetryPolicy::seed`], or
    /// freshly seeded.
    pub fn rng(&self) -> Rng {
        Rng::new(self.seed.unwrap_or_else(|| RandomState::new().hash_one(())))
    }

    /// Decides what follows an attempt of a `method` request that got
    /// `answer` (a response of any status, or none): `attempts` is how many
    /// have been made, this one included; `elapsed` is the time since the
    /// first answer.
    pub fn decide(
        &self,
        method: &Method,
        answer: Result<&Response<Vec<u8>>, TransportErrorKind>,
        attempts: u32,
        elapsed: Duration,
        rng: &mut Rng,
    ) -> Decision {
        let asked = match answer {
            Ok(resp) => {
                if !is_retryable_status(method, resp.status()) {
                    return Decision::Stop;
                }
                server_delay(resp)
            }
            Err(kind) => {
                if !is_retryable_failure(method, kind) {
                    return Decision::Stop;
                }
                None
            }
        };
        if attempts >= self.max_attempts {
            return Decision::Stop;
        }
        let delay = asked.unwrap_or_else(|| self.backoff(attempts, rng));
        match self.deadline {
            Some(limit) if elapsed.saturating_add(delay) > limit => Decision::DeadlineExceeded,
            _ => Decision::Retry(delay),
        }
    }

    /// The backoff after the `attempts`-th attempt: `initial_backoff`
    /// doubled `attempts - 1` times, capped at `max_backoff`, then with
    /// jitter spread over `[delay / 2, delay]`.
    pub fn backoff(&self, attempts: u32, rng: &mut Rng) -> Duration {
        let doublings = attempts.saturating_sub(1).min(31);
        let delay = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        if self.jitter {
            let half = delay / 2;
            half + half.mul_f64(rng.fraction())
        } else {
            delay
        }
    }
}

/// Whether a method may be sent twice with the effect of once (RFC 9110
/// §9.2.2).
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Whether a response of this status to this method is worth retrying:
/// 429 always; 5xx but 501 when the method is idempotent.
pub fn is_retryable_status(method: &Method, status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || (status.is_server_error()
            && status != StatusCode::NOT_IMPLEMENTED
            && is_idempotent(method))
}

/// Whether a request of this method that got no response for this reason
/// is worth sending again: see the [module docs](self).
pub fn is_retryable_failure(method: &Method, kind: TransportErrorKind) -> bool {
    match kind {
        TransportErrorKind::Connect => true,
        TransportErrorKind::Timeout | TransportErrorKind::Io => is_idempotent(method),
        TransportErrorKind::Protocol | TransportErrorKind::TooLarge => false,
    }
}

/// The delay the server asked for: `Retry-After`, else for a 429 the
/// rate-limit reset.
fn server_delay(resp: &Response<Vec<u8>>) -> Option<Duration> {
    retry_after(resp.headers()).or_else(|| {
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            until_reset(&ResponseInfo::new(resp.status(), resp.headers()))
        } else {
            None
        }
    })
}

/// The `Retry-After` header: delay-seconds, or an HTTP date minus the
/// response's `Date` header (never the local clock). `None` when absent,
/// unreadable, or a date without a `Date` header to compare with.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = parse_http_date(value)?;
    let date = headers
        .get(http::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_http_date)?;
    // A date in the past is no wait at all.
    Some((at - date).to_std().unwrap_or(Duration::ZERO))
}

/// How long until the response's rate-limit window resets:
/// `ratelimit-reset` minus the response's `Date` (zero if the reset is
/// past). `None` without both headers.
pub fn until_reset(info: &ResponseInfo) -> Option<Duration> {
    let reset = i64::try_from(info.rate_limit?.reset).ok()?;
    let secs = reset.saturating_sub(info.date?.timestamp());
    Some(Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}

/// A small, fast, seedable random source (SplitMix64), for jitter. Not
/// for anything secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng(u64);

impl Rng {
    /// A source with this seed: the same seed gives the same sequence.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `[0, 1)`.
    pub fn fraction(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)]) -> Response<Vec<u8>> {
        let mut b = Response::builder().status(status);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(Vec::new()).unwrap()
    }

    fn decide(
        p: &RetryPolicy,
        m: Method,
        o: Result<&Response<Vec<u8>>, TransportErrorKind>,
        attempts: u32,
    ) -> Decision {
        p.decide(&m, o, attempts, Duration::ZERO, &mut Rng::new(1))
    }

    const DATE: &str = "Sun, 06 Nov 1994 08:49:37 GMT";

    #[test]
    fn which_answers_are_retried() {
        let p = RetryPolicy::default().without_jitter();
        let retry1 = Decision::Retry(Duration::from_secs(1));
        for s in [429, 500, 502, 503, 504] {
            assert_eq!(decide(&p, Method::GET, Ok(&resp(s, &[])), 1), retry1);
        }
        for s in [200, 201, 204, 400, 401, 404, 422, 501] {
            let r = resp(s, &[]);
            assert_eq!(decide(&p, Method::GET, Ok(&r), 1), Decision::Stop);
        }
        // POST: 429 and a failed connect are safe; a 5xx or a failure after
        // sending is not.
        let on_status = |m: Method, s| decide(&p, m, Ok(&resp(s, &[])), 1);
        let on_failure = |m: Method, k| decide(&p, m, Err(k), 1);
        assert_eq!(on_status(Method::POST, 429), retry1);
        assert_eq!(on_status(Method::POST, 500), Decision::Stop);
        assert_eq!(on_status(Method::POST, 503), Decision::Stop);
        assert_eq!(on_status(Method::PATCH, 500), Decision::Stop);
        assert_eq!(
            on_failure(Method::POST, TransportErrorKind::Connect),
            retry1
        );
        assert_eq!(
            on_failure(Method::POST, TransportErrorKind::Io),
            Decision::Stop
        );
        assert_eq!(
            on_failure(Method::POST, TransportErrorKind::Timeout),
            Decision::Stop
        );
        assert_eq!(on_failure(Method::PUT, TransportErrorKind::Timeout), retry1);
        assert_eq!(on_failure(Method::DELETE, TransportErrorKind::Io), retry1);
        // An answer that is not HTTP, or too large, would come again.
        for kind in [TransportErrorKind::Protocol, TransportErrorKind::TooLarge] {
            assert_eq!(on_failure(Method::GET, kind), Decision::Stop);
            assert_eq!(on_failure(Method::POST, kind), Decision::Stop);
        }
    }

    #[test]
    fn attempts_and_deadline_bound_the_retries() {
        let p = RetryPolicy::default().without_jitter();
        let r = resp(503, &[]);
        assert!(matches!(
            decide(&p, Method::GET, Ok(&r), 4),
            Decision::Retry(_)
        ));
        assert_eq!(decide(&p, Method::GET, Ok(&r), 5), Decision::Stop);
        let mut rng = Rng::new(1);
        let mut d = |elapsed| p.decide(&Method::GET, Ok(&r), 1, elapsed, &mut rng);
        assert_eq!(
            d(Duration::from_secs(119)),
            Decision::Retry(Duration::from_secs(1))
        );
        assert_eq!(
            d(Duration::from_millis(119_001)),
            Decision::DeadlineExceeded
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy::default().without_jitter();
        let mut rng = Rng::new(0);
        let secs: Vec<u64> = (1..=8).map(|a| p.backoff(a, &mut rng).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(p.backoff(u32::MAX, &mut rng), Duration::from_secs(30));
    }

    #[test]
    fn jitter_is_seeded_and_within_the_upper_half() {
        let p = RetryPolicy::default().with_seed(42);
        let run = || {
            let mut rng = p.rng();
            (1..=6).map(|a| p.backoff(a, &mut rng)).collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        let exact = RetryPolicy::default().without_jitter();
        for (i, d) in a.iter().enumerate() {
            let full = exact.backoff(i as u32 + 1, &mut Rng::new(0));
            assert!(*d >= full / 2 && *d <= full, "{d:?} vs {full:?}");
        }
        let other = RetryPolicy::default().with_seed(43);
        let mut rng = other.rng();
        assert_ne!(
            a,
            (1..=6)
                .map(|n| other.backoff(n, &mut rng))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn server_delays() {
        let p = RetryPolicy::default().without_jitter();
        let get = |r: &Response<Vec<u8>>| decide(&p, Method::GET, Ok(r), 1);
        let secs = |s| Decision::Retry(Duration::from_secs(s));
        assert_eq!(get(&resp(429, &[("retry-after", "7")])), secs(7));
        assert_eq!(get(&resp(503, &[("retry-after", " 12 ")])), secs(12));
        let dated = [
            ("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT"),
            ("date", DATE),
        ];
        assert_eq!(get(&resp(429, &dated)), secs(30));
        // A date without `Date` to compare with falls back to the backoff.
        assert_eq!(get(&resp(429, &dated[..1])), secs(1));
        // ratelimit-reset minus Date: 784111777 is DATE.
        let reset = [
            ("ratelimit-limit", "250"),
            ("ratelimit-remaining", "0"),
            ("ratelimit-reset", "784111822"),
            ("date", DATE),
        ];
        assert_eq!(get(&resp(429, &reset)), secs(45));
        // Only a 429 waits for the reset; a reset in the past is no wait.
        assert_eq!(get(&resp(503, &reset)), secs(1));
        let past = [
            reset[0],
            reset[1],
            ("ratelimit-reset", "784111000"),
            reset[3],
        ];
        assert_eq!(get(&resp(429, &past)), secs(0));
        // A delay beyond the deadline is given up at once.
        assert_eq!(
            get(&resp(429, &[("retry-after", "3600")])),
            Decision::DeadlineExceeded
        );
        assert_eq!(
            get(&resp(429, &[("retry-after", "99999999999999999999999")])),
            Decision::DeadlineExceeded
        );
    }
}
