//! Images and their actions.

use http::Method;
use serde::Serialize;
use serde_json::Value;

use super::common::{json, non_empty};
use crate::endpoint::decode::{self, Page};
use crate::endpoint::{Endpoint, List};
use crate::error::{DecodeError, RequestError};
use crate::models::{Action, Image};

endpoint! {
    /// Fetch an image by id (doapi `fetch_image`).
    GetImage { /** Image id. */ id: u64 } GET "/v2/images/{id}" => one Image, "image";
    /// Fetch a public image by slug (doapi `fetch_image_by_slug`).
    GetImageBySlug { /** Image slug. */ slug: String } GET "/v2/images/{slug}" => one Image, "image";
    /// Delete an image (doapi `Image.delete`).
    DeleteImage { /** Image id. */ id: u64 } DELETE "/v2/images/{id}" => empty;
    /// The actions of an image (doapi `Image.fetch_all_actions`).
    ListImageActions { /** Image id. */ id: u64 } GET "/v2/images/{id}/actions" => page Action, "actions";
}

/// Which images [`ListImages`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImageFilter {
    /// All images (doapi `fetch_all_images`).
    #[default]
    All,
    /// Distribution images (doapi `fetch_all_distribution_images`).
    Distribution,
    /// One-click application images (doapi `fetch_all_application_images`).
    Application,
    /// The user's own images (doapi `fetch_all_private_images`).
    Private,
}

/// List images.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListImages {
    /// Which images.
    pub filter: ImageFilter,
}

impl Endpoint for ListImages {
    type Output = Page<Image>;
    fn path(&self) -> String {
        "/v2/images".into()
    }
    fn query(&self) -> Vec<(String, String)> {
        let q = |k: &str, v: &str| vec![(k.to_owned(), v.to_owned())];
        match self.filter {
            ImageFilter::All => Vec::new(),
            ImageFilter::Distribution => q("type", "distribution"),
            ImageFilter::Application => q("type", "application"),
            ImageFilter::Private => q("private", "true"),
        }
    }
    fn decode(&self, body: &[u8]) -> Result<Page<Image>, DecodeError> {
        decode::page(body, "images")
    }
}

impl List for ListImages {
    type Item = Image;
}

/// Rename an image or change its description (doapi `update_image`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateImage {
    /// Image id.
    #[serde(skip)]
    pub id: u64,
    /// The new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The new description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Endpoint for UpdateImage {
    type Output = Image;
    fn method(&self) -> Method {
        Method::PUT
    }
    fn path(&self) -> String {
        format!("/v2/images/{}", self.id)
    }
    fn body(&self) -> Option<Value> {
        json(self)
    }
    fn validate(&self) -> Result<(), RequestError> {
        match (&self.name, &self.description) {
            (None, None) => Err(RequestError::Empty {
                what: "image update (give a name or a description)",
            }),
            (Some(n), _) => non_empty("image name", n),
            _ => Ok(()),
        }
    }
    fn decode(&self, body: &[u8]) -> Result<Image, DecodeError> {
        decode::one(body, "image")
    }
}

/// An action on an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ImageAction {
    /// Copy the image to another region.
    Transfer {
        /// Slug of the region.
        region: String,
    },
    /// Convert a backup into a snapshot.
    Convert,
}

/// Perform an action on an image (doapi `Image.transfer`, `Image.convert`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActOnImage {
    /// Image id.
    pub id: u64,
    /// The action.
    pub action: ImageAction,
}

impl Endpoint for ActOnImage {
    type Output = Action;
    fn method(&self) -> Method {
        Method::POST
    }
    fn path(&self) -> String {
        format!("/v2/images/{}/actions", self.id)
    }
    fn body(&self) -> Option<Value> {
        json(&self.action)
    }
    fn validate(&self) -> Result<(), RequestError> {
        match &self.action {
            ImageAction::Transfer { region } => non_empty("region", region),
            ImageAction::Convert => Ok(()),
        }
    }
    fn decode(&self, body: &[u8]) -> Result<Action, DecodeError> {
        decode::one(body, "action")
    }
}
