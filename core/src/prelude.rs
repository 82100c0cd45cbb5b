//! What a client crate re-exports, so that its users need only it: the
//! [`Api`] trait, the operations and models, the errors, the settings and
//! the wait types. `doapi_blocking` and `doapi_async` re-export this
//! module's items at their roots.

pub use crate::budget::Allowance;
pub use crate::builder::ConfigBuilder;
pub use crate::client::Api;
pub use crate::config::{Config, Limits};
pub use crate::endpoint::decode::{Decoded, Page};
pub use crate::error::{
    ApiError, DecodeError, Error, RequestError, TransportError, TransportErrorKind,
};
pub use crate::machine::retry::RetryPolicy;
pub use crate::machine::Cancel;
pub use crate::ratelimit::{RateLimit, ResponseInfo};
pub use crate::session::Session;
#[cfg(feature = "testing")]
pub use crate::testing::{Cassette, OfflineTransport, Recorder};
pub use crate::wait::{
    Resource, Target, TargetState, Until, Wait, WaitActions, WaitActionsOnObjects, WaitDroplets,
    WaitForAction, WaitStates,
};
pub use crate::{api, endpoints, models, specs, text};
