//! The sans-IO model, [`Sim`]: `handle(request, now) -> served`. It runs
//! the events due by `now`, checks the token, the rate budget and the
//! faults, hands the request to its route's handler on the [`Cloud`], and
//! writes the response's headers and the statistics.

use std::time::{Duration, Instant};

use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, DATE, HOST, RETRY_AFTER};
use http::{Request, Response, StatusCode};

use crate::cloud::{Cloud, Event};
use crate::config::{Fault, SimConfig};
use crate::faults::Faults;
use crate::ratelimit::{Budget, Quota, Verdict};
use crate::resources::{ActionStatus, Effect, Target};
use crate::routes::{self, Found};
use crate::stats::Stats;
use crate::wire::{error_body, parse_query, ApiError, ApiResult, Ctx};

/// What the model serves for one request: the response, when to send it
/// and how it reaches the client.
#[derive(Debug)]
pub struct Served {
    /// The response, with every header DigitalOcean sends.
    pub response: Response<Vec<u8>>,
    /// How long to wait before sending it (injected latency).
    pub delay: Duration,
    /// How the response reaches the client.
    pub delivery: Delivery,
}

/// How a served response reaches the client: whole, not at all, or cut
/// short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Sent whole.
    Whole,
    /// The connection is closed without sending anything.
    Dropped,
    /// The headers (with the full `Content-Length`) and the first half of
    /// the body are sent, then the connection is closed.
    Truncated,
}

/// A simulated DigitalOcean account: feed it requests with the time they
/// arrive, get responses back. It never reads a clock: time moves only
/// through the `now` passed in, so a test can jump it forward.
///
/// ```
/// use std::time::{Duration, Instant};
/// use doapi_sim::{Sim, SimConfig};
///
/// let t0 = Instant::now();
/// let mut sim = Sim::new(SimConfig::default(), t0);
/// let get = |path: &str| {
///     http::Request::get(path)
///         .header("authorization", "Bearer t")
///         .body(Vec::new())
///         .unwrap()
/// };
/// let create = http::Request::post("/v2/droplets")
///     .header("authorization", "Bearer t")
///     .body(br#"{"name":"web-1","size":"s-1vcpu-1gb","image":"ubuntu-22-04-x64","region":"nyc3"}"#.to_vec())
///     .unwrap();
/// let served = sim.handle(&create, t0);
/// assert_eq!(served.response.status(), 202);
/// let body: serde_json::Value = serde_json::from_slice(served.response.body()).unwrap();
/// let id = body["droplet"]["id"].as_u64().unwrap();
/// assert_eq!(body["droplet"]["status"], "new");
///
/// // One boot delay (1 s by default) later, it is active.
/// let served = sim.handle(&get(&format!("/v2/droplets/{id}")), t0 + Duration::from_secs(1));
/// let body: serde_json::Value = serde_json::from_slice(served.response.body()).unwrap();
/// assert_eq!(body["droplet"]["status"], "active");
/// assert_eq!(sim.stats().requests_to("GET /v2/droplets/{id}"), 1);
/// ```
#[derive(Debug)]
pub struct Sim {
    /// The account the requests act on.
    cloud: Cloud,
    budget: Budget,
    faults: Faults,
    stats: Stats,
    /// The `Date` header of the current second.
    date: (i64, HeaderValue),
}

impl Sim {
    /// A new account whose clock starts at `now` (the wall-clock time then
    /// is `config.start_time`), holding `config.seed_droplets` active
    /// droplets.
    pub fn new(config: SimConfig, now: Instant) -> Sim {
        let budget = Budget::new(config.rate_per_minute, config.rate_per_hour);
        let faults = Faults::new(config.faults.clone());
        let mut sim = Sim {
            cloud: Cloud::new(config, now),
            budget,
            faults,
            stats: Stats::default(),
            date: (i64::MIN, HeaderValue::from_static("")),
        };
        sim.cloud.seed(now);
        sim.advance(now);
        sim
    }

    /// The statistics of every request handled so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Clears the statistics.
    pub fn reset_stats(&mut self) {
        self.stats = Stats::default();
    }

    /// Every route served, as `"<METHOD> <template>"` (the statistics'
    /// keys), in the order they are matched.
    pub fn routes() -> impl Iterator<Item = &'static str> {
        routes::ROUTES.iter().map(|r| r.key)
    }

    /// The configuration.
    pub fn config(&self) -> &SimConfig {
        &self.cloud.cfg
    }

    /// Answers one request arriving at `now`. The request's URI may be a
    /// path or an absolute URL; `links` use `config.public_url`, else the
    /// `Host` header, else the URI's origin.
    pub fn handle<B: AsRef<[u8]>>(&mut self, req: &Request<B>, now: Instant) -> Served {
        self.advance(now);
        let request_id = self.cloud.rng.uuid();
        let method = req.method().as_str();
        let found = routes::find(method, req.uri().path());
        let key = match &found {
            Found::Route(route, _) => route.key.to_owned(),
            _ => format!("{method} *"),
        };
        let mut out = Outcome {
            result: Err(ApiError::not_found()),
            quota: None,
            retry_after: None,
            delay: Duration::ZERO,
            delivery: Delivery::Whole,
            malformed: false,
        };
        self.respond(req, now, &key, found, &mut out);
        self.render(out, &key, &request_id, now)
    }

    /// Auth, budget, faults and the handler, in that order.
    fn respond<B: AsRef<[u8]>>(
        &mut self,
        req: &Request<B>,
        now: Instant,
        key: &str,
        found: Found,
        out: &mut Outcome,
    ) {
        let Some(token) = bearer(req) else {
            out.result = Err(ApiError::new(401, "Unable to authenticate you"));
            return;
        };
        if !self.cloud.cfg.tokens.is_empty() && !self.cloud.cfg.tokens.iter().any(|t| t == token) {
            out.result = Err(ApiError::new(401, "Unable to authenticate you"));
            return;
        }
        match self.budget.check(token, now) {
            // No limit: the headers all the same, with large values.
            Verdict::Unlimited => out.quota = Some(Quota::unlimited(now)),
            Verdict::Allowed(q) => out.quota = Some(q),
            Verdict::Limited(q) => {
                out.quota = Some(q);
                out.refuse(q.reset, now);
                return;
            }
        }
        let decision = self.faults.decide(key, &mut self.cloud.rng);
        out.delay = decision.delay;
        let (route, params) = match found {
            Found::Route(route, params) => (route, params),
            Found::WrongMethod => {
                out.result = Err(ApiError::new(405, "Method not allowed for this resource"));
                return;
            }
            Found::Nothing => return,
        };
        let origin = self.origin_of(req);
        let ctx = Ctx {
            now,
            origin: &origin,
            path: req.uri().path(),
            query: parse_query(req.uri().query().unwrap_or_default()),
            params,
            headers: req.headers(),
            body: req.body().as_ref(),
        };
        let Some((fault, handled)) = decision.fault else {
            out.result = (route.run)(&mut self.cloud, &ctx);
            return;
        };
        let carried_out = matches!(fault, Fault::Truncate | Fault::Malformed) || handled;
        if carried_out {
            out.result = (route.run)(&mut self.cloud, &ctx);
        }
        match fault {
            Fault::TooManyRequests { retry_after } => {
                let reset = now + Duration::from_secs(retry_after);
                out.refuse(reset, now);
            }
            Fault::Status { status: 404 } => out.result = Err(ApiError::not_found()),
            Fault::Status { status } if status >= 500 => {
                out.result = Err(ApiError::new(status, "Unexpected server-side error"));
            }
            Fault::Status { status } => {
                out.result = Err(ApiError::new(status, "The request could not be processed."));
            }
            Fault::Drop => out.delivery = Delivery::Dropped,
            Fault::Truncate => out.delivery = Delivery::Truncated,
            Fault::Malformed => out.malformed = true,
            Fault::Latency(_) => {}
        }
    }

    /// The response with its headers; counts it in the statistics.
    fn render(&mut self, out: Outcome, key: &str, request_id: &str, now: Instant) -> Served {
        let (status, mut body) = match out.result {
            Ok(a) => (a.status, a.body),
            Err(e) => {
                let body = error_body(e.status, &e.message, request_id);
                (e.status, body)
            }
        };
        let mut status = status;
        if out.malformed {
            if body.is_empty() {
                status = StatusCode::OK;
                body = b"{".to_vec();
            } else {
                body.truncate(body.len() / 2);
            }
        }
        let has_body = !body.is_empty();
        let mut response = Response::new(body);
        *response.status_mut() = status;
        let h = response.headers_mut();
        if has_body {
            h.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
        }
        if let Ok(v) = HeaderValue::from_str(request_id) {
            h.insert(HeaderName::from_static("x-request-id"), v);
        }
        h.insert(DATE, self.date_header(now));
        if let Some(q) = out.quota {
            h.insert(HeaderName::from_static("ratelimit-limit"), q.limit.into());
            h.insert(
                HeaderName::from_static("ratelimit-remaining"),
                q.remaining.into(),
            );
            h.insert(
                HeaderName::from_static("ratelimit-reset"),
                self.cloud.unix(q.reset).into(),
            );
        }
        if let Some(s) = out.retry_after {
            h.insert(RETRY_AFTER, s.into());
        }
        let delivered = out.delivery == Delivery::Whole;
        self.stats.record(key, delivered.then_some(status.as_u16()));
        Served {
            response,
            delay: out.delay,
            delivery: out.delivery,
        }
    }

    /// The origin for `links`.
    fn origin_of<B>(&self, req: &Request<B>) -> String {
        if let Some(url) = &self.cloud.cfg.public_url {
            return url.trim_end_matches('/').to_owned();
        }
        if let Some(host) = req.headers().get(HOST).and_then(|h| h.to_str().ok()) {
            return format!("http://{host}");
        }
        match (req.uri().scheme_str(), req.uri().authority()) {
            (Some(s), Some(a)) => format!("{s}://{a}"),
            _ => "http://localhost".to_owned(),
        }
    }

    fn date_header(&mut self, now: Instant) -> HeaderValue {
        let wall = self.cloud.wall(now);
        if self.date.0 != wall.timestamp() {
            let text = wall.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
            self.date = (
                wall.timestamp(),
                HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static("")),
            );
        }
        self.date.1.clone()
    }

    /// Runs every event due by `now`, in time order.
    fn advance(&mut self, now: Instant) {
        while let Some(entry) = self.cloud.st.events.first_entry() {
            let (at, _) = *entry.key();
            if at > now {
                break;
            }
            let event = entry.remove();
            match event {
                Event::Complete(id) => self.complete_action(id, at),
                Event::Backup(id) => self.cloud.backup(id, at),
            }
        }
    }

    /// Ends an action: `errored`, or `completed` with its effect.
    fn complete_action(&mut self, id: u64, at: Instant) {
        let cloud = &mut self.cloud;
        let stamp = cloud.stamp(at);
        let Some(action) = cloud.st.actions.get_mut(&id) else {
            return;
        };
        action.completed_at = Some(stamp);
        action.status = if action.fails {
            ActionStatus::Errored
        } else {
            ActionStatus::Completed
        };
        let (target, fails) = (action.target.clone(), action.fails);
        let effect = std::mem::replace(&mut action.effect, Effect::None);
        match target {
            Target::Droplet(rid) => cloud.finish_droplet_action(rid, id, effect, fails, at),
            Target::Image(rid) => cloud.finish_image_action(rid, id, effect, fails),
            Target::Ip(ip) => cloud.finish_reserved(ip, id, effect, fails),
            Target::ReservedIpv6(ip) => cloud.finish_reserved(ip, id, effect, fails),
            Target::Volume(v) => cloud.finish_volume_action(&v, id, effect, fails),
        }
    }
}

/// What `respond` decided, before it becomes a response.
struct Outcome {
    result: ApiResult,
    quota: Option<Quota>,
    retry_after: Option<u64>,
    delay: Duration,
    delivery: Delivery,
    malformed: bool,
}

impl Outcome {
    /// A 429 that may be retried at `reset`: `Retry-After` says when, and
    /// the rate headers (if the budget is on) say none remain until then.
    fn refuse(&mut self, reset: Instant, now: Instant) {
        let wait = reset.saturating_duration_since(now);
        self.retry_after = Some(wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
        if let Some(q) = &mut self.quota {
            q.remaining = 0;
            q.reset = reset;
        }
        self.result = Err(ApiError::new(429, "API Rate limit exceeded."));
    }
}

/// The bearer token, if the request has a non-empty one.
fn bearer<B>(req: &Request<B>) -> Option<&str> {
    let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
