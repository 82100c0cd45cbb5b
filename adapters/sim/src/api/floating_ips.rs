//! Floating IPs and their actions.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::account::FLOATING_IP_LIMIT;
use super::newest_first;
use crate::cloud::Cloud;
use crate::resources::{Droplet, Effect, FloatingIp, Region};
use crate::wire::{no_content, one, one_with_links, page, ApiError, ApiResult, Ctx};

#[derive(Deserialize)]
struct CreateBody {
    droplet_id: Option<u64>,
    region: Option<String>,
}

#[derive(Deserialize)]
struct ActionBody {
    #[serde(rename = "type")]
    kind: String,
    droplet_id: Option<u64>,
}

#[derive(Serialize)]
struct View<'a> {
    ip: String,
    region: &'a Region,
    droplet: Option<&'a Droplet>,
    locked: bool,
    project_id: &'a str,
}

impl Cloud {
    pub(crate) fn list_floating_ips(&mut self, ctx: &Ctx) -> ApiResult {
        let items: Vec<View> = self
            .st
            .floating_ips
            .values()
            .map(|f| self.fip_view(f))
            .collect();
        page(ctx, "floating_ips", &items)
    }

    pub(crate) fn get_floating_ip(&mut self, ctx: &Ctx) -> ApiResult {
        let fip = self.floating_ip(ctx)?;
        one(200, "floating_ip", &self.fip_view(fip))
    }

    pub(crate) fn create_floating_ip(&mut self, ctx: &Ctx) -> ApiResult {
        let body: CreateBody = ctx.json()?;
        let (region, droplet) = match (body.droplet_id, body.region) {
            (Some(id), _) => {
                let d = self
                    .droplet(id)
                    .map_err(|_| ApiError::unprocessable("Droplet not found"))?;
                (d.region.clone(), Some(id))
            }
            (None, Some(slug)) => {
                let r = self
                    .catalog
                    .region(&slug)
                    .filter(|r| r.available)
                    .ok_or_else(|| ApiError::unprocessable("You specified an invalid region."))?;
                (r.clone(), None)
            }
            (None, None) => {
                return Err(ApiError::unprocessable("droplet_id or region is required"));
            }
        };
        if self.st.floating_ips.len() as u64 >= FLOATING_IP_LIMIT {
            return Err(ApiError::unprocessable(
                "You have reached the limit of floating IPs on your account.",
            ));
        }
        let ip = Ipv4Addr::from(
            u32::from(Ipv4Addr::new(45, 55, 96, 10)).wrapping_add(self.st.addresses),
        );
        self.st.addresses = self.st.addresses.wrapping_add(1);
        self.st.floating_ips.insert(
            ip,
            FloatingIp {
                ip,
                region: region.clone(),
                droplet: None,
                busy: None,
            },
        );
        let mut actions = Vec::new();
        if let Some(id) = droplet {
            let action = self.begin_fip_action(ip, "assign_ip", Effect::Assign(Some(id)), ctx);
            actions.push(serde_json::json!({
                "id": action,
                "rel": "assign_ip",
                "href": format!("{}/v2/floating_ips/{ip}/actions/{action}", ctx.origin),
            }));
        }
        let fip = self
            .st
            .floating_ips
            .get(&ip)
            .ok_or_else(ApiError::not_found)?;
        let links = serde_json::json!({ "droplets": [], "actions": actions });
        one_with_links(202, "floating_ip", &self.fip_view(fip), &links)
    }

    pub(crate) fn delete_floating_ip(&mut self, ctx: &Ctx) -> ApiResult {
        let ip = self.floating_ip(ctx)?.ip;
        self.st.floating_ips.remove(&ip);
        no_content()
    }

    pub(crate) fn list_floating_ip_actions(&mut self, ctx: &Ctx) -> ApiResult {
        let ip = self.floating_ip(ctx)?.ip;
        page(
            ctx,
            "actions",
            &newest_first(&self.st.actions, "floating_ip", ip_number(ip)),
        )
    }

    pub(crate) fn get_floating_ip_action(&mut self, ctx: &Ctx) -> ApiResult {
        let ip = self.floating_ip(ctx)?.ip;
        self.resource_action(ctx.id(1)?, "floating_ip", ip_number(ip))
    }

    pub(crate) fn act_on_floating_ip(&mut self, ctx: &Ctx) -> ApiResult {
        let body: ActionBody = ctx.json()?;
        let fip = self.floating_ip(ctx)?;
        let ip = fip.ip;
        let (kind, effect) = match body.kind.as_str() {
            "assign" => {
                let id = body
                    .droplet_id
                    .ok_or_else(|| ApiError::unprocessable("droplet_id is required"))?;
                let d = self
                    .droplet(id)
                    .map_err(|_| ApiError::unprocessable("Droplet not found"))?;
                if d.region.slug != fip.region.slug {
                    return Err(ApiError::unprocessable(
                        "The floating IP and the droplet must be in the same region.",
                    ));
                }
                ("assign_ip", Effect::Assign(Some(id)))
            }
            "unassign" if fip.droplet.is_none() => {
                return Err(ApiError::unprocessable("The floating IP is not assigned."));
            }
            "unassign" => ("unassign_ip", Effect::Assign(None)),
            other => {
                return Err(ApiError::unprocessable(format!(
                    "{other:?} is not a valid floating IP action"
                )))
            }
        };
        if fip.busy.is_some() {
            return Err(ApiError::unprocessable(
                "The floating IP already has a pending event.",
            ));
        }
        let action = self.begin_fip_action(ip, kind, effect, ctx);
        one(201, "action", &self.st.actions.get(&action))
    }

    fn begin_fip_action(&mut self, ip: Ipv4Addr, kind: &str, effect: Effect, ctx: &Ctx) -> u64 {
        let region = self.st.floating_ips.get(&ip).map(|f| f.region.clone());
        let delay = self.cfg.action_delay;
        let action = self.start_action(
            ctx.now,
            delay,
            kind,
            "floating_ip",
            ip_number(ip),
            region,
            effect,
        );
        if let Some(f) = self.st.floating_ips.get_mut(&ip) {
            f.busy = Some(action);
        }
        action
    }

    /// Ends a floating IP action (its resource id is the address as a
    /// number, as DigitalOcean writes it).
    pub(crate) fn finish_floating_ip_action(
        &mut self,
        id: u64,
        action: u64,
        effect: Effect,
        failed: bool,
    ) {
        let ip = Ipv4Addr::from(u32::try_from(id).unwrap_or_default());
        let exists = |d: &Option<u64>| d.is_none_or(|d| self.st.droplets.contains_key(&d));
        let assign = match effect {
            Effect::Assign(d) if !failed && exists(&d) => Some(d),
            _ => None,
        };
        let Some(fip) = self.st.floating_ips.get_mut(&ip) else {
            return;
        };
        if fip.busy == Some(action) {
            fip.busy = None;
        }
        if let Some(d) = assign {
            fip.droplet = d;
        }
    }

    fn fip_view<'a>(&'a self, f: &'a FloatingIp) -> View<'a> {
        View {
            ip: f.ip.to_string(),
            region: &f.region,
            droplet: f.droplet.and_then(|d| self.st.droplets.get(&d)),
            locked: f.busy.is_some(),
            project_id: &self.project_id,
        }
    }

    fn floating_ip(&self, ctx: &Ctx) -> Result<&FloatingIp, ApiError> {
        let ip: Ipv4Addr = ctx.param(0).parse().map_err(|_| ApiError::not_found())?;
        self.st
            .floating_ips
            .get(&ip)
            .ok_or_else(ApiError::not_found)
    }
}

/// A floating IP's action `resource_id`: the address as a number.
fn ip_number(ip: Ipv4Addr) -> u64 {
    u64::from(u32::from(ip))
}
