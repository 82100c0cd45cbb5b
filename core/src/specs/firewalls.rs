//! [`FirewallSpec`] and [`Rule`]: a firewall's create body and its rules.

use crate::api::firewalls::{
    FirewallInboundRulesItem, FirewallOutboundRulesItem, FirewallsAddRulesBody,
    FirewallsAddTagsBody, FirewallsCreate, FirewallsCreateBody,
};
use crate::api::shared::{FirewallInboundRulesItemProtocol, FirewallRuleTarget};
use crate::error::RequestError;
use crate::specs::check::{non_empty, signed_all, Checked};

/// One firewall rule: a protocol, its ports, and the addresses, droplets,
/// tags and load balancers it lets in (inbound) or out to (outbound).
///
/// ```
/// use doapi_core::specs::Rule;
///
/// let ssh = Rule::tcp("22").addresses(["0.0.0.0/0", "::/0"]);
/// let web = Rule::tcp("80").load_balancers(["4de7ac8b-495b-4884-9a69-1050c6793cd6"]);
/// let ping = Rule::icmp().addresses(["0.0.0.0/0"]);
/// # let _ = (ssh, web, ping);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// `tcp`, `udp` or `icmp`.
    pub protocol: String,
    /// A port (`"22"`), a range (`"8000-9000"`) or every port (`"all"`,
    /// `"0"`); ignored for ICMP.
    pub ports: String,
    /// IPv4 and IPv6 addresses and CIDR blocks.
    pub addresses: Vec<String>,
    /// Droplets, by id.
    pub droplet_ids: Vec<u64>,
    /// Droplets with these tags.
    pub tags: Vec<String>,
    /// Load balancers, by id.
    pub load_balancer_uids: Vec<String>,
}

impl Rule {
    fn new(protocol: &str, ports: impl Into<String>) -> Self {
        Rule {
            protocol: protocol.into(),
            ports: ports.into(),
            addresses: Vec::new(),
            droplet_ids: Vec::new(),
            tags: Vec::new(),
            load_balancer_uids: Vec::new(),
        }
    }

    /// TCP on these ports.
    pub fn tcp(ports: impl Into<String>) -> Self {
        Rule::new("tcp", ports)
    }

    /// UDP on these ports.
    pub fn udp(ports: impl Into<String>) -> Self {
        Rule::new("udp", ports)
    }

    /// ICMP (ping).
    pub fn icmp() -> Self {
        Rule::new("icmp", "0")
    }

    /// From or to these addresses and CIDR blocks.
    pub fn addresses<S: Into<String>>(mut self, addresses: impl IntoIterator<Item = S>) -> Self {
        self.addresses.extend(addresses.into_iter().map(Into::into));
        self
    }

    /// From or to these droplets.
    pub fn droplets(mut self, ids: impl IntoIterator<Item = u64>) -> Self {
        self.droplet_ids.extend(ids);
        self
    }

    /// From or to the droplets with these tags.
    pub fn tags<S: Into<String>>(mut self, tags: impl IntoIterator<Item = S>) -> Self {
        self.tags.extend(tags.into_iter().map(Into::into));
        self
    }

    /// From or to these load balancers.
    pub fn load_balancers<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.load_balancer_uids
            .extend(ids.into_iter().map(Into::into));
        self
    }

    /// Refuses a rule DigitalOcean would: no protocol or ports, or
    /// nothing it applies to.
    fn check(&self) -> Result<(), RequestError> {
        non_empty("rule protocol", &self.protocol)?;
        non_empty("rule ports", &self.ports)?;
        let (_, ids) = signed_all("rule droplet id", &self.droplet_ids);
        ids?;
        if self.addresses.is_empty()
            && self.droplet_ids.is_empty()
            && self.tags.is_empty()
            && self.load_balancer_uids.is_empty()
        {
            return Err(RequestError::InvalidArgument {
                what: "rule",
                reason: "a rule needs addresses, droplets, tags or load balancers".into(),
            });
        }
        Ok(())
    }

    fn target(&self) -> FirewallRuleTarget {
        let some = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
        let (ids, _) = signed_all("rule droplet id", &self.droplet_ids);
        FirewallRuleTarget {
            addresses: some(&self.addresses),
            droplet_ids: (!ids.is_empty()).then_some(ids),
            tags: some(&self.tags),
            load_balancer_uids: some(&self.load_balancer_uids),
            ..FirewallRuleTarget::default()
        }
    }

    fn protocol(&self) -> FirewallInboundRulesItemProtocol {
        self.protocol.as_str().into()
    }

    /// The rule as an inbound rule: what it names may reach the droplets.
    pub fn inbound(&self) -> FirewallInboundRulesItem {
        FirewallInboundRulesItem {
            ports: Some(self.ports.clone()),
            protocol: Some(self.protocol()),
            sources: Some(self.target()),
            ..FirewallInboundRulesItem::default()
        }
    }

    /// The rule as an outbound rule: the droplets may reach what it names.
    pub fn outbound(&self) -> FirewallOutboundRulesItem {
        FirewallOutboundRulesItem {
            ports: Some(self.ports.clone()),
            protocol: Some(self.protocol()),
            destinations: Some(self.target()),
            ..FirewallOutboundRulesItem::default()
        }
    }
}

/// Inbound and outbound rules as the body of a rules change, and the
/// first rule found wrong.
pub fn rules_body(
    inbound: &[Rule],
    outbound: &[Rule],
) -> (FirewallsAddRulesBody, Result<(), RequestError>) {
    let check = inbound
        .iter()
        .chain(outbound)
        .map(Rule::check)
        .find(Result::is_err)
        .unwrap_or(Ok(()));
    let check = match inbound.is_empty() && outbound.is_empty() {
        true => Err(RequestError::Empty { what: "rules" }),
        false => check,
    };
    let body = FirewallsAddRulesBody {
        inbound_rules: (!inbound.is_empty()).then(|| inbound.iter().map(Rule::inbound).collect()),
        outbound_rules: (!outbound.is_empty())
            .then(|| outbound.iter().map(Rule::outbound).collect()),
        ..FirewallsAddRulesBody::default()
    };
    (body, check)
}

/// A firewall to create: its name, rules, droplets and tags.
/// `POST /v2/firewalls`.
///
/// ```
/// use doapi_core::specs::{FirewallSpec, Rule};
///
/// let spec = FirewallSpec::new("web")
///     .inbound(Rule::tcp("22").addresses(["0.0.0.0/0"]))
///     .outbound(Rule::tcp("all").addresses(["0.0.0.0/0", "::/0"]))
///     .droplets([3164444]);
/// assert!(spec.operation().refused.is_none());
/// assert!(FirewallSpec::new("").operation().refused.is_some());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FirewallSpec {
    /// Its name.
    pub name: String,
    /// Inbound rules.
    pub inbound: Vec<Rule>,
    /// Outbound rules.
    pub outbound: Vec<Rule>,
    /// Droplets it applies to, by id.
    pub droplet_ids: Vec<u64>,
    /// Droplets it applies to, by tag.
    pub tags: Vec<String>,
}

impl FirewallSpec {
    /// A firewall named `name`, with no rules yet (which lets nothing in
    /// or out).
    pub fn new(name: impl Into<String>) -> Self {
        FirewallSpec {
            name: name.into(),
            ..FirewallSpec::default()
        }
    }

    /// Adds an inbound rule.
    pub fn inbound(mut self, rule: Rule) -> Self {
        self.inbound.push(rule);
        self
    }

    /// Adds an outbound rule.
    pub fn outbound(mut self, rule: Rule) -> Self {
        self.outbound.push(rule);
        self
    }

    /// Applies it to these droplets.
    pub fn droplets(mut self, ids: impl IntoIterator<Item = u64>) -> Self {
        self.droplet_ids.extend(ids);
        self
    }

    /// Applies it to the droplets with these tags.
    pub fn tags<S: Into<String>>(mut self, tags: impl IntoIterator<Item = S>) -> Self {
        self.tags.extend(tags.into_iter().map(Into::into));
        self
    }

    /// The create operation, refused before sending if the name is empty
    /// or a rule is wrong.
    pub fn operation(self) -> Checked<FirewallsCreate> {
        let (rules, rules_check) = rules_body(&self.inbound, &self.outbound);
        let rules_check = match rules_check {
            Err(RequestError::Empty { what: "rules" }) => Ok(()),
            other => other,
        };
        let (ids, ids_check) = signed_all("droplet id", &self.droplet_ids);
        let checks = [
            non_empty("firewall name", &self.name),
            rules_check,
            ids_check,
        ];
        let body = FirewallsCreateBody {
            name: Some(self.name),
            inbound_rules: rules.inbound_rules,
            outbound_rules: rules.outbound_rules,
            droplet_ids: (!ids.is_empty()).then_some(ids),
            tags: (!self.tags.is_empty()).then_some(self.tags),
            ..FirewallsCreateBody::default()
        };
        let op = FirewallsCreate { body: Some(body) };
        Checked::new(op, checks)
    }
}

/// Tags as the body of a firewall's tags change, refused for no tag or an
/// empty one.
pub fn tags_body(tags: Vec<String>) -> (FirewallsAddTagsBody, Result<(), RequestError>) {
    let check = crate::specs::check::not_none("tags", &tags)
        .and_then(|()| tags.iter().try_for_each(|t| non_empty("tag", t)));
    let body = FirewallsAddTagsBody {
        tags: Some(tags),
        ..FirewallsAddTagsBody::default()
    };
    (body, check)
}
