//! What the builders share: the wrappers of a generated operation
//! ([`Checked`], [`Keyed`], [`KeyedList`]) and the checks made before
//! sending.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::endpoint::decode;
use crate::endpoint::{Endpoint, List};
use crate::error::{DecodeError, RequestError};

/// The parts of an [`Endpoint`] that a wrapper of an operation `op`
/// sends as the operation does: method, path, query and headers.
macro_rules! forward_request {
    () => {
        fn method(&self) -> ::http::Method {
            self.op.method()
        }
        fn path(&self) -> String {
            self.op.path()
        }
        fn query(&self) -> Vec<(String, String)> {
            self.op.query()
        }
        fn headers(&self) -> Vec<(&'static str, String)> {
            self.op.headers()
        }
    };
}
pub(crate) use forward_request;

/// A generated operation, refused before it is sent if its input was
/// found wrong when it was built. Sends exactly what the operation sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<E> {
    /// The operation.
    pub op: E,
    /// Why it is refused, if it is.
    pub refused: Option<RequestError>,
}

impl<E: Endpoint> Checked<E> {
    /// `op`, refused with the first error of `checks` if there is one.
    pub fn new(op: E, checks: impl IntoIterator<Item = Result<(), RequestError>>) -> Self {
        let refused = checks.into_iter().find_map(Result::err);
        Checked { op, refused }
    }
}

impl<E: Endpoint> Endpoint for Checked<E> {
    type Output = E::Output;
    forward_request!();
    fn body(&self) -> Option<Value> {
        self.op.body()
    }
    fn validate(&self) -> Result<(), RequestError> {
        match &self.refused {
            Some(e) => Err(e.clone()),
            None => self.op.validate(),
        }
    }
    fn decode(&self, body: &[u8]) -> Result<Self::Output, DecodeError> {
        self.op.decode(body)
    }
}

impl<L: List> List for Checked<L> {
    type Item = L::Item;
}

/// A generated operation whose answer is decoded as `T` under `key` (the
/// hand-made [`Action`](crate::models::Action) under `"action"`, say)
/// instead of as the operation's own output type. Sends exactly what the
/// operation sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed<E, T> {
    /// The operation.
    pub op: E,
    /// The key of the body the answer is under.
    pub key: &'static str,
    answer: PhantomData<fn() -> T>,
}

impl<E: Endpoint, T> Keyed<E, T> {
    /// `op`, its answer decoded as `T` under `key`.
    pub fn new(op: E, key: &'static str) -> Self {
        Keyed {
            op,
            key,
            answer: PhantomData,
        }
    }
}

impl<E: Endpoint, T: DeserializeOwned + Send + 'static> Endpoint for Keyed<E, T> {
    type Output = T;
    forward_request!();
    fn body(&self) -> Option<Value> {
        self.op.body()
    }
    fn validate(&self) -> Result<(), RequestError> {
        self.op.validate()
    }
    fn decode(&self, body: &[u8]) -> Result<T, DecodeError> {
        decode::one(body, self.key)
    }
}

/// A generated listing whose items are decoded as `T` under `key` (the
/// hand-made [`Action`](crate::models::Action) under `"actions"`, say)
/// instead of as the listing's own item type. Sends exactly what the
/// listing sends.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedList<L, T> {
    /// The listing.
    pub op: L,
    /// The key of the body the items are under.
    pub key: &'static str,
    items: PhantomData<fn() -> T>,
}

impl<L: List, T> KeyedList<L, T> {
    /// `op`, its items decoded as `T` under `key`.
    pub fn new(op: L, key: &'static str) -> Self {
        KeyedList {
            op,
            key,
            items: PhantomData,
        }
    }
}

impl<L: List, T: DeserializeOwned + Send + 'static> Endpoint for KeyedList<L, T> {
    type Output = decode::Page<T>;
    forward_request!();
    fn validate(&self) -> Result<(), RequestError> {
        self.op.validate()
    }
    fn decode(&self, body: &[u8]) -> Result<decode::Page<T>, DecodeError> {
        decode::page(body, self.key)
    }
}

impl<L: List, T: DeserializeOwned + Send + 'static> List for KeyedList<L, T> {
    type Item = T;
}

/// Refuses an empty (or blank) text.
pub fn non_empty(what: &'static str, text: &str) -> Result<(), RequestError> {
    if text.trim().is_empty() {
        Err(RequestError::Empty { what })
    } else {
        Ok(())
    }
}

/// Refuses an empty list.
pub fn not_none<T>(what: &'static str, items: &[T]) -> Result<(), RequestError> {
    if items.is_empty() {
        Err(RequestError::Empty { what })
    } else {
        Ok(())
    }
}

/// An id as the spec types it (a signed integer), or why it cannot be.
pub fn signed(what: &'static str, id: u64) -> Result<i64, RequestError> {
    match i64::try_from(id) {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(RequestError::InvalidArgument {
            what,
            reason: format!("{id} is not an id (1 to {})", i64::MAX),
        }),
    }
}

/// Ids as the spec types them, and the first that cannot be.
pub fn signed_all(what: &'static str, ids: &[u64]) -> (Vec<i64>, Result<(), RequestError>) {
    let mut out = Vec::with_capacity(ids.len());
    let mut check = Ok(());
    for &id in ids {
        match signed(what, id) {
            Ok(n) => out.push(n),
            Err(e) => {
                if check.is_ok() {
                    check = Err(e);
                }
            }
        }
    }
    (out, check)
}

/// Droplets by id as the body of a droplets change (of a firewall or a
/// load balancer), refused for no droplet or an id out of range.
#[cfg(any(feature = "firewalls", feature = "load_balancers"))]
pub fn droplets_body(
    ids: &[u64],
) -> (
    crate::api::shared::FirewallsAssignDropletsBody,
    [Result<(), RequestError>; 2],
) {
    let (ids_signed, check) = signed_all("droplet id", ids);
    let body = crate::api::shared::FirewallsAssignDropletsBody {
        droplet_ids: Some(ids_signed),
        ..Default::default()
    };
    (body, [not_none("droplet ids", ids), check])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_out_of_the_spec_range_are_refused() {
        assert_eq!(signed("droplet id", 7), Ok(7));
        assert!(matches!(
            signed("droplet id", 0),
            Err(RequestError::InvalidArgument {
                what: "droplet id",
                ..
            })
        ));
        assert!(signed("droplet id", u64::MAX).is_err());
        let (ids, check) = signed_all("droplet id", &[1, u64::MAX, 3]);
        assert_eq!(ids, vec![1, 3]);
        assert!(check.is_err());
        assert_eq!(
            non_empty("region", " "),
            Err(RequestError::Empty { what: "region" })
        );
        assert!(not_none::<u8>("rules", &[]).is_err());
    }
}
