//! # doapi-sim
//!
//! A stateful local DigitalOcean API v2, so clients can be tested and
//! benchmarked offline. Three layers:
//!
//! - [`Sim`]: the sans-IO model. `handle(&request, now) -> Served`, where
//!   `now` is an `Instant` you choose: droplets boot, actions complete and
//!   rate windows slide only as `now` moves, so a test can jump an hour
//!   without sleeping. The same seed, clock and requests give the same
//!   responses, byte for byte.
//! - [`SimServer`] (feature `server`): the model behind a tokio + hyper
//!   HTTP/1.1 server on 127.0.0.1 (Nagle off, keep-alive on), on the real
//!   clock; embeddable in a test with [`SimServer::start`] (async) or
//!   [`SimServer::start_blocking`].
//! - the `doapi-sim` binary (feature `server`):
//!   `cargo run -p doapi-sim -- --port 8080`.
//!
//! What it models: droplets that go `new` → `active` after
//! [`SimConfig::boot_delay`]; droplet, image and floating IP actions that
//! stay `in-progress` (and the resource `locked`) for
//! [`SimConfig::action_delay`], then complete with their effect (power,
//! rename, resize, rebuild, snapshot images, backups, IPv6, kernels,
//! transfers, assignments) or end `errored` when configured; tags on
//! droplets and images that filter listings and drive delete and act by
//! tag; domains and records; SSH keys by id or fingerprint; floating IPs;
//! regions, sizes, images and kernels with DigitalOcean's slugs; the
//! account.
//!
//! DigitalOcean's conventions: listings paged with absolute
//! `links.pages` URLs that carry `per_page` (`next` left out on the last
//! page), `meta.total`, `per_page` up to 200 (default 20); a resource's
//! actions newest first; errors `{"id", "message", "request_id"}`; 401
//! without a bearer token; `ratelimit-limit`, `ratelimit-remaining` and
//! `ratelimit-reset` from a per-token budget (5,000 an hour and 250 a
//! minute by default) and 429 with `Retry-After` when it is spent;
//! `x-request-id` and `Date` on every response. Create answers 202,
//! actions 201, deletes 204.
//!
//! Faults ([`FaultRule`]): 429, 5xx (or any error status) at a rate or on
//! a schedule, added
//! latency, dropped connections, truncated and malformed bodies.
//! Statistics ([`Stats`]) count requests by route and status.
//!
//! ## Features
//!
//! - `server` (on by default): [`SimServer`] and the `doapi-sim` binary,
//!   with tokio, hyper, hyper-util and http-body-util. Without it
//!   (`default-features = false`) the crate is the model alone, on http,
//!   serde, serde_json and chrono: what an in-process test needs, with no
//!   async runtime.
//! - `prism` (implies `server`): the conformance harness `doapi_sim::prism`,
//!   Stoplight Prism's validating proxy in front of a [`SimServer`], for
//!   test suites.
//!
// Without `server` there is no `SimServer`: its links lead to the features.
#![cfg_attr(
    not(feature = "server"),
    doc = "[`SimServer`]: #features\n[`SimServer::start`]: #features\n[`SimServer::start_blocking`]: #features"
)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod api;
mod catalog;
mod cloud;
mod config;
mod faults;
mod index;
mod model;
#[cfg(feature = "prism")]
pub mod prism;
mod ratelimit;
mod resources;
mod routes;
#[cfg(feature = "server")]
mod server;
mod stats;
mod wire;

pub use config::{Fault, FaultParseError, FaultRule, SimConfig, Trigger};
pub use model::{Delivery, Served, Sim};
#[cfg(feature = "server")]
pub use server::SimServer;
pub use stats::{RouteStats, Stats};
