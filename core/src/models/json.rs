//! The JSON binding of the generated models ([`crate::api`]): the [`Json`]
//! trait, one decode and one encode function per type, over raw JSON text.
//!
//! A generated model is decoded from the raw text of its object: the object
//! is split into its keys and the raw text of each value ([`entries`]), and
//! each known key is decoded by its field's own [`Json::from_json`];
//! unknown keys are kept as their raw text in the model's
//! [`Extra`]. Encoding writes JSON text
//! directly ([`Json::write_json`]). `serde`'s `Deserialize` and
//! `Serialize` of a generated model are thin shells over these
//! ([`deserialize`], [`serialize`]).
//!
//! Why not `serde`'s visitors, as the hand-made models use: a visitor is
//! generic over the deserializer, so every model's decoding would be
//! compiled again for every deserializer and every nesting; with hundreds
//! of generated models that was most of the crate's compile time. Here
//! each model's decode and encode are compiled once, and errors name the
//! exact path of what failed (`droplets[3].networks.v4[0].ip_address`) at
//! no cost to the success path.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

pub use super::extra::Extra;

/// A value that did not decode: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// The path, innermost segment first.
    rev_path: Vec<Segment>,
    message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl JsonError {
    /// An error at the value being decoded.
    pub fn new(message: impl Into<String>) -> Self {
        JsonError {
            rev_path: Vec::new(),
            message: message.into(),
        }
    }

    /// The same error, inside the value of `key`.
    pub fn in_key(mut self, key: &str) -> Self {
        self.rev_path.push(Segment::Key(key.to_owned()));
        self
    }

    /// The same error, inside the element at `index`.
    pub fn in_index(mut self, index: usize) -> Self {
        self.rev_path.push(Segment::Index(index));
        self
    }

    /// The path of the value that failed, such as `droplets[3].name`
    /// (`.` for the value itself).
    pub fn path(&self) -> String {
        let mut out = String::new();
        for seg in self.rev_path.iter().rev() {
            match seg {
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        if out.is_empty() {
            out.push('.');
        }
        out
    }

    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path(), self.message)
    }
}

impl std::error::Error for JsonError {}

impl From<serde_json::Error> for JsonError {
    fn from(e: serde_json::Error) -> Self {
        // The position is in the fragment being decoded, not in the body:
        // the path says where the fragment is.
        let text = e.to_string();
        let message = match text.rfind(" at line ") {
            Some(at) => text[..at].to_owned(),
            None => text,
        };
        JsonError::new(message)
    }
}

/// A type with one decode from raw JSON text and one encode to it, both
/// compiled once (see the module docs).
pub trait Json: Sized {
    /// Decodes the value from its raw JSON text.
    fn from_json(raw: &RawValue) -> Result<Self, JsonError>;

    /// Appends the value's JSON text to `out`.
    fn write_json(&self, out: &mut String);

    /// The value's JSON text.
    fn to_json_string(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    /// Decodes the value from JSON text.
    fn from_json_str(text: &str) -> Result<Self, JsonError> {
        let raw: &RawValue = serde_json::from_slice(text.as_bytes())?;
        Self::from_json(raw)
    }
}

/// The fields of a generated model, one JSON key at a time: what
/// [`decode_fields`] fills.
pub trait Fields {
    /// Decodes the value of one key into its field, or keeps it in
    /// `extra`.
    fn set_field(&mut self, key: &str, raw: &RawValue) -> Result<(), JsonError>;
}

/// Decodes a JSON object into a model's fields, key by key, stopping at
/// the first error.
pub fn decode_fields(raw: &RawValue, fields: &mut dyn Fields) -> Result<(), JsonError> {
    for (k, r) in entries(raw)? {
        fields.set_field(&k, r)?;
    }
    Ok(())
}

/// The keys of a JSON object, each with the raw text of its value, in
/// order.
pub fn entries(raw: &RawValue) -> Result<Vec<(Cow<'_, str>, &RawValue)>, JsonError> {
    if !raw.get().starts_with('{') {
        return Err(JsonError::new(format!(
            "expected an object, found {}",
            kind_of(raw.get())
        )));
    }
    Ok(serde_json::from_slice::<Entries<'_>>(raw.get().as_bytes())?.0)
}

/// The raw text of each element of a JSON array.
pub fn elements(raw: &RawValue) -> Result<Vec<&RawValue>, JsonError> {
    if !raw.get().starts_with('[') {
        return Err(JsonError::new(format!(
            "expected an array, found {}",
            kind_of(raw.get())
        )));
    }
    Ok(serde_json::from_slice::<Vec<&RawValue>>(
        raw.get().as_bytes(),
    )?)
}

/// Whether the raw value is `null`.
pub fn is_null(raw: &RawValue) -> bool {
    raw.get() == "null"
}

/// What kind of JSON value a text starts.
fn kind_of(text: &str) -> &'static str {
    match text.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

struct Entries<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Key<'de>>()? {
                    out.push((k.0, map.next_value::<&'de RawValue>()?));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A key, borrowed from the text unless it has escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// A JSON string's content, borrowed unless it has escapes.
pub fn string(raw: &RawValue) -> Result<Cow<'_, str>, JsonError> {
    if !raw.get().starts_with('"') {
        return Err(JsonError::new(format!(
            "expected a string, found {}",
            kind_of(raw.get())
        )));
    }
    Ok(serde_json::from_slice::<Key<'_>>(raw.get().as_bytes())?.0)
}

/// Appends a JSON string.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Decodes the value of an optional field: `null` leaves it `None` and is
/// remembered in `extra`, so that encoding writes it back.
pub fn field<T: Json>(
    slot: &mut Option<T>,
    raw: &RawValue,
    extra: &mut Extra,
    key: &'static str,
) -> Result<(), JsonError> {
    if is_null(raw) {
        *slot = None;
        extra.insert_null(key);
        return Ok(());
    }
    match T::from_json(raw) {
        Ok(v) => {
            *slot = Some(v);
            Ok(())
        }
        Err(e) => Err(e.in_key(key)),
    }
}

/// Writes a JSON object: the fields that are set, then the extra fields
/// not written already.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    written: Vec<&'static str>,
}

impl<'a> ObjectWriter<'a> {
    /// Starts an object.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        ObjectWriter {
            out,
            written: Vec::new(),
        }
    }

    fn key(&mut self, key: &str) {
        if !self.out.ends_with('{') {
            self.out.push(',');
        }
        write_str(self.out, key);
        self.out.push(':');
    }

    /// Writes a field if it is set.
    pub fn field<T: Json>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(v) = value {
            self.key(key);
            v.write_json(self.out);
            self.written.push(key);
        }
    }

    /// Writes the extra fields whose keys were not written, and ends the
    /// object.
    pub fn finish(mut self, extra: &Extra) {
        for (k, v) in extra.iter() {
            if !self.written.contains(&k) {
                self.key(k);
                self.out.push_str(v.get());
            }
        }
        self.out.push('}');
    }
}

/// `Deserialize` of a [`Json`] type: its raw text, then
/// [`Json::from_json`].
pub fn deserialize<'de, T: Json, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let raw = Box::<RawValue>::deserialize(d)?;
    T::from_json(&raw).map_err(de::Error::custom)
}

/// `Serialize` of a [`Json`] type: its JSON text, as raw JSON.
pub fn serialize<T: Json, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    match RawValue::from_string(v.to_json_string()) {
        Ok(raw) => raw.serialize(s),
        Err(e) => Err(serde::ser::Error::custom(e)),
    }
}

/// `Debug` of a generated model: its name and its JSON text.
pub fn debug(name: &str, json: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{name} {json}")
}

/// Implements [`Json`] through `serde` for types that have their own
/// `Deserialize` and `Serialize`: scalars, JSON values, and the hand-made
/// models the generated ones refer to.
macro_rules! json_via_serde {
    ($($t:ty),* $(,)?) => { $(
        impl Json for $t {
            fn from_json(raw: &RawValue) -> Result<Self, JsonError> {
                // From a slice, as the hand-made operations decode: one
                // compiled decoder per type.
                Ok(serde_json::from_slice(raw.get().as_bytes())?)
            }
            fn write_json(&self, out: &mut String) {
                if let Ok(text) = serde_json::to_string(self) {
                    out.push_str(&text);
                }
            }
        }
    )* };
}

json_via_serde!(
    u64,
    i64,
    bool,
    Number,
    Value,
    Map<String, Value>,
    super::droplet::Droplet,
    super::image::Image,
    super::action::Action,
    super::region::Region,
    super::region::Size,
    super::droplet::Kernel,
    super::ssh_key::SshKey,
    super::domain::Domain,
    super::domain::DomainRecord,
    super::tag::Tag,
    super::account::Account,
    super::floating_ip::FloatingIp,
    super::common::Links,
    super::common::PageLinks,
    super::common::Meta,
    super::droplet::NetworkInterface,
    super::droplet::BackupWindow,
    super::region::DiskInfo,
    super::volume::Volume,
);

/// Decoded as the hand-made models decode timestamps
/// ([`timestamp`](super::timestamp)).
impl Json for DateTime<Utc> {
    fn from_json(raw: &RawValue) -> Result<Self, JsonError> {
        Ok(serde_json::from_slice::<super::timestamp::Rfc3339>(raw.get().as_bytes())?.0)
    }
    fn write_json(&self, out: &mut String) {
        if let Ok(text) = serde_json::to_string(self) {
            out.push_str(&text);
        }
    }
}

impl Json for String {
    fn from_json(raw: &RawValue) -> Result<Self, JsonError> {
        string(raw).map(Cow::into_owned)
    }
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl<T: Json> Json for Vec<T> {
    fn from_json(raw: &RawValue) -> Result<Self, JsonError> {
        let elements = elements(raw)?;
        let mut out = Vec::with_capacity(elements.len());
        for (i, r) in elements.into_iter().enumerate() {
            match T::from_json(r) {
                Ok(v) => out.push(v),
                Err(e) => return Err(e.in_index(i)),
            }
        }
        Ok(out)
    }
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.write_json(out);
        }
        out.push(']');
    }
}

impl<T: Json> Json for Option<T> {
    fn from_json(raw: &RawValue) -> Result<Self, JsonError> {
        if is_null(raw) {
            Ok(None)
        } else {
            T::from_json(raw).map(Some)
        }
    }
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: Json> Json for Box<T> {
    fn from_json(raw: &RawValue) -> Result<Self, JsonError> {
        T::from_json(raw).map(Box::new)
    }
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: Json> Json for BTreeMap<String, T> {
    fn from_json(raw: &RawValue) -> Result<Self, JsonError> {
        entries(raw)?
            .into_iter()
            .map(|(k, r)| match T::from_json(r) {
                Ok(v) => Ok((k.into_owned(), v)),
                Err(e) => Err(e.in_key(&k)),
            })
            .collect()
    }
    fn write_json(&self, out: &mut String) {
        out.push('{');
        for (i, (k, v)) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(out, k);
            out.push(':');
            v.write_json(out);
        }
        out.push('}');
    }
}

/// What kind of JSON value one variant of a `oneOf` or `anyOf` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An object.
    Object,
    /// An array.
    Array,
    /// A string.
    String,
    /// An integer.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Anything.
    Any,
}

/// When a value can be one variant of a `oneOf` or `anyOf`: its kind and,
/// for an object, the keys it must have, the values some keys must take
/// (a discriminator, or a property with one allowed value) and the keys it
/// knows.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    /// The kind of value.
    pub kind: Kind,
    /// Keys the object must have (not `null`).
    pub required: &'static [&'static str],
    /// Keys whose value, when present, must be one of these strings (a
    /// key listed in `required` too must be present).
    pub values: &'static [(&'static str, &'static [&'static str])],
    /// The keys the variant knows: the fewer of an object's keys it does
    /// not know, the better it fits.
    pub known: &'static [&'static str],
    /// A free-form object: it fits any object, and is tried after the
    /// variants that describe their keys.
    pub free: bool,
}

impl Variant {
    /// A variant of this kind, without constraints.
    pub const fn of(kind: Kind) -> Self {
        Variant {
            kind,
            required: &[],
            values: &[],
            known: &[],
            free: false,
        }
    }
}

/// The variants a raw value can be, best fit first: the variants of its
/// kind whose constraints it meets, objects ordered by how many of their
/// keys the variant does not know (free-form objects last), then in the
/// spec's order.
pub fn candidates(raw: &RawValue, variants: &[Variant]) -> Vec<usize> {
    let text = raw.get();
    let first = text.as_bytes().first().copied().unwrap_or(b'n');
    let is_number = first == b'-' || first.is_ascii_digit();
    let is_integer = is_number && !text.contains(['.', 'e', 'E']);
    let object = if first == b'{' {
        entries(raw).ok()
    } else {
        None
    };
    let mut fits: Vec<(usize, usize)> = Vec::new();
    for (i, v) in variants.iter().enumerate() {
        let fit = match v.kind {
            Kind::Any => Some(usize::MAX),
            Kind::Array => (first == b'[').then_some(0),
            Kind::String => (first == b'"').then_some(0),
            Kind::Boolean => (first == b't' || first == b'f').then_some(0),
            Kind::Integer => is_integer.then_some(0),
            Kind::Number => is_number.then_some(0),
            Kind::Object => object.as_ref().and_then(|o| object_fit(o, v)),
        };
        if let Some(f) = fit {
            fits.push((f, i));
        }
    }
    // An insertion sort: a handful of variants, and no sort code compiled
    // for this one use.
    for i in 1..fits.len() {
        let mut j = i;
        while j > 0 && fits[j - 1] > fits[j] {
            fits.swap(j - 1, j);
            j -= 1;
        }
    }
    fits.into_iter().map(|(_, i)| i).collect()
}

/// How badly an object fits an object variant (the number of its keys the
/// variant does not know), or `None` when it cannot be that variant.
fn object_fit(object: &[(Cow<'_, str>, &RawValue)], v: &Variant) -> Option<usize> {
    let get = |key: &str| {
        object
            .iter()
            .find(|(k, r)| k == key && !is_null(r))
            .map(|(_, r)| *r)
    };
    let meets = v.required.iter().all(|k| get(k).is_some())
        && v.values.iter().all(|(k, allowed)| match get(k) {
            None => true,
            Some(r) => string(r).is_ok_and(|s| allowed.contains(&&*s)),
        });
    if !meets {
        return None;
    }
    if v.free {
        return Some(usize::MAX - 1);
    }
    Some(
        object
            .iter()
            .filter(|(k, _)| !v.known.contains(&&**k))
            .count(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> &RawValue {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn paths_name_the_failing_value() {
        let e = Vec::<Vec<u64>>::from_json(raw("[[1], [2, \"x\"]]")).unwrap_err();
        assert_eq!(e.path(), "[1][1]");
        assert!(e.message().contains("invalid type"), "{}", e.message());
        let e = JsonError::new("bad").in_key("b").in_index(3).in_key("a");
        assert_eq!(e.path(), "a[3].b");
        assert_eq!(JsonError::new("bad").path(), ".");
    }

    #[test]
    fn strings_round_trip_with_escapes() {
        let s = String::from_json(raw(r#""a\"b\\c\n\u0001é""#)).unwrap();
        assert_eq!(s, "a\"b\\c\n\u{1}é");
        let text = s.to_json_string();
        assert_eq!(serde_json::from_str::<String>(&text).unwrap(), s);
        assert!(String::from_json(raw("1")).is_err());
    }

    #[test]
    fn containers() {
        let m = BTreeMap::<String, Option<u64>>::from_json(raw(r#"{"b": null, "a": 1}"#)).unwrap();
        assert_eq!(m.to_json_string(), r#"{"a":1,"b":null}"#);
        assert!(entries(raw("[1]")).is_err());
        assert!(elements(raw("{}")).is_err());
    }

    #[test]
    fn variants_are_chosen_by_kind_keys_and_fit() {
        const V: &[Variant] = &[
            Variant {
                kind: Kind::Object,
                required: &["type", "droplet_id"],
                values: &[("type", &["assign"])],
                known: &["type", "droplet_id"],
                free: false,
            },
            Variant {
                kind: Kind::Object,
                required: &["type"],
                values: &[("type", &["unassign"])],
                known: &["type"],
                free: false,
            },
            Variant::of(Kind::Integer),
            Variant::of(Kind::String),
        ];
        assert_eq!(
            candidates(raw(r#"{"type": "assign", "droplet_id": 1}"#), V),
            [0]
        );
        assert_eq!(candidates(raw(r#"{"type": "unassign"}"#), V), [1]);
        assert!(candidates(raw(r#"{"type": "assign"}"#), V).is_empty());
        assert_eq!(candidates(raw("12"), V), [2]);
        assert!(candidates(raw("1.5"), V).is_empty());
        assert_eq!(candidates(raw(r#""x""#), V), [3]);
        // Best fit: the variant that knows more of the keys comes first, a
        // free-form object and `Any` last.
        const W: &[Variant] = &[
            Variant {
                kind: Kind::Object,
                required: &[],
                values: &[],
                known: &[],
                free: true,
            },
            Variant {
                kind: Kind::Object,
                required: &[],
                values: &[],
                known: &["a"],
                free: false,
            },
            Variant {
                kind: Kind::Object,
                required: &[],
                values: &[],
                known: &["a", "b"],
                free: false,
            },
            Variant::of(Kind::Any),
        ];
        assert_eq!(candidates(raw(r#"{"a": 1, "b": 2}"#), W), [2, 1, 0, 3]);
        assert_eq!(candidates(raw(r#"{"a": 1}"#), W), [1, 2, 0, 3]);
        assert_eq!(candidates(raw("[]"), W), [3]);
    }
}
