//! Tags, and tagging droplets and images.

use serde::{Deserialize, Serialize};

use super::{valid_tag, IdOrName};
use crate::cloud::Cloud;
use crate::wire::{no_content, one, page, ApiError, ApiResult, Ctx};

#[derive(Deserialize)]
struct CreateBody {
    name: String,
}

#[derive(Deserialize)]
struct ResourcesBody {
    resources: Vec<ResourceRef>,
}

#[derive(Deserialize)]
struct ResourceRef {
    resource_id: IdOrName,
    resource_type: String,
}

/// A tag with its counts, as DigitalOcean shows it.
#[derive(Serialize)]
struct TagView {
    name: String,
    resources: TagResources,
}

#[derive(Serialize)]
struct TagResources {
    count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_tagged_uri: Option<String>,
    droplets: Counted,
    images: Counted,
    volumes: Counted,
    volume_snapshots: Counted,
    databases: Counted,
}

#[derive(Serialize, Default)]
struct Counted {
    count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_tagged_uri: Option<String>,
}

impl Cloud {
    pub(crate) fn list_tags(&mut self, ctx: &Ctx) -> ApiResult {
        let items: Vec<TagView> = self.st.tags.iter().map(|t| self.tag_view(t, ctx)).collect();
        page(ctx, "tags", &items)
    }

    pub(crate) fn create_tag(&mut self, ctx: &Ctx) -> ApiResult {
        let body: CreateBody = ctx.json()?;
        if !valid_tag(&body.name) {
            return Err(ApiError::unprocessable(
                "tag names may contain letters, numbers, colons, dashes and underscores, at most 255",
            ));
        }
        self.st.tags.insert(body.name.clone());
        one(201, "tag", &self.tag_view(&body.name, ctx))
    }

    pub(crate) fn get_tag(&mut self, ctx: &Ctx) -> ApiResult {
        let name = self.existing_tag(ctx)?;
        one(200, "tag", &self.tag_view(&name, ctx))
    }

    pub(crate) fn delete_tag(&mut self, ctx: &Ctx) -> ApiResult {
        let name = self.existing_tag(ctx)?;
        self.st.tags.remove(&name);
        self.st.droplet_index.drop_tag(&name);
        for d in self.st.droplets.values_mut() {
            d.tags.retain(|t| *t != name);
        }
        for i in self.st.images.values_mut() {
            i.tags.retain(|t| *t != name);
        }
        no_content()
    }

    pub(crate) fn tag_resources(&mut self, ctx: &Ctx) -> ApiResult {
        self.retag(ctx, true)
    }

    pub(crate) fn untag_resources(&mut self, ctx: &Ctx) -> ApiResult {
        self.retag(ctx, false)
    }

    /// Adds (or removes) a tag on droplets and images; all or nothing.
    fn retag(&mut self, ctx: &Ctx, add: bool) -> ApiResult {
        let name = self.existing_tag(ctx)?;
        let body: ResourcesBody = ctx.json()?;
        let mut targets = Vec::new();
        for r in &body.resources {
            let id = match &r.resource_id {
                IdOrName::Id(id) => Some(*id),
                IdOrName::Name(s) => s.parse().ok(),
            };
            let found = match (r.resource_type.as_str(), id) {
                ("droplet", Some(id)) if self.st.droplets.contains_key(&id) => Some((true, id)),
                ("image", Some(id)) if self.st.images.contains_key(&id) => Some((false, id)),
                _ => None,
            };
            let target = found.ok_or_else(|| {
                ApiError::new(
                    404,
                    format!("{} {} could not be found", r.resource_type, r.resource_id),
                )
            })?;
            targets.push(target);
        }
        for (is_droplet, id) in targets {
            let tags = if is_droplet {
                self.st.droplets.get_mut(&id).map(|d| &mut d.tags)
            } else {
                self.st.images.get_mut(&id).map(|i| &mut i.tags)
            };
            let Some(tags) = tags else { continue };
            if add && !tags.contains(&name) {
                tags.push(name.clone());
            } else if !add {
                tags.retain(|t| *t != name);
            }
            match (is_droplet, add) {
                (true, true) => self.st.droplet_index.tag(id, &name),
                (true, false) => self.st.droplet_index.untag(id, &name),
                (false, _) => {}
            }
        }
        no_content()
    }

    /// The tag named in the path, or 404.
    fn existing_tag(&self, ctx: &Ctx) -> Result<String, ApiError> {
        let name = ctx.param(0);
        if self.st.tags.contains(name) {
            Ok(name.to_owned())
        } else {
            Err(ApiError::not_found())
        }
    }

    fn tag_view(&self, name: &str, ctx: &Ctx) -> TagView {
        let uri = |kind: &str, id: u64| format!("{}/v2/{kind}/{id}", ctx.origin);
        let tagged = self.st.droplet_index.ids(Some(name));
        let droplets = Counted {
            count: tagged.len(),
            last_tagged_uri: tagged.last().map(|&id| uri("droplets", id)),
        };
        let mut images = Counted::default();
        for i in self
            .st
            .images
            .values()
            .filter(|i| i.tags.iter().any(|t| t == name))
        {
            images.count += 1;
            images.last_tagged_uri = Some(uri("images", i.id));
        }
        TagView {
            name: name.to_owned(),
            resources: TagResources {
                count: droplets.count + images.count,
                last_tagged_uri: droplets
                    .last_tagged_uri
                    .clone()
                    .or_else(|| images.last_tagged_uri.clone()),
                droplets,
                images,
                volumes: Counted::default(),
                volume_snapshots: Counted::default(),
                databases: Counted::default(),
            },
        }
    }
}
