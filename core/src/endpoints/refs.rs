//! How operations name images and SSH keys: by id, or by slug or
//! fingerprint.

use serde::Serialize;

use crate::endpoint::PathSegment;

/// An image given by id or by slug, as create, restore and rebuild take it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ImageRef {
    /// An image id.
    Id(u64),
    /// An image slug, such as `ubuntu-24-04-x64`.
    Slug(String),
}

impl From<u64> for ImageRef {
    fn from(id: u64) -> Self {
        ImageRef::Id(id)
    }
}

impl From<&str> for ImageRef {
    fn from(slug: &str) -> Self {
        ImageRef::Slug(slug.to_owned())
    }
}

impl From<String> for ImageRef {
    fn from(slug: String) -> Self {
        ImageRef::Slug(slug)
    }
}

impl From<&crate::models::Image> for ImageRef {
    fn from(image: &crate::models::Image) -> Self {
        ImageRef::Id(image.id)
    }
}

/// An SSH key given by id or by fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum SshKeyRef {
    /// A key id.
    Id(u64),
    /// A key fingerprint.
    Fingerprint(String),
}

impl PathSegment for SshKeyRef {
    fn segment(&self) -> String {
        match self {
            SshKeyRef::Id(id) => id.segment(),
            SshKeyRef::Fingerprint(f) => f.segment(),
        }
    }
}

impl From<u64> for SshKeyRef {
    fn from(id: u64) -> Self {
        SshKeyRef::Id(id)
    }
}

impl From<&str> for SshKeyRef {
    fn from(fingerprint: &str) -> Self {
        SshKeyRef::Fingerprint(fingerprint.to_owned())
    }
}

impl From<&crate::models::SshKey> for SshKeyRef {
    fn from(key: &crate::models::SshKey) -> Self {
        SshKeyRef::Id(key.id)
    }
}
