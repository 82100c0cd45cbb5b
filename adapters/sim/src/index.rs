//! The droplets' ids in order, all of them and by tag, so that a page of a
//! listing costs what the page holds, not what the account holds.

use std::collections::HashMap;

/// Sorted ids of every droplet, and of the droplets carrying each tag.
#[derive(Debug, Default)]
pub(crate) struct DropletIndex {
    all: Vec<u64>,
    by_tag: HashMap<String, Vec<u64>>,
}

fn add(ids: &mut Vec<u64>, id: u64) {
    if let Err(at) = ids.binary_search(&id) {
        ids.insert(at, id);
    }
}

fn take(ids: &mut Vec<u64>, id: u64) {
    if let Ok(at) = ids.binary_search(&id) {
        ids.remove(at);
    }
}

impl DropletIndex {
    /// A new droplet and its tags.
    pub fn insert(&mut self, id: u64, tags: &[String]) {
        add(&mut self.all, id);
        for t in tags {
            self.tag(id, t);
        }
    }

    /// A droplet gone, with the tags it had.
    pub fn remove(&mut self, id: u64, tags: &[String]) {
        take(&mut self.all, id);
        for t in tags {
            self.untag(id, t);
        }
    }

    /// A droplet now carrying `tag`.
    pub fn tag(&mut self, id: u64, tag: &str) {
        add(self.by_tag.entry(tag.to_owned()).or_default(), id);
    }

    /// A droplet no longer carrying `tag`.
    pub fn untag(&mut self, id: u64, tag: &str) {
        if let Some(ids) = self.by_tag.get_mut(tag) {
            take(ids, id);
        }
    }

    /// A tag deleted from every droplet.
    pub fn drop_tag(&mut self, tag: &str) {
        self.by_tag.remove(tag);
    }

    /// The ids of every droplet, or of those carrying `tag`, in order.
    pub fn ids(&self, tag: Option<&str>) -> &[u64] {
        match tag {
            None => &self.all,
            Some(t) => self.by_tag.get(t).map_or(&[], Vec::as_slice),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_follows_creates_tags_and_deletes() {
        let mut ix = DropletIndex::default();
        let web = || vec!["web".to_owned()];
        ix.insert(3, &web());
        ix.insert(1, &[]);
        ix.insert(2, &web());
        assert_eq!(ix.ids(None), [1, 2, 3]);
        assert_eq!(ix.ids(Some("web")), [2, 3]);
        ix.tag(1, "web");
        ix.tag(1, "web");
        assert_eq!(ix.ids(Some("web")), [1, 2, 3]);
        ix.untag(2, "web");
        ix.remove(3, &web());
        assert_eq!((ix.ids(None), ix.ids(Some("web"))), (&[1, 2][..], &[1][..]));
        ix.drop_tag("web");
        assert!(ix.ids(Some("web")).is_empty() && ix.ids(Some("db")).is_empty());
    }
}
