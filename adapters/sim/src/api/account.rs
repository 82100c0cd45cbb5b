//! The account, its SSH keys, regions, sizes, and the account's actions.

use serde::{Deserialize, Serialize};

use super::IdOrName;
use crate::cloud::Cloud;
use crate::resources::{Action, SshKey};
use crate::wire::{no_content, one, page, ApiError, ApiResult, Ctx};

#[derive(Deserialize)]
struct KeyBody {
    name: String,
    public_key: String,
}

#[derive(Deserialize)]
struct KeyUpdate {
    name: String,
}

#[derive(Serialize)]
struct Account<'a> {
    droplet_limit: u64,
    floating_ip_limit: u64,
    email: &'a str,
    name: &'a str,
    uuid: &'a str,
    email_verified: bool,
    status: &'a str,
    status_message: &'a str,
    team: Team<'a>,
}

#[derive(Serialize)]
struct Team<'a> {
    uuid: &'a str,
    name: &'a str,
}

/// The account's `floating_ip_limit`, enforced on create.
pub(crate) const FLOATING_IP_LIMIT: u64 = 10;

/// A fingerprint-shaped digest of a public key (16 colon-separated bytes;
/// stable, not the MD5 of the key blob).
fn fingerprint(public_key: &str) -> String {
    let fnv = |seed: u64| {
        public_key.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    let bytes = [fnv(0xcbf2_9ce4_8422_2325), fnv(0x8422_2325_cbf2_9ce4)];
    bytes
        .iter()
        .flat_map(|h| h.to_be_bytes())
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

impl Cloud {
    pub(crate) fn get_account(&mut self, _ctx: &Ctx) -> ApiResult {
        let account = Account {
            droplet_limit: self.cfg.droplet_limit,
            floating_ip_limit: FLOATING_IP_LIMIT,
            email: "sammy@digitalocean.com",
            name: "Sammy the Shark",
            uuid: &self.account_uuid,
            email_verified: true,
            status: "active",
            status_message: "",
            team: Team {
                uuid: &self.project_id,
                name: "My Team",
            },
        };
        one(200, "account", &account)
    }

    pub(crate) fn list_regions(&mut self, ctx: &Ctx) -> ApiResult {
        page(ctx, "regions", &self.catalog.regions)
    }

    pub(crate) fn list_sizes(&mut self, ctx: &Ctx) -> ApiResult {
        page(ctx, "sizes", &self.catalog.sizes)
    }

    pub(crate) fn list_actions(&mut self, ctx: &Ctx) -> ApiResult {
        let items: Vec<&Action> = self.st.actions.values().rev().collect();
        page(ctx, "actions", &items)
    }

    pub(crate) fn get_action(&mut self, ctx: &Ctx) -> ApiResult {
        let a = self
            .st
            .actions
            .get(&ctx.id(0)?)
            .ok_or_else(ApiError::not_found)?;
        one(200, "action", a)
    }

    pub(crate) fn list_keys(&mut self, ctx: &Ctx) -> ApiResult {
        let items: Vec<&SshKey> = self.st.keys.values().collect();
        page(ctx, "ssh_keys", &items)
    }

    pub(crate) fn create_key(&mut self, ctx: &Ctx) -> ApiResult {
        let body: KeyBody = ctx.json()?;
        let public_key = body.public_key.trim().to_owned();
        let mut parts = public_key.split_whitespace();
        let well_formed = matches!(
            (parts.next(), parts.next()),
            (Some(kind), Some(_)) if kind.starts_with("ssh-") || kind.starts_with("ecdsa-")
        );
        if !well_formed {
            return Err(ApiError::unprocessable(
                "Key invalid, key should be of the format `type key [comment]`",
            ));
        }
        if body.name.trim().is_empty() {
            return Err(ApiError::unprocessable("Name can't be blank"));
        }
        let fingerprint = fingerprint(&public_key);
        if self.st.keys.values().any(|k| k.fingerprint == fingerprint) {
            return Err(ApiError::unprocessable(
                "SSH Key is already in use on your account",
            ));
        }
        let id = self.st.next_key;
        self.st.next_key += 1;
        let key = SshKey {
            id,
            fingerprint,
            public_key,
            name: body.name,
        };
        let answer = one(201, "ssh_key", &key);
        self.st.keys.insert(id, key);
        answer
    }

    pub(crate) fn get_key(&mut self, ctx: &Ctx) -> ApiResult {
        let key = self.key(&IdOrName::parse(ctx.param(0)));
        one(200, "ssh_key", key.ok_or_else(ApiError::not_found)?)
    }

    pub(crate) fn update_key(&mut self, ctx: &Ctx) -> ApiResult {
        let body: KeyUpdate = ctx.json()?;
        let id = self
            .key(&IdOrName::parse(ctx.param(0)))
            .ok_or_else(ApiError::not_found)?
            .id;
        let key = self.st.keys.get_mut(&id).ok_or_else(ApiError::not_found)?;
        key.name = body.name;
        one(200, "ssh_key", key)
    }

    pub(crate) fn delete_key(&mut self, ctx: &Ctx) -> ApiResult {
        let id = self
            .key(&IdOrName::parse(ctx.param(0)))
            .ok_or_else(ApiError::not_found)?
            .id;
        self.st.keys.remove(&id);
        no_content()
    }

    /// A key by id or fingerprint.
    pub(crate) fn key(&self, which: &IdOrName) -> Option<&SshKey> {
        match which {
            IdOrName::Id(id) => self.st.keys.get(id),
            IdOrName::Name(f) => self.st.keys.values().find(|k| &k.fingerprint == f),
        }
    }
}
