//! The escape hatch: any request, and pagination of any listing (doapi
//! `request` and `paginate`).

use http::Method;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
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
        json_or_nothing(body)
    }
}

/// The body as JSON, or `None` for an empty one.
fn json_or_nothing<T: DeserializeOwned>(body: &[u8]) -> Result<Option<T>, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(None)
    } else {
        decode::value(body).map(Some)
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

/// [`Raw`] or [`RawList`] with the answer kept as its JSON text
/// ([`RawValue`], checked to be JSON) instead of a [`Value`] tree, which
/// costs some twenty to forty times the text: for passing an answer on or
/// printing it, as the command line's `doapi request` does.
#[derive(Debug, Clone, PartialEq)]
pub struct AsText<R>(pub R);

impl Endpoint for AsText<Raw> {
    type Output = Option<Box<RawValue>>;
    fn method(&self) -> Method {
        self.0.method()
    }
    fn path(&self) -> String {
        self.0.path()
    }
    fn query(&self) -> Vec<(String, String)> {
        self.0.query()
    }
    fn body(&self) -> Option<Value> {
        self.0.body()
    }
    fn validate(&self) -> Result<(), RequestError> {
        self.0.validate()
    }
    fn decode(&self, body: &[u8]) -> Result<Option<Box<RawValue>>, DecodeError> {
        json_or_nothing(body)
    }
}

impl Endpoint for AsText<RawList> {
    type Output = Page<Box<RawValue>>;
    fn path(&self) -> String {
        self.0.path()
    }
    fn query(&self) -> Vec<(String, String)> {
        self.0.query()
    }
    fn validate(&self) -> Result<(), RequestError> {
        self.0.validate()
    }
    fn decode(&self, body: &[u8]) -> Result<Page<Box<RawValue>>, DecodeError> {
        decode::page(body, &self.0.key)
    }
}

impl List for AsText<RawList> {
    type Item = Box<RawValue>;
}
