//! Identifiers as doapi read them: an integer id, an image slug or an SSH
//! key fingerprint (one request each), else a name, matched against the
//! resource's listing page by page: only the matches are kept, so a listing
//! of any length costs the memory of one page. The names of one command
//! line are matched in one pass; a listing of a single page is kept for the
//! rest of the command, so a small account is listed at most once.

use std::collections::HashSet;
use std::ops::ControlFlow;

use doapi_blocking::endpoints::{ImageFilter, ListDroplets, ListImages, ListSshKeys};
use doapi_blocking::models::{Droplet, HasId, Image, SshKey};
use doapi_blocking::Api;
use doapi_blocking::{Client, Error};

use crate::fail::Fail;

/// The pages of a listing, each as its items.
pub type Pages<T> = Box<dyn Iterator<Item = Result<Vec<T>, Error>>>;

/// A resource the command line names by id, name and maybe another key.
pub trait Named: Clone + HasId {
    /// What it is called in messages.
    const KIND: &'static str;
    /// Whether `label` names it by name (or slug).
    fn is_named(&self, label: &str) -> bool;
    /// Fetches it directly when `label` has the form of a direct key (an
    /// id, a slug, a fingerprint); `None` when it has not.
    fn fetch_direct(client: &Client, label: &str) -> Option<Result<Self, Error>>;
    /// Every resource of the kind, page by page.
    fn pages(client: &Client) -> Pages<Self>;
}

/// The items of each page of a listing.
fn items<L: doapi_blocking::endpoints::List>(client: &Client, op: L) -> Pages<L::Item> {
    Box::new(client.pages(op).map(|page| page.map(|p| p.value.items)))
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
    fn pages(client: &Client) -> Pages<Self> {
        items(client, ListDroplets::default())
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
    fn pages(client: &Client) -> Pages<Self> {
        items(
            client,
            ListImages {
                filter: ImageFilter::All,
            },
        )
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
    fn pages(client: &Client) -> Pages<Self> {
        items(client, ListSshKeys {})
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

/// The listings of one page fetched so far, so that a small account is
/// listed at most once per command.
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
    /// Goes through the kind's listing once, giving each item to `visit`
    /// until it breaks. Pages are fetched one at a time and dropped once
    /// visited; a listing that turns out to be a single page is kept, and
    /// later scans go through it without a request.
    fn scan<T: Cached>(
        &mut self,
        client: &Client,
        mut visit: impl FnMut(&T) -> ControlFlow<()>,
    ) -> Result<(), Fail> {
        if let Some(kept) = T::slot(self) {
            let _ = kept.iter().try_for_each(visit);
            return Ok(());
        }
        let mut only: Option<Vec<T>> = None;
        for (n, page) in T::pages(client).enumerate() {
            let page = page?;
            if page.iter().try_for_each(&mut visit).is_break() {
                return Ok(());
            }
            only = (n == 0).then_some(page);
        }
        *T::slot(self) = only;
        Ok(())
    }

    /// The first resource of the kind that `wanted` takes, if any.
    pub fn first<T: Cached>(
        &mut self,
        client: &Client,
        wanted: impl Fn(&T) -> bool,
    ) -> Result<Option<T>, Fail> {
        let mut found = None;
        self.scan::<T>(client, |t| {
            if wanted(t) {
                found = Some(t.clone());
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        })?;
        Ok(found)
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
        for (label, items) in labels
            .iter()
            .zip(self.lookup::<T>(client, labels, multiple)?)
        {
            if items.is_empty() {
                return Err(no_such::<T>(label));
            }
            for item in items {
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
        self.find::<T>(client, label)?
            .ok_or_else(|| no_such::<T>(label))
    }

    /// The resource `label` names directly or by name, if any, without
    /// failing when there is none.
    pub fn find<T: Cached>(&mut self, client: &Client, label: &str) -> Result<Option<T>, Fail> {
        let labels = [label.to_owned()];
        Ok(self
            .lookup::<T>(client, &labels, false)?
            .pop()
            .and_then(|mut m| m.pop()))
    }

    /// Fails if some resource of the kind already has this name (`--unique`;
    /// it costs the kind's listing, so it is not done unasked).
    pub fn ensure_unused<T: Cached>(&mut self, client: &Client, name: &str) -> Result<(), Fail> {
        match self.first::<T>(client, |t| t.is_named(name))? {
            Some(t) => Err(Fail::usage(format!(
                "there is already a {} named {name:?} (id {})",
                T::KIND,
                t.id()
            ))),
            None => Ok(()),
        }
    }

    /// What each label names, maybe nothing: a direct key costs its
    /// request, and the names are matched together in one pass over the
    /// listing, keeping only the matches. An ambiguous name is an error
    /// unless `multiple`.
    fn lookup<T: Cached>(
        &mut self,
        client: &Client,
        labels: &[String],
        multiple: bool,
    ) -> Result<Vec<Vec<T>>, Fail> {
        let mut found: Vec<Vec<T>> = labels.iter().map(|_| Vec::new()).collect();
        let mut by_name = Vec::new();
        for (i, label) in labels.iter().enumerate() {
            match T::fetch_direct(client, label) {
                Some(Ok(item)) => found[i].push(item),
                Some(Err(e)) if !e.is_not_found() => return Err(e.into()),
                _ => by_name.push(i),
            }
        }
        if !by_name.is_empty() {
            self.scan::<T>(client, |t| {
                for &i in &by_name {
                    if t.is_named(&labels[i]) {
                        found[i].push(t.clone());
                    }
                }
                ControlFlow::Continue(())
            })?;
        }
        for (label, items) in labels.iter().zip(&found) {
            if items.len() > 1 && !multiple {
                let ids: Vec<String> = items.iter().map(|t| t.id().to_string()).collect();
                return Err(Fail::usage(format!(
                    "{label:?} is ambiguous: {} {}s have that name ({}); use -M/--multiple for all of them",
                    items.len(),
                    T::KIND,
                    ids.join(", ")
                )));
            }
        }
        Ok(found)
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
