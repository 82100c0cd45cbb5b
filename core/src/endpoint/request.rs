//! Building the `http::Request` of an operation: [`Config::request`] and
//! the other request builders of [`Config`], defined here, beside the
//! operations, so that the configuration knows nothing of them.

use http::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{Method, Request};

use crate::config::{Config, DEFAULT_USER_AGENT};
use crate::endpoint::Endpoint;
use crate::error::RequestError;
use crate::url::{append_query, query_has, query_value};

impl Config {
    /// The request of an operation. For listings, use
    /// [`Config::list_request`], which adds `per_page`.
    pub fn request<E: Endpoint>(&self, op: &E) -> Result<Request<Vec<u8>>, RequestError> {
        op.validate()?;
        let mut url = self.resolve(&op.path())?;
        append_query(&mut url, &op.query());
        let body = op
            .body()
            .map(|b| serde_json::to_vec(&b).unwrap_or_default());
        let req = self.build(op.method(), &url, body)?;
        with_headers(req, op)
    }

    /// The first request of a listing: the operation's request with
    /// `per_page` added (unless the operation sets it, in its query or in
    /// the query of its path).
    pub fn list_request<E: Endpoint>(&self, op: &E) -> Result<Request<Vec<u8>>, RequestError> {
        op.validate()?;
        let mut query = op.query();
        let path = op.path();
        if !query_has(&path, "per_page") && !query.iter().any(|(k, _)| k == "per_page") {
            query.push(("per_page".into(), self.per_page().to_string()));
        }
        let mut url = self.resolve(&path)?;
        append_query(&mut url, &query);
        let req = self.build(op.method(), &url, None)?;
        with_headers(req, op)
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
            Ok(format!("{}{}", self.endpoint(), path_or_url))
        } else {
            self.check_origin(path_or_url)?;
            Ok(path_or_url.to_owned())
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
            .header(AUTHORIZATION, self.token().header())
            .header(ACCEPT, "application/json")
            .header(
                USER_AGENT,
                HeaderValue::from_str(self.user_agent())
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

/// Adds an operation's own headers, replacing the client's of the same
/// name.
fn with_headers<E: Endpoint>(
    mut req: Request<Vec<u8>>,
    op: &E,
) -> Result<Request<Vec<u8>>, RequestError> {
    for (name, value) in op.headers() {
        let bad = |reason: String| RequestError::InvalidArgument {
            what: "header",
            reason,
        };
        let name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|e| bad(format!("{name}: {e}")))?;
        let value = HeaderValue::from_str(&value).map_err(|e| bad(format!("{name}: {e}")))?;
        req.headers_mut().insert(name, value);
    }
    Ok(req)
}

/// The page size a listing asks for: the `per_page` the operation sets (in
/// its query or its path's query), else the configuration's. At least 1.
pub fn page_size<E: Endpoint>(config: &Config, op: &E) -> u64 {
    let path = op.path();
    let query = op.query();
    let set = query
        .iter()
        .find(|(k, _)| k == "per_page")
        .map(|(_, v)| v.as_str())
        .or_else(|| query_value(&path, "per_page"));
    set.and_then(|v| v.parse().ok())
        .unwrap_or(u64::from(config.per_page()))
        .max(1)
}
