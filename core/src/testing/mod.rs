//! Deterministic tests of anything built on the machines, without sockets,
//! sleeps or a DigitalOcean account (feature `testing`).
//!
//! - [`Replay`] plays recorded [`Exchange`]s: each request the machine sends
//!   must be the next one recorded (method, URL and, if recorded, JSON
//!   body), and gets the recorded answer. An unexpected request, and a
//!   recorded one never sent, are errors ([`ReplayError`]).
//! - [`FakeClock`] is virtual time: it only moves when told to.
//! - [`Harness`] drives any [`Machine`](crate::machine::Machine) with the two, the way the adapters
//!   do with real I/O, except that instead of sleeping the clock jumps
//!   straight to
//!   [`Machine::poll_timeout`](crate::machine::Machine::poll_timeout). A test then checks what was
//!   sent ([`Harness::sent`]) and how much virtual time it took
//!   ([`Harness::elapsed`]).
//! - [`OfflineTransport`] is a whole world for an adapter's transport (a
//!   clock and a responder: a replay, or an in-process simulator), and
//!   [`Exchange::to_json_line`] / [`Replay::from_cassette`] write and read
//!   cassettes of real exchanges ([`Recording`]).
//!
//! A user's own test: an action that is in progress, then fails once with a
//! `503`, then is completed.
//!
//! ```
//! use std::time::Duration;
//! use doapi_core::testing::{Exchange, Harness, Replay};
//! use doapi_core::{Config, RetryPolicy, Token, WaitActions};
//! use serde_json::json;
//!
//! let action = |status| json!({"action": {"id": 7, "status": status, "type": "reboot"}});
//! let replay = Replay::new()
//!     .then(Exchange::get("/v2/actions/7").json(200, &action("in-progress")))
//!     .then(Exchange::get("/v2/actions/7").respond(503, "try again"))
//!     .then(Exchange::get("/v2/actions/7").json(200, &action("completed")));
//!
//! let config = Config::new(Token::new("test-token")?)
//!     .with_retry(RetryPolicy::default().without_jitter());
//! let mut harness = Harness::new(replay);
//! let mut wait = WaitActions::action_ids(&config, [7], harness.now());
//! let outputs = harness.run(&mut wait)?;
//!
//! assert_eq!(outputs.len(), 1);
//! assert!(outputs[0].as_ref().is_ok_and(|a| a.is_completed()));
//! assert_eq!(harness.sent().len(), 3);
//! // Polls at 0 s and 2 s (the wait interval), then 1 s of backoff.
//! assert_eq!(harness.elapsed(), Duration::from_secs(3));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod cassette;
pub mod clock;
pub mod harness;
pub mod offline;
pub mod replay;

pub use cassette::{Cassette, Recorder, Recording};
pub use clock::FakeClock;
pub use harness::{drive, Harness, HarnessStep, Run};
pub use offline::{OfflineTransport, RespondFn, Timed};
pub use replay::{Exchange, Replay, ReplayError};
