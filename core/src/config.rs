//! The client configuration, the token, and turning operations into
//! `http::Request`s.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use http::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{Method, Request, Uri};

use crate::endpoints::Endpoint;
use crate::error::RequestError;

/// The public DigitalOcean API.
pub const DEFAULT_ENDPOINT: &str = "https://api.digitalocean.com";

/// The default user agent: `doapi-rust/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("doapi-rust/", env!("CARGO_PKG_VERSION"));

/// The page size asked for by default: DigitalOcean's maximum, so a listing
/// costs as few requests as possible.
pub const DEFAULT_PER_PAGE: u32 = 200;

/// DigitalOcean's largest `per_page`.
pub const MAX_PER_PAGE: u32 = 200;

/// An API token. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Takes a token as a user may paste it: surrounding whitespace and
    /// quotes are removed. Refused if nothing is left or if it holds
    /// characters an HTTP header cannot carry.
    pub fn new(raw: &str) -> Result<Self, RequestError> {
        let t = raw.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        if t.is_empty() {
            return Err(RequestError::InvalidToken("empty"));
        }
        if !t.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(RequestError::InvalidToken(
                "only visible ASCII characters are allowed",
            ));
        }
        Ok(Token(t.to_owned()))
    }

    fn header(&self) -> HeaderValue {
        // Visible ASCII only (checked in `new`), so this cannot fail.
        let mut v = HeaderValue::from_str(&format!("Bearer {}", self.0))
            .unwrap_or_else(|_| HeaderValue::from_static("Bearer"));
        v.set_sensitive(true);
        v
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// scheme, host, port: what the token is pinned to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    fn of(uri: &Uri) -> Option<Origin> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => 443,
            "http" => 80,
            _ => return None,
        };
        let auth = uri.authority()?;
        Some(Origin {
            host: auth.host().to_ascii_lowercase(),
            port: auth.port_u16().unwrap_or(default_port),
            scheme,
        })
    }

    fn is_loopback(&self) -> bool {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }
}

/// Everything needed to build requests: endpoint, token, user agent, page
/// size, and the wait defaults the adapters use.
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
}

impl Config {
    /// A configuration for the public API with the given token.
    pub fn new(token: Token) -> Self {
        let uri = Uri::from_static(DEFAULT_ENDPOINT);
        Config {
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            origin: Origin::of(&uri).unwrap_or(Origin {
                scheme: "https".into(),
                host: "api.digitalocean.com".into(),
                port: 443,
            }),
            token,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            per_page: DEFAULT_PER_PAGE,
            wait_interval: Duration::from_secs(2),
            wait_time: Some(Duration::from_secs(30 * 60)),
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

    fn set_endpoint(mut self, endpoint: &str, allow_http: bool) -> Result<Self, RequestError> {
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

    /// Whether `url` (absolute) is on the endpoint's origin, the only one
    /// the token is sent to.
    pub fn is_same_origin(&self, url: &str) -> bool {
        url.parse::<Uri>()
            .ok()
            .and_then(|u| Origin::of(&u))
            .is_some_and(|o| o == self.origin)
    }

    /// The request for an operation. For listings, use
    /// [`Config::list_request`], which adds `per_page`.
    pub fn request<E: Endpoint>(&self, op: &E) -> Result<Request<Vec<u8>>, RequestError> {
        op.validate()?;
        let mut url = self.resolve(&op.path())?;
        append_query(&mut url, &op.query());
        let body = op
            .body()
            .map(|b| serde_json::to_vec(&b).unwrap_or_default());
        self.build(op.method(), &url, body)
    }

    /// The first request of a listing: the operation's request with
    /// `per_page` added (unless the operation sets it, in its query or in
    /// the query of its path).
    pub fn list_request<E: Endpoint>(&self, op: &E) -> Result<Request<Vec<u8>>, RequestError> {
        op.validate()?;
        let mut query = op.query();
        let path = op.path();
        let in_path = path.split_once('?').is_some_and(|(_, q)| {
            q.split('&')
                .any(|kv| kv.split('=').next() == Some("per_page"))
        });
        if !in_path && !query.iter().any(|(k, _)| k == "per_page") {
            query.push(("per_page".into(), self.per_page.to_string()));
        }
        let mut url = self.resolve(&path)?;
        append_query(&mut url, &query);
        self.build(op.method(), &url, None)
    }

    /// A `GET` of an absolute URL, such as a listing's `links.pages.next`.
    /// Refused unless it is on the endpoint's origin.
    pub fn get_url(&self, url: &str) -> Result<Request<Vec<u8>>, RequestError> {
        self.check_origin(url)?;
        self.build(Method::GET, url, None)
    }

    /// Resolves a path (`/v2/...`) or absolute URL to a full URL on the
    /// endpoint's origin.
    pub fn resolve(&self, path_or_url: &str) -> Result<String, RequestError> {
        if path_or_url.starts_with('/') {
            Ok(format!("{}{}", self.endpoint, path_or_url))
        } else {
            self.check_origin(path_or_url)?;
            Ok(path_or_url.to_owned())
        }
    }

    fn check_origin(&self, url: &str) -> Result<(), RequestError> {
        if self.is_same_origin(url) {
            Ok(())
        } else {
            Err(RequestError::ForeignOrigin {
                url: url.to_owned(),
                endpoint: self.endpoint.clone(),
            })
        }
    }

    fn build(
        &self,
        method: Method,
        url: &str,
        body: Option<Vec<u8>>,
    ) -> Result<Request<Vec<u8>>, RequestError> {
        let mut req = Request::builder()
            .method(method)
            .uri(url)
            .header(AUTHORIZATION, self.token.header())
            .header(ACCEPT, "application/json")
            .header(
                USER_AGENT,
                HeaderValue::from_str(&self.user_agent)
                    .unwrap_or_else(|_| HeaderValue::from_static(DEFAULT_USER_AGENT)),
            );
        if body.is_some() {
            req = req.header(CONTENT_TYPE, "application/json");
        }
        req.body(body.unwrap_or_default())
            .map_err(|e| RequestError::InvalidUrl {
                url: url.to_owned(),
                reason: e.to_string(),
            })
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

/// The environment variables a client reads its token from, in order.
pub const TOKEN_VARS: [&str; 2] = ["DIGITALOCEAN_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN"];

/// The environment variable naming another endpoint.
pub const ENDPOINT_VAR: &str = "DIGITALOCEAN_API_URL";

/// The settings of a client before they are checked: token, endpoint, page
/// size, wait defaults, user agent. [`ConfigBuilder::build`] checks them
/// into a [`Config`]. The adapters' client builders forward these setters
/// (see [`forward_config_setters!`](crate::forward_config_setters)).
#[derive(Clone, Default)]
pub struct ConfigBuilder {
    token: String,
    endpoint: Option<String>,
    insecure_http: bool,
    per_page: Option<u32>,
    wait_interval: Option<Duration>,
    wait_time: Option<Option<Duration>>,
    user_agent: Option<String>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("token", &"<redacted>")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// Settings starting from a token, as a user may paste it.
    pub fn new(token: &str) -> Self {
        ConfigBuilder {
            token: token.to_owned(),
            ..ConfigBuilder::default()
        }
    }

    /// Settings from environment variables, read with `var`: the token
    /// from [`TOKEN_VARS`], the endpoint from [`ENDPOINT_VAR`] if set.
    /// (`var` is `|k| std::env::var(k).ok()` in a program; the core itself
    /// reads no environment.)
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, RequestError> {
        let set = |k: &str| var(k).filter(|v| !v.trim().is_empty());
        let token = TOKEN_VARS
            .iter()
            .find_map(|k| set(k))
            .ok_or(RequestError::InvalidToken(
                "set DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN",
            ))?;
        Ok(ConfigBuilder {
            endpoint: set(ENDPOINT_VAR),
            ..ConfigBuilder::new(&token)
        })
    }

    /// See [`Config::with_endpoint`].
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// See [`Config::with_insecure_endpoint`].
    pub fn allow_insecure_http(mut self) -> Self {
        self.insecure_http = true;
        self
    }

    /// See [`Config::with_per_page`].
    pub fn per_page(mut self, n: u32) -> Self {
        self.per_page = Some(n);
        self
    }

    /// See [`Config::wait_interval`].
    pub fn wait_interval(mut self, d: Duration) -> Self {
        self.wait_interval = Some(d);
        self
    }

    /// See [`Config::wait_time`].
    pub fn wait_time(mut self, d: Option<Duration>) -> Self {
        self.wait_time = Some(d);
        self
    }

    /// See [`Config::with_user_agent`].
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// Checks the settings: the token, the endpoint.
    pub fn build(self) -> Result<Config, RequestError> {
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
        Ok(config)
    }
}

/// Writes, inside an adapter's `impl` of its client builder, the setters of
/// [`ConfigBuilder`], each forwarding to the builder's field `$field`. One
/// list of settings, documented once, for both clients.
#[macro_export]
macro_rules! forward_config_setters {
    ($field:ident) => {
        /// Another endpoint (`scheme://host[:port]`, without `/v2`), such as a
        /// simulator's URL. Plain `http://` is refused unless the host is a
        /// loopback address or
        /// [`allow_insecure_http`](Self::allow_insecure_http) is set.
        pub fn endpoint(mut self, url: impl Into<String>) -> Self {
            self.$field = self.$field.endpoint(url);
            self
        }

        /// Allows sending the token over plain `http://` to a host that is
        /// not a loopback address. Only for networks you trust.
        pub fn allow_insecure_http(mut self) -> Self {
            self.$field = self.$field.allow_insecure_http();
            self
        }

        /// Items per page of listings (1 to 200; default 200).
        pub fn per_page(mut self, n: u32) -> Self {
            self.$field = self.$field.per_page(n);
            self
        }

        /// Time between polls of a wait (doapi's `wait_interval`; default
        /// 2 s).
        pub fn wait_interval(mut self, d: ::std::time::Duration) -> Self {
            self.$field = self.$field.wait_interval(d);
            self
        }

        /// Longest a wait may last (doapi's `wait_time`); `None` waits
        /// without limit. Default 30 minutes.
        pub fn wait_time(mut self, d: Option<::std::time::Duration>) -> Self {
            self.$field = self.$field.wait_time(d);
            self
        }

        /// The user agent (default `doapi-rust/<version>`).
        pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
            self.$field = self.$field.user_agent(ua);
            self
        }
    };
}

/// Appends `?k=v&...`, percent-encoded, to a URL.
fn append_query(url: &mut String, query: &[(String, String)]) {
    for (i, (k, v)) in query.iter().enumerate() {
        url.push(if i == 0 && !url.contains('?') {
            '?'
        } else {
            '&'
        });
        encode_into(url, k);
        url.push('=');
        encode_into(url, v);
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub(crate) fn encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// A path segment, percent-encoded.
pub(crate) fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_trimmed_and_never_shown() {
        let t = Token::new("  \"dop_v1_secret\"\n").unwrap();
        assert_eq!(t.0, "dop_v1_secret");
        assert!(!format!("{t:?} {t}").contains("secret"));
        assert_eq!(Token::new(" '' "), Err(RequestError::InvalidToken("empty")));
        assert!(Token::new("a b").is_err());
        let c = Config::new(t);
        assert!(!format!("{c:?}").contains("secret"));
    }

    #[test]
    fn plain_http_only_to_loopback() {
        let c = || Config::new(Token::new("t").unwrap());
        assert!(c().with_endpoint("http://127.0.0.1:8080").is_ok());
        assert!(c().with_endpoint("http://localhost:1/").is_ok());
        assert!(c().with_endpoint("http://[::1]:99").is_ok());
        assert_eq!(
            c().with_endpoint("http://10.0.0.1").unwrap_err(),
            RequestError::InsecureEndpoint("http://10.0.0.1".into())
        );
        assert!(c().with_insecure_endpoint("http://10.0.0.1").is_ok());
        assert!(c().with_endpoint("ftp://x").is_err());
        assert_eq!(
            c().with_endpoint("https://x.test/").unwrap().endpoint(),
            "https://x.test"
        );
    }

    #[test]
    fn origin_pinning() {
        let c = Config::new(Token::new("t").unwrap());
        assert!(c.is_same_origin("https://api.digitalocean.com/v2/droplets?page=2"));
        assert!(c.is_same_origin("https://API.digitalocean.com:443/v2/x"));
        assert!(!c.is_same_origin("http://api.digitalocean.com/v2/x"));
        assert!(!c.is_same_origin("https://api.digitalocean.com.evil.test/v2/x"));
        assert!(!c.is_same_origin("https://api.digitalocean.com:8443/v2/x"));
        assert!(!c.is_same_origin("/v2/droplets"));
        let err = c.get_url("https://evil.test/v2/droplets").unwrap_err();
        assert!(matches!(err, RequestError::ForeignOrigin { .. }));
    }

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
        let c = b.per_page(50).wait_time(None).build().unwrap();
        assert_eq!(c.endpoint(), "http://127.0.0.1:4010");
        assert_eq!((c.per_page(), c.wait_time), (50, None));
        assert_eq!(
            ConfigBuilder::from_vars(vars(&[])).unwrap_err(),
            RequestError::InvalidToken("set DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN")
        );
        let refused = ConfigBuilder::new("t").endpoint("http://10.1.1.1").build();
        assert!(matches!(refused, Err(RequestError::InsecureEndpoint(_))));
        let allowed = ConfigBuilder::new("t")
            .endpoint("http://10.1.1.1")
            .allow_insecure_http()
            .build();
        assert!(allowed.is_ok());
    }

    #[test]
    fn query_is_encoded() {
        let mut url = "https://h/p".to_owned();
        append_query(&mut url, &[("tag_name".into(), "env:prod & x".into())]);
        assert_eq!(url, "https://h/p?tag_name=env%3Aprod%20%26%20x");
    }
}
