//! Every DigitalOcean operation doapi offers, as a value.
//!
//! An operation knows its method, path, query and JSON body, and how to
//! decode its response; [`Config::request`](crate::Config::request) turns it
//! into an `http::Request` and [`Endpoint::parse`] turns the response into a
//! typed value. Nothing here does I/O: the adapters send the requests, the
//! machines in this crate loop over pages and polls.
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

use std::net::IpAddr;

use http::{Method, Response};
use serde::Serialize;
use serde_json::Value;

use crate::decode::{Page, Reply};
use crate::error::{DecodeError, Error, RequestError};

mod account;
mod actions;
mod domains;
mod droplets;
mod floating_ips;
mod images;
mod raw;
mod tags;

pub use account::*;
pub use actions::*;
pub use domains::*;
pub use droplets::*;
pub use floating_ips::*;
pub use images::*;
pub use raw::*;
pub use tags::*;

/// One API operation: how to ask, and how to read the answer.
pub trait Endpoint {
    /// What a successful response decodes into.
    type Output;

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
    fn parse(&self, response: &Response<Vec<u8>>) -> Result<Reply<Self::Output>, Error> {
        crate::decode::response(response, |body| self.decode(body))
    }
}

/// A listing: an operation whose response is one page of items and whose
/// `links.pages.next` leads to the rest.
pub trait List: Endpoint<Output = Page<Self::Item>> {
    /// The type of the items.
    type Item;
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
        crate::config::segment(self)
    }
}

impl PathSegment for IpAddr {
    fn segment(&self) -> String {
        self.to_string()
    }
}

/// Declares simple operations: a struct of path parameters, a method, a
/// path template, and how the response decodes (`one T "key"`,
/// `page T "key"` or `empty`).
macro_rules! endpoint {
    ($(
        $(#[$m:meta])*
        $name:ident { $( $(#[$fm:meta])* $f:ident : $ft:ty ),* $(,)? }
        $method:ident $path:literal => $kind:ident $( $out:ty, $key:literal )?;
    )*) => { $(
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name { $( $(#[$fm])* pub $f: $ft, )* }

        impl $crate::endpoints::Endpoint for $name {
            type Output = endpoint!(@out $kind $($out)?);
            fn method(&self) -> ::http::Method {
                ::http::Method::$method
            }
            fn path(&self) -> String {
                $( let $f = $crate::endpoints::PathSegment::segment(&self.$f); )*
                format!($path)
            }
            fn decode(&self, body: &[u8]) -> Result<Self::Output, $crate::error::DecodeError> {
                endpoint!(@decode $kind body $($key)?)
            }
        }
        endpoint!(@list $kind $name $($out)?);
    )* };
    (@out one $out:ty) => { $out };
    (@out page $out:ty) => { $crate::decode::Page<$out> };
    (@out empty) => { () };
    (@decode one $body:ident $key:literal) => { $crate::decode::one($body, $key) };
    (@decode page $body:ident $key:literal) => { $crate::decode::page($body, $key) };
    (@decode empty $body:ident) => { $crate::decode::empty($body) };
    (@list page $name:ident $out:ty) => {
        impl $crate::endpoints::List for $name { type Item = $out; }
    };
    (@list $kind:ident $name:ident $($out:ty)?) => {};
}
pub(crate) use endpoint;

/// An image given by id or by slug, as create, restore and rebuild take it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ImageRef {
    /// An image id.
    Id(u64),
    /// An image slug, such as `ubuntu-24-04-x64`.
    Slug(String),
}

impl From<u64> for ImageRef {
    fn from(id: u64) -> Self {
        ImageRef::Id(id)
    }
}

impl From<&str> for ImageRef {
    fn from(slug: &str) -> Self {
        ImageRef::Slug(slug.to_owned())
    }
}

impl From<String> for ImageRef {
    fn from(slug: String) -> Self {
        ImageRef::Slug(slug)
    }
}

impl From<&crate::models::Image> for ImageRef {
    fn from(image: &crate::models::Image) -> Self {
        ImageRef::Id(image.id)
    }
}

/// An SSH key given by id or by fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum SshKeyRef {
    /// A key id.
    Id(u64),
    /// A key fingerprint.
    Fingerprint(String),
}

impl PathSegment for SshKeyRef {
    fn segment(&self) -> String {
        match self {
            SshKeyRef::Id(id) => id.segment(),
            SshKeyRef::Fingerprint(f) => f.segment(),
        }
    }
}

impl From<u64> for SshKeyRef {
    fn from(id: u64) -> Self {
        SshKeyRef::Id(id)
    }
}

impl From<&str> for SshKeyRef {
    fn from(fingerprint: &str) -> Self {
        SshKeyRef::Fingerprint(fingerprint.to_owned())
    }
}

impl From<&crate::models::SshKey> for SshKeyRef {
    fn from(key: &crate::models::SshKey) -> Self {
        SshKeyRef::Id(key.id)
    }
}

/// Refuses an empty string.
pub(crate) fn non_empty(what: &'static str, s: &str) -> Result<(), RequestError> {
    if s.trim().is_empty() {
        Err(RequestError::Empty { what })
    } else {
        Ok(())
    }
}

/// Serializes a body struct to JSON.
pub(crate) fn json<T: Serialize>(body: &T) -> Option<Value> {
    serde_json::to_value(body).ok()
}
