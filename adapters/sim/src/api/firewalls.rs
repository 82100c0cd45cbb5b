//! Cloud firewalls: rules in and out, the droplets and tags they apply
//! to, and a droplet's firewalls.

use serde::Deserialize;

use super::{no_droplet, valid_tag};
use crate::cloud::Cloud;
use crate::resources::{Firewall, Rule};
use crate::wire::{found, no_content, one, page, ApiError, ApiResult, Ctx};

#[derive(Deserialize, Default)]
#[serde(default)]
struct FirewallBody {
    name: Option<String>,
    inbound_rules: Vec<Rule>,
    outbound_rules: Vec<Rule>,
    droplet_ids: Vec<u64>,
    tags: Vec<String>,
}

/// A firewall name: a letter or digit, then letters, digits, `.` and `-`.
fn valid_firewall_name(name: &str) -> bool {
    name.len() >= 2
        && name.len() <= 255
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
}

/// Adds what is not there yet.
fn add_all<T: PartialEq + Clone>(to: &mut Vec<T>, items: &[T]) {
    for i in items {
        if !to.contains(i) {
            to.push(i.clone());
        }
    }
}

impl Cloud {
    pub(crate) fn list_firewalls(&mut self, ctx: &Ctx) -> ApiResult {
        let items: Vec<&Firewall> = self.st.firewalls.values().collect();
        page(ctx, "firewalls", &items)
    }

    pub(crate) fn create_firewall(&mut self, ctx: &Ctx) -> ApiResult {
        let body: FirewallBody = ctx.json()?;
        let id = self.uuid();
        let firewall = Firewall {
            id: id.clone(),
            name: String::new(),
            status: "succeeded",
            inbound_rules: Vec::new(),
            outbound_rules: Vec::new(),
            created_at: self.stamp(ctx.now),
            droplet_ids: Vec::new(),
            tags: Vec::new(),
            pending_changes: Vec::new(),
        };
        let firewall = self.configured(firewall, body)?;
        let answer = one(202, "firewall", &firewall);
        self.st.firewalls.insert(id, firewall);
        answer
    }

    pub(crate) fn get_firewall(&mut self, ctx: &Ctx) -> ApiResult {
        one(200, "firewall", found(self.st.firewalls.get(ctx.param(0)))?)
    }

    /// PUT: the whole firewall as the body gives it.
    pub(crate) fn update_firewall(&mut self, ctx: &Ctx) -> ApiResult {
        let body: FirewallBody = ctx.json()?;
        let firewall = found(self.st.firewalls.get(ctx.param(0)))?.clone();
        let firewall = self.configured(firewall, body)?;
        let answer = one(200, "firewall", &firewall);
        self.st.firewalls.insert(firewall.id.clone(), firewall);
        answer
    }

    pub(crate) fn delete_firewall(&mut self, ctx: &Ctx) -> ApiResult {
        found(self.st.firewalls.remove(ctx.param(0)))?;
        no_content()
    }

    pub(crate) fn add_firewall_droplets(&mut self, ctx: &Ctx) -> ApiResult {
        self.change_firewall(ctx, |f, b| add_all(&mut f.droplet_ids, &b.droplet_ids))
    }

    pub(crate) fn remove_firewall_droplets(&mut self, ctx: &Ctx) -> ApiResult {
        self.change_firewall(ctx, |f, b| {
            f.droplet_ids.retain(|d| !b.droplet_ids.contains(d))
        })
    }

    pub(crate) fn add_firewall_tags(&mut self, ctx: &Ctx) -> ApiResult {
        self.change_firewall(ctx, |f, b| add_all(&mut f.tags, &b.tags))
    }

    pub(crate) fn remove_firewall_tags(&mut self, ctx: &Ctx) -> ApiResult {
        self.change_firewall(ctx, |f, b| f.tags.retain(|t| !b.tags.contains(t)))
    }

    pub(crate) fn add_firewall_rules(&mut self, ctx: &Ctx) -> ApiResult {
        self.change_firewall(ctx, |f, b| {
            add_all(&mut f.inbound_rules, &b.inbound_rules);
            add_all(&mut f.outbound_rules, &b.outbound_rules);
        })
    }

    pub(crate) fn remove_firewall_rules(&mut self, ctx: &Ctx) -> ApiResult {
        self.change_firewall(ctx, |f, b| {
            f.inbound_rules.retain(|r| !b.inbound_rules.contains(r));
            f.outbound_rules.retain(|r| !b.outbound_rules.contains(r));
        })
    }

    /// The firewalls that apply to a droplet: by id or by one of its tags.
    pub(crate) fn list_droplet_firewalls(&mut self, ctx: &Ctx) -> ApiResult {
        let d = self.droplet(ctx.id(0)?)?;
        let items: Vec<&Firewall> = self
            .st
            .firewalls
            .values()
            .filter(|f| f.droplet_ids.contains(&d.id) || f.tags.iter().any(|t| d.tags.contains(t)))
            .collect();
        page(ctx, "firewalls", &items)
    }

    /// One of the add or remove requests: the body checked as a whole
    /// firewall's would be, the change applied, 204.
    fn change_firewall(
        &mut self,
        ctx: &Ctx,
        change: impl FnOnce(&mut Firewall, &FirewallBody),
    ) -> ApiResult {
        let mut body: FirewallBody = ctx.json()?;
        let mut firewall = found(self.st.firewalls.get(ctx.param(0)))?.clone();
        self.check_parts(&body)?;
        // Rules compare as kept: `all` ports are `"0"`.
        body.inbound_rules = normal(body.inbound_rules);
        body.outbound_rules = normal(body.outbound_rules);
        change(&mut firewall, &body);
        self.st.firewalls.insert(firewall.id.clone(), firewall);
        no_content()
    }

    /// A firewall with a body's name, rules, droplets and tags, checked.
    fn configured(&self, mut f: Firewall, b: FirewallBody) -> Result<Firewall, ApiError> {
        let name = b.name.clone().unwrap_or_default();
        if !valid_firewall_name(&name) {
            return Err(ApiError::unprocessable(
                "name must start with a letter or number and hold letters, numbers, '.' and '-'",
            ));
        }
        self.check_parts(&b)?;
        f.name = name;
        (f.inbound_rules, f.outbound_rules) = (normal(b.inbound_rules), normal(b.outbound_rules));
        (f.droplet_ids, f.tags) = (b.droplet_ids, b.tags);
        Ok(f)
    }

    /// Checks rules, droplets and tags.
    fn check_parts(&self, b: &FirewallBody) -> Result<(), ApiError> {
        let bad = |m: String| Err(ApiError::unprocessable(m));
        if let Some(d) = b
            .droplet_ids
            .iter()
            .find(|d| !self.st.droplets.contains_key(d))
        {
            return Err(no_droplet(*d));
        }
        if let Some(t) = b.tags.iter().find(|t| !valid_tag(t)) {
            return bad(format!("invalid tag name {t:?}"));
        }
        let rules = b.inbound_rules.iter().map(|r| (r, &r.sources, "sources"));
        let rules = rules.chain(
            b.outbound_rules
                .iter()
                .map(|r| (r, &r.destinations, "destinations")),
        );
        for (rule, target, side) in rules {
            if !["tcp", "udp", "icmp"].contains(&rule.protocol.as_str()) {
                return bad(format!(
                    "protocol must be tcp, udp or icmp, not {:?}",
                    rule.protocol
                ));
            }
            if rule.protocol != "icmp" && !valid_ports(&rule.ports) {
                return bad(format!(
                    "ports must be a port, a range or \"all\", not {:?}",
                    rule.ports
                ));
            }
            let t = target.as_ref().filter(|t| **t != Default::default());
            let Some(t) = t else {
                return bad(format!("a rule needs {side}"));
            };
            if let Some(d) = t
                .droplet_ids
                .iter()
                .find(|d| !self.st.droplets.contains_key(d))
            {
                return Err(no_droplet(*d));
            }
        }
        Ok(())
    }
}

/// `22`, `8000-9000`, `all` or `0`.
fn valid_ports(ports: &str) -> bool {
    let port = |p: &str| p.parse::<u16>().is_ok_and(|p| p > 0);
    match ports.split_once('-') {
        _ if ports == "all" || ports == "0" => true,
        Some((a, b)) => port(a) && port(b),
        None => port(ports),
    }
}

/// Rules as DigitalOcean keeps them: every port is `"0"`, as are ICMP's.
fn normal(rules: Vec<Rule>) -> Vec<Rule> {
    rules
        .into_iter()
        .map(|mut r| {
            if r.protocol == "icmp" || r.ports == "all" {
                r.ports = "0".into();
            }
            r
        })
        .collect()
}
