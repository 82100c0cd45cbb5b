//! The command groups of the droplet's neighbours (`reserved-ip`,
//! `volume`, `snapshot`, `firewall`, `vpc`, `project`, `load-balancer`)
//! against the simulator: what each command printed
//! and what it did to the account, `--wait`, and names resolved as doctl
//! resolves them, and more (droplets by name, volumes by name in a region,
//! firewalls, VPCs, projects and load balancers by name).

mod common;

use common::{doapi, get, listed, seed_droplets, sim};
use serde_json::Value;

const REGION: &str = "nyc3";
const WAIT: [&str; 2] = ["--wait-interval", "0.05"];

#[test]
fn reserved_ip_create_assign_unassign_list_get_actions_and_delete() {
    let server = sim();
    let url = server.url();
    let ds = seed_droplets(url, &["r-1", "r-2"], &[]);
    let rip = |ip: &str| get(url, &format!("/v2/reserved_ips/{ip}"), "reserved_ip");

    let out = doapi(url)
        .args(["reserved-ip", "create", "--region", REGION])
        .ok();
    let free = out.items()[0]["ip"].as_str().unwrap().to_owned();
    assert!(rip(&free)["droplet"].is_null());

    // For a droplet given by name, waited until assigned.
    let out = doapi(url)
        .args(["reserved-ip", "create", "--droplet", "r-1", "--wait"])
        .args(WAIT)
        .ok();
    let bound = out.items()[0]["ip"].as_str().unwrap().to_owned();
    assert_eq!(out.items()[0]["droplet"]["id"], ds[0], "{out}");
    assert_eq!(rip(&bound)["droplet"]["id"], ds[0]);

    let out = doapi(url)
        .args(["reserved-ip", "assign", "-w", &free, "r-2"])
        .args(WAIT)
        .ok();
    assert_eq!(out.items()[0]["status"], "completed", "{out}");
    assert_eq!(rip(&free)["droplet"]["id"], ds[1]);

    let out = doapi(url).args(["reserved-ip", "list"]).ok();
    assert_eq!(out.items().len(), 2, "{out}");
    let out = doapi(url).args(["reserved-ip", "get", &free]).ok();
    assert_eq!(out.items()[0]["droplet"]["id"], ds[1], "{out}");
    let out = doapi(url).args(["reserved-ip", "actions", &free]).ok();
    assert_eq!(out.items()[0]["type"], "assign_ip", "{out}");

    let out = doapi(url)
        .args(["reserved-ip", "unassign", "-w", &free, &bound])
        .args(WAIT)
        .ok();
    assert_eq!(out.items().len(), 2, "{out}");
    assert!(rip(&free)["droplet"].is_null() && rip(&bound)["droplet"].is_null());

    doapi(url)
        .args(["reserved-ip", "delete", &free, &bound])
        .ok();
    assert!(listed(url, "/v2/reserved_ips", "reserved_ips").is_empty());
    let out = doapi(url)
        .args(["reserved-ip", "assign", &free, "no-such-droplet"])
        .fails(2);
    assert!(out.error_line().contains("no such droplet"), "{out}");
}

#[test]
fn reserved_ipv6_create_assign_unassign_list_get_and_delete() {
    let server = sim();
    let url = server.url();
    let ds = seed_droplets(url, &["six"], &[]);
    let out = doapi(url)
        .args(["reserved-ipv6", "create", "--region", REGION])
        .ok();
    let ip = out.object()["ip"].as_str().unwrap().to_owned();
    let out = doapi(url)
        .args(["reserved-ipv6", "assign", "-w", &ip, "six"])
        .args(WAIT)
        .ok();
    assert_eq!(out.items()[0]["status"], "completed", "{out}");
    let rip = || get(url, &format!("/v2/reserved_ipv6/{ip}"), "reserved_ipv6");
    assert_eq!(rip()["droplet"]["id"], ds[0]);
    let out = doapi(url).args(["reserved-ipv6", "get", &ip]).ok();
    assert_eq!(out.items()[0]["ip"], ip.as_str(), "{out}");
    assert_eq!(
        doapi(url)
            .args(["reserved-ipv6", "list"])
            .ok()
            .items()
            .len(),
        1
    );
    doapi(url)
        .args(["reserved-ipv6", "unassign", "-w", &ip])
        .args(WAIT)
        .ok();
    assert!(rip()["droplet"].is_null());
    doapi(url).args(["reserved-ipv6", "delete", &ip]).ok();
    assert!(listed(url, "/v2/reserved_ipv6", "reserved_ipv6s").is_empty());
    let out = doapi(url)
        .args(["reserved-ipv6", "get", "192.0.2.1"])
        .fails(2);
    assert!(out.error_line().contains("IPv4"), "{out}");
}

#[test]
fn volume_create_attach_resize_snapshot_detach_and_delete_by_name() {
    let server = sim();
    let url = server.url();
    let ds = seed_droplets(url, &["v-1"], &[]);
    let volume = |id: &str| get(url, &format!("/v2/volumes/{id}"), "volume");

    let out = doapi(url)
        .args([
            "volume", "create", "data", "--region", REGION, "--size", "10",
        ])
        .args(["--fs-type", "ext4", "--fs-label", "data", "--tag", "web"])
        .ok();
    let id = out.items()[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(volume(&id)["size_gigabytes"], 10);

    let out = doapi(url).args(["volume", "list", "--region", REGION]).ok();
    assert_eq!(out.items().len(), 1, "{out}");
    let out = doapi(url).args(["volume", "get", "data"]).ok();
    assert_eq!(out.items()[0]["id"], id.as_str(), "a name resolves: {out}");

    // By names, waited for: the volume and the droplet know each other.
    let out = doapi(url)
        .args(["volume", "attach", "data", "v-1", "--wait"])
        .args(WAIT)
        .ok();
    assert_eq!(out.items()[0]["status"], "completed", "{out}");
    assert_eq!(volume(&id)["droplet_ids"][0], ds[0]);
    let d = get(url, &format!("/v2/droplets/{}", ds[0]), "droplet");
    assert_eq!(d["volume_ids"][0], id.as_str());

    doapi(url)
        .args(["volume", "resize", &id, "--size", "20", "-w"])
        .args(WAIT)
        .ok();
    assert_eq!(volume(&id)["size_gigabytes"], 20);
    let out = doapi(url)
        .args(["volume", "resize", &id, "--size", "0"])
        .fails(2);
    assert!(out.error_line().contains("size_gigabytes"), "{out}");

    let out = doapi(url)
        .args(["volume", "snapshot", "data", "--snapshot-name", "data-1"])
        .ok();
    let snap = out.items()[0]["id"].as_str().unwrap().to_owned();
    let out = doapi(url).args(["volume", "snapshots", "data"]).ok();
    assert_eq!(out.items()[0]["id"], snap.as_str(), "{out}");
    let out = doapi(url)
        .args(["volume", "actions", "--last", "data"])
        .ok();
    assert_eq!(out.items()[0]["type"], "resize_volume", "{out}");

    let out = doapi(url)
        .args(["volume", "detach", "data", "v-1", "-w"])
        .args(WAIT)
        .ok();
    assert_eq!(out.items()[0]["status"], "completed", "{out}");
    assert_eq!(volume(&id)["droplet_ids"], Value::Array(Vec::new()));

    doapi(url).args(["volume", "delete", "data"]).ok();
    assert!(listed(url, "/v2/volumes", "volumes").is_empty());
    let out = doapi(url).args(["volume", "get", "data"]).fails(2);
    assert!(out.error_line().contains("no such volume"), "{out}");

    // The snapshot outlives its volume, and goes with `snapshot delete`.
    let out = doapi(url)
        .args(["snapshot", "list", "--resource", "volume"])
        .ok();
    assert_eq!(out.items().len(), 1, "{out}");
    let out = doapi(url).args(["snapshot", "get", &snap]).ok();
    assert_eq!(out.items()[0]["name"], "data-1", "{out}");
    doapi(url).args(["snapshot", "delete", &snap]).ok();
    let left = listed(url, "/v2/snapshots?resource_type=volume", "snapshots");
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn firewall_vpc_project_and_load_balancer_commands_by_name() {
    let server = sim();
    let url = server.url();
    let ds = seed_droplets(url, &["n-1", "n-2"], &[]);

    // VPCs: the region's default, one created, renamed, its members.
    let out = doapi(url).args(["vpc", "default", "--region", REGION]).ok();
    assert_eq!(out.object()["default"], true, "{out}");
    let out = doapi(url)
        .args(["vpc", "create", "--name", "net", "--region", REGION])
        .args(["--ip-range", "10.20.0.0/24"])
        .ok();
    let vpc = out.object()["id"].as_str().unwrap().to_owned();
    let out = doapi(url)
        .args([
            "vpc",
            "update",
            "net",
            "--name",
            "net-2",
            "--description",
            "web",
        ])
        .ok();
    assert_eq!(out.object()["name"], "net-2", "{out}");
    let out = doapi(url).args(["vpc", "get", "net-2"]).ok();
    assert_eq!(out.items()[0]["id"], vpc.as_str(), "{out}");
    let out = doapi(url).args(["vpc", "members", &vpc]).ok();
    assert!(out.items().is_empty(), "{out}");
    assert!(doapi(url).args(["vpc", "list"]).ok().items().len() > 1);

    // A firewall: created with doctl's rules and droplets by name.
    let out = doapi(url)
        .args(["firewall", "create", "--name", "fw"])
        .args(["--inbound-rules", "protocol:tcp,ports:22,address:0.0.0.0/0"])
        .args([
            "--outbound-rules",
            "protocol:tcp,ports:all,address:0.0.0.0/0,address:::/0",
        ])
        .args(["--droplet-ids", "n-1"])
        .ok();
    let fw = out.object()["id"].as_str().unwrap().to_owned();
    assert_eq!(out.object()["droplet_ids"][0], ds[0], "{out}");
    doapi(url)
        .args(["firewall", "add-rules", "fw"])
        .args(["--inbound-rules", "protocol:tcp,ports:80,address:0.0.0.0/0"])
        .ok();
    let fw_now = |url: &str| get(url, &format!("/v2/firewalls/{fw}"), "firewall");
    assert_eq!(fw_now(url)["inbound_rules"].as_array().unwrap().len(), 2);
    doapi(url)
        .args(["firewall", "remove-rules", "fw"])
        .args(["--inbound-rules", "protocol:tcp,ports:80,address:0.0.0.0/0"])
        .ok();
    assert_eq!(fw_now(url)["inbound_rules"].as_array().unwrap().len(), 1);
    doapi(url)
        .args(["firewall", "add-droplets", "fw", "--droplet-ids", "n-2"])
        .ok();
    let out = doapi(url).args(["firewall", "list-by-droplet", "n-2"]).ok();
    assert_eq!(out.items()[0]["id"], fw.as_str(), "{out}");
    doapi(url)
        .args(["firewall", "remove-droplets", "fw", "--droplet-ids", "n-2"])
        .ok();
    doapi(url)
        .args(["firewall", "add-tags", "fw", "--tag-names", "web"])
        .ok();
    assert_eq!(fw_now(url)["tags"][0], "web");
    doapi(url)
        .args(["firewall", "remove-tags", "fw", "--tag-names", "web"])
        .ok();
    let out = doapi(url).args(["firewall", "get", "fw"]).ok();
    assert_eq!(
        out.items()[0]["droplet_ids"],
        serde_json::json!([ds[0]]),
        "{out}"
    );
    let out = doapi(url)
        .args(["firewall", "create", "--name", "bad"])
        .args(["--inbound-rules", "protocol:tcp,ports:22"])
        .fails(2);
    assert!(out.error_line().contains("rule"), "{out}");

    // A load balancer, waited for until active.
    let out = doapi(url)
        .args([
            "load-balancer",
            "create",
            "--name",
            "lb",
            "--region",
            REGION,
        ])
        .args([
            "--forwarding-rules",
            "entry_protocol:http,entry_port:80,target_protocol:http,target_port:80",
        ])
        .args(["--health-check", "protocol:http,port:80,path:/"])
        .args(["--droplet-ids", "n-1", "--wait"])
        .args(WAIT)
        .ok();
    assert_eq!(out.object()["status"], "active", "{out}");
    let lb = out.object()["id"].as_str().unwrap().to_owned();
    doapi(url)
        .args([
            "load-balancer",
            "add-droplets",
            "lb",
            "--droplet-ids",
            "n-2",
        ])
        .ok();
    let out = doapi(url).args(["load-balancer", "get", "lb"]).ok();
    assert_eq!(
        out.items()[0]["droplet_ids"],
        serde_json::json!([ds[0], ds[1]]),
        "{out}"
    );
    doapi(url)
        .args([
            "load-balancer",
            "remove-droplets",
            "lb",
            "--droplet-ids",
            "n-2",
        ])
        .ok();
    let out = doapi(url)
        .args(["load-balancer", "wait", "lb"])
        .args(WAIT)
        .ok();
    assert_eq!(
        out.items()[0]["droplet_ids"],
        serde_json::json!([ds[0]]),
        "{out}"
    );
    assert_eq!(
        doapi(url)
            .args(["load-balancer", "list"])
            .ok()
            .items()
            .len(),
        1
    );

    // A project holding the droplet and the load balancer.
    let out = doapi(url)
        .args([
            "project",
            "create",
            "--name",
            "stack",
            "--purpose",
            "Web Application",
        ])
        .ok();
    let project = out.object()["id"].as_str().unwrap().to_owned();
    let droplet_urn = format!("do:droplet:{}", ds[0]);
    let lb_urn = format!("do:loadbalancer:{lb}");
    let out = doapi(url)
        .args(["project", "assign", "stack", "--resource", &droplet_urn])
        .args(["--resource", &lb_urn])
        .ok();
    assert_eq!(out.items().len(), 2, "{out}");
    let out = doapi(url).args(["project", "resources", "stack"]).ok();
    let urns: Vec<Value> = out.items().iter().map(|r| r["urn"].clone()).collect();
    assert!(urns.contains(&Value::String(lb_urn)), "{out}");
    assert!(urns.contains(&Value::String(droplet_urn)), "{out}");
    let out = doapi(url).args(["project", "get", "default"]).ok();
    assert_eq!(out.items()[0]["is_default"], true, "{out}");
    assert_eq!(doapi(url).args(["project", "list"]).ok().items().len(), 2);

    // Torn down by name.
    doapi(url).args(["load-balancer", "delete", "lb"]).ok();
    doapi(url).args(["firewall", "delete", "fw"]).ok();
    doapi(url).args(["vpc", "delete", "net-2"]).ok();
    doapi(url).args(["droplet", "delete", "n-1", "n-2"]).ok();
    doapi(url).args(["project", "delete", "stack"]).ok();
    assert!(listed(url, "/v2/load_balancers", "load_balancers").is_empty());
    assert!(listed(url, "/v2/firewalls", "firewalls").is_empty());
    let projects = listed(url, "/v2/projects", "projects");
    assert!(projects.len() == 1 && projects[0]["id"] != project.as_str());
    let vpcs = listed(url, "/v2/vpcs", "vpcs");
    assert!(vpcs.iter().all(|v| v["id"] != vpc.as_str()), "{vpcs:?}");
    let out = doapi(url).args(["vpc", "get", "net-2"]).fails(2);
    assert!(out.error_line().contains("no such VPC"), "{out}");
}
