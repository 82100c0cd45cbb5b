//! The droplet's neighbours, end to end, on any wire: a droplet in a VPC
//! and a project, with a volume, reserved IPs (v4 and v6), a firewall,
//! snapshots and backups on a policy, behind a load balancer with a
//! certificate; then destroyed with its associated resources and the rest
//! torn down, until nothing is left. Every request is one the official
//! spec allows (so it runs through Prism too), and every answer is checked.

use serde_json::{json, Value};

use super::{Driver, Wire};

/// Requests built by hand, checked.
impl<W: Wire> Driver<W> {
    /// A request that must answer `status`.
    pub fn expect(&mut self, status: u16, method: &str, path: &str, body: Option<Value>) -> Value {
        let (got, v) = self.raw(method, path, body, &[]);
        assert_eq!(got, status, "{method} {path}: {v}");
        v
    }

    pub fn get_json(&mut self, path: &str) -> Value {
        self.expect(200, "GET", path, None)
    }

    /// A create that must answer `status`: the text at `pointer` (a JSON
    /// pointer, such as `/volume/id`) of its body.
    pub fn create(
        &mut self,
        status: u16,
        path: &str,
        body: Option<Value>,
        pointer: &str,
    ) -> String {
        let v = self.expect(status, "POST", path, body);
        id_text(
            v.pointer(pointer)
                .unwrap_or_else(|| panic!("{path}: no {pointer} in {v}")),
        )
    }

    /// Polls `path` until `done` holds of its body.
    pub fn until(&mut self, path: &str, done: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..400 {
            let v = self.get_json(path);
            if done(&v) {
                return v;
            }
            self.wire.pause(self.poll);
        }
        panic!("{path} never got there");
    }

    /// Waits for an action (`{"action": ...}` or the action) to complete.
    pub fn completes(&mut self, action: &Value) {
        let id = action.get("action").unwrap_or(action)["id"]
            .as_u64()
            .unwrap();
        let a = self.until(&format!("/v2/actions/{id}"), |v| {
            v["action"]["status"] != "in-progress"
        });
        assert_eq!(a["action"]["status"], "completed", "{a}");
    }

    /// The length of the array at `pointer` in the body of `GET path`.
    pub fn len(&mut self, path: &str, pointer: &str) -> usize {
        let v = self.get_json(path);
        let items = v.pointer(pointer).and_then(Value::as_array);
        items
            .unwrap_or_else(|| panic!("{path}: no array at {pointer} in {v}"))
            .len()
    }

    /// The ids (as text) of a listing's items.
    pub fn ids(&mut self, path: &str, key: &str) -> Vec<String> {
        let v = self.get_json(path);
        let items = v[key].as_array().unwrap_or_else(|| panic!("{path}: {v}"));
        items.iter().map(|i| id_text(&i["id"])).collect()
    }
}

/// An id as text, whether the JSON has a number or a string.
pub fn id_text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

fn droplet_body(name: &str, region: &str) -> Value {
    json!({"name": name, "region": region, "size": "s-1vcpu-1gb", "image": "ubuntu-22-04-x64"})
}

/// Builds the stack, checks every relation, and tears it down. With
/// `spec_only`, what no request can send in conformance with the spec is
/// done another way: the `change_backup_policy` action (not in the spec's
/// list of action types) becomes an `enable_backups` with the policy.
pub fn drive_stack<W: Wire>(d: &mut Driver<W>, spec_only: bool) {
    // A new account: a default project and a default VPC per region.
    let default = d.get_json("/v2/projects/default")["project"].clone();
    assert_eq!(default["is_default"], true);
    let vpcs = d.get_json("/v2/vpcs?per_page=200");
    let default_vpc = vpcs["vpcs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["region"] == "nyc3" && v["default"] == true)
        .unwrap()["id"]
        .clone();
    let vpcs_at_start = vpcs["meta"]["total"].clone();
    // Snapshots of droplets gone before stay (as DigitalOcean keeps them).
    let snapshots_at_start = d.ids("/v2/snapshots?per_page=200", "snapshots");

    let p = "/v2/projects";
    let body = json!({"name": "stack", "purpose": "Web Application", "environment": "Staging"});
    let project = d.create(201, p, Some(body), "/project/id");
    let pp = format!("/v2/projects/{project}");
    let body = json!({"name": "stack", "description": "the stack", "purpose": "Web Application",
                      "environment": "Production", "is_default": false});
    let put = d.expect(200, "PUT", &pp, Some(body));
    assert_eq!(put["project"]["environment"], "Production");
    d.expect(
        200,
        "PATCH",
        &pp,
        Some(json!({"description": "the web stack"})),
    );
    assert_eq!(d.get_json(&pp)["project"]["description"], "the web stack");
    assert_eq!(d.get_json(p)["meta"]["total"], 2);

    let body = json!({"name": "stack-net", "region": "nyc3", "ip_range": "10.10.10.0/24"});
    let vpc = d.expect(201, "POST", "/v2/vpcs", Some(body))["vpc"].clone();
    assert!(vpc["urn"].as_str().unwrap().starts_with("do:vpc:"));
    let vpc = vpc["id"].as_str().unwrap().to_owned();
    let vp = format!("/v2/vpcs/{vpc}");
    d.expect(200, "PATCH", &vp, Some(json!({"description": "web tier"})));
    d.expect(200, "PUT", &vp, Some(json!({"name": "stack-vpc"})));
    assert_eq!(d.get_json(&vp)["vpc"]["name"], "stack-vpc");
    let overlapping = json!({"name": "again", "region": "nyc3", "ip_range": "10.10.10.0/24"});
    d.expect(422, "POST", "/v2/vpcs", Some(overlapping));

    // Droplets: one into the VPC, backed up daily; one in the default VPC;
    // one far away.
    let mut body = droplet_body("web-1", "nyc3");
    let extra = json!({"vpc_uuid": vpc, "backups": true, "ipv6": true, "tags": ["web"],
                       "backup_policy": {"plan": "daily", "hour": 4}});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let web1 = d.expect(202, "POST", "/v2/droplets", Some(body))["droplet"]["id"].clone();
    let web1 = web1.as_u64().unwrap();
    let web2 = d.expect(
        202,
        "POST",
        "/v2/droplets",
        Some(droplet_body("web-2", "nyc3")),
    );
    let web2 = web2["droplet"]["id"].as_u64().unwrap();
    let far = d.expect(
        202,
        "POST",
        "/v2/droplets",
        Some(droplet_body("far", "sfo3")),
    );
    let far = far["droplet"]["id"].as_u64().unwrap();
    for id in [web1, web2, far] {
        d.until(&format!("/v2/droplets/{id}"), |v| {
            v["droplet"]["status"] == "active"
        });
    }
    let w1 = format!("/v2/droplets/{web1}");
    assert_eq!(d.get_json(&w1)["droplet"]["vpc_uuid"], vpc.as_str());
    assert_eq!(
        d.get_json(&format!("/v2/droplets/{web2}"))["droplet"]["vpc_uuid"],
        default_vpc
    );
    let members = d.get_json(&format!("{vp}/members"));
    assert_eq!(members["members"][0]["urn"], format!("do:droplet:{web1}"));
    d.expect(403, "DELETE", &vp, None);
    let resources = d.get_json("/v2/projects/default/resources");
    assert_eq!(
        resources["meta"]["total"], 3,
        "new droplets land in the default project"
    );

    // Backup policies.
    let policy = d.get_json(&format!("{w1}/backups/policy"))["policy"].clone();
    assert_eq!(
        (
            policy["backup_enabled"].clone(),
            policy["backup_policy"]["plan"].clone()
        ),
        (json!(true), json!("daily"))
    );
    let kind = if spec_only {
        "enable_backups"
    } else {
        "change_backup_policy"
    };
    let change = json!({"type": kind,
                        "backup_policy": {"plan": "weekly", "weekday": "MON", "hour": 8}});
    let a = d.expect(201, "POST", &format!("{w1}/actions"), Some(change));
    d.completes(&a);
    let policies = d.get_json("/v2/droplets/backups/policies");
    assert_eq!(
        policies["policies"][web1.to_string()]["backup_policy"]["weekday"],
        "MON"
    );
    assert_eq!(
        policies["policies"][web2.to_string()]["backup_enabled"],
        false
    );
    let supported = d.get_json("/v2/droplets/backups/supported_policies");
    assert_eq!(supported["supported_policies"].as_array().unwrap().len(), 2);
    let sizes = d.get_json("/v2/sizes?per_page=200");
    assert!(sizes["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["gpu_info"]["count"] == 1));

    // A reserved IP in the region, assigned: in the droplet's networks, the
    // same under its floating IP name.
    let ip = d.create(
        202,
        "/v2/reserved_ips",
        Some(json!({"region": "nyc3"})),
        "/reserved_ip/ip",
    );
    let rp = format!("/v2/reserved_ips/{ip}");
    let assign = json!({"type": "assign", "droplet_id": web1});
    let a = d.expect(201, "POST", &format!("{rp}/actions"), Some(assign));
    d.completes(&a);
    let action = a["action"]["id"].as_u64().unwrap();
    d.get_json(&format!("{rp}/actions/{action}"));
    d.get_json(&format!("/v2/floating_ips/{ip}/actions/{action}"));
    assert_eq!(d.get_json(&format!("{rp}/actions"))["meta"]["total"], 1);
    assert_eq!(d.get_json(&rp)["reserved_ip"]["droplet"]["id"], web1);
    assert_eq!(
        d.get_json(&format!("/v2/floating_ips/{ip}"))["floating_ip"]["droplet"]["id"],
        web1
    );
    let networks = d.get_json(&w1)["droplet"]["networks"]["v4"].clone();
    assert!(networks
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["ip_address"] == ip.as_str()));
    let far_assign = json!({"type": "assign", "droplet_id": far});
    d.expect(422, "POST", &format!("{rp}/actions"), Some(far_assign));
    let for_web2 = d.expect(
        202,
        "POST",
        "/v2/reserved_ips",
        Some(json!({"droplet_id": web2})),
    );
    let ip2 = for_web2["reserved_ip"]["ip"].as_str().unwrap().to_owned();
    d.completes(&for_web2["links"]["actions"][0]);
    assert_eq!(d.get_json("/v2/floating_ips")["meta"]["total"], 2);
    assert_eq!(d.get_json("/v2/reserved_ips")["meta"]["total"], 2);

    // A reserved IPv6, assigned and unassigned.
    let v6 = d.create(
        201,
        "/v2/reserved_ipv6",
        Some(json!({"region_slug": "nyc3"})),
        "/reserved_ipv6/ip",
    );
    let v6p = format!("/v2/reserved_ipv6/{v6}");
    let a = d.expect(
        201,
        "POST",
        &format!("{v6p}/actions"),
        Some(json!({"type": "assign", "droplet_id": web1})),
    );
    d.completes(&a);
    assert_eq!(d.get_json(&v6p)["reserved_ipv6"]["droplet"]["id"], web1);
    let v6s = d.get_json(&w1)["droplet"]["networks"]["v6"].clone();
    assert!(v6s
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["ip_address"] == v6.as_str()));
    let a = d.expect(
        201,
        "POST",
        &format!("{v6p}/actions"),
        Some(json!({"type": "unassign"})),
    );
    d.completes(&a);
    assert_eq!(d.get_json("/v2/reserved_ipv6")["meta"]["total"], 1);
    d.expect(204, "DELETE", &v6p, None);

    // A volume: not attachable across regions; attached, on both sides;
    // resized; snapshotted, and a copy made from the snapshot.
    let body = json!({"name": "data", "size_gigabytes": 10, "region": "nyc3",
                      "filesystem_type": "ext4", "tags": ["web"]});
    let vol = d.create(201, "/v2/volumes", Some(body), "/volume/id");
    let vp_ = format!("/v2/volumes/{vol}");
    let attach_far = json!({"type": "attach", "droplet_id": far, "region": "sfo3"});
    d.expect(422, "POST", &format!("{vp_}/actions"), Some(attach_far));
    let a = d.expect(
        202,
        "POST",
        &format!("{vp_}/actions"),
        Some(json!({"type": "attach", "droplet_id": web1, "region": "nyc3"})),
    );
    d.completes(&a);
    assert_eq!(d.get_json(&vp_)["volume"]["droplet_ids"], json!([web1]));
    assert_eq!(d.get_json(&w1)["droplet"]["volume_ids"], json!([vol]));
    d.expect(409, "DELETE", &vp_, None);
    let a = d.expect(
        202,
        "POST",
        &format!("{vp_}/actions"),
        Some(json!({"type": "resize", "size_gigabytes": 20, "region": "nyc3"})),
    );
    d.completes(&a);
    let action = a["action"]["id"].as_u64().unwrap();
    assert_eq!(
        d.get_json(&format!("{vp_}/actions/{action}"))["action"]["type"],
        "resize_volume"
    );
    assert_eq!(d.get_json(&format!("{vp_}/actions"))["meta"]["total"], 2);
    assert_eq!(d.get_json(&vp_)["volume"]["size_gigabytes"], 20);
    assert_eq!(d.ids("/v2/volumes?region=nyc3", "volumes"), [vol.as_str()]);
    assert_eq!(d.ids("/v2/volumes?name=data", "volumes"), [vol.as_str()]);
    assert!(d.ids("/v2/volumes?region=sfo3", "volumes").is_empty());
    let snap = Some(json!({"name": "data-snap"}));
    let vsnap = d.create(201, &format!("{vp_}/snapshots"), snap, "/snapshot/id");
    assert_eq!(
        d.ids(&format!("{vp_}/snapshots"), "snapshots"),
        [vsnap.as_str()]
    );
    d.get_json(&format!("/v2/volumes/snapshots/{vsnap}"));
    let extra = d.expect(
        201,
        "POST",
        &format!("{vp_}/snapshots"),
        Some(json!({"name": "extra"})),
    );
    let extra = format!(
        "/v2/volumes/snapshots/{}",
        extra["snapshot"]["id"].as_str().unwrap()
    );
    d.expect(204, "DELETE", &extra, None);
    d.expect(404, "GET", &extra, None);
    let body =
        json!({"name": "data-copy", "size_gigabytes": 20, "region": "nyc3", "snapshot_id": vsnap});
    d.expect(201, "POST", "/v2/volumes", Some(body));
    let by_name =
        json!({"type": "attach", "volume_name": "data-copy", "region": "nyc3", "droplet_id": web2});
    let a = d.expect(202, "POST", "/v2/volumes/actions", Some(by_name));
    d.completes(&a);
    let by_name =
        json!({"type": "detach", "volume_name": "data-copy", "region": "nyc3", "droplet_id": web2});
    let a = d.expect(202, "POST", "/v2/volumes/actions", Some(by_name));
    d.completes(&a);
    assert_eq!(d.get_json("/v2/volumes")["meta"]["total"], 2);
    d.expect(
        204,
        "DELETE",
        "/v2/volumes?name=data-copy&region=nyc3",
        None,
    );

    // A droplet snapshot: in /v2/snapshots beside the volume's.
    let a = d.expect(
        201,
        "POST",
        &format!("{w1}/actions"),
        Some(json!({"type": "snapshot", "name": "web-1-snap"})),
    );
    d.completes(&a);
    let mut dsnaps = d.ids(
        "/v2/snapshots?resource_type=droplet&per_page=200",
        "snapshots",
    );
    dsnaps.retain(|s| !snapshots_at_start.contains(s));
    assert_eq!(dsnaps.len(), 1);
    let dsnap = dsnaps[0].clone();
    let got = d.get_json(&format!("/v2/snapshots/{dsnap}"));
    assert_eq!(got["snapshot"]["resource_id"], web1.to_string());
    let transfer = json!({"type": "transfer", "region": "sfo3"});
    let a = d.expect(
        201,
        "POST",
        &format!("/v2/images/{dsnap}/actions"),
        Some(transfer),
    );
    d.completes(&a);
    let action = a["action"]["id"].as_u64().unwrap();
    d.get_json(&format!("/v2/images/{dsnap}/actions/{action}"));
    let regions = d.get_json(&format!("/v2/snapshots/{dsnap}"))["snapshot"]["regions"].clone();
    assert_eq!(regions, json!(["nyc3", "sfo3"]));
    assert_eq!(
        d.ids("/v2/snapshots?resource_type=volume", "snapshots"),
        [vsnap.as_str()]
    );
    let total = d.get_json("/v2/snapshots")["meta"]["total"]
        .as_u64()
        .unwrap();
    assert_eq!(total as usize, snapshots_at_start.len() + 2);

    // A domain lands in the default project too.
    d.expect(
        201,
        "POST",
        "/v2/domains",
        Some(json!({"name": "example.com"})),
    );
    let record = json!({"type": "A", "name": "www", "data": "192.0.2.1"});
    let record = d.expect(201, "POST", "/v2/domains/example.com/records", Some(record));
    let record = format!(
        "/v2/domains/example.com/records/{}",
        record["domain_record"]["id"]
    );
    let patched = d.expect(
        200,
        "PATCH",
        &record,
        Some(json!({"type": "A", "data": "192.0.2.2"})),
    );
    assert_eq!(patched["domain_record"]["data"], "192.0.2.2");
    let resources = d.get_json("/v2/projects/default/resources");
    assert!(resources["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["urn"] == "do:domain:example.com"));
    d.expect(204, "DELETE", "/v2/domains/example.com", None);

    // A firewall, by droplet and by tag.
    let ssh =
        json!({"protocol": "tcp", "ports": "22", "sources": {"addresses": ["0.0.0.0/0", "::/0"]}});
    let out =
        json!({"protocol": "tcp", "ports": "all", "destinations": {"addresses": ["0.0.0.0/0"]}});
    let body = json!({"name": "web-fw", "inbound_rules": [ssh], "outbound_rules": [out], "droplet_ids": [web1]});
    let fw = d.expect(202, "POST", "/v2/firewalls", Some(body))["firewall"].clone();
    assert_eq!(fw["outbound_rules"][0]["ports"], "0");
    let fw = fw["id"].as_str().unwrap().to_owned();
    let fp = format!("/v2/firewalls/{fw}");
    let w2 = format!("/v2/droplets/{web2}");
    assert_eq!(
        d.ids(&format!("{w1}/firewalls"), "firewalls"),
        [fw.as_str()]
    );
    assert!(d.ids(&format!("{w2}/firewalls"), "firewalls").is_empty());
    d.expect(
        204,
        "POST",
        &format!("{fp}/droplets"),
        Some(json!({"droplet_ids": [web2]})),
    );
    assert_eq!(
        d.ids(&format!("{w2}/firewalls"), "firewalls"),
        [fw.as_str()]
    );
    d.expect(
        204,
        "DELETE",
        &format!("{fp}/droplets"),
        Some(json!({"droplet_ids": [web2]})),
    );
    d.expect(201, "POST", "/v2/tags", Some(json!({"name": "db"})));
    let tag = json!({"resources": [{"resource_id": web2.to_string(), "resource_type": "droplet"}]});
    d.expect(204, "POST", "/v2/tags/db/resources", Some(tag));
    d.expect(
        204,
        "POST",
        &format!("{fp}/tags"),
        Some(json!({"tags": ["db"]})),
    );
    assert_eq!(
        d.ids(&format!("{w2}/firewalls"), "firewalls"),
        [fw.as_str()]
    );
    d.expect(
        204,
        "DELETE",
        &format!("{fp}/tags"),
        Some(json!({"tags": ["db"]})),
    );
    assert!(d.ids(&format!("{w2}/firewalls"), "firewalls").is_empty());
    let http = json!({"inbound_rules": [{"protocol": "tcp", "ports": "80", "sources": {"tags": ["web"]}}]});
    d.expect(204, "POST", &format!("{fp}/rules"), Some(http.clone()));
    assert_eq!(d.len(&fp, "/firewall/inbound_rules"), 2);
    d.expect(204, "DELETE", &format!("{fp}/rules"), Some(http));
    let body = json!({"name": "web-firewall", "inbound_rules": [ssh], "droplet_ids": [web1], "tags": ["web"]});
    let put = d.expect(200, "PUT", &fp, Some(body));
    assert_eq!(put["firewall"]["outbound_rules"], json!([]));
    assert_eq!(d.ids("/v2/firewalls", "firewalls"), [fw.as_str()]);

    // Certificates and a load balancer: new, then active.
    let le = json!({"name": "le-cert", "type": "lets_encrypt", "dns_names": ["example.com"]});
    let cert = d.expect(201, "POST", "/v2/certificates", Some(le))["certificate"].clone();
    assert_eq!(cert["state"], "pending");
    let cert = cert["id"].as_str().unwrap().to_owned();
    let custom = json!({"name": "own-cert", "type": "custom",
        "private_key": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
        "leaf_certificate": "-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----\n"});
    let own = d.expect(201, "POST", "/v2/certificates", Some(custom))["certificate"].clone();
    assert_eq!(own["state"], "verified");
    let own = own["id"].as_str().unwrap().to_owned();
    assert_eq!(d.get_json("/v2/certificates")["meta"]["total"], 2);
    let rules = json!([
        {"entry_protocol": "http", "entry_port": 80, "target_protocol": "http", "target_port": 8080},
        {"entry_protocol": "https", "entry_port": 443, "target_protocol": "http", "target_port": 8080,
         "certificate_id": cert}
    ]);
    let check = json!({"protocol": "http", "port": 8080, "path": "/health", "check_interval_seconds": 10,
                       "response_timeout_seconds": 5, "healthy_threshold": 3, "unhealthy_threshold": 3});
    let body = json!({"name": "web-lb", "region": "nyc3", "forwarding_rules": rules,
                      "health_check": check, "droplet_ids": [web1]});
    let lb =
        d.expect(202, "POST", "/v2/load_balancers", Some(body.clone()))["load_balancer"].clone();
    assert_eq!(
        (lb["status"].clone(), lb["ip"].clone()),
        (json!("new"), json!(""))
    );
    let lb = lb["id"].as_str().unwrap().to_owned();
    let lp = format!("/v2/load_balancers/{lb}");
    let active = d.until(&lp, |v| v["load_balancer"]["status"] == "active");
    assert!(!active["load_balancer"]["ip"].as_str().unwrap().is_empty());
    assert_eq!(
        d.get_json(&format!("/v2/certificates/{cert}"))["certificate"]["state"],
        "verified"
    );
    d.expect(
        422,
        "POST",
        &format!("{lp}/droplets"),
        Some(json!({"droplet_ids": [far]})),
    );
    d.expect(
        204,
        "POST",
        &format!("{lp}/droplets"),
        Some(json!({"droplet_ids": [web2]})),
    );
    assert_eq!(
        d.get_json(&lp)["load_balancer"]["droplet_ids"],
        json!([web1, web2])
    );
    d.expect(
        204,
        "DELETE",
        &format!("{lp}/droplets"),
        Some(json!({"droplet_ids": [web2]})),
    );
    let tcp = json!({"forwarding_rules": [{"entry_protocol": "tcp", "entry_port": 5432,
                                           "target_protocol": "tcp", "target_port": 5432}]});
    d.expect(
        204,
        "POST",
        &format!("{lp}/forwarding_rules"),
        Some(tcp.clone()),
    );
    assert_eq!(d.len(&lp, "/load_balancer/forwarding_rules"), 3);
    d.expect(204, "DELETE", &format!("{lp}/forwarding_rules"), Some(tcp));
    let mut renamed = body;
    renamed["name"] = json!("web-lb-2");
    assert_eq!(
        d.expect(200, "PUT", &lp, Some(renamed))["load_balancer"]["name"],
        "web-lb-2"
    );
    assert_eq!(d.ids("/v2/load_balancers", "load_balancers"), [lb.as_str()]);
    d.expect(403, "DELETE", &format!("/v2/certificates/{cert}"), None);

    // The project: the stack's resources move in by URN.
    let urns = json!({"resources": [format!("do:droplet:{web1}"), format!("do:volume:{vol}"),
                                    format!("do:floatingip:{ip}"), format!("do:loadbalancer:{lb}")]});
    let moved = d.expect(200, "POST", &format!("{pp}/resources"), Some(urns));
    assert_eq!(moved["resources"].as_array().unwrap().len(), 4);
    assert_eq!(d.get_json(&format!("{pp}/resources"))["meta"]["total"], 4);
    assert_eq!(
        d.get_json(&lp)["load_balancer"]["project_id"],
        project.as_str()
    );
    assert_eq!(
        d.get_json(&rp)["reserved_ip"]["project_id"],
        project.as_str()
    );
    d.expect(412, "DELETE", &pp, None);

    // Destroy web-1 with the volume and the droplet snapshot (the reserved
    // IP and the volume snapshot stay); web-2 with everything.
    let assoc = d.get_json(&format!("{w1}/destroy_with_associated_resources"));
    assert_eq!(assoc["reserved_ips"][0]["name"], ip.as_str());
    assert_eq!(assoc["volumes"][0]["id"], vol.as_str());
    assert_eq!(assoc["snapshots"][0]["id"], dsnap.as_str());
    assert_eq!(assoc["volume_snapshots"][0]["id"], vsnap.as_str());
    let chosen = json!({"volumes": [vol], "snapshots": [dsnap]});
    d.expect(
        202,
        "DELETE",
        &format!("{w1}/destroy_with_associated_resources/selective"),
        Some(chosen),
    );
    d.expect(404, "GET", &w1, None);
    d.expect(404, "GET", &vp_, None);
    d.expect(404, "GET", &format!("/v2/snapshots/{dsnap}"), None);
    assert_eq!(d.get_json(&rp)["reserved_ip"]["droplet"], Value::Null);
    assert_eq!(d.get_json(&lp)["load_balancer"]["droplet_ids"], json!([]));
    assert_eq!(d.get_json(&fp)["firewall"]["droplet_ids"], json!([]));
    let status = d.until(
        &format!("{w1}/destroy_with_associated_resources/status"),
        |v| v["completed_at"].is_string(),
    );
    assert_eq!(status["droplet"]["id"], web1.to_string());
    assert_eq!(status["resources"]["volumes"][0]["id"], vol.as_str());
    assert_eq!(status["failures"], 0);
    d.expect(
        202,
        "POST",
        &format!("{w1}/destroy_with_associated_resources/retry"),
        None,
    );
    let w2d = format!("{w2}/destroy_with_associated_resources/dangerous");
    let (status, _) = d.raw("DELETE", &w2d, None, &[("x-dangerous", "true")]);
    assert_eq!(status, 202);
    d.expect(404, "GET", &format!("/v2/reserved_ips/{ip2}"), None);
    d.expect(404, "GET", &w2, None);

    // Tear down the rest.
    d.expect(204, "DELETE", &lp, None);
    for c in [&cert, &own] {
        d.expect(204, "DELETE", &format!("/v2/certificates/{c}"), None);
    }
    d.expect(204, "DELETE", &fp, None);
    d.expect(204, "DELETE", &rp, None);
    d.expect(204, "DELETE", &format!("/v2/snapshots/{vsnap}"), None);
    d.expect(204, "DELETE", &format!("/v2/droplets/{far}"), None);
    d.expect(204, "DELETE", &vp, None);
    d.expect(204, "DELETE", &pp, None);
    d.expect(204, "DELETE", "/v2/tags/db", None);
    d.expect(204, "DELETE", "/v2/tags/web", None);
    for (path, key) in [
        ("/v2/droplets", "droplets"),
        ("/v2/volumes", "volumes"),
        ("/v2/reserved_ips", "reserved_ips"),
        ("/v2/reserved_ipv6", "reserved_ipv6s"),
        ("/v2/firewalls", "firewalls"),
        ("/v2/load_balancers", "load_balancers"),
        ("/v2/certificates", "certificates"),
        ("/v2/projects/default/resources", "resources"),
    ] {
        assert_eq!(d.get_json(path)[key], json!([]), "{path} is not empty");
    }
    assert_eq!(
        d.ids("/v2/snapshots?per_page=200", "snapshots"),
        snapshots_at_start
    );
    assert_eq!(d.get_json("/v2/projects")["meta"]["total"], 1);
    assert_eq!(
        d.get_json("/v2/vpcs?per_page=200")["meta"]["total"],
        vpcs_at_start
    );
}
