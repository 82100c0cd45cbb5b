//! The client's settings, checked: endpoint, token, user agent, page size,
//! wait defaults, retry policy and transport limits.
//!
//! A [`Config`] is plain data. Requests are built from it with
//! [`Config::request`], defined beside the operations in
//! [`endpoint::request`](crate::endpoint::request); settings are gathered
//! and checked by a [`ClientBuilder`](crate::builder::ClientBuilder).

use std::time::Duration;

use http::{HeaderMap, Uri};

use crate::budget::Allowance;
use crate::error::{host, RequestError, TransportError, TransportErrorKind};
use crate::machine::retry::RetryPolicy;
use crate::token::Token;
use crate::url::Origin;

/// The public DigitalOcean API.
pub const DEFAULT_ENDPOINT: &str = "https://api.digitalocean.com";

/// The default user agent: `doapi-rust/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("doapi-rust/", env!("CARGO_PKG_VERSION"));

/// The page size asked for by default: DigitalOcean's maximum, so a listing
/// costs as few requests as possible.
pub const DEFAULT_PER_PAGE: u32 = 200;

/// DigitalOcean's largest `per_page`.
pub const MAX_PER_PAGE: u32 = 200;

/// Everything a client's machines and transport need: endpoint, token, user
/// agent, page size, wait defaults, retry policy and transport limits.
#[derive(Clone, Debug)]
pub struct Config {
    endpoint: String,
    origin: Origin,
    token: Token,
    user_agent: String,
    per_page: u32,
    /// Time between polls of a wait (doapi's `wait_interval`); default 2 s.
    pub wait_interval: Duration,
    /// How long a wait may last before it fails with a timeout (doapi's
    /// `wait_time`); `None` waits without limit. Default 30 minutes.
    pub wait_time: Option<Duration>,
    /// The retry policy of every request the machines send.
    pub retry: RetryPolicy,
    /// The timeouts and body cap of the adapters' real transports.
    pub limits: Limits,
    /// The rate budget every request of the client draws from.
    pub allowance: Allowance,
}

impl Config {
    /// A configuration for the public API with the given token.
    pub fn new(token: Token) -> Self {
        let origin = Origin::of(&Uri::from_static(DEFAULT_ENDPOINT)).unwrap_or(Origin {
            scheme: "https".into(),
            host: "api.digitalocean.com".into(),
            port: 443,
        });
        Config {
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            origin,
            token,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            per_page: DEFAULT_PER_PAGE,
            wait_interval: Duration::from_secs(2),
            wait_time: Some(Duration::from_secs(30 * 60)),
            retry: RetryPolicy::default(),
            limits: Limits::default(),
            allowance: Allowance::default(),
        }
    }

    /// Sends requests to another endpoint (`scheme://host[:port][/prefix]`,
    /// without `/v2`). Plain `http://` is refused unless the host is a
    /// loopback address; see [`Config::with_insecure_endpoint`].
    pub fn with_endpoint(self, endpoint: &str) -> Result<Self, RequestError> {
        self.set_endpoint(endpoint, false)
    }

    /// Like [`Config::with_endpoint`], but also takes plain `http://` to a
    /// host that is not a loopback address. The token then crosses the
    /// network unencrypted: only for networks you trust.
    pub fn with_insecure_endpoint(self, endpoint: &str) -> Result<Self, RequestError> {
        self.set_endpoint(endpoint, true)
    }

    pub(crate) fn set_endpoint(
        mut self,
        endpoint: &str,
        allow_http: bool,
    ) -> Result<Self, RequestError> {
        let endpoint = endpoint.trim().trim_end_matches('/');
        let bad = |reason: &str| RequestError::InvalidUrl {
            url: endpoint.to_owned(),
            reason: reason.to_owned(),
        };
        let uri: Uri = endpoint.parse().map_err(|_| bad("not a URL"))?;
        let origin = Origin::of(&uri).ok_or_else(|| bad("need an http or https URL"))?;
        if uri.query().is_some() {
            return Err(bad("an endpoint has no query"));
        }
        if origin.scheme == "http" && !allow_http && !origin.is_loopback() {
            return Err(RequestError::InsecureEndpoint(endpoint.to_owned()));
        }
        self.endpoint = endpoint.to_owned();
        self.origin = origin;
        Ok(self)
    }

    /// Sets the user agent.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sets the page size of listings, clamped to 1..=200.
    pub fn with_per_page(mut self, per_page: u32) -> Self {
        self.per_page = per_page.clamp(1, MAX_PER_PAGE);
        self
    }

    /// Sets the retry policy of every request.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The endpoint, without a trailing slash.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The page size of listings.
    pub fn per_page(&self) -> u32 {
        self.per_page
    }

    /// The user agent.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The token.
    pub(crate) fn token(&self) -> &Token {
        &self.token
    }

    /// Whether `url` (absolute) is on the endpoint's origin, the only one
    /// the token is sent to.
    pub fn is_same_origin(&self, url: &str) -> bool {
        Origin::parse(url).is_some_and(|o| o == self.origin)
    }

    /// Refuses a URL that is not on the endpoint's origin.
    pub(crate) fn check_origin(&self, url: &str) -> Result<(), RequestError> {
        if self.is_same_origin(url) {
            Ok(())
        } else {
            Err(RequestError::ForeignOrigin {
                url: url.to_owned(),
                endpoint: self.endpoint.clone(),
            })
        }
    }
}

/// Timeouts and the response size cap of the adapters' real transports
/// (data only: the core never opens a connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time to resolve and connect, TLS included. Default 10 s.
    pub connect_timeout: Duration,
    /// Longest wait for the server once connected: for sending the request,
    /// and for each read of the response. Default 60 s.
    pub read_timeout: Duration,
    /// Longest one request may take, from connecting to the end of the
    /// body (each attempt; retries are the retry policy's). Default 120 s.
    pub request_timeout: Duration,
    /// Largest response body accepted. Default 32 MiB.
    pub max_body: u64,
}

impl Limits {
    /// Refuses a response to a request for `url` whose `Content-Length` is
    /// over [`max_body`](Self::max_body) before any of its body is read: a
    /// [`TransportErrorKind::TooLarge`] error naming the host. (A body
    /// without a length is cut off by the transport at the cap.)
    pub fn check_length(&self, url: &Uri, headers: &HeaderMap) -> Result<(), TransportError> {
        let length = headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
        match length {
            Some(n) if n > self.max_body => Err(self.too_large(url, Some(n))),
            _ => Ok(()),
        }
    }

    /// The error of a response to a request for `url` whose body is over
    /// [`max_body`](Self::max_body) (`length` bytes, when it says).
    pub fn too_large(&self, url: &Uri, length: Option<u64>) -> TransportError {
        let size = length.map_or("a body".to_owned(), |n| format!("a body of {n} bytes"));
        let message = format!("{}: {size} over the cap of {}", host(url), self.max_body);
        TransportError::new(TransportErrorKind::TooLarge, message)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(120),
            max_body: 32 * 1024 * 1024,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::new(Token::new("dop_v1_secret").unwrap())
    }

    #[test]
    fn the_token_is_not_shown() {
        assert!(!format!("{:?}", config()).contains("secret"));
    }

    #[test]
    fn plain_http_only_to_loopback() {
        let c = config;
        assert!(c().with_endpoint("http://127.0.0.1:8080").is_ok());
        assert!(c().with_endpoint("http://localhost:1/").is_ok());
        assert!(c().with_endpoint("http://[::1]:99").is_ok());
        assert_eq!(
            c().with_endpoint("http://10.0.0.1").unwrap_err(),
            RequestError::InsecureEndpoint("http://10.0.0.1".into())
        );
        assert!(c().with_insecure_endpoint("http://10.0.0.1").is_ok());
        assert!(c().with_endpoint("ftp://x").is_err());
        assert!(c().with_endpoint("https://x.test/v2?a=b").is_err());
        assert_eq!(
            c().with_endpoint("https://x.test/").unwrap().endpoint(),
            "https://x.test"
        );
    }

    #[test]
    fn origin_pinning() {
        let c = config();
        assert!(c.is_same_origin("https://api.digitalocean.com/v2/droplets?page=2"));
        assert!(c.is_same_origin("https://API.digitalocean.com:443/v2/x"));
        assert!(!c.is_same_origin("http://api.digitalocean.com/v2/x"));
        assert!(!c.is_same_origin("https://api.digitalocean.com.evil.test/v2/x"));
        assert!(!c.is_same_origin("https://api.digitalocean.com:8443/v2/x"));
        assert!(!c.is_same_origin("/v2/droplets"));
        let err = c.check_origin("https://evil.test/v2/droplets").unwrap_err();
        assert!(matches!(err, RequestError::ForeignOrigin { .. }));
    }
}
