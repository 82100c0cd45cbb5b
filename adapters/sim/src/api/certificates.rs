//! TLS certificates for load balancers: the user's own (`custom`,
//! verified at once) or Let's Encrypt's (`pending` for
//! [`SimConfig::lb_delay`](crate::SimConfig), then verified).

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::cloud::Cloud;
use crate::resources::Certificate;
use crate::wire::{found, no_content, one, page, ApiError, ApiResult, Ctx};

#[derive(Deserialize)]
struct CreateBody {
    #[serde(default)]
    name: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    dns_names: Vec<String>,
    private_key: Option<String>,
    leaf_certificate: Option<String>,
    #[serde(default)]
    certificate_chain: String,
}

#[derive(Serialize)]
struct View<'a> {
    id: &'a str,
    name: &'a str,
    not_after: &'a str,
    sha1_fingerprint: &'a str,
    created_at: &'a str,
    dns_names: &'a [String],
    state: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
}

fn view(c: &Certificate, now: Instant) -> View<'_> {
    View {
        id: &c.id,
        name: &c.name,
        not_after: &c.not_after,
        sha1_fingerprint: &c.sha1_fingerprint,
        created_at: &c.created_at,
        dns_names: &c.dns_names,
        state: if now >= c.ready_at {
            "verified"
        } else {
            "pending"
        },
        kind: c.kind,
    }
}

/// A SHA-1-shaped digest of the certificate's text (40 hex digits; stable,
/// not SHA-1).
fn digest(text: &str) -> String {
    let fnv = |seed: u64| {
        text.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    let (a, b, c) = (fnv(1), fnv(2), fnv(3));
    format!("{a:016x}{b:016x}{:08x}", c >> 32)
}

/// Whether text looks like a PEM block of this kind.
fn pem(text: &str, kind: &str) -> bool {
    text.trim_start().starts_with("-----BEGIN") && text.contains(kind)
}

impl Cloud {
    pub(crate) fn list_certificates(&mut self, ctx: &Ctx) -> ApiResult {
        let name = ctx.query("name");
        let items: Vec<View> = self
            .st
            .certificates
            .values()
            .filter(|c| name.is_none_or(|n| c.name == n))
            .map(|c| view(c, ctx.now))
            .collect();
        page(ctx, "certificates", &items)
    }

    pub(crate) fn get_certificate(&mut self, ctx: &Ctx) -> ApiResult {
        let c = found(self.st.certificates.get(ctx.param(0)))?;
        one(200, "certificate", &view(c, ctx.now))
    }

    pub(crate) fn create_certificate(&mut self, ctx: &Ctx) -> ApiResult {
        let b: CreateBody = ctx.json()?;
        let bad = |m: &str| Err(ApiError::unprocessable(m));
        if b.name.trim().is_empty() {
            return bad("name is required");
        }
        if self.st.certificates.values().any(|c| c.name == b.name) {
            return bad("A certificate with this name already exists.");
        }
        let (kind, days, ready_at, dns_names, text) = match b.kind.as_deref().unwrap_or("custom") {
            "lets_encrypt" if b.dns_names.is_empty() => return bad("dns_names is required"),
            "lets_encrypt" => {
                let text = b.dns_names.join(",");
                (
                    "lets_encrypt",
                    90,
                    ctx.now + self.cfg.lb_delay,
                    b.dns_names,
                    text,
                )
            }
            "custom" => {
                let (Some(key), Some(leaf)) = (&b.private_key, &b.leaf_certificate) else {
                    return bad("private_key and leaf_certificate are required");
                };
                if !pem(key, "PRIVATE KEY") || !pem(leaf, "CERTIFICATE") {
                    return bad("private_key and leaf_certificate must be PEM-encoded");
                }
                (
                    "custom",
                    365,
                    ctx.now,
                    Vec::new(),
                    format!("{leaf}{}", b.certificate_chain),
                )
            }
            _ => return bad("type must be custom or lets_encrypt"),
        };
        let id = self.uuid();
        let certificate = Certificate {
            id: id.clone(),
            name: b.name,
            kind,
            dns_names,
            sha1_fingerprint: digest(&text),
            created_at: self.stamp(ctx.now),
            not_after: self.stamp(ctx.now + Duration::from_secs(days * 86_400)),
            ready_at,
        };
        let answer = one(201, "certificate", &view(&certificate, ctx.now));
        self.st.certificates.insert(id, certificate);
        answer
    }

    pub(crate) fn delete_certificate(&mut self, ctx: &Ctx) -> ApiResult {
        let id = found(self.st.certificates.get(ctx.param(0)))?.id.clone();
        let in_use = self
            .st
            .load_balancers
            .values()
            .any(|lb| lb.forwarding_rules.iter().any(|r| r.certificate_id == id));
        if in_use {
            return Err(ApiError::new(
                403,
                "The certificate is in use by a load balancer.",
            ));
        }
        self.st.certificates.remove(&id);
        no_content()
    }
}
