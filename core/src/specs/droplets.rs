//! The droplet area's generated operations that need more than a field or
//! two: every droplet's backup policies as a listing
//! ([`BackupPolicies`]), and the checked body of a selective destroy with
//! associated resources ([`destroy_selective`]).

use crate::api::droplets::{
    DropletBackupPolicyRecord, DropletsDestroyWithAssociatedResourcesSelective,
    DropletsListBackupPolicies, SelectiveDestroyAssociatedResource,
};
use crate::endpoint::decode::Page;
use crate::endpoint::{Endpoint, List};
use crate::error::{DecodeError, RequestError};
use crate::specs::check::{forward_request, non_empty, Checked};

/// Every droplet's backup settings as a listing: the generated
/// [`DropletsListBackupPolicies`], whose page holds an object keyed by
/// droplet id (`"policies": {"7": {...}}`), its records as the page's
/// items in the order of the droplets' ids. Sends exactly what the
/// operation sends. `GET /v2/droplets/backups/policies`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BackupPolicies {
    /// The operation.
    pub op: DropletsListBackupPolicies,
}

impl Endpoint for BackupPolicies {
    type Output = Page<DropletBackupPolicyRecord>;
    forward_request!();
    fn validate(&self) -> Result<(), RequestError> {
        self.op.validate()
    }
    fn decode(&self, body: &[u8]) -> Result<Self::Output, DecodeError> {
        let page = self.op.decode(body)?;
        let mut keyed: Vec<_> = page.policies.unwrap_or_default().into_iter().collect();
        keyed.sort_by_key(|(id, _)| (id.parse::<u64>().ok(), id.clone()));
        Ok(Page {
            items: keyed.into_iter().map(|(_, record)| record).collect(),
            links: page.links,
            meta: page.meta,
            extra: page.extra,
        })
    }
}

impl List for BackupPolicies {
    type Item = DropletBackupPolicyRecord;
}

/// The selective destroy of droplet `id` with the associated resources
/// `chosen`, refused before sending if an id is empty.
/// `DELETE /v2/droplets/{id}/destroy_with_associated_resources/selective`.
pub fn destroy_selective(
    id: u64,
    chosen: SelectiveDestroyAssociatedResource,
) -> Checked<DropletsDestroyWithAssociatedResourcesSelective> {
    let ids = [
        &chosen.reserved_ips,
        &chosen.floating_ips,
        &chosen.snapshots,
        &chosen.volumes,
        &chosen.volume_snapshots,
    ];
    let check = ids
        .into_iter()
        .flatten()
        .flatten()
        .try_for_each(|id| non_empty("associated resource id", id));
    let op = DropletsDestroyWithAssociatedResourcesSelective {
        droplet_id: id,
        body: Some(chosen),
    };
    Checked::new(op, [check])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policies_are_listed_in_the_order_of_the_droplets_ids() {
        let body = br#"{"policies": {"10": {"droplet_id": 10, "backup_enabled": false},
                         "9": {"droplet_id": 9, "backup_enabled": true}},
                         "links": {}, "meta": {"total": 2}, "more": 1}"#;
        let page = BackupPolicies::default().decode(body).unwrap();
        let ids: Vec<_> = page.items.iter().map(|r| r.droplet_id).collect();
        assert_eq!(ids, [Some(9), Some(10)]);
        assert_eq!(page.total(), Some(2));
        assert!(page.extra.contains_key("more"));
        assert!(BackupPolicies::default().decode(b"[]").is_err());
    }

    #[test]
    fn an_empty_id_in_a_selective_destroy_is_refused() {
        let chosen = SelectiveDestroyAssociatedResource {
            volumes: Some(vec!["v-1".into(), " ".into()]),
            ..Default::default()
        };
        let refused = destroy_selective(7, chosen).validate();
        assert!(
            matches!(refused, Err(RequestError::Empty { .. })),
            "{refused:?}"
        );
        let fine = SelectiveDestroyAssociatedResource {
            volumes: Some(vec!["v-1".into()]),
            ..Default::default()
        };
        assert_eq!(destroy_selective(7, fine).validate(), Ok(()));
    }
}
