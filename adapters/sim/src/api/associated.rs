//! Destroying a droplet with its associated resources: the reserved IPs
//! assigned to it, its snapshots, the volumes attached to it and their
//! snapshots; all of them (dangerous) or those chosen (selective), and the
//! status of the last destroy.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::cost;
use crate::cloud::Cloud;
use crate::resources::{DestroyStatus, Destroyed, SnapshotKey};
use crate::wire::{empty, found, whole, ApiError, ApiResult, Ctx};

/// The kinds of associated resources, as the listings name them.
const KINDS: [&str; 5] = [
    "reserved_ips",
    "floating_ips",
    "snapshots",
    "volumes",
    "volume_snapshots",
];

/// One associated resource: its id, name and monthly cost.
#[derive(Debug, Clone, Serialize)]
struct Associated {
    id: String,
    name: String,
    cost: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Selection {
    floating_ips: Vec<String>,
    reserved_ips: Vec<String>,
    snapshots: Vec<String>,
    volumes: Vec<String>,
    volume_snapshots: Vec<String>,
}

impl Selection {
    fn chosen(&self, kind: &str) -> &[String] {
        match kind {
            "floating_ips" => &self.floating_ips,
            "reserved_ips" => &self.reserved_ips,
            "snapshots" => &self.snapshots,
            "volumes" => &self.volumes,
            _ => &self.volume_snapshots,
        }
    }
}

impl Cloud {
    /// A droplet's associated resources, by kind (reserved IPs appear under
    /// both their names).
    fn associated(&self, id: u64) -> Result<BTreeMap<&'static str, Vec<Associated>>, ApiError> {
        let d = self.droplet(id)?;
        let item = |id: String, name: &str, dollars: f64| Associated {
            id,
            name: name.to_owned(),
            cost: cost(dollars),
        };
        let ips: Vec<Associated> = self
            .st
            .reserved_ips
            .values()
            .filter(|r| r.droplet == Some(id))
            .map(|r| item(r.ip.to_string(), &r.ip.to_string(), 4.0))
            .collect();
        let snapshots = d
            .snapshot_ids
            .iter()
            .filter_map(|i| self.st.images.get(i))
            .map(|i| item(i.id.to_string(), &i.name, i.size_gigabytes * 0.06))
            .collect();
        let volumes = d
            .volume_ids
            .iter()
            .filter_map(|v| self.st.volumes.get(v))
            .map(|v| item(v.id.clone(), &v.name, v.size_gigabytes as f64 * 0.1))
            .collect();
        let volume_snapshots = d
            .volume_ids
            .iter()
            .flat_map(|v| self.st.snapshot_index.ids(Some(v)))
            .filter_map(|k| match k {
                SnapshotKey::Volume(s) => self.st.volume_snapshots.get(s),
                SnapshotKey::Image(_) => None,
            })
            .map(|s| item(s.id.clone(), &s.name, s.size_gigabytes * 0.06))
            .collect();
        Ok(BTreeMap::from([
            ("reserved_ips", ips.clone()),
            ("floating_ips", ips),
            ("snapshots", snapshots),
            ("volumes", volumes),
            ("volume_snapshots", volume_snapshots),
        ]))
    }

    pub(crate) fn list_associated(&mut self, ctx: &Ctx) -> ApiResult {
        whole(200, &self.associated(ctx.id(0)?)?)
    }

    /// Destroys the droplet and the associated resources chosen; each must
    /// be one of the droplet's (else 422, and nothing is destroyed).
    pub(crate) fn destroy_selective(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(0)?;
        let chosen: Selection = ctx.json()?;
        let all = self.associated(id)?;
        for kind in KINDS {
            let theirs = &all[kind];
            if let Some(x) = chosen
                .chosen(kind)
                .iter()
                .find(|x| !theirs.iter().any(|a| a.id == **x))
            {
                return Err(ApiError::unprocessable(format!(
                    "{x} is not one of the Droplet's {kind}"
                )));
            }
        }
        self.destroy(id, all, |kind, a| chosen.chosen(kind).contains(&a.id), ctx)
    }

    /// Destroys the droplet and every associated resource; the request
    /// must say `X-Dangerous: true`.
    pub(crate) fn destroy_dangerous(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(0)?;
        let all = self.associated(id)?;
        if !ctx
            .header("x-dangerous")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return Err(ApiError::bad_request(
                "This request needs the header X-Dangerous: true.",
            ));
        }
        self.destroy(id, all, |_, _| true, ctx)
    }

    /// Destroys a droplet and those of its resources `keep` says, and
    /// records the status.
    fn destroy(
        &mut self,
        id: u64,
        all: BTreeMap<&'static str, Vec<Associated>>,
        chosen: impl Fn(&str, &Associated) -> bool,
        ctx: &Ctx,
    ) -> ApiResult {
        let at = self.stamp(ctx.now);
        let gone = |a: &Associated| Destroyed {
            id: a.id.clone(),
            name: a.name.clone(),
            destroyed_at: at.clone(),
        };
        let mut resources = BTreeMap::new();
        for (kind, items) in &all {
            let picked: Vec<&Associated> = items.iter().filter(|a| chosen(kind, a)).collect();
            for a in &picked {
                match *kind {
                    "reserved_ips" | "floating_ips" => {
                        if let Ok(ip) = a.id.parse::<Ipv4Addr>() {
                            self.release(ip);
                        }
                    }
                    "snapshots" => self.drop_image(a.id.parse().unwrap_or_default()),
                    "volumes" => self.drop_volume(&a.id),
                    _ => self.drop_volume_snapshot(&a.id),
                }
            }
            resources.insert(*kind, picked.into_iter().map(gone).collect());
        }
        let name = self.droplet(id)?.name.clone();
        self.remove_droplet(id);
        let status = DestroyStatus {
            droplet: Destroyed {
                id: id.to_string(),
                name,
                destroyed_at: at.clone(),
            },
            resources,
            completed_at: None,
            failures: 0,
            done_at: ctx.now + self.cfg.action_delay,
        };
        self.st.destroyed.insert(id, status);
        empty(202)
    }

    /// The last destroy of a droplet: `completed_at` once it is done.
    pub(crate) fn get_destroy_status(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(0)?;
        let now = ctx.now;
        let done = found(self.st.destroyed.get(&id))?.done_at;
        let stamp = (now >= done).then(|| self.stamp(done));
        let status = found(self.st.destroyed.get_mut(&id))?;
        status.completed_at = status.completed_at.take().or(stamp);
        whole(200, status)
    }

    /// Retries the failed parts of a destroy (none fail here): 409 while
    /// it is still running.
    pub(crate) fn retry_destroy(&mut self, ctx: &Ctx) -> ApiResult {
        let status = found(self.st.destroyed.get(&ctx.id(0)?))?;
        if ctx.now < status.done_at {
            return Err(ApiError::new(
                409,
                "A destroy of this Droplet is in progress.",
            ));
        }
        empty(202)
    }
}
