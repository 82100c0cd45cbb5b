//! VPCs: a default one per region, which droplets and load balancers
//! created without a VPC join, and the account's own.

use std::net::Ipv4Addr;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::valid_resource_name;
use crate::cloud::Cloud;
use crate::resources::Vpc;
use crate::wire::{found, no_content, one, page, ApiError, ApiResult, Ctx};

#[derive(Deserialize)]
struct VpcBody {
    name: Option<String>,
    region: Option<String>,
    description: Option<String>,
    ip_range: Option<String>,
    default: Option<bool>,
}

/// A member of a VPC.
#[derive(Serialize)]
struct Member<'a> {
    urn: String,
    name: &'a str,
    created_at: &'a str,
}

/// `a.b.c.d/n` as (network, prefix length).
fn cidr(range: &str) -> Option<(u32, u32)> {
    let (ip, len) = range.split_once('/')?;
    let (ip, len): (Ipv4Addr, u32) = (ip.parse().ok()?, len.parse().ok()?);
    let mask = u32::MAX
        .checked_shl(32 - len)
        .filter(|_| (16..=24).contains(&len))?;
    Some((u32::from(ip) & mask, len))
}

fn overlap((a, la): (u32, u32), (b, lb): (u32, u32)) -> bool {
    let mask = u32::MAX << (32 - la.min(lb));
    a & mask == b & mask
}

impl Cloud {
    /// Each available region's default VPC, as a new account has them.
    pub(crate) fn default_vpcs(&mut self, now: Instant) {
        let regions: Vec<&'static str> = self
            .catalog
            .regions
            .iter()
            .filter(|r| r.available)
            .map(|r| r.slug)
            .collect();
        for (i, slug) in regions.into_iter().enumerate() {
            let n = slug
                .bytes()
                .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
                & 0xffff_ffff_ffff;
            let id = format!("5a4981aa-9653-4bd1-bef5-{n:012x}");
            let vpc = Vpc {
                urn: format!("do:vpc:{id}"),
                id: id.clone(),
                name: format!("default-{slug}"),
                description: String::new(),
                region: slug,
                ip_range: format!("10.{}.0.0/20", 100 + i),
                default: true,
                created_at: self.stamp(now),
            };
            self.st.vpcs.insert(id, vpc);
        }
    }

    /// The id of a region's default VPC.
    pub(crate) fn default_vpc(&self, region: &str) -> Result<String, ApiError> {
        let vpc = self
            .st
            .vpcs
            .values()
            .find(|v| v.default && v.region == region);
        Ok(found(vpc)?.id.clone())
    }

    /// The id of a VPC that a resource in `region` may join, or 422.
    pub(crate) fn vpc_in(&self, id: &str, region: &str) -> Result<String, ApiError> {
        match self.st.vpcs.get(id) {
            Some(v) if v.region == region => Ok(v.id.clone()),
            Some(_) => Err(ApiError::unprocessable(
                "The VPC must be in the same region as the resource.",
            )),
            None => Err(ApiError::unprocessable(format!(
                "VPC {id} could not be found."
            ))),
        }
    }

    pub(crate) fn list_vpcs(&mut self, ctx: &Ctx) -> ApiResult {
        let items: Vec<&Vpc> = self.st.vpcs.values().collect();
        page(ctx, "vpcs", &items)
    }

    pub(crate) fn create_vpc(&mut self, ctx: &Ctx) -> ApiResult {
        let body: VpcBody = ctx.json()?;
        let name = body.name.unwrap_or_default();
        self.check_vpc_name(&name, None)?;
        let region = body.region.as_deref().unwrap_or_default();
        let region = self.catalog.region(region).filter(|r| r.available);
        let region = region
            .ok_or_else(|| ApiError::unprocessable("You specified an invalid region."))?
            .slug;
        let taken: Vec<(u32, u32)> = self
            .st
            .vpcs
            .values()
            .filter_map(|v| cidr(&v.ip_range))
            .collect();
        let ip_range = match body.ip_range {
            Some(r) => {
                let c = cidr(&r).ok_or_else(|| {
                    ApiError::unprocessable("ip_range must be a private network from /16 to /24")
                })?;
                if taken.iter().any(|t| overlap(*t, c)) {
                    return Err(ApiError::unprocessable(
                        "ip_range overlaps with another VPC's.",
                    ));
                }
                r
            }
            None => (0..=255u32)
                .map(|b| (u32::from(Ipv4Addr::new(10, 200, 0, 0)) | (b << 4 << 8), 20))
                .find(|c| !taken.iter().any(|t| overlap(*t, *c)))
                .map(|(n, l)| format!("{}/{l}", Ipv4Addr::from(n)))
                .ok_or_else(|| ApiError::unprocessable("no free ip_range left"))?,
        };
        let id = self.uuid();
        let vpc = Vpc {
            urn: format!("do:vpc:{id}"),
            id: id.clone(),
            name,
            description: body.description.unwrap_or_default(),
            region,
            ip_range,
            default: false,
            created_at: self.stamp(ctx.now),
        };
        let answer = one(201, "vpc", &vpc);
        self.st.vpcs.insert(id, vpc);
        answer
    }

    pub(crate) fn get_vpc(&mut self, ctx: &Ctx) -> ApiResult {
        one(200, "vpc", found(self.st.vpcs.get(ctx.param(0)))?)
    }

    /// PUT and PATCH: name, description, and becoming the region's default.
    pub(crate) fn update_vpc(&mut self, ctx: &Ctx) -> ApiResult {
        let body: VpcBody = ctx.json()?;
        let id = found(self.st.vpcs.get(ctx.param(0)))?.id.clone();
        if let Some(name) = &body.name {
            self.check_vpc_name(name, Some(&id))?;
        }
        let vpc = found(self.st.vpcs.get(&id))?;
        match body.default {
            Some(false) if vpc.default => {
                return Err(ApiError::unprocessable(
                    "Make another VPC the region's default instead.",
                ))
            }
            Some(true) => {
                let region = vpc.region;
                for v in self.st.vpcs.values_mut().filter(|v| v.region == region) {
                    v.default = v.id == id;
                }
            }
            _ => {}
        }
        let vpc = found(self.st.vpcs.get_mut(&id))?;
        if let Some(name) = body.name {
            vpc.name = name;
        }
        if let Some(d) = body.description {
            vpc.description = d;
        }
        one(200, "vpc", vpc)
    }

    pub(crate) fn delete_vpc(&mut self, ctx: &Ctx) -> ApiResult {
        let vpc = found(self.st.vpcs.get(ctx.param(0)))?;
        if vpc.default {
            return Err(ApiError::new(
                403,
                "A region's default VPC cannot be deleted.",
            ));
        }
        if !self.members(&vpc.id, None).is_empty() {
            return Err(ApiError::new(
                403,
                "Only a VPC without members can be deleted.",
            ));
        }
        let id = vpc.id.clone();
        self.st.vpcs.remove(&id);
        no_content()
    }

    pub(crate) fn list_vpc_members(&mut self, ctx: &Ctx) -> ApiResult {
        let vpc = found(self.st.vpcs.get(ctx.param(0)))?;
        page(
            ctx,
            "members",
            &self.members(&vpc.id, ctx.query("resource_type")),
        )
    }

    /// The droplets and load balancers in a VPC.
    fn members(&self, vpc: &str, kind: Option<&str>) -> Vec<Member<'_>> {
        let droplets = self
            .st
            .droplets
            .values()
            .filter(|d| d.vpc_uuid == vpc && kind.is_none_or(|k| k == "droplet"))
            .map(|d| Member {
                urn: format!("do:droplet:{}", d.id),
                name: &d.name,
                created_at: &d.created_at,
            });
        let balancers = self
            .st
            .load_balancers
            .values()
            .filter(|l| l.vpc_uuid == vpc && kind.is_none_or(|k| k == "load_balancer"))
            .map(|l| Member {
                urn: format!("do:loadbalancer:{}", l.id),
                name: &l.name,
                created_at: &l.created_at,
            });
        droplets.chain(balancers).collect()
    }

    /// A VPC name: valid, and not another VPC's.
    fn check_vpc_name(&self, name: &str, this: Option<&str>) -> Result<(), ApiError> {
        if !valid_resource_name(name, 255) {
            return Err(ApiError::unprocessable(
                "name may hold letters, numbers, '-' and '.'",
            ));
        }
        if self
            .st
            .vpcs
            .values()
            .any(|v| v.name == name && Some(v.id.as_str()) != this)
        {
            return Err(ApiError::unprocessable(
                "A VPC with this name already exists.",
            ));
        }
        Ok(())
    }
}
