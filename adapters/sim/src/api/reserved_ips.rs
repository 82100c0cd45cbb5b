//! Reserved IPs, v4 and v6, and their actions. The v4 addresses are also
//! served under their old name, floating IPs: the same state under the
//! `/v2/floating_ips` routes, as DigitalOcean does.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::account::FLOATING_IP_LIMIT;
use super::no_droplet;
use crate::cloud::Cloud;
use crate::resources::{Droplet, Effect, Region, ReservedIp, Target};
use crate::wire::{found, no_content, one, one_with_links, page, ApiError, ApiResult, Ctx};

/// The names of the v4 service under one of its two routes.
struct Flavor {
    /// The object's key, and its actions' `resource_type`.
    one: &'static str,
    /// The listing's key and the path segment.
    many: &'static str,
}

const FLOATING: Flavor = Flavor {
    one: "floating_ip",
    many: "floating_ips",
};
const RESERVED: Flavor = Flavor {
    one: "reserved_ip",
    many: "reserved_ips",
};

/// Which name the request used.
fn flavor(ctx: &Ctx) -> &'static Flavor {
    if ctx.path.starts_with("/v2/floating_ips") {
        &FLOATING
    } else {
        &RESERVED
    }
}

#[derive(Deserialize)]
struct CreateBody {
    droplet_id: Option<u64>,
    region: Option<String>,
    region_slug: Option<String>,
    project_id: Option<String>,
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

#[derive(Serialize)]
struct View6<'a> {
    ip: String,
    region_slug: &'static str,
    reserved_at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    droplet: Option<Option<&'a Droplet>>,
}

/// A reserved IP's URN in projects (DigitalOcean kept the old name).
pub(crate) fn ip_urn(ip: IpAddr) -> String {
    format!("do:floatingip:{ip}")
}

impl Cloud {
    pub(crate) fn list_ips(&mut self, ctx: &Ctx) -> ApiResult {
        let items: Vec<View> = self
            .st
            .reserved_ips
            .values()
            .map(|r| self.view(r))
            .collect();
        page(ctx, flavor(ctx).many, &items)
    }

    pub(crate) fn get_ip(&mut self, ctx: &Ctx) -> ApiResult {
        one(200, flavor(ctx).one, &self.view(self.reserved_ip(ctx)?))
    }

    pub(crate) fn create_ip(&mut self, ctx: &Ctx) -> ApiResult {
        let body: CreateBody = ctx.json()?;
        let (region, droplet) = self.placement(body.droplet_id, body.region.as_deref())?;
        if self.st.reserved_ips.len() as u64 >= FLOATING_IP_LIMIT {
            return Err(ApiError::unprocessable(
                "You have reached the limit of reserved IPs on your account.",
            ));
        }
        let project = self.project_for(body.project_id.as_deref())?;
        let ip = Ipv4Addr::from(
            u32::from(Ipv4Addr::new(45, 55, 96, 10)).wrapping_add(self.next_address()),
        );
        let reserved = self.reserved(ip, region, ctx);
        self.st.reserved_ips.insert(ip, reserved);
        self.assign_to(&project, ip_urn(ip.into()), ctx.now);
        let f = flavor(ctx);
        let mut actions = Vec::new();
        if let Some(id) = droplet {
            let action = self.begin_ip_action(ip, "assign_ip", Effect::Assign(Some(id)), ctx)?;
            actions.push(serde_json::json!({
                "id": action,
                "rel": "assign_ip",
                "href": format!("{}/v2/{}/{ip}/actions/{action}", ctx.origin, f.many),
            }));
        }
        let links = serde_json::json!({ "droplets": [], "actions": actions });
        let view = self.view(found(self.st.reserved_ips.get(&ip))?);
        one_with_links(202, f.one, &view, &links)
    }

    pub(crate) fn delete_ip(&mut self, ctx: &Ctx) -> ApiResult {
        let ip = self.reserved_ip(ctx)?.ip;
        self.release_ip(ip);
        no_content()
    }

    /// Deletes a reserved IPv4: off its droplet and out of its project.
    pub(crate) fn release_ip(&mut self, ip: Ipv4Addr) {
        if let Some(r) = self.st.reserved_ips.remove(&ip) {
            self.move_address(ip.into(), r.droplet, None);
            self.unassign_urn(&ip_urn(ip.into()));
        }
    }

    pub(crate) fn list_ip_actions(&mut self, ctx: &Ctx) -> ApiResult {
        let ip = self.reserved_ip(ctx)?.ip;
        self.resource_actions(ctx, &Target::Ip(ip))
    }

    pub(crate) fn get_ip_action(&mut self, ctx: &Ctx) -> ApiResult {
        let ip = self.reserved_ip(ctx)?.ip;
        self.resource_action(ctx.id(1)?, &Target::Ip(ip))
    }

    pub(crate) fn act_on_ip(&mut self, ctx: &Ctx) -> ApiResult {
        let body: ActionBody = ctx.json()?;
        let r = self.reserved_ip(ctx)?;
        let (ip, region, droplet) = (r.ip, r.region.clone(), r.droplet);
        let (kind, effect) = self.ip_effect(&body, &region, droplet)?;
        let action = self.begin_ip_action(ip, kind, effect, ctx)?;
        self.started(201, action)
    }

    /// What an assign or unassign will do, or why it is refused.
    fn ip_effect(
        &self,
        body: &ActionBody,
        region: &Region,
        assigned: Option<u64>,
    ) -> Result<(&'static str, Effect), ApiError> {
        match body.kind.as_str() {
            "assign" => {
                let id = body
                    .droplet_id
                    .ok_or_else(|| ApiError::unprocessable("droplet_id is required"))?;
                let d = self.droplet(id).map_err(|_| no_droplet(id))?;
                if d.region.slug != region.slug {
                    return Err(ApiError::unprocessable(
                        "The reserved IP and the Droplet must be in the same region.",
                    ));
                }
                Ok(("assign_ip", Effect::Assign(Some(id))))
            }
            "unassign" if assigned.is_none() => {
                Err(ApiError::unprocessable("The reserved IP is not assigned."))
            }
            "unassign" => Ok(("unassign_ip", Effect::Assign(None))),
            other => Err(ApiError::unprocessable(format!(
                "{other:?} is not a valid reserved IP action"
            ))),
        }
    }

    fn begin_ip_action(
        &mut self,
        ip: Ipv4Addr,
        kind: &str,
        effect: Effect,
        ctx: &Ctx,
    ) -> Result<u64, ApiError> {
        let r = found(self.st.reserved_ips.get(&ip))?;
        if r.busy.is_some() {
            return Err(ApiError::unprocessable(
                "The reserved IP already has a pending event.",
            ));
        }
        let region = r.region.clone();
        let f = flavor(ctx);
        let action = self.begin(ctx.now, kind, f.one, Target::Ip(ip), region, effect);
        if let Some(r) = self.st.reserved_ips.get_mut(&ip) {
            r.busy = Some(action);
        }
        Ok(action)
    }

    /// Ends a reserved IPv4 action.
    pub(crate) fn finish_ip_action(&mut self, ip: Ipv4Addr, action: u64, e: Effect, failed: bool) {
        let moved = finish(
            &mut self.st.reserved_ips,
            &self.st.droplets,
            ip,
            action,
            e,
            failed,
        );
        if let Some((from, to)) = moved {
            self.move_address(ip.into(), from, to);
        }
    }

    pub(crate) fn list_ipv6(&mut self, ctx: &Ctx) -> ApiResult {
        let items: Vec<View6> = self
            .st
            .reserved_ipv6
            .values()
            .map(|r| self.view6(r, true))
            .collect();
        page(ctx, "reserved_ipv6s", &items)
    }

    pub(crate) fn get_ipv6(&mut self, ctx: &Ctx) -> ApiResult {
        let r = self.reserved_ipv6(ctx)?;
        one(200, "reserved_ipv6", &self.view6(r, true))
    }

    pub(crate) fn create_ipv6(&mut self, ctx: &Ctx) -> ApiResult {
        let body: CreateBody = ctx.json()?;
        let slug = body.region_slug.as_deref().or(body.region.as_deref());
        let (region, _) = self.placement(None, Some(slug.unwrap_or_default()))?;
        let n = u128::from(self.next_address());
        let ip =
            Ipv6Addr::from(u128::from(Ipv6Addr::new(0x2409, 0x40d0, 0xf7, 0x1017, 0, 0, 0, 0)) + n);
        let reserved = self.reserved(ip, region, ctx);
        self.st.reserved_ipv6.insert(ip, reserved);
        let r = found(self.st.reserved_ipv6.get(&ip))?;
        one(201, "reserved_ipv6", &self.view6(r, false))
    }

    pub(crate) fn delete_ipv6(&mut self, ctx: &Ctx) -> ApiResult {
        let ip = self.reserved_ipv6(ctx)?.ip;
        self.release_ipv6(ip);
        no_content()
    }

    /// Deletes a reserved IPv6, off its droplet.
    pub(crate) fn release_ipv6(&mut self, ip: Ipv6Addr) {
        if let Some(r) = self.st.reserved_ipv6.remove(&ip) {
            self.move_address(ip.into(), r.droplet, None);
        }
    }

    pub(crate) fn act_on_ipv6(&mut self, ctx: &Ctx) -> ApiResult {
        let body: ActionBody = ctx.json()?;
        let r = self.reserved_ipv6(ctx)?;
        let (ip, region, droplet) = (r.ip, r.region.clone(), r.droplet);
        if r.busy.is_some() {
            return Err(ApiError::unprocessable(
                "The reserved IP already has a pending event.",
            ));
        }
        let (kind, effect) = self.ip_effect(&body, &region, droplet)?;
        let target = Target::ReservedIpv6(ip);
        let action = self.begin(ctx.now, kind, "reserved_ipv6", target, region, effect);
        if let Some(r) = self.st.reserved_ipv6.get_mut(&ip) {
            r.busy = Some(action);
        }
        self.started(201, action)
    }

    /// Ends a reserved IPv6 action.
    pub(crate) fn finish_ipv6_action(
        &mut self,
        ip: Ipv6Addr,
        action: u64,
        e: Effect,
        failed: bool,
    ) {
        let moved = finish(
            &mut self.st.reserved_ipv6,
            &self.st.droplets,
            ip,
            action,
            e,
            failed,
        );
        if let Some((from, to)) = moved {
            self.move_address(ip.into(), from, to);
        }
    }

    /// The region of a new reserved IP: its droplet's, or the one named.
    fn placement(
        &self,
        droplet: Option<u64>,
        region: Option<&str>,
    ) -> Result<(Arc<Region>, Option<u64>), ApiError> {
        match (droplet, region) {
            (Some(id), _) => {
                let d = self.droplet(id).map_err(|_| no_droplet(id))?;
                Ok((d.region.clone(), Some(id)))
            }
            (None, Some(slug)) => {
                let r = self.catalog.region(slug).filter(|r| r.available);
                let r =
                    r.ok_or_else(|| ApiError::unprocessable("You specified an invalid region."))?;
                Ok((r.clone(), None))
            }
            (None, None) => Err(ApiError::unprocessable("droplet_id or region is required")),
        }
    }

    /// A number for the next address handed out.
    pub(crate) fn next_address(&mut self) -> u32 {
        let n = self.st.addresses;
        self.st.addresses = n.wrapping_add(1);
        n
    }

    fn reserved<A>(&mut self, ip: A, region: Arc<Region>, ctx: &Ctx) -> ReservedIp<A> {
        ReservedIp {
            ip,
            region,
            droplet: None,
            busy: None,
            reserved_at: self.stamp(ctx.now),
        }
    }

    fn view<'a>(&'a self, r: &'a ReservedIp<Ipv4Addr>) -> View<'a> {
        View {
            ip: r.ip.to_string(),
            region: &r.region,
            droplet: r.droplet.and_then(|d| self.st.droplets.get(&d)),
            locked: r.busy.is_some(),
            project_id: self.project_of(&ip_urn(r.ip.into())),
        }
    }

    fn view6<'a>(&'a self, r: &'a ReservedIp<Ipv6Addr>, with_droplet: bool) -> View6<'a> {
        View6 {
            ip: r.ip.to_string(),
            region_slug: r.region.slug,
            reserved_at: &r.reserved_at,
            droplet: with_droplet.then(|| r.droplet.and_then(|d| self.st.droplets.get(&d))),
        }
    }

    fn reserved_ip(&self, ctx: &Ctx) -> Result<&ReservedIp<Ipv4Addr>, ApiError> {
        let ip: Ipv4Addr = ctx.param(0).parse().map_err(|_| ApiError::not_found())?;
        found(self.st.reserved_ips.get(&ip))
    }

    fn reserved_ipv6(&self, ctx: &Ctx) -> Result<&ReservedIp<Ipv6Addr>, ApiError> {
        let ip: Ipv6Addr = ctx.param(0).parse().map_err(|_| ApiError::not_found())?;
        found(self.st.reserved_ipv6.get(&ip))
    }
}

/// Ends an action on a reserved IP: unlocks it and, unless it failed or
/// the droplet is gone, moves it. Returns the droplets it moved from and
/// to.
fn finish<A: Ord>(
    ips: &mut BTreeMap<A, ReservedIp<A>>,
    droplets: &BTreeMap<u64, Droplet>,
    ip: A,
    action: u64,
    effect: Effect,
    failed: bool,
) -> Option<(Option<u64>, Option<u64>)> {
    let r = ips.get_mut(&ip)?;
    if r.busy == Some(action) {
        r.busy = None;
    }
    match effect {
        Effect::Assign(to) if !failed && to.is_none_or(|d| droplets.contains_key(&d)) => {
            let from = std::mem::replace(&mut r.droplet, to);
            Some((from, to))
        }
        _ => None,
    }
}
