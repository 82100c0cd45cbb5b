//! Every DigitalOcean operation doapi offers, as a value.
//!
//! An operation knows its method, path, query and JSON body, and how to
//! decode its response ([`Endpoint`], from [`endpoint`](crate::endpoint));
//! [`Config::request`](crate::config::Config::request) turns it into an
//! `http::Request` and [`Endpoint::parse`] turns the response into a typed
//! value. Nothing here does I/O: the adapters send the requests, the
//! machines of this crate loop over pages and polls.
//!
//! To add an operation: a line in an `endpoint!` block for a simple one
//! (path parameters, no body), else a struct implementing [`Endpoint`]
//! (and [`List`] for a listing) in the file of its resource; then, if it
//! belongs to doapi's surface, a named method in
//! [`client::Api`](crate::client::Api). Both clients reach any operation
//! through `send(op)` and `list(op)` without further code.
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

#[macro_use]
mod common;

mod account;
mod actions;
mod domains;
mod droplets;
mod floating_ips;
mod images;
mod raw;
mod refs;
mod tags;

pub use account::*;
pub use actions::*;
pub use domains::*;
pub use droplets::*;
pub use floating_ips::*;
pub use images::*;
pub use raw::*;
pub use refs::{ImageRef, SshKeyRef};
pub use tags::*;

pub use crate::endpoint::{Endpoint, List, PathSegment};
pub use crate::target::ActionTarget;
