//! Sorted ids, all of them and by group (a droplet's tags, a volume's
//! region, a snapshot's kind, a project's resources), so that a page of a
//! listing costs what the page holds, not what the account holds.

use std::collections::HashMap;

/// Sorted ids of every resource of a kind, and of those in each group.
#[derive(Debug)]
pub(crate) struct Index<K> {
    all: Vec<K>,
    by: HashMap<String, Vec<K>>,
}

impl<K> Default for Index<K> {
    fn default() -> Self {
        Index {
            all: Vec::new(),
            by: HashMap::new(),
        }
    }
}

fn add<K: Ord>(ids: &mut Vec<K>, id: K) {
    if let Err(at) = ids.binary_search(&id) {
        ids.insert(at, id);
    }
}

fn take<K: Ord>(ids: &mut Vec<K>, id: &K) {
    if let Ok(at) = ids.binary_search(id) {
        ids.remove(at);
    }
}

impl<K: Ord + Clone> Index<K> {
    /// A new resource, in these groups.
    pub fn insert(&mut self, id: K, groups: &[impl AsRef<str>]) {
        for g in groups {
            self.join(id.clone(), g.as_ref());
        }
        add(&mut self.all, id);
    }

    /// A resource gone, with the groups it was in.
    pub fn remove(&mut self, id: &K, groups: &[impl AsRef<str>]) {
        take(&mut self.all, id);
        for g in groups {
            self.leave(id, g.as_ref());
        }
    }

    /// A resource now in `group`.
    pub fn join(&mut self, id: K, group: &str) {
        add(self.by.entry(group.to_owned()).or_default(), id);
    }

    /// A resource no longer in `group`.
    pub fn leave(&mut self, id: &K, group: &str) {
        if let Some(ids) = self.by.get_mut(group) {
            take(ids, id);
        }
    }

    /// A group gone (a tag deleted from everything).
    pub fn drop_group(&mut self, group: &str) {
        self.by.remove(group);
    }

    /// The ids of every resource, or of those in `group`, in order.
    pub fn ids(&self, group: Option<&str>) -> &[K] {
        match group {
            None => &self.all,
            Some(g) => self.by.get(g).map_or(&[], Vec::as_slice),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_follows_creates_groups_and_deletes() {
        let mut ix = Index::default();
        let web = ["web"];
        ix.insert(3u64, &web);
        ix.insert(1, &[] as &[&str]);
        ix.insert(2, &web);
        assert_eq!(ix.ids(None), [1, 2, 3]);
        assert_eq!(ix.ids(Some("web")), [2, 3]);
        ix.join(1, "web");
        ix.join(1, "web");
        assert_eq!(ix.ids(Some("web")), [1, 2, 3]);
        ix.leave(&2, "web");
        ix.remove(&3, &web);
        assert_eq!((ix.ids(None), ix.ids(Some("web"))), (&[1, 2][..], &[1][..]));
        ix.drop_group("web");
        assert!(ix.ids(Some("web")).is_empty() && ix.ids(Some("db")).is_empty());
    }
}
