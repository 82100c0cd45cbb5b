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
//!
//! # Layers
//!
//! Each module imports only modules of the layers below it; the module
//! graph has no cycle (`tests/modules.rs` checks it, and prints it with
//! `--nocapture`).
//!
//! | layer | modules | what |
//! |---|---|---|
//! | values | [`text`], [`error`], [`token`], [`url`], [`ratelimit`], [`models`], [`target`], [`wait::state`] | server text made safe to show, errors, the token, URLs and the origin pin, rate limits and response facts, the models, what has actions, where a wait's targets stand |
//! | settings | [`machine::retry`], [`budget`], [`config`], [`builder`] | the retry policy, the shared rate budget, the checked settings, the one builder |
//! | operations | [`endpoint`], [`endpoints`] | the `Endpoint` and `List` traits, request building and decoding; the operation values |
//! | machines | [`machine`], [`call`], [`paginate`], [`wait`] | the protocol and one retried request; one call; lazy pages; the waits (acceptors and round planner pure) |
//! | session | [`session`], [`client`], [`prelude`] | the session that builds every machine and does the bookkeeping of every exchange; the [`Api`] every client offers; what a client crate re-exports |
//! | tests | `testing` (feature) | fake clock, replay, cassettes, harness, offline world |
//!
//! # Driving a machine
//!
//! The calling contract is in [`machine`]; [`Session::next`] and
//! [`Session::answer`] are that contract one step at a time, with the
//! bookkeeping (last response, spans) done for the driver. An adapter is a
//! transport, a drive loop over those two calls, and its `Iterator` or
//! `Stream` wrappers; it implements [`Api`] and gets every method.
//!
//! # Adding an operation
//!
//! Write it as a value in [`endpoints`] (one line of an `endpoint!` block
//! for a simple one, else a struct implementing
//! [`Endpoint`](endpoint::Endpoint), and [`List`](endpoint::List) for a
//! listing). It then works in both clients through [`Api::send`] and
//! [`Api::list`]; a doapi-shaped name for it is one provided method of
//! [`Api`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub use http;
pub use serde_json;

pub mod api;
pub mod budget;
pub mod builder;
pub mod call;
pub mod client;
pub mod config;
pub mod endpoint;
pub mod endpoints;
pub mod error;
pub mod find;
pub mod machine;
pub mod models;
pub mod paginate;
pub mod prelude;
pub mod ratelimit;
pub mod session;
pub mod specs;
pub mod target;
#[cfg(feature = "testing")]
pub mod testing;
pub mod text;
pub mod token;
pub mod url;
pub mod wait;

pub use budget::{Allowance, Budget, Priority};
pub use builder::{ClientBuilder, ConfigBuilder, Connect, ENDPOINT_VAR, TOKEN_VARS};
pub use call::Call;
pub use client::Api;
pub use config::{Config, Limits, DEFAULT_ENDPOINT, DEFAULT_PER_PAGE, DEFAULT_USER_AGENT};
pub use endpoint::decode::{Decoded, Page};
pub use error::{ApiError, DecodeError, Error, RequestError, TransportError, TransportErrorKind};
pub use machine::retry::RetryPolicy;
pub use machine::{Answer, Attempt, Cancel, Machine, MapOutput, Tag};
pub use paginate::Paginator;
pub use ratelimit::{LastSeen, RateLimit, ResponseInfo};
pub use session::{Metered, Next, Outgoing, Pending, Session};
pub use token::Token;
pub use wait::{
    Resource, Target, TargetState, Until, Verdict, Wait, WaitActions, WaitActionsOnObjects,
    WaitDroplets, WaitForAction, WaitStates, Waitable,
};
