//! # doapi-core
//!
//! The sans-IO core of doapi, a DigitalOcean API v2 client: every operation
//! as a value ([`endpoints`]), lossless typed models ([`models`]), errors,
//! rate limits, and the state machines that page, poll and retry. It builds
//! `http::Request`s and reads `http::Response`s; it never opens a socket,
//! never reads a clock and never sleeps. The adapters `doapi-blocking` and
//! `doapi-async` drive it with real I/O.
//!
//! ```
//! use doapi_core::{Config, Token, endpoints::{Endpoint, ListDroplets}};
//!
//! let config = Config::new(Token::new("my-token")?);
//! let req = config.list_request(&ListDroplets { tag_name: Some("web".into()) })?;
//! assert_eq!(req.uri(), "https://api.digitalocean.com/v2/droplets?tag_name=web&per_page=200");
//! assert_eq!(req.headers()["user-agent"], doapi_core::DEFAULT_USER_AGENT);
//! # Ok::<(), doapi_core::RequestError>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub use http;
pub use serde_json;

pub mod call;
pub mod config;
pub mod decode;
pub mod endpoints;
pub mod error;
pub mod machine;
pub mod models;
pub mod paginate;
pub mod ratelimit;
pub mod retry;
pub mod surface;
#[cfg(feature = "testing")]
pub mod testing;
pub mod wait;
pub mod wait_objects;

pub use config::{
    Config, ConfigBuilder, Limits, Token, DEFAULT_ENDPOINT, DEFAULT_PER_PAGE, DEFAULT_USER_AGENT,
};
pub use decode::{Page, Reply};
pub use error::{ApiError, DecodeError, Error, RequestError};
pub use ratelimit::{LastSeen, RateLimit, ResponseInfo};

pub use call::Call;
pub use machine::{Answer, Attempt, Cancel, Machine, TransportError, TransportErrorKind};
pub use paginate::Paginator;
pub use retry::RetryPolicy;
pub use wait::{
    TargetState, Until, Wait, WaitActions, WaitDroplets, WaitForAction, WaitStates, Waitable,
};
pub use wait_objects::{ObjectState, Resource, WaitActionsOnObjects};
