//! [`StrList`]: a list of short strings in one buffer.

use std::fmt;

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A list of strings stored in one buffer: what DigitalOcean sends as arrays
/// of slugs, features and tags (`region.sizes`, `size.regions`,
/// `droplet.tags`, ...).
///
/// A droplet carries about fifty such strings; keeping each list in one
/// allocation instead of one per string is most of what makes typed decoding
/// faster than decoding into `serde_json::Value`. It reads like a slice of
/// `&str`: [`iter`](StrList::iter), [`get`](StrList::get),
/// [`contains`](StrList::contains), indexing, `==` with a `Vec` or array of
/// strings; it encodes as a JSON array of strings.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct StrList {
    buf: String,
    ends: Vec<usize>,
}

impl StrList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a string.
    pub fn push(&mut self, s: &str) {
        if self.ends.capacity() == 0 {
            // Most lists are a few to a few dozen slugs: one allocation each
            // for the text and the ends covers them without regrowing.
            self.ends.reserve(16);
            self.buf.reserve(16 * 12);
        }
        self.buf.push_str(s);
        self.ends.push(self.buf.len());
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The string at `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.buf.get(start..end)
    }

    /// The first string.
    pub fn first(&self) -> Option<&str> {
        self.get(0)
    }

    /// Whether the list holds `s`.
    pub fn contains(&self, s: &str) -> bool {
        self.iter().any(|x| x == s)
    }

    /// The strings in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }

    /// Removes every occurrence of `s`; returns whether there was one.
    pub fn remove(&mut self, s: &str) -> bool {
        let before = self.len();
        *self = self.iter().filter(|x| *x != s).collect();
        self.len() != before
    }

    /// The strings as owned `String`s.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
}

impl std::ops::Index<usize> for StrList {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(s) => s,
            None => panic!("index {i} out of range for a StrList of {}", self.len()),
        }
    }
}

impl fmt::Debug for StrList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<S: AsRef<str>> FromIterator<S> for StrList {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut list = StrList::new();
        for s in iter {
            list.push(s.as_ref());
        }
        list
    }
}

impl<S: AsRef<str>> From<Vec<S>> for StrList {
    fn from(v: Vec<S>) -> Self {
        v.into_iter().collect()
    }
}

impl<S: AsRef<str>, const N: usize> From<[S; N]> for StrList {
    fn from(v: [S; N]) -> Self {
        v.into_iter().collect()
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for StrList {
    fn eq(&self, other: &Vec<S>) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for StrList {
    fn eq(&self, other: &[S; N]) -> bool {
        self.len() == N && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<'a> IntoIterator for &'a StrList {
    type Item = &'a str;
    type IntoIter = Box<dyn Iterator<Item = &'a str> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl Serialize for StrList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for x in self.iter() {
            seq.serialize_element(x)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for StrList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(ListVisitor)
    }
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = StrList;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of strings")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StrList, A::Error> {
        // The strings are gathered in a scratch list kept by the thread, so
        // the list itself is allocated once, at its exact size, instead of
        // regrowing as strings come (the length of a JSON array is not
        // known before its end).
        thread_local! {
            static SCRATCH: std::cell::RefCell<StrList> = std::cell::RefCell::default();
        }
        SCRATCH.with(|scratch| {
            let Ok(mut scratch) = scratch.try_borrow_mut() else {
                let mut list = StrList::new();
                while seq.next_element_seed(Append(&mut list))?.is_some() {}
                return Ok(list);
            };
            scratch.buf.clear();
            scratch.ends.clear();
            while seq.next_element_seed(Append(&mut scratch))?.is_some() {}
            Ok(scratch.exact_copy())
        })
    }
}

impl StrList {
    /// The same list in buffers of exactly its size.
    fn exact_copy(&self) -> StrList {
        if self.ends.is_empty() {
            return StrList::new();
        }
        let mut buf = String::with_capacity(self.buf.len());
        buf.push_str(&self.buf);
        let mut ends = Vec::with_capacity(self.ends.len());
        ends.extend_from_slice(&self.ends);
        StrList { buf, ends }
    }
}

/// Decodes one string straight into the list's buffer.
struct Append<'l>(&'l mut StrList);

impl<'de> DeserializeSeed<'de> for Append<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Append<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.0.buf.push_str(v);
        self.0.ends.push(self.0.buf.len());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_a_slice_of_str() {
        let l: StrList = serde_json::from_str(r#"["nyc3", "", "sfo\u00333", "ams3"]"#).unwrap();
        assert_eq!(l.len(), 4);
        assert_eq!(l, ["nyc3", "", "sfo33", "ams3"]);
        assert_eq!(
            (l.first(), l.get(1), &l[2], l.get(4)),
            (Some("nyc3"), Some(""), "sfo33", None)
        );
        assert!(l.contains("ams3") && !l.contains("lon1"));
        assert_eq!(
            serde_json::to_string(&l).unwrap(),
            r#"["nyc3","","sfo33","ams3"]"#
        );
        let mut l = l;
        assert!(l.remove("nyc3") && !l.remove("nyc3"));
        l.push("lon1");
        assert_eq!(l.to_vec(), vec!["", "sfo33", "ams3", "lon1"]);
        assert!(StrList::new().is_empty());
        assert!(serde_json::from_str::<StrList>(r#"["a", 1]"#).is_err());
    }
}
