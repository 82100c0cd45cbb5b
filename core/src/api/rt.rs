//! What the generated operations share (written by hand, not generated):
//! decoding their responses through [`Json`], their path segments, query
//! strings and headers ([`ParamValue`], [`Query`]), and the checks of
//! [`Endpoint::validate`](crate::endpoint::Endpoint::validate) ([`Check`]).
//!
//! Each helper is generic over one type at most and small, so the
//! generated operations add little code per type (see [`crate::models::json`]).

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::value::RawValue;
use serde_json::{Number, Value};

use crate::endpoint::decode::{self, Page};
use crate::error::{DecodeError, RequestError};
use crate::models::json::{self, Json, JsonError};
use crate::models::{Extra, Links, Meta};
use crate::url::segment;

fn decode_error(e: JsonError, body: &[u8]) -> DecodeError {
    DecodeError::new(e.path(), e.message(), body)
}

fn raw_body(body: &[u8]) -> Result<&RawValue, JsonError> {
    let text = std::str::from_utf8(body).map_err(|e| JsonError::new(e.to_string()))?;
    Ok(serde_json::from_str::<&RawValue>(text)?)
}

/// Decodes a whole body as `T`.
pub fn whole<T: Json>(body: &[u8]) -> Result<T, DecodeError> {
    match raw_body(body).and_then(T::from_json) {
        Ok(v) => Ok(v),
        Err(e) => Err(decode_error(e, body)),
    }
}

/// The raw value under `key` of a body's object.
fn keyed<'b>(body: &'b [u8], key: &str) -> Result<&'b RawValue, DecodeError> {
    let found = raw_body(body).and_then(|raw| {
        json::entries(raw)?
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, r)| r)
            .ok_or_else(|| JsonError::new(format!("missing field `{key}`")))
    });
    found.map_err(|e| decode_error(e, body))
}

/// Decodes the value under `key` of a body such as `{"firewall": {...}}`.
pub fn one<T: Json>(body: &[u8], key: &'static str) -> Result<T, DecodeError> {
    let raw = keyed(body, key)?;
    match T::from_json(raw) {
        Ok(v) => Ok(v),
        Err(e) => Err(decode_error(e.in_key(key), body)),
    }
}

/// A page's parts other than its items: the raw items, `links`, `meta`,
/// and the other keys.
struct Parts<'b> {
    items: &'b RawValue,
    links: Option<Links>,
    meta: Option<Meta>,
    extra: Extra,
}

fn parts<'b>(body: &'b [u8], key: &str) -> Result<Parts<'b>, DecodeError> {
    let split = raw_body(body).and_then(|raw| {
        let mut items = None;
        let mut links = None;
        let mut meta = None;
        let mut extra = Extra::new();
        for (k, r) in json::entries(raw)? {
            if k == key {
                items = Some(r);
            } else if k == "links" {
                links = Option::<Links>::from_json(r).map_err(|e| e.in_key("links"))?;
            } else if k == "meta" {
                meta = Option::<Meta>::from_json(r).map_err(|e| e.in_key("meta"))?;
            } else {
                extra.insert(k.into_owned(), r.to_owned());
            }
        }
        let items = items.ok_or_else(|| JsonError::new(format!("missing field `{key}`")))?;
        Ok(Parts {
            items,
            links,
            meta,
            extra,
        })
    });
    split.map_err(|e| decode_error(e, body))
}

/// Decodes one page of a listing whose items are under `key`.
pub fn page<T: Json>(body: &[u8], key: &str) -> Result<Page<T>, DecodeError> {
    let p = parts(body, key)?;
    match Vec::<T>::from_json(p.items) {
        Ok(items) => Ok(Page {
            items,
            links: p.links,
            meta: p.meta,
            extra: p.extra,
        }),
        Err(e) => Err(decode_error(e.in_key(key), body)),
    }
}

/// Checks a body with `check` as [`whole`] would decode it.
pub fn check_whole(
    body: &[u8],
    check: fn(&RawValue) -> Result<(), JsonError>,
) -> Result<(), DecodeError> {
    raw_body(body)
        .and_then(check)
        .map_err(|e| decode_error(e, body))
}

/// Checks a body with `check` as [`one`] would decode it.
pub fn check_one(
    body: &[u8],
    key: &str,
    check: fn(&RawValue) -> Result<(), JsonError>,
) -> Result<(), DecodeError> {
    let raw = keyed(body, key)?;
    check(raw).map_err(|e| decode_error(e.in_key(key), body))
}

/// Checks each item of a page with `check` as [`page`] would decode
/// them.
pub fn check_page(
    body: &[u8],
    key: &str,
    check: fn(&RawValue) -> Result<(), JsonError>,
) -> Result<(), DecodeError> {
    let p = parts(body, key)?;
    let items = json::elements(p.items).map_err(|e| decode_error(e.in_key(key), body))?;
    for (i, item) in items.into_iter().enumerate() {
        check(item).map_err(|e| decode_error(e.in_index(i).in_key(key), body))?;
    }
    Ok(())
}

/// Accepts an empty body (a 204's), or any JSON, and ignores it.
pub fn empty(body: &[u8]) -> Result<(), DecodeError> {
    decode::empty(body)
}

/// The JSON body of a request.
pub fn body<T: Json>(b: &T) -> Option<Value> {
    serde_json::from_str(&b.to_json_string()).ok()
}

/// The JSON body of a request, if there is one.
pub fn body_opt<T: Json>(b: &Option<T>) -> Option<Value> {
    match b {
        Some(b) => body(b),
        None => None,
    }
}

/// A value that can be a path segment, a query value or a header: how it
/// is written, and read back (for [`registry`](crate::api::registry)).
pub trait ParamValue: Sized {
    /// The value as text.
    fn to_param(&self) -> String;
    /// The value from text.
    fn from_param(s: &str) -> Result<Self, String>;
}

macro_rules! param_via_parse {
    ($($t:ty => $what:literal),*) => { $(
        impl ParamValue for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
            fn from_param(s: &str) -> Result<Self, String> {
                s.parse().map_err(|_| format!("{s:?} is not {}", $what))
            }
        }
    )* };
}

param_via_parse!(u64 => "an integer of 0 or more", i64 => "an integer", bool => "true or false", IpAddr => "an IP address");

impl ParamValue for String {
    fn to_param(&self) -> String {
        self.clone()
    }
    fn from_param(s: &str) -> Result<Self, String> {
        Ok(s.to_owned())
    }
}

impl ParamValue for Number {
    fn to_param(&self) -> String {
        self.to_string()
    }
    fn from_param(s: &str) -> Result<Self, String> {
        serde_json::from_str(s).map_err(|_| format!("{s:?} is not a number"))
    }
}

impl ParamValue for DateTime<Utc> {
    fn to_param(&self) -> String {
        self.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }
    fn from_param(s: &str) -> Result<Self, String> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| format!("{s:?} is not an RFC 3339 time"))
    }
}

/// Implements [`ParamValue`] for generated string enums: their string, and
/// any string back (an unknown one is `Unknown`).
macro_rules! param_enums {
    ($($t:ty),* $(,)?) => { $(
        impl $crate::api::rt::ParamValue for $t {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
            fn from_param(s: &str) -> Result<Self, String> {
                Ok(Self::from(s))
            }
        }
    )* };
}
pub(crate) use param_enums;

/// A path segment: the value, percent-encoded.
pub fn seg<T: ParamValue>(v: &T) -> String {
    segment(&v.to_param())
}

/// The query parameters (or headers) of a request, in order.
#[derive(Debug, Default)]
pub struct Query(Vec<(&'static str, String)>);

impl Query {
    /// A parameter, if set.
    pub fn opt<T: ParamValue>(&mut self, name: &'static str, v: &Option<T>) {
        if let Some(v) = v {
            self.0.push((name, v.to_param()));
        }
    }

    /// A parameter.
    pub fn req<T: ParamValue>(&mut self, name: &'static str, v: &T) {
        self.0.push((name, v.to_param()));
    }

    /// A parameter given once per value (`?k=a&k=b`).
    pub fn list<T: ParamValue>(&mut self, name: &'static str, v: &[T]) {
        for x in v {
            self.0.push((name, x.to_param()));
        }
    }

    /// The query, for [`Endpoint::query`](crate::endpoint::Endpoint::query).
    pub fn finish(self) -> Vec<(String, String)> {
        self.0.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }

    /// The headers, for [`Endpoint::headers`](crate::endpoint::Endpoint::headers).
    pub fn headers(self) -> Vec<(&'static str, String)> {
        self.0
    }
}

/// The required properties of a request body are set, inside nested
/// objects and arrays too.
pub trait Check {
    /// Refuses a missing required property, naming it.
    fn check(&self) -> Result<(), RequestError>;
}

impl<T: Check> Check for Option<T> {
    fn check(&self) -> Result<(), RequestError> {
        match self {
            Some(v) => v.check(),
            None => Ok(()),
        }
    }
}

impl<T: Check> Check for Vec<T> {
    fn check(&self) -> Result<(), RequestError> {
        for v in self {
            v.check()?;
        }
        Ok(())
    }
}

impl<T: Check> Check for Box<T> {
    fn check(&self) -> Result<(), RequestError> {
        (**self).check()
    }
}

impl<T: Check> Check for BTreeMap<String, T> {
    fn check(&self) -> Result<(), RequestError> {
        for v in self.values() {
            v.check()?;
        }
        Ok(())
    }
}

/// Refuses a required property that is not set.
pub fn required(present: bool, what: &'static str) -> Result<(), RequestError> {
    if present {
        Ok(())
    } else {
        Err(RequestError::InvalidArgument {
            what,
            reason: "required by the spec, not set".into(),
        })
    }
}

/// Refuses an empty path parameter.
pub fn non_empty(what: &'static str, s: &str) -> Result<(), RequestError> {
    if s.is_empty() {
        Err(RequestError::Empty { what })
    } else {
        Ok(())
    }
}

/// Refuses an empty list for a required parameter.
pub fn non_empty_list<T>(what: &'static str, v: &[T]) -> Result<(), RequestError> {
    if v.is_empty() {
        Err(RequestError::Empty { what })
    } else {
        Ok(())
    }
}

/// Refuses an integer parameter outside the spec's bounds.
pub fn bounds(
    what: &'static str,
    v: Option<i128>,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), RequestError> {
    let Some(v) = v else { return Ok(()) };
    let low = min.is_some_and(|m| v < i128::from(m));
    let high = max.is_some_and(|m| v > i128::from(m));
    if low || high {
        let range = match (min, max) {
            (Some(a), Some(b)) => format!("{a} to {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => String::new(),
        };
        return Err(RequestError::InvalidArgument {
            what,
            reason: format!("{v} is out of range ({range})"),
        });
    }
    Ok(())
}

/// An operation's output as JSON: what the response carried, for tools
/// that print any operation's answer, and for tests.
pub trait Reply {
    /// The JSON; a page is written under `list_key` with its `links`,
    /// `meta` and other keys.
    fn to_json(&self, list_key: Option<&str>) -> Value;
}

impl<T: Json> Reply for T {
    fn to_json(&self, _: Option<&str>) -> Value {
        serde_json::from_str(&self.to_json_string()).unwrap_or(Value::Null)
    }
}

impl<T: Json> Reply for Page<T> {
    fn to_json(&self, list_key: Option<&str>) -> Value {
        let mut out = serde_json::Map::new();
        for (k, v) in self.extra.iter() {
            out.insert(
                k.to_owned(),
                serde_json::from_str(v.get()).unwrap_or(Value::Null),
            );
        }
        out.insert(
            list_key.unwrap_or("items").to_owned(),
            self.items.to_json(None),
        );
        if let Some(l) = &self.links {
            out.insert("links".into(), l.to_json(None));
        }
        if let Some(m) = &self.meta {
            out.insert("meta".into(), m.to_json(None));
        }
        Value::Object(out)
    }
}

impl Reply for () {
    fn to_json(&self, _: Option<&str>) -> Value {
        Value::Null
    }
}

impl Reply for Vec<u8> {
    fn to_json(&self, _: Option<&str>) -> Value {
        Value::String(String::from_utf8_lossy(self).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_keys_decode_with_paths() {
        let body = br#"{"things": [1, 2, "x"], "links": {}, "meta": {"total": 3}, "other": true}"#;
        let e = page::<u64>(body, "things").unwrap_err();
        assert_eq!(e.path, "things[2]");
        let body = br#"{"things": [1, 2], "meta": {"total": 3}, "other": true}"#;
        let p = page::<u64>(body, "things").unwrap();
        assert_eq!(
            (p.total(), p.extra.len(), p.items),
            (Some(3), 1, vec![1, 2])
        );
        assert_eq!(one::<u64>(br#"{"n": 5, "m": 1}"#, "n").unwrap(), 5);
        assert!(one::<u64>(br#"{"m": 1}"#, "n")
            .unwrap_err()
            .message
            .contains("missing field `n`"));
        assert_eq!(whole::<Vec<u64>>(b"[1]").unwrap(), [1]);
        assert!(empty(b"").is_ok());
    }

    #[test]
    fn parameters_are_written_and_read() {
        assert_eq!(seg(&"a b/c".to_owned()), "a%20b%2Fc");
        assert_eq!(u64::from_param("12"), Ok(12));
        assert!(u64::from_param("-1").is_err());
        let t = DateTime::<Utc>::from_param("2024-01-02T03:04:05Z").unwrap();
        assert_eq!(t.to_param(), "2024-01-02T03:04:05Z");
        let mut q = Query::default();
        q.opt("a", &Some(1u64));
        q.opt::<u64>("b", &None);
        q.list("c", &[true, false]);
        assert_eq!(
            q.finish(),
            [
                ("a".into(), "1".into()),
                ("c".into(), "true".into()),
                ("c".into(), "false".into())
            ]
        );
    }

    #[test]
    fn checks_name_what_is_wrong() {
        assert!(required(true, "x.y").is_ok());
        assert!(required(false, "x.y")
            .unwrap_err()
            .to_string()
            .contains("x.y"));
        assert!(bounds("per_page", Some(201), Some(1), Some(200)).is_err());
        assert!(bounds("per_page", Some(200), Some(1), Some(200)).is_ok());
        assert!(bounds("per_page", None, Some(1), Some(200)).is_ok());
        assert!(non_empty_list::<u8>("ids", &[]).is_err());
    }
}
