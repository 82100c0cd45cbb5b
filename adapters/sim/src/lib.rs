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
//! What it models (130 routes, [`Sim::routes`]): droplets that go `new` →
//! `active` after [`SimConfig::boot_delay`]; droplet, image, reserved IP and
//! volume actions that stay `in-progress` (and the resource `locked`) for
//! [`SimConfig::action_delay`], then complete with their effect (power,
//! rename, resize, rebuild, snapshot images, backups and backup policies,
//! IPv6, kernels, transfers, assignments, attaching, detaching and growing
//! volumes) or end `errored` when configured; tags on droplets, images,
//! volumes and volume snapshots that filter listings and drive delete and
//! act by tag; domains and records; SSH keys by id or fingerprint; reserved
//! IPs v4 (also served as floating IPs, the same state) and v6; volumes and
//! volume snapshots; `/v2/snapshots`; firewalls; VPCs with a default per
//! region; projects with the default project, where new resources land, and
//! resources by URN; load balancers `new` for [`SimConfig::lb_delay`], then
//! `active`; certificates; backup policies; destroying a droplet with its
//! associated resources; `gpu_info`; regions, sizes, images and kernels with
//! DigitalOcean's slugs; the account. The relations hold both ways (an
//! attached volume is in the droplet's `volume_ids`, an assigned reserved IP
//! in its `networks`, ...), and a deleted droplet leaves its volumes,
//! addresses, firewalls, load balancers and project. A field sent as `null`
//! counts as absent, as real clients (godo) send them.
//!
//! DigitalOcean's conventions: listings paged with absolute
//! `links.pages` URLs that carry `per_page` (`next` left out on the last
//! page), `meta.total`, `per_page` up to 200 (default 20); a resource's
//! actions newest first; errors `{"id", "message", "request_id"}`; 401
//! without a bearer token; `ratelimit-limit`, `ratelimit-remaining` and
//! `ratelimit-reset` from a per-token budget (5,000 an hour and 250 a
//! minute by default; with the budget off, a large allowance) and 429 with
//! `Retry-After` when it is spent;
//! `x-request-id` and `Date` on every response. Creates and actions answer
//! 201 or 202 as the spec says for each resource, deletes 204.
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
