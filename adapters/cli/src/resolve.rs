//! Identifiers as doapi read them: an integer id, an image slug or an SSH
//! key fingerprint (one request each), else a name, matched against the
//! resource's listing, fetched at most once per command.

use std::collections::HashSet;

use doapi_blocking::models::{Droplet, HasId, Image, SshKey};
use doapi_blocking::Api;
use doapi_blocking::{Client, Error};

use crate::fail::Fail;

/// A resource the command line names by id, name and maybe another key.
pub trait Named: Clone + HasId {
    /// What it is called in messages.
    const KIND: &'static str;
    /// Whether `label` names it by name (or slug).
    fn is_named(&self, label: &str) -> bool;
    /// Fetches it directly when `label` has the form of a direct key (an
    /// id, a slug, a fingerprint); `None` when it has not.
    fn fetch_direct(client: &Client, label: &str) -> Option<Result<Self, Error>>;
    /// Every resource of the kind.
    fn fetch_all(client: &Client) -> Box<dyn Iterator<Item = Result<Self, Error>>>;
}

impl Named for Droplet {
    const KIND: &'static str = "droplet";
    fn is_named(&self, label: &str) -> bool {
        self.name == label
    }
    fn fetch_direct(client: &Client, label: &str) -> Option<Result<Self, Error>> {
        let id = label.parse().ok()?;
        Some(client.fetch_droplet(id))
    }
    fn fetch_all(client: &Client) -> Box<dyn Iterator<Item = Result<Self, Error>>> {
        Box::new(client.fetch_all_droplets())
    }
}

impl Named for Image {
    const KIND: &'static str = "image";
    fn is_named(&self, label: &str) -> bool {
        self.name.as_deref() == Some(label) || self.slug.as_deref() == Some(label)
    }
    fn fetch_direct(client: &Client, label: &str) -> Option<Result<Self, Error>> {
        if let Ok(id) = label.parse() {
            return Some(client.fetch_image(id));
        }
        let slug_like = !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b));
        slug_like.then(|| client.fetch_image_by_slug(label))
    }
    fn fetch_all(client: &Client) -> Box<dyn Iterator<Item = Result<Self, Error>>> {
        Box::new(client.fetch_all_images())
    }
}

impl Named for SshKey {
    const KIND: &'static str = "SSH key";
    fn is_named(&self, label: &str) -> bool {
        self.name == label
    }
    fn fetch_direct(client: &Client, label: &str) -> Option<Result<Self, Error>> {
        if let Ok(id) = label.parse::<u64>() {
            return Some(client.fetch_ssh_key(id));
        }
        is_fingerprint(label).then(|| client.fetch_ssh_key(label))
    }
    fn fetch_all(client: &Client) -> Box<dyn Iterator<Item = Result<Self, Error>>> {
        Box::new(client.fetch_all_ssh_keys())
    }
}

/// An MD5 fingerprint as DigitalOcean writes it: 16 hex pairs with colons.
fn is_fingerprint(label: &str) -> bool {
    let parts: Vec<&str> = label.split(':').collect();
    parts.len() == 16
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The listings fetched so far, so a command lists a resource at most once.
#[derive(Default)]
pub struct Resolver {
    droplets: Option<Vec<Droplet>>,
    images: Option<Vec<Image>>,
    keys: Option<Vec<SshKey>>,
}

/// Where a [`Resolver`] keeps the listing of one kind.
pub trait Cached: Named {
    /// The kind's slot in the resolver.
    fn slot(r: &mut Resolver) -> &mut Option<Vec<Self>>;
}

impl Cached for Droplet {
    fn slot(r: &mut Resolver) -> &mut Option<Vec<Self>> {
        &mut r.droplets
    }
}

impl Cached for Image {
    fn slot(r: &mut Resolver) -> &mut Option<Vec<Self>> {
        &mut r.images
    }
}

impl Cached for SshKey {
    fn slot(r: &mut Resolver) -> &mut Option<Vec<Self>> {
        &mut r.keys
    }
}

impl Resolver {
    /// Every resource of the kind, listed once.
    pub fn all<T: Cached>(&mut self, client: &Client) -> Result<&[T], Fail> {
        let slot = T::slot(self);
        if slot.is_none() {
            *slot = Some(T::fetch_all(client).collect::<Result<_, _>>()?);
        }
        Ok(slot.as_deref().unwrap_or_default())
    }

    /// The resources the labels name. An ambiguous name is an error unless
    /// `multiple`; a resource named twice is kept once, with a warning.
    pub fn many<T: Cached>(
        &mut self,
        client: &Client,
        labels: &[String],
        multiple: bool,
    ) -> Result<Vec<T>, Fail> {
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        for label in labels {
            for item in self.existing::<T>(client, label, multiple)? {
                if seen.insert(item.id()) {
                    found.push(item);
                } else {
                    eprintln!(
                        "doapi: warning: {} {} given more than once; acting on it once",
                        T::KIND,
                        item.id()
                    );
                }
            }
        }
        Ok(found)
    }

    /// The one resource the label names.
    pub fn one<T: Cached>(&mut self, client: &Client, label: &str) -> Result<T, Fail> {
        self.existing::<T>(client, label, false)?
            .pop()
            .ok_or_else(|| no_such::<T>(label))
    }

    /// The resource `label` names directly or by name, if any, without
    /// failing when there is none.
    pub fn find<T: Cached>(&mut self, client: &Client, label: &str) -> Result<Option<T>, Fail> {
        Ok(self.matches::<T>(client, label, false)?.pop())
    }

    /// Fails if some resource of the kind already has this name (`--unique`;
    /// it costs the kind's listing, so it is not done unasked).
    pub fn ensure_unused<T: Cached>(&mut self, client: &Client, name: &str) -> Result<(), Fail> {
        match self.all::<T>(client)?.iter().find(|t| t.is_named(name)) {
            Some(t) => Err(Fail::usage(format!(
                "there is already a {} named {name:?} (id {})",
                T::KIND,
                t.id()
            ))),
            None => Ok(()),
        }
    }

    /// What the label names; none is an error.
    fn existing<T: Cached>(
        &mut self,
        client: &Client,
        label: &str,
        multiple: bool,
    ) -> Result<Vec<T>, Fail> {
        let found = self.matches::<T>(client, label, multiple)?;
        if found.is_empty() {
            return Err(no_such::<T>(label));
        }
        Ok(found)
    }

    /// What the label names, maybe nothing; an ambiguous name is an error
    /// unless `multiple`.
    fn matches<T: Cached>(
        &mut self,
        client: &Client,
        label: &str,
        multiple: bool,
    ) -> Result<Vec<T>, Fail> {
        match T::fetch_direct(client, label) {
            Some(Ok(item)) => return Ok(vec![item]),
            Some(Err(e)) if !e.is_not_found() => return Err(e.into()),
            _ => {}
        }
        let found: Vec<T> = self
            .all::<T>(client)?
            .iter()
            .filter(|t| t.is_named(label))
            .cloned()
            .collect();
        match found.len() {
            0 | 1 => Ok(found),
            _ if multiple => Ok(found),
            n => {
                let ids: Vec<String> = found.iter().map(|t| t.id().to_string()).collect();
                Err(Fail::usage(format!(
                    "{label:?} is ambiguous: {n} {}s have that name ({}); use -M/--multiple for all of them",
                    T::KIND,
                    ids.join(", ")
                )))
            }
        }
    }
}

fn no_such<T: Named>(label: &str) -> Fail {
    Fail::usage(format!("no such {}: {label:?}", T::KIND))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_sixteen_hex_pairs() {
        assert!(is_fingerprint(
            "3b:16:bf:e4:8b:00:8b:b8:59:8c:a9:d3:f0:19:45:fa"
        ));
        assert!(!is_fingerprint("3b:16:bf"));
        assert!(!is_fingerprint("my-laptop"));
        assert!(!is_fingerprint(
            "zz:16:bf:e4:8b:00:8b:b8:59:8c:a9:d3:f0:19:45:fa"
        ));
    }
}
