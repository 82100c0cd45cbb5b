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

/// A resource a tag goes on.
enum Tagged {
    Droplet(u64),
    Image(u64),
    Volume(String),
    VolumeSnapshot(String),
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
        self.st.droplet_index.drop_group(&name);
        for d in self.st.droplets.values_mut() {
            d.tags.retain(|t| *t != name);
        }
        for i in self.st.images.values_mut() {
            i.tags.retain(|t| *t != name);
        }
        for v in self.st.volumes.values_mut() {
            v.tags.retain(|t| *t != name);
        }
        for s in self.st.volume_snapshots.values_mut() {
            s.tags.retain(|t| *t != name);
        }
        for f in self.st.firewalls.values_mut() {
            f.tags.retain(|t| *t != name);
        }
        no_content()
    }

    pub(crate) fn tag_resources(&mut self, ctx: &Ctx) -> ApiResult {
        self.retag(ctx, true)
    }

    pub(crate) fn untag_resources(&mut self, ctx: &Ctx) -> ApiResult {
        self.retag(ctx, false)
    }

    /// Adds (or removes) a tag on droplets, images, volumes and volume
    /// snapshots; all or nothing.
    fn retag(&mut self, ctx: &Ctx, add: bool) -> ApiResult {
        let name = self.existing_tag(ctx)?;
        let body: ResourcesBody = ctx.json()?;
        let mut targets = Vec::new();
        for r in &body.resources {
            let id = r.resource_id.to_string();
            let number = id.parse::<u64>().ok();
            let st = &self.st;
            let found = match (r.resource_type.as_str(), number) {
                ("droplet", Some(n)) if st.droplets.contains_key(&n) => Some(Tagged::Droplet(n)),
                ("image", Some(n)) if st.images.contains_key(&n) => Some(Tagged::Image(n)),
                ("volume", _) if st.volumes.contains_key(&id) => Some(Tagged::Volume(id)),
                ("volume_snapshot", _) if st.volume_snapshots.contains_key(&id) => {
                    Some(Tagged::VolumeSnapshot(id))
                }
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
        for target in targets {
            let st = &mut self.st;
            let tags = match &target {
                Tagged::Droplet(id) => st.droplets.get_mut(id).map(|d| &mut d.tags),
                Tagged::Image(id) => st.images.get_mut(id).map(|i| &mut i.tags),
                Tagged::Volume(id) => st.volumes.get_mut(id).map(|v| &mut v.tags),
                Tagged::VolumeSnapshot(id) => st.volume_snapshots.get_mut(id).map(|s| &mut s.tags),
            };
            let Some(tags) = tags else { continue };
            if add && !tags.contains(&name) {
                tags.push(name.clone());
            } else if !add {
                tags.retain(|t| *t != name);
            }
            match (target, add) {
                (Tagged::Droplet(id), true) => self.st.droplet_index.join(id, &name),
                (Tagged::Droplet(id), false) => self.st.droplet_index.leave(&id, &name),
                _ => {}
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
        let uri = |kind: &str, id: &str| format!("{}/v2/{kind}/{id}", ctx.origin);
        let tagged = self.st.droplet_index.ids(Some(name));
        let droplets = Counted {
            count: tagged.len(),
            last_tagged_uri: tagged.last().map(|id| uri("droplets", &id.to_string())),
        };
        let count = |tagged: Vec<String>| Counted {
            count: tagged.len(),
            last_tagged_uri: tagged.last().cloned(),
        };
        let has = |tags: &[String]| tags.iter().any(|t| t == name);
        let images = count(
            self.st
                .images
                .values()
                .filter(|i| has(&i.tags))
                .map(|i| uri("images", &i.id.to_string()))
                .collect(),
        );
        let volumes = count(
            self.st
                .volumes
                .values()
                .filter(|v| has(&v.tags))
                .map(|v| uri("volumes", &v.id))
                .collect(),
        );
        let volume_snapshots = count(
            self.st
                .volume_snapshots
                .values()
                .filter(|s| has(&s.tags))
                .map(|s| uri("volumes/snapshots", &s.id))
                .collect(),
        );
        TagView {
            name: name.to_owned(),
            resources: TagResources {
                count: droplets.count + images.count + volumes.count + volume_snapshots.count,
                last_tagged_uri: [&droplets, &images, &volumes, &volume_snapshots]
                    .iter()
                    .find_map(|c| c.last_tagged_uri.clone()),
                droplets,
                images,
                volumes,
                volume_snapshots,
                databases: Counted::default(),
            },
        }
    }
}
