//! The escape hatch: any request, and pagination of any listing (doapi
//! `request` and `paginate`).

use http::Method;
use serde_json::Value;

use super::common::non_empty;
use crate::endpoint::decode::{self, Page};
use crate::endpoint::{Endpoint, List};
use crate::error::{DecodeError, RequestError};

/// Any request: a method on a path (`/v2/...`) or an absolute URL on the
/// endpoint's origin, with a query and a JSON body. The answer is the
/// decoded JSON, or `None` for an empty body.
#[derive(Debug, Clone, PartialEq)]
pub struct Raw {
    /// The method.
    pub method: Method,
    /// A path starting with `/`, or an absolute URL on the endpoint's origin.
    pub url: String,
    /// Query parameters.
    pub query: Vec<(String, String)>,
    /// The JSON body.
    pub body: Option<Value>,
}

impl Raw {
    /// A `GET` of a path or URL.
    pub fn get(url: impl Into<String>) -> Self {
        Raw {
            method: Method::GET,
            url: url.into(),
            query: Vec::new(),
            body: None,
        }
    }
}

impl Endpoint for Raw {
    type Output = Option<Value>;
    fn method(&self) -> Method {
        self.method.clone()
    }
    fn path(&self) -> String {
        self.url.clone()
    }
    fn query(&self) -> Vec<(String, String)> {
        self.query.clone()
    }
    fn body(&self) -> Option<Value> {
        self.body.clone()
    }
    fn validate(&self) -> Result<(), RequestError> {
        non_empty("URL", &self.url)
    }
    fn decode(&self, body: &[u8]) -> Result<Option<Value>, DecodeError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            Ok(None)
        } else {
            decode::value(body).map(Some)
        }
    }
}

/// Any listing: the items under `key` of each page, as JSON values.
#[derive(Debug, Clone, PartialEq)]
pub struct RawList {
    /// A path starting with `/`, or an absolute URL on the endpoint's origin.
    pub url: String,
    /// The key of the items, such as `droplets`.
    pub key: String,
    /// Query parameters of the first request.
    pub query: Vec<(String, String)>,
}

impl Endpoint for RawList {
    type Output = Page<Value>;
    fn path(&self) -> String {
        self.url.clone()
    }
    fn query(&self) -> Vec<(String, String)> {
        self.query.clone()
    }
    fn validate(&self) -> Result<(), RequestError> {
        non_empty("URL", &self.url)?;
        non_empty("list key", &self.key)
    }
    fn decode(&self, body: &[u8]) -> Result<Page<Value>, DecodeError> {
        decode::page(body, &self.key)
    }
}

impl List for RawList {
    type Item = Value;
}
