//! Gathering a client's settings, from code or the environment, and
//! checking them: [`ClientBuilder`], one builder for every client.

use std::fmt;
use std::time::Duration;

use crate::budget::Allowance;
use crate::config::{Config, Limits, MAX_PER_PAGE};
use crate::error::{Error, RequestError};
use crate::machine::retry::RetryPolicy;
use crate::token::Token;

/// The environment variables a client reads its token from, in order.
pub const TOKEN_VARS: [&str; 2] = ["DIGITALOCEAN_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN"];

/// The environment variable naming another endpoint.
pub const ENDPOINT_VAR: &str = "DIGITALOCEAN_API_URL";

/// What a [`ClientBuilder`] builds: a client from checked settings and, if
/// one was given, a transport. Each adapter's client implements it; so
/// does [`Config`] itself (the settings alone, for the core's machines).
pub trait Connect: Sized {
    /// The transport a client of this kind takes (a trait object of the
    /// adapter's transport trait).
    type Transport: ?Sized;

    /// The client: `transport` if given, else the adapter's real one,
    /// built from [`Config::limits`].
    fn connect(config: Config, transport: Option<Box<Self::Transport>>) -> Result<Self, Error>;
}

impl Connect for Config {
    type Transport = ();

    fn connect(config: Config, _: Option<Box<()>>) -> Result<Self, Error> {
        Ok(config)
    }
}

/// The settings of a client before they are checked: token, endpoint, page
/// size, wait defaults, user agent, retry policy, limits and transport.
/// [`ClientBuilder::build`] checks them and builds the client `C`.
///
/// ```
/// use std::time::Duration;
/// use doapi_core::ConfigBuilder;
///
/// let config = ConfigBuilder::new("my-token")
///     .endpoint("http://127.0.0.1:8080")
///     .wait_interval(Duration::from_millis(250))
///     .build()?;
/// assert_eq!(config.endpoint(), "http://127.0.0.1:8080");
/// # Ok::<(), doapi_core::Error>(())
/// ```
pub struct ClientBuilder<C: Connect> {
    token: String,
    endpoint: Option<String>,
    insecure_http: bool,
    per_page: Option<u32>,
    wait_interval: Option<Duration>,
    wait_time: Option<Option<Duration>>,
    user_agent: Option<String>,
    retry: Option<RetryPolicy>,
    limits: Option<Limits>,
    allowance: Option<Allowance>,
    transport: Option<Box<C::Transport>>,
}

/// The settings alone: a [`ClientBuilder`] that builds a [`Config`].
pub type ConfigBuilder = ClientBuilder<Config>;

impl<C: Connect> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &"<redacted>")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl<C: Connect> ClientBuilder<C> {
    /// Settings starting from a token, as a user may paste it.
    pub fn new(token: &str) -> Self {
        ClientBuilder {
            token: token.to_owned(),
            endpoint: None,
            insecure_http: false,
            per_page: None,
            wait_interval: None,
            wait_time: None,
            user_agent: None,
            retry: None,
            limits: None,
            allowance: None,
            transport: None,
        }
    }

    /// Settings from environment variables, read with `var`: the token
    /// from [`TOKEN_VARS`], the endpoint from [`ENDPOINT_VAR`] if set.
    /// (`var` is `|k| std::env::var(k).ok()` in a program, as in
    /// [`Api::from_env`](crate::client::Api::from_env).)
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, RequestError> {
        let set = |k: &str| var(k).filter(|v| !v.trim().is_empty());
        let token = TOKEN_VARS
            .iter()
            .find_map(|k| set(k))
            .ok_or(RequestError::InvalidToken(
                "set DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN",
            ))?;
        let mut builder = ClientBuilder::new(&token);
        builder.endpoint = set(ENDPOINT_VAR);
        Ok(builder)
    }

    /// Another endpoint (`scheme://host[:port]`, without `/v2`), such as a
    /// simulator's URL. Plain `http://` is refused unless the host is a
    /// loopback address or [`allow_insecure_http`](Self::allow_insecure_http)
    /// is set.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Allows sending the token over plain `http://` to a host that is not
    /// a loopback address. Only for networks you trust.
    pub fn allow_insecure_http(mut self) -> Self {
        self.insecure_http = true;
        self
    }

    /// Items per page of listings (1 to 200; default 200; others are
    /// refused by [`build`](Self::build)).
    pub fn per_page(mut self, n: u32) -> Self {
        self.per_page = Some(n);
        self
    }

    /// Time between polls of a wait (doapi's `wait_interval`; default 2 s;
    /// 1 ms to 24 h).
    pub fn wait_interval(mut self, d: Duration) -> Self {
        self.wait_interval = Some(d);
        self
    }

    /// Longest a wait may last (doapi's `wait_time`), at most 365 days;
    /// `None` waits without limit. Default 30 minutes.
    pub fn wait_time(mut self, d: Option<Duration>) -> Self {
        self.wait_time = Some(d);
        self
    }

    /// The user agent (default `doapi-rust/<version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// The retry policy of every request (default: 429, 5xx but 501 and
    /// transport errors, 5 attempts, 120 s deadline; never a `POST` that
    /// may have been received). 1 to 100 attempts, backoffs and deadline
    /// at most 24 h.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Connect, read and request timeouts (each 1 ms to 24 h) and the
    /// response size cap (at least 1 byte) of the real transport.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = Some(limits);
        self
    }

    /// The rate budget shared by every task and thread using the client
    /// (default: 250 requests a minute, 10 % of it kept for interactive
    /// calls while waits poll; [`Allowance::unlimited`] turns it off).
    pub fn allowance(mut self, allowance: Allowance) -> Self {
        self.allowance = Some(allowance);
        self
    }

    /// Another transport, such as an offline one in tests.
    pub fn transport(mut self, transport: impl Into<Box<C::Transport>>) -> Self {
        self.transport = Some(transport.into());
        self
    }

    /// Checks the settings (the token, the endpoint, every number and
    /// duration against its range) and builds the client. A setting out of
    /// range is [`RequestError::InvalidArgument`] naming it.
    pub fn build(self) -> Result<C, Error> {
        if let Some(n) = self.per_page {
            if !(1..=MAX_PER_PAGE).contains(&n) {
                return Err(out_of_range("per_page", n, format!("1 to {MAX_PER_PAGE}")).into());
            }
        }
        let mut config = Config::new(Token::new(&self.token)?);
        if let Some(url) = &self.endpoint {
            config = config.set_endpoint(url, self.insecure_http)?;
        }
        if let Some(n) = self.per_page {
            config = config.with_per_page(n);
        }
        if let Some(ua) = self.user_agent {
            config = config.with_user_agent(ua);
        }
        if let Some(d) = self.wait_interval {
            config.wait_interval = d;
        }
        if let Some(d) = self.wait_time {
            config.wait_time = d;
        }
        if let Some(policy) = self.retry {
            config.retry = policy;
        }
        if let Some(limits) = self.limits {
            config.limits = limits;
        }
        if let Some(allowance) = self.allowance {
            config.allowance = allowance;
        }
        check(&config)?;
        C::connect(config, self.transport)
    }
}

/// The longest timeout, poll interval, backoff or retry deadline.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// The longest wait time limit.
pub const MAX_WAIT_TIME: Duration = Duration::from_secs(365 * 24 * 3600);

/// The most attempts of one request.
pub const MAX_ATTEMPTS: u32 = 100;

/// The most pages of one listing fetched at once.
pub const MAX_PAGES_IN_FLIGHT: u32 = 32;

/// Checks every number and duration of `config` against its range.
fn check(config: &Config) -> Result<(), RequestError> {
    let ms = Duration::from_millis(1);
    let l = &config.limits;
    let r = &config.retry;
    let spans = [
        ("connect timeout", Some(l.connect_timeout), ms, MAX_TIMEOUT),
        ("read timeout", Some(l.read_timeout), ms, MAX_TIMEOUT),
        ("request timeout", Some(l.request_timeout), ms, MAX_TIMEOUT),
        ("wait interval", Some(config.wait_interval), ms, MAX_TIMEOUT),
        ("wait time", config.wait_time, Duration::ZERO, MAX_WAIT_TIME),
        (
            "initial backoff",
            Some(r.initial_backoff),
            Duration::ZERO,
            MAX_TIMEOUT,
        ),
        (
            "max backoff",
            Some(r.max_backoff),
            Duration::ZERO,
            MAX_TIMEOUT,
        ),
        ("retry deadline", r.deadline, Duration::ZERO, MAX_TIMEOUT),
        (
            "background patience",
            Some(config.allowance.background_patience),
            Duration::ZERO,
            MAX_TIMEOUT,
        ),
    ];
    for (what, d, min, max) in spans {
        if let Some(d) = d.filter(|d| !(min..=max).contains(d)) {
            return Err(out_of_range(
                what,
                format_args!("{d:?}"),
                format_args!("{min:?} to {max:?}"),
            ));
        }
    }
    if !(1..=MAX_ATTEMPTS).contains(&r.max_attempts) {
        let range = format!("1 to {MAX_ATTEMPTS}");
        return Err(out_of_range("max attempts", r.max_attempts, range));
    }
    if l.max_body == 0 {
        return Err(out_of_range("max body", 0, "at least 1 byte"));
    }
    if config.allowance.reserve_percent > 100 {
        let percent = config.allowance.reserve_percent;
        return Err(out_of_range("reserve percent", percent, "0 to 100"));
    }
    let pages = config.allowance.pages_in_flight;
    if !(1..=MAX_PAGES_IN_FLIGHT).contains(&pages) {
        let range = format!("1 to {MAX_PAGES_IN_FLIGHT}");
        return Err(out_of_range("pages in flight", pages, range));
    }
    Ok(())
}

fn out_of_range(
    what: &'static str,
    value: impl fmt::Display,
    range: impl fmt::Display,
) -> RequestError {
    RequestError::InvalidArgument {
        what,
        reason: format!("{value} is out of range ({range})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_from_the_environment() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let b = ConfigBuilder::from_vars(vars(&[
            ("DIGITALOCEAN_TOKEN", " "),
            ("DIGITALOCEAN_ACCESS_TOKEN", "'tok-secret'"),
            ("DIGITALOCEAN_API_URL", "http://127.0.0.1:4010"),
        ]))
        .unwrap();
        assert!(!format!("{b:?}").contains("secret"));
        let c = b
            .per_page(50)
            .wait_time(None)
            .retry(RetryPolicy::no_retries())
            .build()
            .unwrap();
        assert_eq!(c.endpoint(), "http://127.0.0.1:4010");
        assert_eq!((c.per_page(), c.wait_time), (50, None));
        assert_eq!(c.retry.max_attempts, 1);
        assert_eq!(
            ConfigBuilder::from_vars(vars(&[])).unwrap_err(),
            RequestError::InvalidToken("set DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN")
        );
        let refused = ConfigBuilder::new("t").endpoint("http://10.1.1.1").build();
        assert!(matches!(
            refused,
            Err(Error::Request(RequestError::InsecureEndpoint(_)))
        ));
        let allowed = ConfigBuilder::new("t")
            .endpoint("http://10.1.1.1")
            .allow_insecure_http()
            .build();
        assert!(allowed.is_ok());
    }

    #[test]
    fn numbers_and_durations_out_of_range_are_refused() {
        let refused = |b: ConfigBuilder| match b.build() {
            Err(Error::Request(RequestError::InvalidArgument { what, reason })) => {
                format!("{what}: {reason}")
            }
            other => panic!("{other:?}"),
        };
        let b = || ConfigBuilder::new("t");
        let huge = Duration::from_secs(10_000_000_000_000_000_000);
        let limits = |f: fn(&mut Limits)| {
            let mut l = Limits::default();
            f(&mut l);
            b().limits(l)
        };
        assert_eq!(
            refused(limits(
                |l| l.request_timeout = Duration::from_secs(10_000_000_000_000_000_000)
            )),
            "request timeout: 10000000000000000000s is out of range (1ms to 86400s)"
        );
        assert!(refused(limits(|l| l.connect_timeout = Duration::ZERO)).starts_with("connect"));
        assert!(
            refused(limits(|l| l.read_timeout = Duration::from_secs(86_401))).starts_with("read")
        );
        assert!(refused(limits(|l| l.max_body = 0)).starts_with("max body"));
        assert!(refused(b().wait_interval(Duration::ZERO)).starts_with("wait interval"));
        assert!(refused(b().wait_time(Some(huge))).starts_with("wait time"));
        assert!(refused(b().per_page(0)).starts_with("per_page"));
        assert!(refused(b().per_page(201)).starts_with("per_page"));
        let mut p = RetryPolicy {
            max_attempts: 0,
            ..RetryPolicy::default()
        };
        assert!(refused(b().retry(p.clone())).starts_with("max attempts"));
        p.max_attempts = 3;
        p.deadline = Some(huge);
        assert!(refused(b().retry(p)).starts_with("retry deadline"));
        // The edges are accepted.
        let edges = b()
            .per_page(1)
            .wait_interval(Duration::from_millis(1))
            .wait_time(Some(MAX_WAIT_TIME))
            .limits(Limits {
                connect_timeout: MAX_TIMEOUT,
                read_timeout: Duration::from_millis(1),
                request_timeout: MAX_TIMEOUT,
                max_body: 1,
            });
        assert!(edges.build().is_ok());
        assert!(b().wait_time(None).build().is_ok());
    }
}
