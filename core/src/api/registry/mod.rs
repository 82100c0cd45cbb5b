//! Every operation of the spec, as data: [`OPERATIONS`] (always compiled,
//! whatever the features), and for the generated operations of the
//! features that are on, building them from string parameters.
//!
//! ```
//! use doapi_core::api::registry::{self, Params, Prepared};
//!
//! let op = registry::find("firewalls_get").expect("in the spec");
//! assert_eq!((op.method, op.path), ("GET", "/v2/firewalls/{firewall_id}"));
//! let params = Params::new().param("firewall_id", "bb4b2611-3d72-467b-8602-280330ecd65c");
//! let Prepared::One(get) = registry::prepare("firewalls_get", &params)? else { unreachable!() };
//! assert!(get.is_typed());
//! // `client.send(get)` answers the firewall's JSON, decoded first as the
//! // generated type; a listing is `Prepared::List`, for `client.list(..)`.
//! assert!(registry::prepare("firewalls_get", &Params::new()).is_err()); // missing firewall_id
//! # Ok::<(), registry::ParamError>(())
//! ```
//!
//! - [`find`] an operation by id, or iterate [`OPERATIONS`] (sorted by id):
//!   method, path template, parameters with their types, body, listing key,
//!   and what implements it ([`Implementation`]).
//! - [`prepare`] checks string parameters and a JSON body against the
//!   operation ([`Operation::check`]) and builds it from the registry's
//!   data (the path template filled in, the query and headers): a
//!   [`Prepared`] operation that any client sends (`send` for
//!   [`Prepared::One`], `list` for [`Prepared::List`]) and that answers
//!   JSON. When the operation is generated and its feature is on
//!   ([`hooks`]), the body is decoded as the generated body type first
//!   (its required properties checked) and sent as that value encodes, and
//!   every response is decoded as the generated output type before it is
//!   answered. Nothing here is compiled per operation: one `prepare` for
//!   all of them.
//! - [`visit`] calls a generic [`Visitor`] with the type of a generated
//!   operation, to build it typed ([`FromParams`]) and run it by id.

mod table;
pub(crate) mod types;

pub use table::OPERATIONS;
pub use types::{
    Body, BodyHook, DynList, DynOp, FromParams, Hooks, Implementation, Location, Operation, Param,
    ParamError, ParamKind, ParamSource, Params, Prepared, Response, ResponseHook, Visitor,
};

/// The operation of this id.
pub fn find(id: &str) -> Option<&'static Operation> {
    OPERATIONS
        .binary_search_by(|o| o.id.cmp(id))
        .ok()
        .map(|i| &OPERATIONS[i])
}

/// Checks the parameters and body against the operation `id`, then builds
/// it, ready to send: see the module docs.
pub fn prepare(id: &str, params: &Params) -> Result<Prepared, ParamError> {
    let op = find(id).ok_or_else(|| ParamError::NoOperation(id.to_owned()))?;
    if let Implementation::Skipped(reason) = op.implementation {
        return Err(ParamError::Skipped { id: op.id, reason });
    }
    op.check(params)?;
    Prepared::from_data(op, params, table::hooks(op))
}

/// The typed checks of the generated operation `id`, when its feature is
/// on.
pub fn hooks(id: &str) -> Option<Hooks> {
    table::hooks(find(id)?)
}

/// Calls the visitor with the type of the generated operation `id`;
/// `None` when there is no such operation, it is not generated, or its
/// feature is off.
pub fn visit<V: Visitor>(id: &str, v: V) -> Option<V::Output> {
    table::visit(find(id)?, v)
}
