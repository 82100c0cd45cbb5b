//! Load balancers: forwarding rules, a health check, droplets by id or by
//! tag, `new` until [`SimConfig::lb_delay`](crate::SimConfig) has passed,
//! then `active` with an address.

use std::net::Ipv4Addr;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::no_droplet;
use crate::cloud::Cloud;
use crate::resources::{ForwardingRule, HealthCheck, LoadBalancer, Region, StickySessions};
use crate::wire::{found, no_content, one, page, ApiError, ApiResult, Ctx};

const ENTRY_PROTOCOLS: &[&str] = &["http", "https", "http2", "http3", "tcp", "udp"];
const TARGET_PROTOCOLS: &[&str] = &["http", "https", "http2", "tcp", "udp"];

#[derive(Deserialize, Default)]
#[serde(default)]
struct Body {
    name: Option<String>,
    region: Option<String>,
    size: Option<String>,
    size_unit: Option<u64>,
    algorithm: Option<String>,
    forwarding_rules: Vec<ForwardingRule>,
    health_check: Option<HealthCheck>,
    sticky_sessions: Option<StickySessions>,
    redirect_http_to_https: bool,
    enable_proxy_protocol: bool,
    enable_backend_keepalive: bool,
    http_idle_timeout_seconds: Option<u64>,
    vpc_uuid: Option<String>,
    droplet_ids: Vec<u64>,
    tag: Option<String>,
    project_id: Option<String>,
}

#[derive(Serialize)]
struct View<'a> {
    id: &'a str,
    name: &'a str,
    ip: String,
    size: &'a str,
    size_unit: u64,
    algorithm: &'a str,
    status: &'static str,
    created_at: &'a str,
    forwarding_rules: &'a [ForwardingRule],
    health_check: &'a HealthCheck,
    sticky_sessions: &'a StickySessions,
    region: &'a Region,
    tag: &'a str,
    droplet_ids: Vec<u64>,
    redirect_http_to_https: bool,
    enable_proxy_protocol: bool,
    enable_backend_keepalive: bool,
    http_idle_timeout_seconds: u64,
    vpc_uuid: &'a str,
    disable_lets_encrypt_dns_records: bool,
    project_id: &'a str,
    network: &'static str,
}

#[derive(Deserialize)]
struct DropletsBody {
    #[serde(default)]
    droplet_ids: Vec<u64>,
}

#[derive(Deserialize)]
struct RulesBody {
    #[serde(default)]
    forwarding_rules: Vec<ForwardingRule>,
}

/// A load balancer's URN in projects.
fn lb_urn(id: &str) -> String {
    format!("do:loadbalancer:{id}")
}

impl Cloud {
    pub(crate) fn list_load_balancers(&mut self, ctx: &Ctx) -> ApiResult {
        let items: Vec<View> = self
            .st
            .load_balancers
            .values()
            .map(|lb| self.lb_view(lb, ctx.now))
            .collect();
        page(ctx, "load_balancers", &items)
    }

    pub(crate) fn get_load_balancer(&mut self, ctx: &Ctx) -> ApiResult {
        let lb = found(self.st.load_balancers.get(ctx.param(0)))?;
        one(200, "load_balancer", &self.lb_view(lb, ctx.now))
    }

    pub(crate) fn create_load_balancer(&mut self, ctx: &Ctx) -> ApiResult {
        let body: Body = ctx.json()?;
        let slug = body.region.as_deref().unwrap_or_default();
        let region = self.catalog.region(slug).filter(|r| r.available).cloned();
        let region =
            region.ok_or_else(|| ApiError::unprocessable("You specified an invalid region."))?;
        let project = self.project_for(body.project_id.as_deref())?;
        let vpc_uuid = match &body.vpc_uuid {
            Some(id) => self.vpc_in(id, region.slug)?,
            None => self.default_vpc(region.slug)?,
        };
        let id = self.uuid();
        let ip = Ipv4Addr::from(
            u32::from(Ipv4Addr::new(104, 131, 186, 2)).wrapping_add(self.next_address()),
        );
        let lb = LoadBalancer {
            id: id.clone(),
            name: String::new(),
            ip,
            size: String::new(),
            size_unit: 1,
            algorithm: String::new(),
            created_at: self.stamp(ctx.now),
            forwarding_rules: Vec::new(),
            health_check: HealthCheck::default(),
            sticky_sessions: none_sticky(),
            region,
            tag: String::new(),
            droplet_ids: Vec::new(),
            redirect_http_to_https: false,
            enable_proxy_protocol: false,
            enable_backend_keepalive: false,
            http_idle_timeout_seconds: 60,
            vpc_uuid,
            active_at: ctx.now + self.cfg.lb_delay,
        };
        let lb = self.lb_configured(lb, body)?;
        let answer = one(202, "load_balancer", &self.lb_view(&lb, ctx.now));
        self.st.load_balancers.insert(id.clone(), lb);
        self.assign_to(&project, lb_urn(&id), ctx.now);
        answer
    }

    /// PUT: the whole load balancer as the body gives it (its region
    /// stays).
    pub(crate) fn update_load_balancer(&mut self, ctx: &Ctx) -> ApiResult {
        let mut body: Body = ctx.json()?;
        let lb = found(self.st.load_balancers.get(ctx.param(0)))?.clone();
        if body.region.as_deref().is_some_and(|r| r != lb.region.slug) {
            return Err(ApiError::unprocessable(
                "A load balancer cannot move to another region.",
            ));
        }
        if let Some(v) = body.vpc_uuid.take().filter(|v| *v != lb.vpc_uuid) {
            return Err(ApiError::unprocessable(format!(
                "A load balancer cannot move to VPC {v}."
            )));
        }
        let lb = self.lb_configured(lb, body)?;
        let answer = one(200, "load_balancer", &self.lb_view(&lb, ctx.now));
        self.st.load_balancers.insert(lb.id.clone(), lb);
        answer
    }

    pub(crate) fn delete_load_balancer(&mut self, ctx: &Ctx) -> ApiResult {
        let lb = found(self.st.load_balancers.remove(ctx.param(0)))?;
        self.unassign_urn(&lb_urn(&lb.id));
        no_content()
    }

    pub(crate) fn add_lb_droplets(&mut self, ctx: &Ctx) -> ApiResult {
        self.change_lb_droplets(ctx, true)
    }

    pub(crate) fn remove_lb_droplets(&mut self, ctx: &Ctx) -> ApiResult {
        self.change_lb_droplets(ctx, false)
    }

    fn change_lb_droplets(&mut self, ctx: &Ctx, add: bool) -> ApiResult {
        let body: DropletsBody = ctx.json()?;
        let lb = found(self.st.load_balancers.get(ctx.param(0)))?;
        if !lb.tag.is_empty() {
            return Err(ApiError::unprocessable(
                "This load balancer takes its droplets by tag.",
            ));
        }
        self.check_lb_droplets(&lb.region, &body.droplet_ids)?;
        let lb = found(self.st.load_balancers.get_mut(ctx.param(0)))?;
        lb.droplet_ids.retain(|d| !body.droplet_ids.contains(d));
        if add {
            lb.droplet_ids.extend(&body.droplet_ids);
            lb.droplet_ids.sort_unstable();
        }
        no_content()
    }

    pub(crate) fn add_lb_rules(&mut self, ctx: &Ctx) -> ApiResult {
        self.change_lb_rules(ctx, true)
    }

    pub(crate) fn remove_lb_rules(&mut self, ctx: &Ctx) -> ApiResult {
        self.change_lb_rules(ctx, false)
    }

    fn change_lb_rules(&mut self, ctx: &Ctx, add: bool) -> ApiResult {
        let body: RulesBody = ctx.json()?;
        found(self.st.load_balancers.get(ctx.param(0)))?;
        self.check_rules(&body.forwarding_rules)?;
        let lb = found(self.st.load_balancers.get_mut(ctx.param(0)))?;
        lb.forwarding_rules
            .retain(|r| !body.forwarding_rules.contains(r));
        if add {
            lb.forwarding_rules.extend(body.forwarding_rules);
        } else if lb.forwarding_rules.is_empty() {
            return Err(ApiError::unprocessable(
                "A load balancer needs at least one forwarding rule.",
            ));
        }
        no_content()
    }

    /// A load balancer with a body's settings, checked.
    fn lb_configured(&self, mut lb: LoadBalancer, b: Body) -> Result<LoadBalancer, ApiError> {
        let bad = |m: &str| Err(ApiError::unprocessable(m));
        let name = b.name.unwrap_or_else(|| format!("{}-lb", lb.region.slug));
        if !super::valid_resource_name(&name, 255) {
            return bad("name may hold letters, numbers, '-' and '.'");
        }
        if b.forwarding_rules.is_empty() {
            return bad("forwarding_rules must hold at least one rule");
        }
        self.check_rules(&b.forwarding_rules)?;
        let tag = b.tag.unwrap_or_default();
        if !tag.is_empty() && !b.droplet_ids.is_empty() {
            return bad("Give droplet_ids or tag, not both.");
        }
        self.check_lb_droplets(&lb.region, &b.droplet_ids)?;
        let size = b.size.unwrap_or_else(|| "lb-small".into());
        if !["lb-small", "lb-medium", "lb-large"].contains(&size.as_str()) {
            return bad("size must be lb-small, lb-medium or lb-large");
        }
        let algorithm = b.algorithm.unwrap_or_else(|| "round_robin".into());
        if !["round_robin", "least_connections"].contains(&algorithm.as_str()) {
            return bad("algorithm must be round_robin or least_connections");
        }
        let idle = b.http_idle_timeout_seconds.unwrap_or(60);
        if !(30..=600).contains(&idle) {
            return bad("http_idle_timeout_seconds must be from 30 to 600");
        }
        let health = b.health_check.unwrap_or_default();
        if !["http", "https", "tcp"].contains(&health.protocol.as_str()) {
            return bad("health_check.protocol must be http, https or tcp");
        }
        let sticky = b.sticky_sessions.unwrap_or_else(none_sticky);
        if !["none", "cookies"].contains(&sticky.kind.as_str()) {
            return bad("sticky_sessions.type must be none or cookies");
        }
        lb.name = name;
        lb.size = size;
        lb.size_unit = b.size_unit.unwrap_or(1).clamp(1, 100);
        lb.algorithm = algorithm;
        lb.forwarding_rules = b.forwarding_rules;
        lb.health_check = health;
        lb.sticky_sessions = sticky;
        lb.tag = tag;
        lb.droplet_ids = b.droplet_ids;
        lb.redirect_http_to_https = b.redirect_http_to_https;
        lb.enable_proxy_protocol = b.enable_proxy_protocol;
        lb.enable_backend_keepalive = b.enable_backend_keepalive;
        lb.http_idle_timeout_seconds = idle;
        Ok(lb)
    }

    /// Forwarding rules: known protocols, ports, and a certificate (or TLS
    /// passthrough) for HTTPS.
    fn check_rules(&self, rules: &[ForwardingRule]) -> Result<(), ApiError> {
        for r in rules {
            if !ENTRY_PROTOCOLS.contains(&r.entry_protocol.as_str())
                || !TARGET_PROTOCOLS.contains(&r.target_protocol.as_str())
            {
                return Err(ApiError::unprocessable(format!(
                    "invalid forwarding rule protocols {} to {}",
                    r.entry_protocol, r.target_protocol
                )));
            }
            if r.entry_port == 0 || r.target_port == 0 {
                return Err(ApiError::unprocessable("ports must be from 1 to 65535"));
            }
            let tls = matches!(r.entry_protocol.as_str(), "https" | "http2" | "http3");
            if tls && !r.tls_passthrough && r.certificate_id.is_empty() {
                return Err(ApiError::unprocessable(
                    "An HTTPS forwarding rule needs a certificate_id or tls_passthrough.",
                ));
            }
            if !r.certificate_id.is_empty() && !self.st.certificates.contains_key(&r.certificate_id)
            {
                return Err(ApiError::unprocessable(format!(
                    "certificate {} could not be found",
                    r.certificate_id
                )));
            }
        }
        Ok(())
    }

    /// Droplets for a load balancer: they exist, in its region.
    fn check_lb_droplets(&self, region: &Region, ids: &[u64]) -> Result<(), ApiError> {
        for id in ids {
            let d = self.droplet(*id).map_err(|_| no_droplet(*id))?;
            if d.region.slug != region.slug {
                return Err(ApiError::unprocessable(format!(
                    "Droplet {id} is not in the load balancer's region."
                )));
            }
        }
        Ok(())
    }

    fn lb_view<'a>(&'a self, lb: &'a LoadBalancer, now: Instant) -> View<'a> {
        let active = now >= lb.active_at;
        let droplet_ids = if lb.tag.is_empty() {
            lb.droplet_ids.clone()
        } else {
            let tagged = self.st.droplet_index.ids(Some(&lb.tag)).iter();
            tagged
                .filter(|d| {
                    self.st
                        .droplets
                        .get(d)
                        .is_some_and(|d| d.region.slug == lb.region.slug)
                })
                .copied()
                .collect()
        };
        View {
            id: &lb.id,
            name: &lb.name,
            ip: if active {
                lb.ip.to_string()
            } else {
                String::new()
            },
            size: &lb.size,
            size_unit: lb.size_unit,
            algorithm: &lb.algorithm,
            status: if active { "active" } else { "new" },
            created_at: &lb.created_at,
            forwarding_rules: &lb.forwarding_rules,
            health_check: &lb.health_check,
            sticky_sessions: &lb.sticky_sessions,
            region: &lb.region,
            tag: &lb.tag,
            droplet_ids,
            redirect_http_to_https: lb.redirect_http_to_https,
            enable_proxy_protocol: lb.enable_proxy_protocol,
            enable_backend_keepalive: lb.enable_backend_keepalive,
            http_idle_timeout_seconds: lb.http_idle_timeout_seconds,
            vpc_uuid: &lb.vpc_uuid,
            disable_lets_encrypt_dns_records: false,
            project_id: self.project_of(&lb_urn(&lb.id)),
            network: "EXTERNAL",
        }
    }
}

fn none_sticky() -> StickySessions {
    StickySessions {
        kind: "none".into(),
        cookie_name: None,
        cookie_ttl_seconds: None,
    }
}
