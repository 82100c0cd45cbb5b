//! The two macros every model is written with.
//!
//! `model!` declares a struct whose known JSON keys become typed fields and
//! whose other keys are kept in `extra`, with a hand-rolled one-pass
//! `Deserialize` (no `#[serde(flatten)]`, which costs about twice the time)
//! and a `Serialize` that gives back the JSON the value was decoded from.
//!
//! `string_enum!` declares a string enum with an `Unknown(String)` variant,
//! so a value DigitalOcean adds later decodes and re-encodes unchanged.
//!
//! Both have a `gen` form, which the generated models of [`crate::api`]
//! use: the same lossless behaviour, every field optional, with decoding
//! and encoding through [`Json`](super::json::Json) so that each model's
//! code is compiled once (see [`json`](super::json)). `one_of!` declares
//! the enum of a `oneOf` or `anyOf`: the variants that can match are tried
//! in order, and a value none matches is kept as `Unknown`.

/// Declares a lossless model. See the module docs.
///
/// ```text
/// model! {
///     /// Docs.
///     pub struct Name {
///         required { /// Docs.
///                    field: Type = "json_key", }
///         optional { /// Docs.
///                    field: Type = "json_key", }
///     }
/// }
/// ```
///
/// A field may end with `via Wrapper` (`created_at: DateTime<Utc> =
/// "created_at" via Rfc3339,`): its value is decoded as `Wrapper`, a
/// newtype over the field's type with a faster `Deserialize` of the same
/// result, and unwrapped.
///
/// Required fields are plain `Type` and a missing key is a decode error.
/// Optional fields are `Option<Type>`: an absent key and `null` both give
/// `None`; a `null` is also remembered in `extra` so that encoding writes it
/// back (and an absent key stays absent).
macro_rules! model {
    (
        gen
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $f:ident : $t:ty = $json:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $f: ::core::option::Option<$t>, )*
            /// Every other field of the JSON object, and the known fields
            /// that were `null`, as raw JSON text.
            pub extra: $crate::models::json::Extra,
        }

        impl $crate::models::json::Json for $name {
            fn from_json(
                raw: &::serde_json::value::RawValue,
            ) -> ::core::result::Result<Self, $crate::models::json::JsonError> {
                let mut v = Self { $( $f: None, )* extra: $crate::models::json::Extra::new() };
                match $crate::models::json::decode_fields(raw, &mut v) {
                    Ok(()) => Ok(v),
                    Err(e) => Err(e),
                }
            }
            fn write_json(&self, out: &mut ::std::string::String) {
                #[allow(unused_mut)]
                let mut w = $crate::models::json::ObjectWriter::new(out);
                $( w.field($json, &self.$f); )*
                w.finish(&self.extra);
            }
        }

        impl $crate::models::json::Fields for $name {
            fn set_field(
                &mut self,
                key: &str,
                raw: &::serde_json::value::RawValue,
            ) -> ::core::result::Result<(), $crate::models::json::JsonError> {
                match key {
                    $( $json => $crate::models::json::field(&mut self.$f, raw, &mut self.extra, $json), )*
                    _ => {
                        self.extra.insert(key.to_owned(), raw.to_owned());
                        Ok(())
                    }
                }
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut json = ::std::string::String::new();
                $crate::models::json::Json::write_json(self, &mut json);
                $crate::models::json::debug(stringify!($name), &json, f)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                $crate::models::json::deserialize(d)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::models::json::serialize(self, s)
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            required {
                $( $(#[$rmeta:meta])* $rf:ident : $rty:ty = $rjson:literal $(via $rvia:ty)?, )*
            }
            optional {
                $( $(#[$ometa:meta])* $of:ident : $oty:ty = $ojson:literal $(via $ovia:ty)?, )*
            }
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $( $(#[$rmeta])* pub $rf: $rty, )*
            $( $(#[$ometa])* pub $of: ::core::option::Option<$oty>, )*
            /// Every field of the JSON object that this model does not know,
            /// plus the known optional fields that were `null`, so the value
            /// re-encodes to the JSON it was decoded from.
            pub extra: $crate::models::extra::Extra,
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #[allow(non_camel_case_types)]
                enum Field { $($rf,)* $($of,)* Other(::std::string::String) }

                struct FieldVisitor;
                impl<'de> ::serde::de::Visitor<'de> for FieldVisitor {
                    type Value = Field;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str("a field name")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::core::result::Result<Field, E> {
                        Ok(match v {
                            $($rjson => Field::$rf,)*
                            $($ojson => Field::$of,)*
                            other => Field::Other(other.to_owned()),
                        })
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for Field {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                        d.deserialize_identifier(FieldVisitor)
                    }
                }

                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<$name, A::Error> {
                        $( let mut $rf: ::core::option::Option<$rty> = None; )*
                        $( let mut $of: ::core::option::Option<$oty> = None; )*
                        let mut extra = $crate::models::extra::Extra::new();
                        while let Some(key) = map.next_key::<Field>()? {
                            match key {
                                $( Field::$rf => $rf = Some(next_value!(map, $rty $(, $rvia)?)), )*
                                $( Field::$of => match next_value!(map, optional $oty $(, $ovia)?) {
                                    Some(v) => $of = Some(v),
                                    None => { extra.insert_null($ojson); }
                                }, )*
                                Field::Other(k) => { extra.insert(k, map.next_value::<::std::boxed::Box<::serde_json::value::RawValue>>()?); }
                            }
                        }
                        Ok($name {
                            $( $rf: $rf.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field($rjson))?, )*
                            $( $of, )*
                            extra,
                        })
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                $( map.serialize_entry($rjson, &self.$rf)?; )*
                $( if let Some(v) = &self.$of { map.serialize_entry($ojson, v)?; } )*
                for (k, v) in self.extra.iter() {
                    // A key written above wins over a stale entry in `extra`.
                    let written = match k {
                        $( $rjson => true, )*
                        $( $ojson => self.$of.is_some(), )*
                        _ => false,
                    };
                    if !written {
                        map.serialize_entry(k, v)?;
                    }
                }
                map.end()
            }
        }
    };
}

/// The next value of a `serde` map, as a field of type `$t` (`optional`:
/// `Option<$t>`); decoded as the newtype `$via` and unwrapped when the
/// field has one (`via` in [`model!`]).
macro_rules! next_value {
    ($map:ident, optional $t:ty) => {
        $map.next_value::<::core::option::Option<$t>>()?
    };
    ($map:ident, optional $t:ty, $via:ty) => {
        $map.next_value::<::core::option::Option<$via>>()?
            .map(|v| v.0)
    };
    ($map:ident, $t:ty) => {
        $map.next_value::<$t>()?
    };
    ($map:ident, $t:ty, $via:ty) => {
        $map.next_value::<$via>()?.0
    };
}

/// Declares a string enum that keeps unknown values. See the module docs.
macro_rules! string_enum {
    (
        gen
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $json:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the crate does not know, kept as sent.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The string DigitalOcean uses for this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $json, )*
                    Self::Unknown(s) => s,
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $json => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl $crate::models::json::Json for $name {
            fn from_json(
                raw: &::serde_json::value::RawValue,
            ) -> ::core::result::Result<Self, $crate::models::json::JsonError> {
                Ok(Self::from(&*$crate::models::json::string(raw)?))
            }
            fn write_json(&self, out: &mut ::std::string::String) {
                $crate::models::json::write_str(out, self.as_str());
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                $crate::models::json::deserialize(d)
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $json:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the crate does not know, kept as sent.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The string DigitalOcean uses for this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $json, )*
                    Self::Unknown(s) => s,
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $json => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::core::result::Result<$name, E> {
                        Ok($name::from(v))
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

/// Declares the enum of a `oneOf` or `anyOf`. See the module docs.
///
/// ```text
/// one_of! {
///     /// Docs.
///     pub enum Name {
///         /// Docs.
///         Variant(Type) = 0 => Variant { kind, required, values },
///     }
/// }
/// ```
///
/// The number is the variant's position; the rule says when a value can be
/// that variant ([`Variant`](super::json::Variant)). Decoding tries each
/// variant that can match, best fit first
/// ([`candidates`](super::json::candidates)), and keeps the first that
/// decodes; a value none matches is `Unknown`, kept as sent.
macro_rules! one_of {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident($t:ty) = $i:literal => $rule:expr, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant, reason = "the variants are the spec's; boxing them would cost every user")]
        pub enum $name {
            $( $(#[$vmeta])* $variant($t), )*
            /// A value that matches none of the variants, kept as sent.
            Unknown(::serde_json::Value),
        }

        impl $crate::models::json::Json for $name {
            fn from_json(
                raw: &::serde_json::value::RawValue,
            ) -> ::core::result::Result<Self, $crate::models::json::JsonError> {
                use $crate::models::json::{Json, Kind, Variant};
                const RULES: &[Variant] = &[$($rule),*];
                for i in $crate::models::json::candidates(raw, RULES) {
                    match i {
                        $( $i => {
                            if let Ok(v) = <$t as Json>::from_json(raw) {
                                return Ok(Self::$variant(v));
                            }
                        } )*
                        _ => {}
                    }
                }
                let _ = Kind::Any;
                Ok(Self::Unknown(<::serde_json::Value as Json>::from_json(raw)?))
            }
            fn write_json(&self, out: &mut ::std::string::String) {
                match self {
                    $( Self::$variant(v) => $crate::models::json::Json::write_json(v, out), )*
                    Self::Unknown(v) => $crate::models::json::Json::write_json(v, out),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::models::json::serialize(self, s)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                $crate::models::json::deserialize(d)
            }
        }
    };
}

pub(crate) use {model, one_of, string_enum};
