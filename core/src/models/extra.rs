//! Where a model keeps what it does not know: [`Extra`].

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

/// The JSON fields a model does not know, each kept as the raw JSON text it
/// came as, in the order it came: a field costs its text and no more (no
/// tree of values is built), and re-encodes exactly. A known field that was
/// `null` costs nothing more: its name and its `null` are borrowed from
/// static text.
#[derive(Clone, Default)]
pub struct Extra(Vec<(Cow<'static, str>, Cow<'static, RawValue>)>);

impl Extra {
    /// No fields.
    pub fn new() -> Self {
        Extra::default()
    }

    /// How many fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The raw JSON of a field.
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| &**v)
    }

    /// A field, parsed as JSON.
    pub fn value(&self, key: &str) -> Option<Value> {
        serde_json::from_str(self.get(key)?.get()).ok()
    }

    /// Whether there is a field of this name.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets a field to raw JSON, replacing one of the same name.
    pub fn insert(&mut self, key: String, value: Box<RawValue>) {
        self.set(Cow::Owned(key), Cow::Owned(value));
    }

    /// Sets a field to `null`, replacing one of the same name.
    pub fn insert_null(&mut self, key: impl Into<Cow<'static, str>>) {
        static NULL: OnceLock<Option<&'static RawValue>> = OnceLock::new();
        if let Some(null) = NULL.get_or_init(|| serde_json::from_str("null").ok()) {
            self.set(key.into(), Cow::Borrowed(*null));
        }
    }

    fn set(&mut self, key: Cow<'static, str>, value: Cow<'static, RawValue>) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    /// Sets a field to a JSON value, replacing one of the same name.
    pub fn insert_value(&mut self, key: String, value: &Value) {
        if let Ok(raw) = serde_json::value::to_raw_value(value) {
            self.insert(key, raw);
        }
    }

    /// Removes a field, returning its raw JSON.
    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let at = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(at).1.into_owned())
    }

    /// The fields, in the order they came.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.0.iter().map(|(k, v)| (&**k, &**v))
    }
}

/// Two extras are equal when they hold the same fields with equal JSON
/// values (whatever their order or spacing).
impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self.iter().all(|(k, v)| {
                other.get(k).is_some_and(|w| {
                    v.get() == w.get()
                        || serde_json::from_str::<Value>(v.get()).ok()
                            == serde_json::from_str::<Value>(w.get()).ok()
                })
            })
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, v.get())))
            .finish()
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, &**v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExtraVisitor;
        impl<'de> Visitor<'de> for ExtraVisitor {
            type Value = Extra;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Extra, A::Error> {
                let mut extra = Extra::new();
                while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
                    extra.insert(k, v);
                }
                Ok(extra)
            }
        }
        deserializer.deserialize_map(ExtraVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_kept_as_their_text_and_compared_as_values() {
        let a: Extra = serde_json::from_str(r#"{"x": [1, 2], "y": {"z": null}}"#).unwrap();
        assert_eq!(a.get("x").map(RawValue::get), Some("[1, 2]"));
        assert_eq!(a.value("y"), Some(json!({"z": null})));
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"x":[1, 2],"y":{"z": null}}"#
        );
        let b: Extra = serde_json::from_str(r#"{"y":{"z":null},"x":[1,2]}"#).unwrap();
        assert_eq!(a, b);
        let mut c = b.clone();
        c.insert_value("x".into(), &json!([1]));
        assert_ne!(a, c);
        assert_eq!(c.len(), 2);
        assert!(c.remove("x").is_some() && !c.contains_key("x"));
        c.insert_null("n");
        c.insert_null(String::from("m"));
        assert_eq!(c.get("n").map(RawValue::get), Some("null"));
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"y":{"z":null},"n":null,"m":null}"#
        );
        assert_eq!(
            c.remove("n").map(|v| v.get().to_owned()).as_deref(),
            Some("null")
        );
        let from_value: Extra = serde_json::from_value(json!({"x": [1, 2]})).unwrap();
        assert_eq!(from_value.value("x"), Some(json!([1, 2])));
    }
}
