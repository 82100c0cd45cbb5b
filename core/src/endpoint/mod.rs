//! What an operation is: the [`Endpoint`] and [`List`] traits, how a
//! request is built from one ([`request`]) and how its response is decoded
//! ([`decode`]). Pure functions: nothing here does I/O.
//!
//! The operations themselves are values in
//! [`endpoints`](crate::endpoints) (the droplet area, made by hand); each
//! implements [`Endpoint`], and a listing also [`List`].
//!
//! ```
//! use doapi_core::{Config, Token, endpoints::{Endpoint, GetDroplet}};
//!
//! let config = Config::new(Token::new("my-token").unwrap());
//! let req = config.request(&GetDroplet { id: 42 }).unwrap();
//! assert_eq!(req.uri(), "https://api.digitalocean.com/v2/droplets/42");
//!
//! let body = br#"{"id": "not_found", "message": "The resource could not be found."}"#;
//! let resp = http::Response::builder().status(404).body(body.to_vec()).unwrap();
//! let err = GetDroplet { id: 42 }.parse(&resp).unwrap_err();
//! assert!(err.is_not_found());
//! ```

pub mod decode;
pub mod request;

use std::net::IpAddr;

use http::{Method, Response};
use serde_json::Value;

use crate::error::{DecodeError, Error, RequestError};
use crate::url::segment;

/// One API operation: how to ask, and how to read the answer. Operations
/// are plain data (`Send + 'static`), so any client can carry them across
/// threads and tasks.
pub trait Endpoint: Send + 'static {
    /// What a successful response decodes into.
    type Output: Send + 'static;

    /// The HTTP method.
    fn method(&self) -> Method {
        Method::GET
    }

    /// The path (`/v2/...`), with segments percent-encoded; or, for the raw
    /// escape hatch, an absolute URL on the endpoint's origin.
    fn path(&self) -> String;

    /// Query parameters, not yet encoded.
    fn query(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    /// Headers the operation sends besides the client's own; one of the
    /// same name replaces the client's.
    fn headers(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// The JSON body, if the operation sends one.
    fn body(&self) -> Option<Value> {
        None
    }

    /// Refuses input DigitalOcean would refuse, before anything is sent.
    fn validate(&self) -> Result<(), RequestError> {
        Ok(())
    }

    /// Decodes the body of a successful response.
    fn decode(&self, body: &[u8]) -> Result<Self::Output, DecodeError>;

    /// Checks the status of a response and decodes it.
    fn parse(&self, response: &Response<Vec<u8>>) -> Result<decode::Decoded<Self::Output>, Error> {
        decode::response(response, |body| self.decode(body))
    }
}

/// A listing: an operation whose response is one page of items and whose
/// `links.pages.next` leads to the rest.
pub trait List: Endpoint<Output = decode::Page<Self::Item>> {
    /// The type of the items.
    type Item: Send + 'static;
}

/// A value that can stand in a path: numbers as they are, text
/// percent-encoded.
pub trait PathSegment {
    /// The encoded segment.
    fn segment(&self) -> String;
}

impl PathSegment for u64 {
    fn segment(&self) -> String {
        self.to_string()
    }
}

impl PathSegment for String {
    fn segment(&self) -> String {
        segment(self)
    }
}

impl PathSegment for IpAddr {
    fn segment(&self) -> String {
        self.to_string()
    }
}
