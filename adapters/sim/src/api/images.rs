//! Images: the public catalog and the user's snapshots and backups, and
//! their actions.

use serde::Deserialize;

use super::IdOrName;
use crate::cloud::Cloud;
use crate::resources::{Effect, Image, ImageClass, SnapshotKey, Target};
use crate::wire::{no_content, one, page, ApiError, ApiResult, Ctx};

/// The distributions DigitalOcean accepts on an image.
const DISTRIBUTIONS: &[&str] = &[
    "Arch Linux",
    "CentOS",
    "CoreOS",
    "Debian",
    "Fedora",
    "Fedora Atomic",
    "FreeBSD",
    "Gentoo",
    "openSUSE",
    "RancherOS",
    "Rocky Linux",
    "Ubuntu",
    "Unknown",
];

#[derive(Deserialize)]
struct UpdateBody {
    name: Option<String>,
    description: Option<String>,
    distribution: Option<String>,
}

#[derive(Deserialize)]
struct ActionBody {
    #[serde(rename = "type")]
    kind: String,
    region: Option<String>,
}

impl Cloud {
    pub(crate) fn list_images(&mut self, ctx: &Ctx) -> ApiResult {
        let class = match (ctx.query("type"), ctx.query("private")) {
            (Some("distribution"), _) => Some(ImageClass::Distribution),
            (Some("application"), _) => Some(ImageClass::Application),
            (Some(other), _) => {
                return Err(ApiError::bad_request(format!(
                    "invalid image type {other:?}"
                )))
            }
            (None, Some("true")) => Some(ImageClass::Private),
            (None, _) => None,
        };
        let tag = ctx.query("tag_name");
        let items: Vec<&Image> = self
            .st
            .images
            .values()
            .filter(|i| class.is_none_or(|c| i.class == c))
            .filter(|i| tag.is_none_or(|t| i.tags.iter().any(|x| x == t)))
            .collect();
        page(ctx, "images", &items)
    }

    pub(crate) fn get_image(&mut self, ctx: &Ctx) -> ApiResult {
        let image = self.image(&IdOrName::parse(ctx.param(0)));
        one(200, "image", image.ok_or_else(ApiError::not_found)?)
    }

    pub(crate) fn update_image(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(0)?;
        let body: UpdateBody = ctx.json()?;
        if body.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(ApiError::unprocessable("name can't be blank"));
        }
        let image = self.own_image_mut(id)?;
        if let Some(d) = &body.distribution {
            let known = DISTRIBUTIONS.iter().find(|x| *x == d);
            image.distribution = known.copied().unwrap_or("Unknown");
        }
        if let Some(name) = body.name {
            image.name = name;
        }
        if let Some(description) = body.description {
            image.description = description;
        }
        one(200, "image", image)
    }

    pub(crate) fn delete_image(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(0)?;
        self.own_image_mut(id)?;
        self.drop_image(id);
        no_content()
    }

    /// One of the user's images gone: from its droplet and the snapshots.
    pub(crate) fn drop_image(&mut self, id: u64) {
        let Some(image) = self.st.images.remove(&id) else {
            return;
        };
        if let Some(d) = self.st.droplets.get_mut(&image.origin) {
            d.snapshot_ids.retain(|i| *i != id);
            d.backup_ids.retain(|i| *i != id);
        }
        self.st
            .snapshot_index
            .remove(&SnapshotKey::Image(id), &["droplet"]);
    }

    pub(crate) fn list_image_actions(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(0)?;
        self.st.images.get(&id).ok_or_else(ApiError::not_found)?;
        self.resource_actions(ctx, &Target::Image(id))
    }

    pub(crate) fn get_image_action(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(0)?;
        self.st.images.get(&id).ok_or_else(ApiError::not_found)?;
        self.resource_action(ctx.id(1)?, &Target::Image(id))
    }

    pub(crate) fn act_on_image(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(0)?;
        let body: ActionBody = ctx.json()?;
        let image = self
            .st
            .images
            .get(&id)
            .filter(|i| i.class == ImageClass::Private)
            .ok_or_else(ApiError::not_found)?;
        let (effect, region) = match body.kind.as_str() {
            "transfer" => {
                let slug = body.region.as_deref().unwrap_or_default();
                let region = self
                    .catalog
                    .region(slug)
                    .filter(|r| r.available)
                    .ok_or_else(|| ApiError::unprocessable("You specified an invalid region."))?;
                if image.regions.contains(&region.slug) {
                    return Err(ApiError::unprocessable(
                        "The image is already in that region.",
                    ));
                }
                (Effect::Transfer(region.slug), region.clone())
            }
            "convert" => {
                if image.kind != "backup" {
                    return Err(ApiError::unprocessable("Only backups can be converted."));
                }
                let slug = image.regions.first().copied().unwrap_or("nyc3");
                let region = self.catalog.region(slug).ok_or_else(ApiError::not_found)?;
                (Effect::Convert, region.clone())
            }
            other => {
                return Err(ApiError::unprocessable(format!(
                    "{other:?} is not a valid image action"
                )))
            }
        };
        if image.busy.is_some() {
            return Err(ApiError::unprocessable(
                "Image already has a pending event.",
            ));
        }
        let action = self.begin(
            ctx.now,
            &body.kind,
            "image",
            Target::Image(id),
            region,
            effect,
        );
        if let Some(i) = self.st.images.get_mut(&id) {
            i.busy = Some(action);
        }
        self.started(201, action)
    }

    /// Ends an image action.
    pub(crate) fn finish_image_action(
        &mut self,
        id: u64,
        action: u64,
        effect: Effect,
        failed: bool,
    ) {
        let Some(image) = self.st.images.get_mut(&id) else {
            return;
        };
        if image.busy == Some(action) {
            image.busy = None;
        }
        if failed {
            return;
        }
        match effect {
            Effect::Transfer(region) if !image.regions.contains(&region) => {
                image.regions.push(region)
            }
            Effect::Convert => {
                image.kind = "snapshot";
                // No longer one of the droplet's backups (nor rotated out
                // with them), but one of its snapshots.
                if let Some(d) = self.st.droplets.get_mut(&image.origin) {
                    d.backup_ids.retain(|b| *b != id);
                    d.snapshot_ids.push(id);
                }
                self.st
                    .snapshot_index
                    .insert(SnapshotKey::Image(id), &["droplet"]);
            }
            _ => {}
        }
    }

    /// Any image by id, or a public one by slug.
    pub(crate) fn image(&self, which: &IdOrName) -> Option<&Image> {
        match which {
            IdOrName::Id(id) => self.st.images.get(id),
            IdOrName::Name(slug) => self
                .st
                .images
                .values()
                .find(|i| i.public && i.slug.as_deref() == Some(slug.as_str())),
        }
    }

    /// One of the user's own images; public images are not theirs to
    /// change.
    fn own_image_mut(&mut self, id: u64) -> Result<&mut Image, ApiError> {
        self.st
            .images
            .get_mut(&id)
            .filter(|i| i.class == ImageClass::Private)
            .ok_or_else(ApiError::not_found)
    }
}
