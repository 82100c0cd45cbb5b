//! Domains and their DNS records.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use super::droplets::valid_name;
use crate::cloud::Cloud;
use crate::resources::{Domain, Record};
use crate::wire::{no_content, one, page, ApiError, ApiResult, Ctx};

/// The TTL DigitalOcean gives domains and new records.
const DEFAULT_TTL: u64 = 1800;
const NAME_SERVERS: [&str; 3] = [
    "ns1.digitalocean.com",
    "ns2.digitalocean.com",
    "ns3.digitalocean.com",
];
/// The record types that can be created (SOA is DigitalOcean's own).
const RECORD_TYPES: &[&str] = &["A", "AAAA", "CAA", "CNAME", "MX", "NS", "SRV", "TXT"];

#[derive(Deserialize)]
struct CreateBody {
    name: String,
    ip_address: Option<String>,
}

/// The fields of a record to create or change.
#[derive(Deserialize, Default)]
struct RecordBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    data: Option<String>,
    priority: Option<u64>,
    port: Option<u64>,
    ttl: Option<u64>,
    weight: Option<u64>,
    flags: Option<u64>,
    tag: Option<String>,
}

#[derive(Serialize)]
struct DomainView<'a> {
    name: &'a str,
    ttl: u64,
    zone_file: String,
}

/// A domain name: a host name with at least two labels.
fn valid_domain(name: &str) -> bool {
    name.contains('.') && valid_name(name)
}

impl Domain {
    fn view(&self) -> DomainView<'_> {
        let mut zone = format!("$ORIGIN {0}.\n$TTL {1}\n", self.name, self.ttl);
        for r in self.records.values() {
            let owner = fqdn(&self.name, &r.name);
            if r.kind == "SOA" {
                let _ = writeln!(
                    zone,
                    "{owner}. IN SOA {}. hostmaster.{owner}. 1 10800 3600 604800 {}",
                    NAME_SERVERS[0], r.data
                );
                continue;
            }
            let data = match r.kind.as_str() {
                "CNAME" | "NS" | "MX" | "SRV" if r.data != "@" => format!("{}.", r.data),
                "TXT" => format!("{:?}", r.data),
                _ => r.data.clone(),
            };
            let pre = match (r.priority, r.weight, r.port, r.flags, &r.tag) {
                (Some(p), Some(w), Some(port), _, _) => format!("{p} {w} {port} "),
                (Some(p), _, _, _, _) => format!("{p} "),
                (_, _, _, Some(f), Some(t)) => format!("{f} {t} "),
                _ => String::new(),
            };
            let _ = writeln!(zone, "{owner}. {} IN {} {pre}{data}", r.ttl, r.kind);
        }
        DomainView {
            name: &self.name,
            ttl: self.ttl,
            zone_file: zone,
        }
    }
}

/// The full name of a record (`@` is the domain itself).
fn fqdn(domain: &str, name: &str) -> String {
    if name == "@" {
        domain.to_owned()
    } else {
        format!("{name}.{domain}")
    }
}

impl Cloud {
    pub(crate) fn list_domains(&mut self, ctx: &Ctx) -> ApiResult {
        let items: Vec<DomainView> = self.st.domains.values().map(Domain::view).collect();
        page(ctx, "domains", &items)
    }

    pub(crate) fn create_domain(&mut self, ctx: &Ctx) -> ApiResult {
        let body: CreateBody = ctx.json()?;
        let name = body.name.trim_end_matches('.').to_ascii_lowercase();
        if !valid_domain(&name) {
            return Err(ApiError::unprocessable("Name is invalid"));
        }
        if self.st.domains.contains_key(&name) {
            return Err(ApiError::unprocessable("Name already in use"));
        }
        let apex = body
            .ip_address
            .map(|ip| {
                ip.parse::<Ipv4Addr>()
                    .map_err(|_| ApiError::unprocessable("ip_address is not an IPv4 address"))
            })
            .transpose()?;
        let mut domain = Domain {
            name: name.clone(),
            ttl: DEFAULT_TTL,
            records: BTreeMap::new(),
        };
        let mut add = |kind: &str, data: String| {
            let id = self.st.next_record;
            self.st.next_record += 1;
            domain
                .records
                .insert(id, new_record(id, kind.to_owned(), "@".into(), data));
        };
        add("SOA", DEFAULT_TTL.to_string());
        for ns in NAME_SERVERS {
            add("NS", ns.to_owned());
        }
        if let Some(ip) = apex {
            add("A", ip.to_string());
        }
        let answer = one(201, "domain", &domain.view());
        let default = self.project_for(None)?;
        self.assign_to(&default, format!("do:domain:{name}"), ctx.now);
        self.st.domains.insert(name, domain);
        answer
    }

    pub(crate) fn get_domain(&mut self, ctx: &Ctx) -> ApiResult {
        one(200, "domain", &self.domain(ctx)?.view())
    }

    pub(crate) fn delete_domain(&mut self, ctx: &Ctx) -> ApiResult {
        let name = self.domain(ctx)?.name.clone();
        self.st.domains.remove(&name);
        self.unassign_urn(&format!("do:domain:{name}"));
        no_content()
    }

    pub(crate) fn list_records(&mut self, ctx: &Ctx) -> ApiResult {
        let domain = self.domain(ctx)?;
        let name = ctx.query("name");
        let kind = ctx.query("type");
        let items: Vec<&Record> = domain
            .records
            .values()
            .filter(|r| name.is_none_or(|n| fqdn(&domain.name, &r.name) == n))
            .filter(|r| kind.is_none_or(|k| r.kind == k))
            .collect();
        page(ctx, "domain_records", &items)
    }

    pub(crate) fn create_record(&mut self, ctx: &Ctx) -> ApiResult {
        let body: RecordBody = ctx.json()?;
        let kind = body.kind.clone().unwrap_or_default();
        if !RECORD_TYPES.contains(&kind.as_str()) {
            return Err(ApiError::unprocessable(format!(
                "type must be one of {}",
                RECORD_TYPES.join(", ")
            )));
        }
        let mut record = new_record(0, kind, String::new(), String::new());
        apply(&mut record, body);
        check(&record)?;
        let id = self.st.next_record;
        let domain = self.domain_mut(ctx)?;
        record.id = id;
        let answer = one(201, "domain_record", &record);
        domain.records.insert(id, record);
        self.st.next_record += 1;
        answer
    }

    pub(crate) fn get_record(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(1)?;
        let record = self.domain(ctx)?.records.get(&id);
        one(
            200,
            "domain_record",
            record.ok_or_else(ApiError::not_found)?,
        )
    }

    pub(crate) fn update_record(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(1)?;
        let body: RecordBody = ctx.json()?;
        let domain = self.domain_mut(ctx)?;
        let record = domain
            .records
            .get_mut(&id)
            .ok_or_else(ApiError::not_found)?;
        if body.kind.as_ref().is_some_and(|k| *k != record.kind) {
            return Err(ApiError::unprocessable(
                "the type of a record cannot change",
            ));
        }
        let mut changed = record.clone();
        apply(&mut changed, body);
        check(&changed)?;
        *record = changed;
        one(200, "domain_record", record)
    }

    pub(crate) fn delete_record(&mut self, ctx: &Ctx) -> ApiResult {
        let id = ctx.id(1)?;
        let domain = self.domain_mut(ctx)?;
        domain.records.remove(&id).ok_or_else(ApiError::not_found)?;
        no_content()
    }

    fn domain(&self, ctx: &Ctx) -> Result<&Domain, ApiError> {
        self.st
            .domains
            .get(&ctx.param(0).to_ascii_lowercase())
            .ok_or_else(ApiError::not_found)
    }

    fn domain_mut(&mut self, ctx: &Ctx) -> Result<&mut Domain, ApiError> {
        self.st
            .domains
            .get_mut(&ctx.param(0).to_ascii_lowercase())
            .ok_or_else(ApiError::not_found)
    }
}

/// Copies the fields given in a body onto a record; fields a type does
/// not use stay null.
/// A record with the default TTL and no priority, port, weight, flags or
/// tag.
fn new_record(id: u64, kind: String, name: String, data: String) -> Record {
    Record {
        id,
        kind,
        name,
        data,
        priority: None,
        port: None,
        ttl: DEFAULT_TTL,
        weight: None,
        flags: None,
        tag: None,
    }
}

fn apply(r: &mut Record, b: RecordBody) {
    let uses = |types: &[&str]| types.contains(&r.kind.as_str());
    let (prio, srv, caa) = (uses(&["MX", "SRV"]), uses(&["SRV"]), uses(&["CAA"]));
    r.name = b.name.unwrap_or(std::mem::take(&mut r.name));
    r.data = b.data.unwrap_or(std::mem::take(&mut r.data));
    r.ttl = b.ttl.unwrap_or(r.ttl);
    r.priority = b.priority.or(r.priority).filter(|_| prio);
    r.port = b.port.or(r.port).filter(|_| srv);
    r.weight = b.weight.or(r.weight).filter(|_| srv);
    r.flags = b.flags.or(r.flags).filter(|_| caa);
    r.tag = b.tag.or(r.tag.take()).filter(|_| caa);
}

/// Refuses a record DigitalOcean would refuse.
fn check(r: &Record) -> Result<(), ApiError> {
    let bad = |m: &str| Err(ApiError::unprocessable(m));
    if r.kind != "SOA" && (r.name.trim().is_empty() || r.data.trim().is_empty()) {
        return bad("name and data are required");
    }
    if r.ttl < 30 {
        return bad("ttl must be at least 30 seconds");
    }
    match r.kind.as_str() {
        "A" if r.data.parse::<Ipv4Addr>().is_err() => bad("data must be an IPv4 address"),
        "AAAA" if r.data.parse::<Ipv6Addr>().is_err() => bad("data must be an IPv6 address"),
        "MX" if r.priority.is_none() => bad("priority is required for MX records"),
        "SRV" if r.priority.is_none() || r.port.is_none() || r.weight.is_none() => {
            bad("priority, port and weight are required for SRV records")
        }
        "CAA" if r.flags.is_none() || r.tag.is_none() => {
            bad("flags and tag are required for CAA records")
        }
        _ => Ok(()),
    }
}
