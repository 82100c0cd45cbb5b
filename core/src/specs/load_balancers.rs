//! [`LoadBalancerSpec`]: a load balancer's create body, with its
//! forwarding rules and health check.

use crate::api::load_balancers::{
    ForwardingRule, HealthCheck, LoadBalancerCreate, LoadBalancerCreateDropletIds,
    LoadBalancerCreateForwardingRules, LoadBalancersCreate,
};
use crate::error::RequestError;
use crate::specs::check::{non_empty, signed_all, Checked};

/// A load balancer to create: its name and region, its forwarding rules,
/// its health check, and its droplets (by id, or every droplet with a
/// tag). `POST /v2/load_balancers`.
///
/// ```
/// use doapi_core::specs::LoadBalancerSpec;
///
/// let spec = LoadBalancerSpec::new("web-lb", "nyc3")
///     .forward("http", 80, "http", 8080)
///     .health_check("http", 8080, Some("/health"))
///     .droplets([3164444, 3164445]);
/// assert!(spec.operation().refused.is_none());
/// let no_rules = LoadBalancerSpec::new("web-lb", "nyc3").droplets([3164444]);
/// assert!(no_rules.operation().refused.is_some());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadBalancerSpec {
    /// Its name.
    pub name: String,
    /// Its region's slug.
    pub region: String,
    /// Its forwarding rules: `(entry protocol, entry port, target
    /// protocol, target port)`.
    pub rules: Vec<(String, u16, String, u16)>,
    /// Its health check: protocol, port, and path (for HTTP).
    pub health_check: Option<(String, u16, Option<String>)>,
    /// Its droplets, by id.
    pub droplet_ids: Vec<u64>,
    /// Or every droplet with this tag.
    pub tag: Option<String>,
    /// The VPC it is in (else the region's default).
    pub vpc_uuid: Option<String>,
    /// Its size in nodes, 1 to 100 (else DigitalOcean's default).
    pub size_unit: Option<u64>,
}

impl LoadBalancerSpec {
    /// A load balancer named `name` in `region`.
    pub fn new(name: impl Into<String>, region: impl Into<String>) -> Self {
        LoadBalancerSpec {
            name: name.into(),
            region: region.into(),
            ..LoadBalancerSpec::default()
        }
    }

    /// Forwards `entry_protocol` traffic on `entry_port` to the droplets'
    /// `target_port` as `target_protocol` (`http`, `https`, `http2`,
    /// `tcp`, `udp`).
    pub fn forward(
        mut self,
        entry_protocol: impl Into<String>,
        entry_port: u16,
        target_protocol: impl Into<String>,
        target_port: u16,
    ) -> Self {
        self.rules.push((
            entry_protocol.into(),
            entry_port,
            target_protocol.into(),
            target_port,
        ));
        self
    }

    /// Checks the droplets' health with `protocol` (`http`, `https`,
    /// `tcp`) on `port`, at `path` for HTTP.
    pub fn health_check(
        mut self,
        protocol: impl Into<String>,
        port: u16,
        path: Option<&str>,
    ) -> Self {
        self.health_check = Some((protocol.into(), port, path.map(str::to_owned)));
        self
    }

    /// Balances these droplets.
    pub fn droplets(mut self, ids: impl IntoIterator<Item = u64>) -> Self {
        self.droplet_ids.extend(ids);
        self
    }

    /// Balances every droplet with this tag (instead of droplets by id).
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    /// In this VPC.
    pub fn vpc(mut self, uuid: impl Into<String>) -> Self {
        self.vpc_uuid = Some(uuid.into());
        self
    }

    /// Of this many nodes.
    pub fn size_unit(mut self, nodes: u64) -> Self {
        self.size_unit = Some(nodes);
        self
    }

    /// The create operation, refused before sending if the name or region
    /// is empty, there is no forwarding rule, a port is 0, or droplets are
    /// given both by id and by tag.
    pub fn operation(self) -> Checked<LoadBalancersCreate> {
        let (ids, ids_check) = signed_all("droplet id", &self.droplet_ids);
        let checks = [
            non_empty("load balancer name", &self.name),
            non_empty("region", &self.region),
            match self.rules.is_empty() {
                true => Err(RequestError::Empty {
                    what: "forwarding rules",
                }),
                false => Ok(()),
            },
            self.ports(),
            match (&self.tag, self.droplet_ids.is_empty()) {
                (Some(_), false) => Err(RequestError::InvalidArgument {
                    what: "droplets",
                    reason: "give droplets by id or by tag, not both".into(),
                }),
                (Some(tag), true) => non_empty("tag", tag),
                (None, _) => Ok(()),
            },
            ids_check,
        ];
        let rules: Vec<ForwardingRule> = self
            .rules
            .iter()
            .map(|(ep, e, tp, t)| ForwardingRule {
                entry_protocol: Some(ep.as_str().into()),
                entry_port: Some(i64::from(*e)),
                target_protocol: Some(tp.as_str().into()),
                target_port: Some(i64::from(*t)),
                ..ForwardingRule::default()
            })
            .collect();
        let health_check = self.health_check.map(|(protocol, port, path)| HealthCheck {
            protocol: Some(protocol.as_str().into()),
            port: Some(i64::from(port)),
            path,
            ..HealthCheck::default()
        });
        let body = match self.tag {
            Some(tag) => LoadBalancerCreate::ForwardingRules(LoadBalancerCreateForwardingRules {
                name: Some(self.name),
                region: Some(self.region.as_str().into()),
                forwarding_rules: Some(rules),
                health_check,
                tag: Some(tag),
                vpc_uuid: self.vpc_uuid,
                size_unit: self.size_unit,
                ..LoadBalancerCreateForwardingRules::default()
            }),
            None => LoadBalancerCreate::DropletIds(LoadBalancerCreateDropletIds {
                name: Some(self.name),
                region: Some(self.region.as_str().into()),
                forwarding_rules: Some(rules),
                health_check,
                droplet_ids: Some(ids),
                vpc_uuid: self.vpc_uuid,
                size_unit: self.size_unit,
                ..LoadBalancerCreateDropletIds::default()
            }),
        };
        Checked::new(LoadBalancersCreate { body }, checks)
    }

    fn ports(&self) -> Result<(), RequestError> {
        let rule_ports = self.rules.iter().flat_map(|r| [r.1, r.3]);
        let check_port = self.health_check.iter().map(|h| h.1);
        if rule_ports.chain(check_port).any(|p| p == 0) {
            return Err(RequestError::InvalidArgument {
                what: "port",
                reason: "a port is 1 to 65535".into(),
            });
        }
        Ok(())
    }
}
