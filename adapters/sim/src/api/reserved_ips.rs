//! Reserved IPs, v4 and v6, and their actions. The v4 addresses are also
//! served under their old name, floating IPs: the same state under the
//! `/v2/floating_ips` routes, as DigitalOcean does.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::account::FLOATING_IP_LIMIT;
use super::no_droplet;
use crate::cloud::{Cloud, State};
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
        let r = self.reserved::<Ipv4Addr>(ctx)?;
        one(200, flavor(ctx).one, &self.view(r))
    }

    pub(crate) fn create_ip(&mut self, ctx: &Ctx) -> ApiResult {
        let f = flavor(ctx);
        let body: CreateBody = ctx.json()?;
        let (region, droplet) = self.placement(body.droplet_id, body.region.as_deref())?;
        if self.st.reserved_ips.len() as u64 >= FLOATING_IP_LIMIT {
            return Err(ApiError::unprocessable(
                "You have reached the limit of reserved IPs on your account.",
            ));
        }
        let project = self.project_for(body.project_id.as_deref())?;
        let n = self.next_address();
        let ip = Ipv4Addr::from(u32::from(Ipv4Addr::new(45, 55, 96, 10)).wrapping_add(n));
        self.add_reserved(ip, region, ctx);
        self.assign_to(&project, ip_urn(ip.into()), ctx.now);
        let mut actions = Vec::new();
        if let Some(id) = droplet {
            let assign = Effect::Assign(Some(id));
            let action = self.begin_reserved(ip, "assign_ip", f.one, assign, ctx)?;
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
        let ip = self.reserved::<Ipv4Addr>(ctx)?.ip;
        self.release(ip);
        no_content()
    }

    pub(crate) fn list_ip_actions(&mut self, ctx: &Ctx) -> ApiResult {
        let ip = self.reserved::<Ipv4Addr>(ctx)?.ip;
        self.resource_actions(ctx, &Target::Ip(ip))
    }

    pub(crate) fn get_ip_action(&mut self, ctx: &Ctx) -> ApiResult {
        let ip = self.reserved::<Ipv4Addr>(ctx)?.ip;
        self.resource_action(ctx.id(1)?, &Target::Ip(ip))
    }

    pub(crate) fn act_on_ip(&mut self, ctx: &Ctx) -> ApiResult {
        let ip = self.reserved::<Ipv4Addr>(ctx)?.ip;
        self.act_on_reserved(ip, ctx, flavor(ctx).one)
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
        let r = self.reserved::<Ipv6Addr>(ctx)?;
        one(200, "reserved_ipv6", &self.view6(r, true))
    }

    pub(crate) fn create_ipv6(&mut self, ctx: &Ctx) -> ApiResult {
        let body: CreateBody = ctx.json()?;
        let slug = body.region_slug.as_deref().or(body.region.as_deref());
        let (region, _) = self.placement(None, Some(slug.unwrap_or_default()))?;
        let base = u128::from(Ipv6Addr::new(0x2409, 0x40d0, 0xf7, 0x1017, 0, 0, 0, 0));
        let ip = Ipv6Addr::from(base + u128::from(self.next_address()));
        self.add_reserved(ip, region, ctx);
        let r = found(self.st.reserved_ipv6.get(&ip))?;
        one(201, "reserved_ipv6", &self.view6(r, false))
    }

    pub(crate) fn delete_ipv6(&mut self, ctx: &Ctx) -> ApiResult {
        let ip = self.reserved::<Ipv6Addr>(ctx)?.ip;
        self.release(ip);
        no_content()
    }

    pub(crate) fn act_on_ipv6(&mut self, ctx: &Ctx) -> ApiResult {
        let ip = self.reserved::<Ipv6Addr>(ctx)?.ip;
        self.act_on_reserved(ip, ctx, "reserved_ipv6")
    }

    /// Deletes a reserved IP: off its droplet and out of its project.
    pub(crate) fn release<A: Address>(&mut self, ip: A) {
        if let Some(r) = A::table_mut(&mut self.st).remove(&ip) {
            self.move_address(ip.into(), r.droplet, None);
            self.unassign_urn(&ip_urn(ip.into()));
        }
    }

    /// An assign or unassign of a reserved IP, v4 or v6.
    fn act_on_reserved<A: Address>(&mut self, ip: A, ctx: &Ctx, kind: &'static str) -> ApiResult {
        let body: ActionBody = ctx.json()?;
        let r = found(A::table(&self.st).get(&ip))?;
        let (region, assigned) = (r.region.clone(), r.droplet);
        let effect = match body.kind.as_str() {
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
                Effect::Assign(Some(id))
            }
            "unassign" if assigned.is_none() => {
                return Err(ApiError::unprocessable("The reserved IP is not assigned."));
            }
            "unassign" => Effect::Assign(None),
            other => {
                return Err(ApiError::unprocessable(format!(
                    "{other:?} is not a valid reserved IP action"
                )))
            }
        };
        let action_type = format!("{}_ip", body.kind);
        let action = self.begin_reserved(ip, &action_type, kind, effect, ctx)?;
        self.started(201, action)
    }

    /// Starts an action on a reserved IP, which is locked until it ends.
    fn begin_reserved<A: Address>(
        &mut self,
        ip: A,
        action_type: &str,
        resource_type: &'static str,
        effect: Effect,
        ctx: &Ctx,
    ) -> Result<u64, ApiError> {
        let r = found(A::table(&self.st).get(&ip))?;
        if r.busy.is_some() {
            return Err(ApiError::unprocessable(
                "The reserved IP already has a pending event.",
            ));
        }
        let region = r.region.clone();
        let target = ip.target();
        let action = self.begin(ctx.now, action_type, resource_type, target, region, effect);
        if let Some(r) = A::table_mut(&mut self.st).get_mut(&ip) {
            r.busy = Some(action);
        }
        Ok(action)
    }

    /// Ends an action on a reserved IP: unlocks it and, unless it failed
    /// or the droplet is gone, moves it between droplets' networks.
    pub(crate) fn finish_reserved<A: Address>(
        &mut self,
        ip: A,
        action: u64,
        e: Effect,
        failed: bool,
    ) {
        let exists = |d: &Option<u64>| d.is_none_or(|d| self.st.droplets.contains_key(&d));
        let to = match e {
            Effect::Assign(to) if !failed && exists(&to) => Some(to),
            _ => None,
        };
        let Some(r) = A::table_mut(&mut self.st).get_mut(&ip) else {
            return;
        };
        if r.busy == Some(action) {
            r.busy = None;
        }
        if let Some(to) = to {
            let from = std::mem::replace(&mut r.droplet, to);
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

    fn add_reserved<A: Address>(&mut self, ip: A, region: Arc<Region>, ctx: &Ctx) {
        let reserved = ReservedIp {
            ip,
            region,
            droplet: None,
            busy: None,
            reserved_at: self.stamp(ctx.now),
        };
        A::table_mut(&mut self.st).insert(ip, reserved);
    }

    /// The reserved IP in the path, or 404.
    fn reserved<A: Address>(&self, ctx: &Ctx) -> Result<&ReservedIp<A>, ApiError> {
        let ip = ctx.param(0).parse::<A>().ok();
        found(ip.and_then(|ip| A::table(&self.st).get(&ip)))
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
}

/// What reserved IPv4 and IPv6 addresses share: where they are kept, and
/// how their actions name them.
pub(crate) trait Address: Ord + Copy + Into<IpAddr> + FromStr {
    fn table(st: &State) -> &BTreeMap<Self, ReservedIp<Self>>;
    fn table_mut(st: &mut State) -> &mut BTreeMap<Self, ReservedIp<Self>>;
    fn target(self) -> Target;
}

impl Address for Ipv4Addr {
    fn table(st: &State) -> &BTreeMap<Self, ReservedIp<Self>> {
        &st.reserved_ips
    }
    fn table_mut(st: &mut State) -> &mut BTreeMap<Self, ReservedIp<Self>> {
        &mut st.reserved_ips
    }
    fn target(self) -> Target {
        Target::Ip(self)
    }
}

impl Address for Ipv6Addr {
    fn table(st: &State) -> &BTreeMap<Self, ReservedIp<Self>> {
        &st.reserved_ipv6
    }
    fn table_mut(st: &mut State) -> &mut BTreeMap<Self, ReservedIp<Self>> {
        &mut st.reserved_ipv6
    }
    fn target(self) -> Target {
        Target::ReservedIpv6(self)
    }
}
