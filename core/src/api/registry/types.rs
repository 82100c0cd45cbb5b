//! What the registry is made of (written by hand; the data is generated
//! in `table.rs`).

use std::fmt;

use http::Method;
use serde_json::Value;

use serde_json::value::RawValue;

use crate::api::rt::{self, Check, ParamValue, Reply};
use crate::endpoint::decode::Page;
use crate::endpoint::{Endpoint, List};
use crate::error::DecodeError;
use crate::models::json::{Json, JsonError};
use crate::url::segment;

/// One operation of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`, such as `droplets_list`.
    pub id: &'static str,
    /// The spec's tag, such as `Droplets`.
    pub tag: &'static str,
    /// The cargo feature (and module of [`crate::api`]) of the tag.
    pub feature: &'static str,
    /// The HTTP method, uppercase.
    pub method: &'static str,
    /// The path template, such as `/v2/droplets/{droplet_id}`.
    pub path: &'static str,
    /// The parameters: path ones, then query ones, then headers. A
    /// listing's `page` and `per_page` are the paginator's and not here.
    pub params: &'static [Param],
    /// Whether it takes a JSON body.
    pub body: Body,
    /// For a listing, the key of its items.
    pub list_key: Option<&'static str>,
    /// How its success response decodes.
    pub response: Response,
    /// What implements it.
    pub implementation: Implementation,
}

/// One parameter of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// Its name, as sent.
    pub name: &'static str,
    /// Where it goes.
    pub location: Location,
    /// What its value is.
    pub kind: ParamKind,
    /// Whether it must be given.
    pub required: bool,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
}

/// What a parameter's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// An integer, within the bounds when there are some.
    Integer {
        /// The smallest value.
        min: Option<i64>,
        /// The largest value.
        max: Option<i64>,
    },
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A string: one of `values` when there are some.
    String {
        /// The values allowed; empty for any.
        values: &'static [&'static str],
        /// The spec's `format` (`uuid`, `date-time`, `ipv4`, ...).
        format: Option<&'static str>,
    },
    /// One value per occurrence of the parameter (`?k=a&k=b`).
    Array(&'static ParamKind),
}

/// Whether an operation takes a JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// No body.
    None,
    /// A body may be sent.
    Optional,
    /// A body must be sent.
    Required,
}

/// How an operation's success response decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    /// No content: `()`.
    Empty,
    /// Content other than JSON, of these media types (sent as the
    /// request's `Accept`): the bytes.
    Bytes(&'static str),
    /// The whole JSON body.
    Whole,
    /// The value under this key (`{"droplet": {...}}`).
    One(&'static str),
    /// A page of the items under this key.
    Page(&'static str),
}

/// What implements an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Implementation {
    /// A generated type: its path under [`crate::api`]
    /// (`droplets::DropletsListFirewalls`), compiled with its feature.
    Generated(&'static str),
    /// Made by hand: the types of [`crate::endpoints`] that implement it.
    Handmade(&'static [&'static str]),
    /// Not offered, and why.
    Skipped(&'static str),
}

/// String parameters and a JSON body, as a command line gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
    body: Option<String>,
}

impl Params {
    /// No parameters and no body.
    pub fn new() -> Self {
        Params::default()
    }

    /// Adds a parameter (an array parameter once per value).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.push(name, value);
        self
    }

    /// Adds a parameter.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.pairs.push((name.into(), value.into()));
    }

    /// Adds a parameter given as `NAME=VALUE`.
    pub fn push_pair(&mut self, pair: &str) -> Result<(), ParamError> {
        match pair.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                self.push(k, v);
                Ok(())
            }
            _ => Err(ParamError::Syntax(pair.to_owned())),
        }
    }

    /// Sets the JSON body.
    pub fn with_body(mut self, json: impl Into<String>) -> Self {
        self.body = Some(json.into());
        self
    }

    /// Sets the JSON body.
    pub fn set_body(&mut self, json: impl Into<String>) {
        self.body = Some(json.into());
    }

    /// The first value of a parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a parameter, in order.
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every parameter, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The JSON body's text.
    pub fn body_text(&self) -> Option<&str> {
        self.body.as_deref()
    }
}

impl ParamSource for Params {
    fn value(&self, name: &str) -> Option<&str> {
        self.get(name)
    }
    fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
    fn body_json(&self) -> Option<&str> {
        self.body_text()
    }
}

/// Where an operation's string parameters and body come from: [`Params`],
/// or any type that gives values by name. The getters parse the values as
/// the fields' types.
pub trait ParamSource {
    /// The first value of a parameter.
    fn value(&self, name: &str) -> Option<&str>;
    /// Every value of a parameter.
    fn all(&self, name: &str) -> Vec<&str>;
    /// The JSON body's text.
    fn body_json(&self) -> Option<&str>;

    /// A path parameter.
    fn path<T: ParamValue>(&self, name: &str) -> Result<T, ParamError> {
        self.required(name)
    }

    /// A required query parameter or header.
    fn required<T: ParamValue>(&self, name: &str) -> Result<T, ParamError> {
        match self.value(name) {
            Some(s) => parse(name, s),
            None => Err(ParamError::Missing(name.to_owned())),
        }
    }

    /// An optional query parameter or header.
    fn query<T: ParamValue>(&self, name: &str) -> Result<Option<T>, ParamError> {
        match self.value(name) {
            Some(s) => parse(name, s).map(Some),
            None => Ok(None),
        }
    }

    /// Every value of an array parameter.
    fn list<T: ParamValue>(&self, name: &str) -> Result<Vec<T>, ParamError> {
        self.all(name).into_iter().map(|s| parse(name, s)).collect()
    }

    /// The required body, decoded.
    fn body<T: Json>(&self) -> Result<T, ParamError> {
        match self.body_opt()? {
            Some(b) => Ok(b),
            None => Err(ParamError::Body("this operation needs a JSON body".into())),
        }
    }

    /// The body, decoded, if given.
    fn body_opt<T: Json>(&self) -> Result<Option<T>, ParamError> {
        match self.body_json() {
            Some(text) => T::from_json_str(text)
                .map(Some)
                .map_err(|e| ParamError::Body(e.to_string())),
            None => Ok(None),
        }
    }
}

fn parse<T: ParamValue>(name: &str, s: &str) -> Result<T, ParamError> {
    T::from_param(s).map_err(|reason| ParamError::Invalid {
        name: name.to_owned(),
        reason,
    })
}

/// Why parameters were refused, before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamError {
    /// No operation has this id.
    NoOperation(String),
    /// The operation is not offered.
    Skipped {
        /// The operation.
        id: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// A parameter the operation does not have.
    Unknown {
        /// The name given.
        name: String,
        /// The operation's parameters.
        known: Vec<&'static str>,
    },
    /// A required parameter that was not given.
    Missing(String),
    /// A parameter given more than once that takes one value.
    Repeated(String),
    /// A value that is not of the parameter's type.
    Invalid {
        /// The parameter.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// Not `NAME=VALUE`.
    Syntax(String),
    /// The body is missing, not JSON, not of the body's type, or not
    /// taken.
    Body(String),
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::NoOperation(id) => write!(f, "no operation {id:?}"),
            ParamError::Skipped { id, reason } => write!(f, "{id} is not offered: {reason}"),
            ParamError::Unknown { name, known } if known.is_empty() => {
                write!(f, "unknown parameter {name:?}: the operation takes none")
            }
            ParamError::Unknown { name, known } => {
                write!(
                    f,
                    "unknown parameter {name:?}; the parameters are {}",
                    known.join(", ")
                )
            }
            ParamError::Missing(name) => write!(f, "missing required parameter {name:?}"),
            ParamError::Repeated(name) => write!(f, "parameter {name:?} takes one value"),
            ParamError::Invalid { name, reason } => write!(f, "invalid {name}: {reason}"),
            ParamError::Syntax(s) => write!(f, "{s:?} is not NAME=VALUE"),
            ParamError::Body(e) => write!(f, "invalid body: {e}"),
        }
    }
}

impl std::error::Error for ParamError {}

/// A generated operation built from string parameters and a JSON body.
///
/// Generic over where the parameters come from, so that it is compiled
/// only where it is used.
pub trait FromParams: Sized {
    /// The operation; the parameters' values must parse as their types
    /// and the body as the body's type.
    fn from_params<S: ParamSource + ?Sized>(p: &S) -> Result<Self, ParamError>;
}

/// What [`visit`](super::visit) calls with an operation's type.
pub trait Visitor {
    /// What the visit gives.
    type Output;
    /// An operation that is not a listing.
    fn one<E: Endpoint + FromParams>(self, op: &'static Operation) -> Self::Output
    where
        E::Output: Reply;
    /// A listing.
    fn list<E: List + FromParams>(self, op: &'static Operation) -> Self::Output
    where
        E::Item: Json;
}

impl Operation {
    /// The parameter of this name.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Checks parameters and a body against the operation's: every name is
    /// one of its parameters, every required one is given, each value is
    /// of its type (integers within bounds, strings among the values of an
    /// enum), and a body is valid JSON, given if required, and only if
    /// taken.
    pub fn check(&self, p: &Params) -> Result<(), ParamError> {
        for (name, _) in p.pairs() {
            let Some(param) = self.param(name) else {
                return Err(ParamError::Unknown {
                    name: name.clone(),
                    known: self.params.iter().map(|p| p.name).collect(),
                });
            };
            if !matches!(param.kind, ParamKind::Array(_)) && p.values(name).count() > 1 {
                return Err(ParamError::Repeated(name.clone()));
            }
        }
        for param in self.params {
            let mut values = p.values(param.name).peekable();
            if param.required && values.peek().is_none() {
                return Err(ParamError::Missing(param.name.to_owned()));
            }
            for v in values {
                let kind = match param.kind {
                    ParamKind::Array(k) => k,
                    ref k => k,
                };
                check_value(kind, v).map_err(|reason| ParamError::Invalid {
                    name: param.name.to_owned(),
                    reason,
                })?;
            }
        }
        match (self.body, p.body_text()) {
            (Body::None, Some(_)) => Err(ParamError::Body("this operation takes no body".into())),
            (Body::Required, None) => {
                Err(ParamError::Body("this operation needs a JSON body".into()))
            }
            (_, Some(text)) => serde_json::from_str::<serde::de::IgnoredAny>(text)
                .map(|_| ())
                .map_err(|e| ParamError::Body(format!("not JSON: {e}"))),
            _ => Ok(()),
        }
    }
}

fn check_value(kind: &ParamKind, v: &str) -> Result<(), String> {
    match kind {
        ParamKind::Integer { min, max } => {
            let n: i128 = v.parse().map_err(|_| format!("{v:?} is not an integer"))?;
            if min.is_some_and(|m| n < i128::from(m)) || max.is_some_and(|m| n > i128::from(m)) {
                let range = match (min, max) {
                    (Some(a), Some(b)) => format!("{a} to {b}"),
                    (Some(a), None) => format!("at least {a}"),
                    (None, Some(b)) => format!("at most {b}"),
                    (None, None) => String::new(),
                };
                return Err(format!("{v} is out of range ({range})"));
            }
            Ok(())
        }
        ParamKind::Number => v
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(|_| ())
            .ok_or_else(|| format!("{v:?} is not a number")),
        ParamKind::Boolean => match v {
            "true" | "false" => Ok(()),
            _ => Err(format!("{v:?} is not true or false")),
        },
        ParamKind::String { values, format } => {
            if !values.is_empty() && !values.contains(&v) {
                return Err(format!("{v:?} is not one of {}", values.join(", ")));
            }
            match format {
                Some("ipv4") => v
                    .parse::<std::net::Ipv4Addr>()
                    .map(|_| ())
                    .map_err(|_| format!("{v:?} is not an IPv4 address")),
                Some("ipv6") => v
                    .parse::<std::net::Ipv6Addr>()
                    .map(|_| ())
                    .map_err(|_| format!("{v:?} is not an IPv6 address")),
                Some("date-time") => chrono::DateTime::parse_from_rfc3339(v)
                    .map(|_| ())
                    .map_err(|_| format!("{v:?} is not an RFC 3339 time")),
                _ => Ok(()),
            }
        }
        ParamKind::Array(k) => check_value(k, v),
    }
}

/// The typed checks of a generated operation whose feature is on: its
/// body decoded as the body's type (required properties checked), and its
/// response decoded as the output's type.
#[derive(Debug, Clone, Copy)]
pub struct Hooks {
    /// Decodes a body, checks it, and gives the JSON the typed body sends.
    pub body: Option<BodyHook>,
    /// Decodes one value of the response (the whole body, the value under
    /// its key, or one item of a page).
    pub response: Option<ResponseHook>,
}

/// The body check of [`Hooks`].
pub type BodyHook = fn(&str) -> Result<Value, ParamError>;

/// The response check of [`Hooks`].
pub type ResponseHook = fn(&RawValue) -> Result<(), JsonError>;

/// A body decoded as `T`, re-encoded.
pub(super) fn body<T: Json>(text: &str) -> Result<Value, ParamError> {
    let b = T::from_json_str(text).map_err(|e| ParamError::Body(e.to_string()))?;
    Ok(rt::body(&b).unwrap_or(Value::Null))
}

/// A body decoded as `T`, its required properties checked, re-encoded.
pub(super) fn body_checked<T: Json + Check>(text: &str) -> Result<Value, ParamError> {
    let b = T::from_json_str(text).map_err(|e| ParamError::Body(e.to_string()))?;
    b.check().map_err(|e| ParamError::Body(e.to_string()))?;
    Ok(rt::body(&b).unwrap_or(Value::Null))
}

/// A response value decoded as `T`.
pub(super) fn response<T: Json>(raw: &RawValue) -> Result<(), JsonError> {
    T::from_json(raw).map(drop)
}

/// Any operation of the registry, built from string parameters: it sends
/// what the typed operation would send, checks each response against the
/// typed operation's output, and answers the response's JSON (`null` for
/// no content; the text of a response that is not JSON).
pub struct DynOp {
    op: &'static Operation,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Value>,
    hooks: Option<Hooks>,
}

impl fmt::Debug for DynOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynOp")
            .field("id", &self.op.id)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("typed", &self.hooks.is_some())
            .finish()
    }
}

impl DynOp {
    /// Built from the registry's data: the path template filled in, the
    /// query and headers in the order given (and the `Accept` of an
    /// answer that is not JSON), the body as given; with
    /// `hooks`, the body is sent as its typed value encodes it, and
    /// responses are checked against the typed output.
    fn from_data(
        op: &'static Operation,
        p: &Params,
        hooks: Option<Hooks>,
    ) -> Result<Self, ParamError> {
        let mut path = String::new();
        let mut rest = op.path;
        while let Some(open) = rest.find('{') {
            path.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let name = &rest[open + 1..close];
            let value = p
                .get(name)
                .ok_or_else(|| ParamError::Missing(name.to_owned()))?;
            path.push_str(&segment(value));
            rest = rest.get(close + 1..).unwrap_or("");
        }
        path.push_str(rest);
        let mut query = Vec::new();
        let mut headers = Vec::new();
        for (k, v) in p.pairs() {
            match op.param(k).map(|p| p.location) {
                Some(Location::Query) => query.push((k.clone(), v.clone())),
                Some(Location::Header) => {
                    if let Some(param) = op.param(k) {
                        headers.push((param.name, v.clone()));
                    }
                }
                _ => {}
            }
        }
        if let Response::Bytes(media) = op.response {
            headers.push(("accept", media.to_owned()));
        }
        let body = match (p.body_text(), hooks.and_then(|h| h.body)) {
            (Some(text), Some(typed)) => Some(typed(text)?),
            (Some(text), None) => {
                Some(serde_json::from_str(text).map_err(|e| ParamError::Body(e.to_string()))?)
            }
            (None, _) => None,
        };
        Ok(DynOp {
            op,
            method: Method::from_bytes(op.method.as_bytes()).unwrap_or(Method::GET),
            path,
            query,
            headers,
            body,
            hooks,
        })
    }

    /// The operation.
    pub fn operation(&self) -> &'static Operation {
        self.op
    }

    /// Whether the body and responses are checked against generated
    /// types (the operation is generated and its feature is on).
    pub fn is_typed(&self) -> bool {
        self.hooks.is_some()
    }

    fn check(&self, body: &[u8]) -> Result<(), DecodeError> {
        let Some(check) = self.hooks.and_then(|h| h.response) else {
            return Ok(());
        };
        match self.op.response {
            Response::Whole => rt::check_whole(body, check),
            Response::One(key) => rt::check_one(body, key, check),
            Response::Page(key) => rt::check_page(body, key, check),
            Response::Empty | Response::Bytes(_) => Ok(()),
        }
    }
}

impl Endpoint for DynOp {
    type Output = Value;
    fn method(&self) -> Method {
        self.method.clone()
    }
    fn path(&self) -> String {
        self.path.clone()
    }
    fn query(&self) -> Vec<(String, String)> {
        self.query.clone()
    }
    fn headers(&self) -> Vec<(&'static str, String)> {
        self.headers.clone()
    }
    fn body(&self) -> Option<Value> {
        self.body.clone()
    }
    fn decode(&self, body: &[u8]) -> Result<Value, DecodeError> {
        self.check(body)?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        match serde_json::from_slice(body) {
            Ok(v) => Ok(v),
            Err(_) if matches!(self.op.response, Response::Bytes(_)) => {
                Ok(Value::String(String::from_utf8_lossy(body).into_owned()))
            }
            Err(e) => Err(DecodeError::new(".", e.to_string(), body)),
        }
    }
}

/// A listing of the registry built from string parameters: pages of the
/// items' JSON, each page checked against the typed operation's.
#[derive(Debug)]
pub struct DynList {
    one: DynOp,
    key: &'static str,
}

impl DynList {
    /// The operation.
    pub fn operation(&self) -> &'static Operation {
        self.one.op
    }

    /// Whether pages are checked against a generated type.
    pub fn is_typed(&self) -> bool {
        self.one.is_typed()
    }
}

impl Endpoint for DynList {
    type Output = Page<Value>;
    fn method(&self) -> Method {
        self.one.method()
    }
    fn path(&self) -> String {
        self.one.path()
    }
    fn query(&self) -> Vec<(String, String)> {
        self.one.query()
    }
    fn headers(&self) -> Vec<(&'static str, String)> {
        self.one.headers()
    }
    fn decode(&self, body: &[u8]) -> Result<Page<Value>, DecodeError> {
        self.one.check(body)?;
        rt::page(body, self.key)
    }
}

impl List for DynList {
    type Item = Value;
}

/// An operation ready to send: [`Api::send`](crate::client::Api::send) a
/// `One`, [`Api::list`](crate::client::Api::list) a `List`.
#[derive(Debug)]
pub enum Prepared {
    /// Not a listing.
    One(DynOp),
    /// A listing.
    List(DynList),
}

impl Prepared {
    /// The operation.
    pub fn operation(&self) -> &'static Operation {
        match self {
            Prepared::One(o) => o.operation(),
            Prepared::List(l) => l.operation(),
        }
    }

    /// The request's method, path, query and body, for display.
    pub fn parts(&self) -> (Method, String, Vec<(String, String)>, Option<Value>) {
        let o = match self {
            Prepared::One(o) => o,
            Prepared::List(l) => &l.one,
        };
        (o.method(), o.path(), o.query(), o.body())
    }

    pub(super) fn from_data(
        op: &'static Operation,
        p: &Params,
        hooks: Option<Hooks>,
    ) -> Result<Self, ParamError> {
        let one = DynOp::from_data(op, p, hooks)?;
        Ok(match op.list_key {
            Some(key) => Prepared::List(DynList { one, key }),
            None => Prepared::One(one),
        })
    }
}
