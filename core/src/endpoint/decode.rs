//! Turning response bodies into typed values, and whole responses into
//! results.
//!
//! Decoding takes one fast pass; only when it fails is the body decoded
//! again with path tracking, so errors name where the JSON went wrong at no
//! cost to the success path.

use std::fmt;
use std::marker::PhantomData;

use http::Response;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::error::{ApiError, DecodeError, Error};
use crate::models::{Extra, Links, Meta};
use crate::ratelimit::ResponseInfo;

/// A decoded response: the value and what the response said about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<T> {
    /// The decoded body.
    pub value: T,
    /// Status, rate limit, request id, date.
    pub info: ResponseInfo,
}

/// One page of a listing: `{"<key>": [...], "links": {...}, "meta": {...}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The `links` object, when present.
    pub links: Option<Links>,
    /// The `meta` object, when present (doapi's `last_meta`).
    pub meta: Option<Meta>,
    /// Other top-level keys.
    pub extra: Extra,
}

impl<T> Page<T> {
    /// The URL of the next page; `None` on the last page.
    pub fn next(&self) -> Option<&str> {
        self.links.as_ref()?.pages.as_ref()?.next.as_deref()
    }

    /// `meta.total`: the number of items over all pages (`None` for a
    /// negative one).
    pub fn total(&self) -> Option<u64> {
        self.meta
            .as_ref()?
            .total
            .and_then(|t| u64::try_from(t).ok())
    }
}

/// Checks the status and decodes the body of a response with `decode`.
///
/// Any status outside 2xx gives [`Error::Api`] carrying the response's rate
/// limit and request id.
pub fn response<T>(
    resp: &Response<Vec<u8>>,
    decode: impl FnOnce(&[u8]) -> Result<T, DecodeError>,
) -> Result<Decoded<T>, Error> {
    let info = ResponseInfo::new(resp.status(), resp.headers());
    if !resp.status().is_success() {
        return Err(ApiError::from_response(&info, resp.body()).into());
    }
    let value = decode(resp.body())?;
    Ok(Decoded { value, info })
}

/// Decodes a body with a seed: one fast pass, and on failure a second pass
/// that records the JSON path.
///
/// The fast pass checks that the body is UTF-8 once, up front, and reads it
/// as a `str`: `serde_json` then does not check each string again (reading
/// from bytes, it checks every string it meets, about 7% of a droplet
/// listing's decode). A body that is not UTF-8 is read as bytes, as before,
/// with the same result.
pub fn with_seed<'de, S>(body: &'de [u8], seed: S) -> Result<S::Value, DecodeError>
where
    S: DeserializeSeed<'de> + Clone,
{
    let fast = match std::str::from_utf8(body) {
        Ok(text) => whole(serde_json::Deserializer::from_str(text), seed.clone()),
        Err(_) => whole(serde_json::Deserializer::from_slice(body), seed.clone()),
    };
    fast.map_err(|fast_err| {
        let mut de = serde_json::Deserializer::from_slice(body);
        let mut track = serde_path_to_error::Track::new();
        let res = seed.deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track));
        let message = match res {
            Err(e) => e.to_string(),
            Ok(_) => fast_err.to_string(),
        };
        DecodeError::new(track.path().to_string(), message, body)
    })
}

/// Decodes one value with `seed` and checks that nothing follows it.
fn whole<'de, R, S>(
    mut de: serde_json::Deserializer<R>,
    seed: S,
) -> Result<S::Value, serde_json::Error>
where
    R: serde_json::de::Read<'de>,
    S: DeserializeSeed<'de>,
{
    let v = seed.deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// Decodes a whole body as `T`.
pub fn value<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    with_seed(body, PhantomData::<T>)
}

/// Decodes the object under `key` of a body such as `{"droplet": {...}}`.
pub fn one<T: DeserializeOwned>(body: &[u8], key: &'static str) -> Result<T, DecodeError> {
    with_seed(body, Keyed::<T>(key, PhantomData))
}

/// Decodes one page of a listing whose items are under `key`.
pub fn page<T: DeserializeOwned>(body: &[u8], key: &str) -> Result<Page<T>, DecodeError> {
    with_seed(body, PageSeed::<T>(key, PhantomData))
}

/// Accepts an empty body (such as a 204's), or any JSON, and ignores it.
pub fn empty(body: &[u8]) -> Result<(), DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(())
    } else {
        with_seed(body, PhantomData::<IgnoredAny>).map(|_| ())
    }
}

/// The value under one key of a JSON object.
struct Keyed<T>(&'static str, PhantomData<T>);

impl<T> Clone for Keyed<T> {
    fn clone(&self) -> Self {
        Keyed(self.0, PhantomData)
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Keyed<T> {
    type Value = T;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Keyed<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with the key {:?}", self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut found = None;
        while let Some(k) = map.next_key::<KeyName>()? {
            if k.0 == self.0 && found.is_none() {
                found = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        found.ok_or_else(|| de::Error::missing_field(self.0))
    }
}

struct PageSeed<'k, T>(&'k str, PhantomData<T>);

impl<T> Clone for PageSeed<'_, T> {
    fn clone(&self) -> Self {
        PageSeed(self.0, PhantomData)
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for PageSeed<'_, T> {
    type Value = Page<T>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Page<T>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageSeed<'_, T> {
    type Value = Page<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a page of a listing of {:?}", self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
        let mut items = None;
        let mut links = None;
        let mut meta = None;
        let mut extra = Extra::new();
        while let Some(k) = map.next_key::<KeyName>()? {
            if k.0 == self.0 {
                items = Some(map.next_value()?);
            } else if k.0 == "links" {
                links = map.next_value()?;
            } else if k.0 == "meta" {
                meta = map.next_value()?;
            } else {
                extra.insert(k.0.into_owned(), map.next_value()?);
            }
        }
        Ok(Page {
            items: items.ok_or_else(|| de::Error::custom(format!("missing field `{}`", self.0)))?,
            links,
            meta,
            extra,
        })
    }
}

/// An object key, borrowed from the body when it can be.
struct KeyName<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for KeyName<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyName<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<KeyName<'de>, E> {
                Ok(KeyName(v.into()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyName<'de>, E> {
                Ok(KeyName(v.to_owned().into()))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Droplet;

    #[test]
    fn decode_error_names_the_path() {
        let body = br#"{"droplets": [{"id": 1}, {"id": "x"}], "meta": {"total": 2}}"#;
        let err = page::<crate::models::Kernel>(body, "droplets").unwrap_err();
        assert_eq!(err.path, "droplets[0]");
        assert!(
            err.message.contains("missing field `name`"),
            "{}",
            err.message
        );
        let err = one::<Droplet>(b"{\"droplet\": 5}", "droplet").unwrap_err();
        assert_eq!(err.path, "droplet");
        let err = one::<Droplet>(b"{}", "droplet").unwrap_err();
        assert!(err.message.contains("missing field `droplet`"));
    }

    #[test]
    fn a_body_that_is_not_utf8_decodes_as_its_bytes_do() {
        let as_bytes = |body: &[u8]| {
            whole(
                serde_json::Deserializer::from_slice(body),
                Keyed::<String>("droplet", PhantomData),
            )
            .ok()
        };
        for body in [
            &b"{\"x\": \"\xff\", \"droplet\": \"a\"}"[..],
            b"{\"droplet\": \"\xff\"}",
            b"{\"droplet\": \"\xc3\xa9\"}",
        ] {
            assert_eq!(one::<String>(body, "droplet").ok(), as_bytes(body));
        }
        let err = one::<String>(b"{\"droplet\": \"\xff\"}", "droplet").unwrap_err();
        assert_eq!(err.path, "droplet");
    }

    #[test]
    fn empty_bodies() {
        assert!(empty(b"").is_ok());
        assert!(empty(b" \n").is_ok());
        assert!(empty(b"{}").is_ok());
        assert!(empty(b"{").is_err());
    }

    #[test]
    fn snippet_is_bounded() {
        let body = vec![b'x'; 10_000];
        let err = value::<u8>(&body).unwrap_err();
        let kept = &err.snippet[..crate::error::BODY_SNIPPET_LEN];
        assert_eq!(kept, "x".repeat(crate::error::BODY_SNIPPET_LEN));
        assert_eq!(&err.snippet[kept.len()..], "… (9488 more bytes)");
    }
}
