//! Tags, and tagging resources.

use http::Method;
use serde_json::{json, Value};

use super::common::non_empty;
use crate::endpoint::decode;
use crate::endpoint::{Endpoint, PathSegment};
use crate::error::{DecodeError, RequestError};
use crate::models::{Droplet, Image, Tag, Volume};

endpoint! {
    /// Fetch a tag (doapi `fetch_tag`).
    GetTag { /** Tag name. */ name: String } GET "/v2/tags/{name}" => one Tag, "tag";
    /// Every tag (doapi `fetch_all_tags`).
    ListTags {} GET "/v2/tags" => page Tag, "tags";
    /// Delete a tag (doapi `Tag.delete`).
    DeleteTag { /** Tag name. */ name: String } DELETE "/v2/tags/{name}" => empty;
}

/// Create a tag (doapi `create_tag`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateTag {
    /// Tag name: letters, digits, `:`, `-` and `_`, at most 255 characters.
    pub name: String,
}

impl Endpoint for CreateTag {
    type Output = Tag;
    fn method(&self) -> Method {
        Method::POST
    }
    fn path(&self) -> String {
        "/v2/tags".into()
    }
    fn body(&self) -> Option<Value> {
        Some(json!({ "name": self.name }))
    }
    fn validate(&self) -> Result<(), RequestError> {
        validate_tag_name(&self.name)
    }
    fn decode(&self, body: &[u8]) -> Result<Tag, DecodeError> {
        decode::one(body, "tag")
    }
}

/// Checks a tag name the way DigitalOcean does.
pub fn validate_tag_name(name: &str) -> Result<(), RequestError> {
    non_empty("tag name", name)?;
    let ok = name.len() <= 255
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_'));
    if ok {
        Ok(())
    } else {
        Err(RequestError::InvalidArgument {
            what: "tag name",
            reason: format!(
                "{name:?}: only letters, digits, ':', '-' and '_', at most 255 characters"
            ),
        })
    }
}

/// A resource that can carry tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaggableRef {
    /// A droplet, by id.
    Droplet(u64),
    /// An image, by id.
    Image(u64),
    /// A volume, by id.
    Volume(String),
}

impl TaggableRef {
    fn to_json(&self) -> Value {
        let (id, kind) = match self {
            TaggableRef::Droplet(id) => (id.to_string(), "droplet"),
            TaggableRef::Image(id) => (id.to_string(), "image"),
            TaggableRef::Volume(id) => (id.clone(), "volume"),
        };
        json!({ "resource_id": id, "resource_type": kind })
    }
}

impl From<&Droplet> for TaggableRef {
    fn from(d: &Droplet) -> Self {
        TaggableRef::Droplet(d.id)
    }
}

impl From<&Image> for TaggableRef {
    fn from(i: &Image) -> Self {
        TaggableRef::Image(i.id)
    }
}

impl From<&Volume> for TaggableRef {
    fn from(v: &Volume) -> Self {
        TaggableRef::Volume(v.id.clone())
    }
}

/// Apply a tag to resources (doapi `Tag.add`, `Droplet.tag`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagResources {
    /// Tag name.
    pub tag: String,
    /// The resources.
    pub resources: Vec<TaggableRef>,
}

/// Remove a tag from resources (doapi `Tag.remove`, `Droplet.untag`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntagResources {
    /// Tag name.
    pub tag: String,
    /// The resources.
    pub resources: Vec<TaggableRef>,
}

macro_rules! tagging {
    ($($name:ident $method:ident),*) => {$(
        impl Endpoint for $name {
            type Output = ();
            fn method(&self) -> Method {
                Method::$method
            }
            fn path(&self) -> String {
                format!("/v2/tags/{}/resources", self.tag.segment())
            }
            fn body(&self) -> Option<Value> {
                let resources: Vec<Value> = self.resources.iter().map(TaggableRef::to_json).collect();
                Some(json!({ "resources": resources }))
            }
            fn validate(&self) -> Result<(), RequestError> {
                non_empty("tag name", &self.tag)?;
                if self.resources.is_empty() {
                    return Err(RequestError::Empty { what: "resources" });
                }
                Ok(())
            }
            fn decode(&self, body: &[u8]) -> Result<(), DecodeError> {
                decode::empty(body)
            }
        }
    )*};
}

tagging!(TagResources POST, UntagResources DELETE);
