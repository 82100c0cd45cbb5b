//! How a simulator behaves: delays, the rate budget, faults.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

/// The simulator's settings. Build one with struct update syntax:
///
/// ```
/// use std::time::Duration;
/// use doapi_sim::SimConfig;
///
/// let config = SimConfig {
///     boot_delay: Duration::from_millis(200),
///     rate_per_minute: 0, // no per-minute limit
///     ..SimConfig::default()
/// };
/// # let _ = config;
/// ```
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Seeds every random choice (request ids, addresses, fault rates):
    /// the same seed, clock and requests give the same responses.
    pub seed: u64,
    /// How long a new droplet stays `new` (its `create` action
    /// `in-progress`) before it is `active`. Default 1 s.
    pub boot_delay: Duration,
    /// How long every other action stays `in-progress`, its droplet,
    /// image or floating IP `locked`. Default 0.5 s.
    pub action_delay: Duration,
    /// How long a new load balancer stays `new` before it is `active`
    /// (and a Let's Encrypt certificate `pending`). Default 3 s.
    pub lb_delay: Duration,
    /// Time between two automatic backups of a droplet with backups
    /// enabled (the first is taken this long after enabling). Default 24 h.
    pub backup_interval: Duration,
    /// Droplets that exist, already `active`, when the simulator starts.
    pub seed_droplets: usize,
    /// Requests a token may make in any minute; 0 turns the limit off.
    /// Default 250.
    pub rate_per_minute: u32,
    /// Requests a token may make in any hour; 0 turns the limit off.
    /// Default 5,000.
    pub rate_per_hour: u32,
    /// The origin (`scheme://host[:port]`) written into `links`; by default
    /// the request's `Host`.
    pub public_url: Option<String>,
    /// The bearer tokens accepted; empty accepts any non-empty token.
    pub tokens: Vec<String>,
    /// The account's `droplet_limit`, enforced on create. Default 10,000.
    pub droplet_limit: u64,
    /// Action types (`snapshot`, `resize`, ...) that always end `errored`.
    pub failing_actions: Vec<String>,
    /// The chance (0 to 1) that any other action ends `errored`.
    pub action_error_rate: f64,
    /// Faults to inject, checked in order.
    pub faults: Vec<FaultRule>,
    /// The wall-clock time at the simulator's start: `Date` headers,
    /// `created_at` and `ratelimit-reset` count from it. The model's default
    /// is a fixed date, so runs repeat; the server uses the real time.
    pub start_time: SystemTime,
}

impl SimConfig {
    /// For test suites: droplets boot in 150 ms, actions take 60 ms,
    /// load balancers are active in 200 ms, backups come every 300 ms, and
    /// there is no rate limit.
    pub fn fast() -> Self {
        SimConfig {
            boot_delay: Duration::from_millis(150),
            action_delay: Duration::from_millis(60),
            lb_delay: Duration::from_millis(200),
            backup_interval: Duration::from_millis(300),
            rate_per_minute: 0,
            rate_per_hour: 0,
            ..SimConfig::default()
        }
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 1,
            boot_delay: Duration::from_secs(1),
            action_delay: Duration::from_millis(500),
            lb_delay: Duration::from_secs(3),
            backup_interval: Duration::from_secs(24 * 3600),
            seed_droplets: 0,
            rate_per_minute: 250,
            rate_per_hour: 5000,
            public_url: None,
            tokens: Vec::new(),
            droplet_limit: 10_000,
            failing_actions: Vec::new(),
            action_error_rate: 0.0,
            faults: Vec::new(),
            // 2026-01-01T00:00:00Z
            start_time: SystemTime::UNIX_EPOCH + Duration::from_secs(1_767_225_600),
        }
    }
}

/// A fault to inject: what happens, to which requests.
///
/// Faults apply to authenticated requests within the rate budget, after
/// those checks. The text form (the binary's `--fault`) is a comma-separated
/// list: the kind first, then `key=value` settings:
///
/// | text | fault |
/// |---|---|
/// | `429` or `429,retry-after=2` | 429 `too_many_requests` with `Retry-After` (default 1 s) |
/// | `500`, `503`, `404`, ... | that status (400 to 599) with DigitalOcean's error body |
/// | `latency,ms=200` | the answer is sent 200 ms late |
/// | `drop` | the connection is closed without an answer |
/// | `truncate` | headers and half the body are sent, then the connection is closed |
/// | `malformed` | a complete answer whose body is cut in half (not JSON) |
///
/// Which requests: `rate=0.1` (each with this chance, from the seed),
/// `every=5` (the 5th, 10th, ...), `from=3,to=5` (the 3rd to the 5th,
/// either bound optional); none of these means every request. Requests are
/// counted per rule, among those it matches. `route=GET /v2/droplets/{id}`
/// limits the rule to one route (the statistics' names). `handled=true`
/// carries the request out before an error status or a drop replaces its
/// answer (a create that happened although the client saw an error).
///
/// ```
/// use doapi_sim::{Fault, FaultRule, Trigger};
///
/// let rule: FaultRule = "503,every=3,route=POST /v2/droplets,handled=true".parse().unwrap();
/// assert_eq!(rule.fault, Fault::Status { status: 503 });
/// assert_eq!(rule.trigger, Trigger::Every(3));
/// assert_eq!(rule.route.as_deref(), Some("POST /v2/droplets"));
/// assert!(rule.handled);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// What happens.
    pub fault: Fault,
    /// To which of the matching requests.
    pub trigger: Trigger,
    /// Only requests to this route (`"GET /v2/droplets/{id}"`); `None`
    /// for all.
    pub route: Option<String>,
    /// Carry the request out before an error status or a drop replaces its
    /// answer.
    pub handled: bool,
}

impl FaultRule {
    /// A rule for every request.
    pub fn always(fault: Fault) -> Self {
        FaultRule {
            fault,
            trigger: Trigger::Always,
            route: None,
            handled: false,
        }
    }
}

/// What an injected fault does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// 429 `too_many_requests` with `Retry-After` in seconds.
    TooManyRequests {
        /// The `Retry-After` value.
        retry_after: u64,
    },
    /// An error answer with DigitalOcean's body for its status: a 5xx, or
    /// a 4xx such as the 404 a droplet can give just after its create.
    Status {
        /// The status, 400 to 599.
        status: u16,
    },
    /// The answer is sent this much later.
    Latency(Duration),
    /// The connection is closed without an answer.
    Drop,
    /// The headers and half the body are sent, then the connection is
    /// closed.
    Truncate,
    /// A complete answer whose body is cut in half, so it is not JSON.
    Malformed,
}

/// Which requests a fault hits, counted among those its rule matches
/// (from 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trigger {
    /// Every request.
    Always,
    /// Each request with this chance, drawn from the seeded generator.
    Rate(f64),
    /// The n-th, 2n-th, ... request.
    Every(u64),
    /// The requests numbered `from` to `to`, inclusive.
    Range {
        /// The first one.
        from: u64,
        /// The last one.
        to: u64,
    },
}

/// Why a fault's text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultParseError(String);

impl fmt::Display for FaultParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid fault: {}", self.0)
    }
}

impl std::error::Error for FaultParseError {}

impl FromStr for FaultRule {
    type Err = FaultParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: String| FaultParseError(format!("{s:?}: {why}"));
        let mut parts = s.split(',').map(str::trim);
        let kind = parts.next().unwrap_or_default();
        let kind = kind.strip_prefix("kind=").unwrap_or(kind);
        let mut settings = Vec::new();
        for p in parts {
            let (k, v) = p
                .split_once('=')
                .ok_or_else(|| bad(format!("{p:?} is not key=value")))?;
            settings.push((k.trim(), v.trim()));
        }
        let get = |key: &str| settings.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        let num = |key: &str| -> Result<Option<u64>, FaultParseError> {
            get(key)
                .map(|v| {
                    v.parse()
                        .map_err(|_| bad(format!("{key}={v:?} is not a number")))
                })
                .transpose()
        };
        let fault = match kind {
            "429" => Fault::TooManyRequests {
                retry_after: num("retry-after")?.unwrap_or(1),
            },
            "latency" => Fault::Latency(Duration::from_millis(
                num("ms")?.ok_or_else(|| bad("latency needs ms=".into()))?,
            )),
            "drop" => Fault::Drop,
            "truncate" => Fault::Truncate,
            "malformed" => Fault::Malformed,
            other => match other.parse::<u16>() {
                Ok(status @ 400..=599) => Fault::Status { status },
                _ => return Err(bad(format!("unknown kind {other:?}"))),
            },
        };
        let trigger = if let Some(rate) = get("rate") {
            let p: f64 = rate
                .parse()
                .ok()
                .filter(|p| (0.0..=1.0).contains(p))
                .ok_or_else(|| bad(format!("rate={rate:?} is not between 0 and 1")))?;
            Trigger::Rate(p)
        } else if let Some(n) = num("every")? {
            if n == 0 {
                return Err(bad("every=0".into()));
            }
            Trigger::Every(n)
        } else if get("from").is_some() || get("to").is_some() {
            Trigger::Range {
                from: num("from")?.unwrap_or(1),
                to: num("to")?.unwrap_or(u64::MAX),
            }
        } else {
            Trigger::Always
        };
        let handled = match get("handled") {
            None | Some("false") => false,
            Some("true") => true,
            Some(v) => return Err(bad(format!("handled={v:?} is not true or false"))),
        };
        for (k, _) in &settings {
            if ![
                "retry-after",
                "ms",
                "rate",
                "every",
                "from",
                "to",
                "route",
                "handled",
            ]
            .contains(k)
            {
                return Err(bad(format!("unknown setting {k:?}")));
            }
        }
        Ok(FaultRule {
            fault,
            trigger,
            route: get("route").map(str::to_owned),
            handled,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_and_trigger() {
        let r: FaultRule = "429,retry-after=3,from=2,to=4".parse().unwrap();
        assert_eq!(r.fault, Fault::TooManyRequests { retry_after: 3 });
        assert_eq!(r.trigger, Trigger::Range { from: 2, to: 4 });
        let r: FaultRule = "latency,ms=250,rate=0.5".parse().unwrap();
        assert_eq!(r.fault, Fault::Latency(Duration::from_millis(250)));
        assert_eq!(r.trigger, Trigger::Rate(0.5));
        let r: FaultRule = "kind=drop".parse().unwrap();
        assert_eq!((r.fault, r.trigger), (Fault::Drop, Trigger::Always));
        assert_eq!(
            "truncate,every=2".parse::<FaultRule>().unwrap().fault,
            Fault::Truncate
        );
        assert_eq!(
            "malformed".parse::<FaultRule>().unwrap().fault,
            Fault::Malformed
        );
        assert_eq!(
            "404,from=1,to=1".parse::<FaultRule>().unwrap().fault,
            Fault::Status { status: 404 }
        );
        for bad in [
            "302",
            "600",
            "latency",
            "429,rate=2",
            "drop,every=0",
            "drop,x=1",
            "drop,oops",
        ] {
            assert!(bad.parse::<FaultRule>().is_err(), "{bad}");
        }
    }
}
