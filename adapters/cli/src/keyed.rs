//! Resources given by a key the API takes as it is (a domain name, an
//! address, a tag, an action id), unlike the labels `resolve` looks up:
//! each key once, or with none, the whole listing.

use std::collections::HashSet;
use std::hash::Hash;

use doapi_blocking::Error;
use serde::Serialize;

use crate::ctx::Ctx;
use crate::fail::Fail;

/// Prints what each key names, each fetched once, or with no key, every
/// item of the listing `all` (which sends nothing until it is read).
pub fn each_or_all<K: Hash + Eq + Clone, T: Serialize>(
    ctx: &mut Ctx,
    keys: Vec<K>,
    all: impl Iterator<Item = Result<T, Error>>,
    one: impl FnMut(K) -> Result<T, Error>,
) -> Result<(), Fail> {
    if keys.is_empty() {
        ctx.out.stream(all)
    } else {
        ctx.out.stream(unique(keys).map(one))
    }
}

/// The items, each once, in the order first given.
pub fn unique<T: Hash + Eq + Clone>(items: Vec<T>) -> impl Iterator<Item = T> {
    let mut seen = HashSet::new();
    items.into_iter().filter(move |i| seen.insert(i.clone()))
}
