//! The route table: every operation the simulator serves, by method and
//! path template. The template is also the route's name in the statistics.

use crate::cloud::Cloud;
use crate::wire::{decode, ApiResult, Ctx};

/// A handler: the account and the request, to an answer.
pub(crate) type Handler = fn(&mut Cloud, &Ctx) -> ApiResult;

/// One route: `"<METHOD> <template>"` and its handler. In templates,
/// `{id}` is a numeric id and other `{...}` are names, addresses or keys.
pub(crate) struct Route {
    pub key: &'static str,
    pub run: Handler,
}

macro_rules! routes {
    ($($key:literal => $handler:ident,)*) => {
        pub(crate) const ROUTES: &[Route] = &[$(Route { key: $key, run: Cloud::$handler },)*];
    };
}

routes! {
    "GET /v2/account" => get_account,
    "GET /v2/account/keys" => list_keys,
    "POST /v2/account/keys" => create_key,
    "GET /v2/account/keys/{key}" => get_key,
    "PUT /v2/account/keys/{key}" => update_key,
    "DELETE /v2/account/keys/{key}" => delete_key,
    "GET /v2/regions" => list_regions,
    "GET /v2/sizes" => list_sizes,
    "GET /v2/actions" => list_actions,
    "GET /v2/actions/{id}" => get_action,
    "GET /v2/droplets" => list_droplets,
    "POST /v2/droplets" => create_droplets,
    "DELETE /v2/droplets" => delete_droplets_by_tag,
    "POST /v2/droplets/actions" => act_on_tagged_droplets,
    "GET /v2/droplets/{id}" => get_droplet,
    "DELETE /v2/droplets/{id}" => delete_droplet,
    "GET /v2/droplets/{id}/kernels" => list_kernels,
    "GET /v2/droplets/{id}/snapshots" => list_droplet_snapshots,
    "GET /v2/droplets/{id}/backups" => list_droplet_backups,
    "GET /v2/droplets/{id}/actions" => list_droplet_actions,
    "POST /v2/droplets/{id}/actions" => act_on_droplet,
    "GET /v2/droplets/{id}/actions/{id}" => get_droplet_action,
    "GET /v2/droplets/{id}/neighbors" => list_neighbors,
    "GET /v2/droplets/{id}/firewalls" => list_droplet_firewalls,
    "GET /v2/droplets/backups/policies" => list_backup_policies,
    "GET /v2/droplets/backups/supported_policies" => list_supported_backup_policies,
    "GET /v2/droplets/{id}/backups/policy" => get_backup_policy,
    "GET /v2/droplets/{id}/destroy_with_associated_resources" => list_associated,
    "DELETE /v2/droplets/{id}/destroy_with_associated_resources/selective" => destroy_selective,
    "DELETE /v2/droplets/{id}/destroy_with_associated_resources/dangerous" => destroy_dangerous,
    "GET /v2/droplets/{id}/destroy_with_associated_resources/status" => get_destroy_status,
    "POST /v2/droplets/{id}/destroy_with_associated_resources/retry" => retry_destroy,
    "GET /v2/reports/droplet_neighbors_ids" => neighbors_report,
    "GET /v2/images" => list_images,
    "GET /v2/images/{image}" => get_image,
    "PUT /v2/images/{id}" => update_image,
    "DELETE /v2/images/{id}" => delete_image,
    "GET /v2/images/{id}/actions" => list_image_actions,
    "POST /v2/images/{id}/actions" => act_on_image,
    "GET /v2/images/{id}/actions/{id}" => get_image_action,
    "GET /v2/tags" => list_tags,
    "POST /v2/tags" => create_tag,
    "GET /v2/tags/{tag}" => get_tag,
    "DELETE /v2/tags/{tag}" => delete_tag,
    "POST /v2/tags/{tag}/resources" => tag_resources,
    "DELETE /v2/tags/{tag}/resources" => untag_resources,
    "GET /v2/domains" => list_domains,
    "POST /v2/domains" => create_domain,
    "GET /v2/domains/{domain}" => get_domain,
    "DELETE /v2/domains/{domain}" => delete_domain,
    "GET /v2/domains/{domain}/records" => list_records,
    "POST /v2/domains/{domain}/records" => create_record,
    "GET /v2/domains/{domain}/records/{id}" => get_record,
    "PUT /v2/domains/{domain}/records/{id}" => update_record,
    "PATCH /v2/domains/{domain}/records/{id}" => update_record,
    "DELETE /v2/domains/{domain}/records/{id}" => delete_record,
    "GET /v2/floating_ips" => list_ips,
    "POST /v2/floating_ips" => create_ip,
    "GET /v2/floating_ips/{ip}" => get_ip,
    "DELETE /v2/floating_ips/{ip}" => delete_ip,
    "GET /v2/floating_ips/{ip}/actions" => list_ip_actions,
    "POST /v2/floating_ips/{ip}/actions" => act_on_ip,
    "GET /v2/floating_ips/{ip}/actions/{id}" => get_ip_action,
    "GET /v2/reserved_ips" => list_ips,
    "POST /v2/reserved_ips" => create_ip,
    "GET /v2/reserved_ips/{ip}" => get_ip,
    "DELETE /v2/reserved_ips/{ip}" => delete_ip,
    "GET /v2/reserved_ips/{ip}/actions" => list_ip_actions,
    "POST /v2/reserved_ips/{ip}/actions" => act_on_ip,
    "GET /v2/reserved_ips/{ip}/actions/{id}" => get_ip_action,
    "GET /v2/reserved_ipv6" => list_ipv6,
    "POST /v2/reserved_ipv6" => create_ipv6,
    "GET /v2/reserved_ipv6/{ip}" => get_ipv6,
    "DELETE /v2/reserved_ipv6/{ip}" => delete_ipv6,
    "POST /v2/reserved_ipv6/{ip}/actions" => act_on_ipv6,
    "GET /v2/volumes" => list_volumes,
    "POST /v2/volumes" => create_volume,
    "DELETE /v2/volumes" => delete_volume_by_name,
    "POST /v2/volumes/actions" => act_on_volume_by_name,
    "GET /v2/volumes/snapshots/{snapshot}" => get_volume_snapshot,
    "DELETE /v2/volumes/snapshots/{snapshot}" => delete_volume_snapshot,
    "GET /v2/volumes/{volume}" => get_volume,
    "DELETE /v2/volumes/{volume}" => delete_volume,
    "GET /v2/volumes/{volume}/actions" => list_volume_actions,
    "POST /v2/volumes/{volume}/actions" => act_on_volume,
    "GET /v2/volumes/{volume}/actions/{id}" => get_volume_action,
    "GET /v2/volumes/{volume}/snapshots" => list_volume_snapshots,
    "POST /v2/volumes/{volume}/snapshots" => create_volume_snapshot,
    "GET /v2/snapshots" => list_snapshots,
    "GET /v2/snapshots/{snapshot}" => get_snapshot,
    "DELETE /v2/snapshots/{snapshot}" => delete_snapshot,
    "GET /v2/firewalls" => list_firewalls,
    "POST /v2/firewalls" => create_firewall,
    "GET /v2/firewalls/{firewall}" => get_firewall,
    "PUT /v2/firewalls/{firewall}" => update_firewall,
    "DELETE /v2/firewalls/{firewall}" => delete_firewall,
    "POST /v2/firewalls/{firewall}/droplets" => add_firewall_droplets,
    "DELETE /v2/firewalls/{firewall}/droplets" => remove_firewall_droplets,
    "POST /v2/firewalls/{firewall}/tags" => add_firewall_tags,
    "DELETE /v2/firewalls/{firewall}/tags" => remove_firewall_tags,
    "POST /v2/firewalls/{firewall}/rules" => add_firewall_rules,
    "DELETE /v2/firewalls/{firewall}/rules" => remove_firewall_rules,
    "GET /v2/vpcs" => list_vpcs,
    "POST /v2/vpcs" => create_vpc,
    "GET /v2/vpcs/{vpc}" => get_vpc,
    "PUT /v2/vpcs/{vpc}" => update_vpc,
    "PATCH /v2/vpcs/{vpc}" => update_vpc,
    "DELETE /v2/vpcs/{vpc}" => delete_vpc,
    "GET /v2/vpcs/{vpc}/members" => list_vpc_members,
    "GET /v2/projects" => list_projects,
    "POST /v2/projects" => create_project,
    "GET /v2/projects/{project}" => get_project,
    "PUT /v2/projects/{project}" => update_project,
    "PATCH /v2/projects/{project}" => update_project,
    "DELETE /v2/projects/{project}" => delete_project,
    "GET /v2/projects/{project}/resources" => list_project_resources,
    "POST /v2/projects/{project}/resources" => assign_project_resources,
    "GET /v2/load_balancers" => list_load_balancers,
    "POST /v2/load_balancers" => create_load_balancer,
    "GET /v2/load_balancers/{lb}" => get_load_balancer,
    "PUT /v2/load_balancers/{lb}" => update_load_balancer,
    "DELETE /v2/load_balancers/{lb}" => delete_load_balancer,
    "POST /v2/load_balancers/{lb}/droplets" => add_lb_droplets,
    "DELETE /v2/load_balancers/{lb}/droplets" => remove_lb_droplets,
    "POST /v2/load_balancers/{lb}/forwarding_rules" => add_lb_rules,
    "DELETE /v2/load_balancers/{lb}/forwarding_rules" => remove_lb_rules,
    "GET /v2/certificates" => list_certificates,
    "POST /v2/certificates" => create_certificate,
    "GET /v2/certificates/{certificate}" => get_certificate,
    "DELETE /v2/certificates/{certificate}" => delete_certificate,
}

/// The result of looking a request up in the table.
pub(crate) enum Found {
    /// A route, with the decoded path parameters.
    Route(&'static Route, Vec<String>),
    /// The path exists, not with this method.
    WrongMethod,
    /// No such path.
    Nothing,
}

/// Looks up a method and path (a trailing `/` is ignored).
pub(crate) fn find(method: &str, path: &str) -> Found {
    let path = path.strip_suffix('/').unwrap_or(path);
    let mut found = Found::Nothing;
    for route in ROUTES {
        let Some((m, template)) = route.key.split_once(' ') else {
            continue;
        };
        let Some(params) = matches(template, path) else {
            continue;
        };
        if m == method {
            return Found::Route(route, params);
        }
        found = Found::WrongMethod;
    }
    found
}

/// The decoded parameters if `path` fits `template`.
fn matches(template: &str, path: &str) -> Option<Vec<String>> {
    let mut params = Vec::new();
    let mut t = template.split('/');
    let mut p = path.split('/');
    loop {
        match (t.next(), p.next()) {
            (None, None) => return Some(params),
            (Some(ts), Some(ps)) if ts.starts_with('{') && !ps.is_empty() => {
                params.push(decode(ps, false));
            }
            (Some(ts), Some(ps)) if ts == ps => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_routes_and_params() {
        let Found::Route(r, p) = find("GET", "/v2/droplets/12/actions/34") else {
            panic!("not found");
        };
        assert_eq!(r.key, "GET /v2/droplets/{id}/actions/{id}");
        assert_eq!(p, ["12", "34"]);
        let Found::Route(r, p) = find("POST", "/v2/tags/env%3Aprod/resources/") else {
            panic!("not found");
        };
        assert_eq!(r.key, "POST /v2/tags/{tag}/resources");
        assert_eq!(p, ["env:prod"]);
        let Found::Route(r, _) = find("POST", "/v2/droplets/actions") else {
            panic!("not found");
        };
        assert_eq!(r.key, "POST /v2/droplets/actions");
        assert!(matches!(
            find("PATCH", "/v2/droplets/1"),
            Found::WrongMethod
        ));
        assert!(matches!(find("GET", "/v2/nothing"), Found::Nothing));
        assert!(matches!(
            find("GET", "/v2/droplets//actions"),
            Found::Nothing
        ));
    }

    #[test]
    fn every_key_is_method_space_path() {
        for r in ROUTES {
            let (m, t) = r.key.split_once(' ').unwrap();
            assert!(["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&m));
            assert!(t.starts_with("/v2/"));
        }
    }
}
