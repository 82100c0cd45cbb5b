//! The account, its SSH keys, and the regions and sizes on offer.

use http::Method;
use serde::Serialize;
use serde_json::Value;

use super::common::{json, non_empty};
use super::refs::SshKeyRef;
use crate::endpoint::decode;
use crate::endpoint::Endpoint;
use crate::error::{DecodeError, RequestError};
use crate::models::{Account, Region, Size, SshKey};

endpoint! {
    /// The account the token belongs to (doapi `fetch_account`).
    GetAccount {} GET "/v2/account" => one Account, "account";
    /// Every region (doapi `fetch_all_regions`).
    ListRegions {} GET "/v2/regions" => page Region, "regions";
    /// Every size (doapi `fetch_all_sizes`).
    ListSizes {} GET "/v2/sizes" => page Size, "sizes";
    /// Fetch an SSH key by id or fingerprint (doapi `fetch_ssh_key`).
    GetSshKey { /** Id or fingerprint. */ key: SshKeyRef } GET "/v2/account/keys/{key}" => one SshKey, "ssh_key";
    /// Every SSH key (doapi `fetch_all_ssh_keys`).
    ListSshKeys {} GET "/v2/account/keys" => page SshKey, "ssh_keys";
    /// Delete an SSH key (doapi `SSHKey.delete`).
    DeleteSshKey { /** Id or fingerprint. */ key: SshKeyRef } DELETE "/v2/account/keys/{key}" => empty;
}

/// Register an SSH key (doapi `create_ssh_key`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateSshKey {
    /// Display name.
    pub name: String,
    /// The public key, in OpenSSH format.
    pub public_key: String,
}

impl Endpoint for CreateSshKey {
    type Output = SshKey;
    fn method(&self) -> Method {
        Method::POST
    }
    fn path(&self) -> String {
        "/v2/account/keys".into()
    }
    fn body(&self) -> Option<Value> {
        json(self)
    }
    fn validate(&self) -> Result<(), RequestError> {
        non_empty("SSH key name", &self.name)?;
        non_empty("public key", &self.public_key)
    }
    fn decode(&self, body: &[u8]) -> Result<SshKey, DecodeError> {
        decode::one(body, "ssh_key")
    }
}

/// Rename an SSH key (doapi `update_ssh_key`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateSshKey {
    /// Id or fingerprint.
    #[serde(skip)]
    pub key: SshKeyRef,
    /// The new name.
    pub name: String,
}

impl Endpoint for UpdateSshKey {
    type Output = SshKey;
    fn method(&self) -> Method {
        Method::PUT
    }
    fn path(&self) -> String {
        format!(
            "/v2/account/keys/{}",
            crate::endpoint::PathSegment::segment(&self.key)
        )
    }
    fn body(&self) -> Option<Value> {
        json(self)
    }
    fn validate(&self) -> Result<(), RequestError> {
        non_empty("SSH key name", &self.name)
    }
    fn decode(&self, body: &[u8]) -> Result<SshKey, DecodeError> {
        decode::one(body, "ssh_key")
    }
}
