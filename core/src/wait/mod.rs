//! Waiting for droplets and actions, cheaply.
//!
//! [`Wait`] polls many targets at once (droplets until a status or a
//! `locked` value, actions until done) and yields each target's final state
//! as it finishes; [`WaitForAction`] is doapi's `wait_for_action`, and
//! [`WaitActionsOnObjects`] its `wait_actions_on_objects`.
//!
//! # Modules
//!
//! - [`state`]: where each target stands ([`TargetState`], [`WaitStates`]),
//!   what the errors of an early end carry;
//! - [`accept`]: the acceptors, pure: is a target done, failed, or not yet?
//! - [`plan`]: the round planner, pure: which listing costs fewest requests,
//!   and how far apart rounds must be for the rate-limit budget;
//! - `core`: what every wait shares (its settings from the configuration,
//!   its deadline, outputs and end);
//! - `hub`: the polling shared by the waits of a session;
//! - `targets`, `for_action`, `objects`: the three wait machines on
//!   droplets and actions; `load_balancer`: a load balancer until active.
//!
//! # What a round costs
//!
//! The wait polls in rounds, every
//! [`Config::wait_interval`](crate::config::Config::wait_interval) (2 s by
//! default), the first at once (its request is ready as soon as the wait is
//! built). A round must see every pending target once,
//! and it picks the cheapest way it knows:
//!
//! - **single GETs**: one request per pending target;
//! - **a listing by tag** (droplets only): `GET /v2/droplets?tag_name=T`,
//!   with the tag given by [`Wait::with_tag`] or else one that every pending
//!   droplet carries;
//! - **the full listing**: `GET /v2/droplets` or `GET /v2/actions` (newest
//!   first), which is cheap when the account is small.
//!
//! A listing stops as soon as every pending target has been seen. After each
//! page it goes on only if its remaining pages (from `meta.total`) are fewer
//! than the targets still unseen; otherwise those targets get single GETs,
//! as do targets a finished listing did not show. What the round cost (pages
//! plus those GETs) is remembered as the listing's cost, and the next round
//! uses the listing only if that is less than one GET per pending target. A
//! listing whose cost is not known yet is tried when two or more targets are
//! pending. Waiting on 100 droplets that share a tag thus costs one request
//! per round where one GET per droplet costs 100.
//!
//! ```text
//!               Idle(at) ◀─────────────────────────────────────┐
//!                  │ handle_timeout(now ≥ at): plan the round  │
//!        ┌─────────┴──────────────┐                            │
//!        ▼ a listing is cheaper   ▼ single GETs are cheaper    │
//!     Listing ──────────────▶ Singles ─────────────────────────┤ all polled
//!        │  targets unseen, and the                            │
//!        │  rest costs more than their GETs                    │
//!        └─────────────────────────────────────────────────────┘ all seen
//!
//!   every target finished ─▶ Ended
//!   deadline, cancel, error ─▶ Ended, with the error as the last output
//! ```
//!
//! # Shared polling
//!
//! The waits on droplets and on actions that a
//! [`Session`](crate::session::Session) builds (every client's
//! `wait_droplets`, `wait_droplet`, `wait_actions`, ...) share their
//! polling: each says in the session's hub which targets it watches, and
//! when several watch targets, the first whose round is due reads the full
//! listing for all (if that costs fewer requests than one GET per target
//! watched) while the others wait for it and take their targets' states
//! from it. A listing is used by a wait only if its reading began after the
//! wait's last round did, so no wait sees older states than it would
//! alone. 100 tasks each waiting on its own droplet thus cost about one
//! listing a round between them; each still has its own interval, time
//! limit, cancellation and result. A reader that ends or is dropped gives
//! the reading up; one not finished within two intervals and 10 s is taken
//! over by another wait.
//!
//! ```text
//!   round due ─▶ a fresh listing in the hub ─▶ take the states ─▶ GETs of the unseen
//!            ├─▶ another wait reads one    ─▶ Following: look again shortly
//!            ├─▶ others watch, a listing is cheaper ─▶ Listing for all ─▶ publish
//!            └─▶ otherwise                  ─▶ alone, as above
//! ```
//!
//! # Pacing
//!
//! Rounds start no sooner than the wait interval after the previous one,
//! and no sooner than the rate-limit budget of the last response allows:
//! with `remaining` requests left until the window resets (`ratelimit-reset`
//! minus the response's `Date`), rounds of `cost` requests are spaced at
//! least `until_reset × cost / remaining` apart, and when no more than one
//! round is left the wait sleeps until the reset. The wait therefore never
//! spends the last requests of a window.
//!
//! # Errors and tolerance
//!
//! Every request goes through the configuration's
//! [`RetryPolicy`](crate::machine::retry::RetryPolicy), so transient failures
//! (429, 5xx, transport) are retried with backoff. A `404` for a target is
//! tolerated during [`Wait::with_not_found_grace`] (60 s by default) from
//! the start of the wait, since a droplet may not be visible yet right after
//! its create; later it is an error. An `errored` action ends the wait with
//! `Error::ActionFailed`. An action whose status the client does not know is
//! pending, never done ([`accept::action`]): the wait polls it on, and ends
//! with the time limit at the latest, reporting it as last seen. When
//! [`Config::wait_time`](crate::config::Config::wait_time) runs out the wait
//! ends with `Error::WaitTimeout`, and
//! [`Cancel::handle_cancel`](crate::machine::Cancel::handle_cancel) ends it with
//! `Error::Cancelled`; both carry the finished and pending states.

pub mod accept;
pub(crate) mod core;
mod for_action;
pub(crate) mod hub;
#[cfg(feature = "load_balancers")]
mod load_balancer;
mod objects;
pub mod plan;
pub mod state;
mod targets;

pub use accept::{Until, Verdict};
pub use for_action::WaitForAction;
#[cfg(feature = "load_balancers")]
pub use load_balancer::WaitLoadBalancer;
pub use objects::WaitActionsOnObjects;
pub use state::{Resource, Target, TargetState, WaitStates};
pub use targets::{Wait, WaitActions, WaitDroplets, Waitable, DEFAULT_NOT_FOUND_GRACE};
