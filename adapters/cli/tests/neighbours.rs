//! The command groups of the droplet's neighbours (`reserved-ip`,
//! `volume`, `snapshot`) against the simulator: what each command printed
//! and what it did to the account, `--wait`, and names resolved as doctl
//! resolves them (droplets by name, volumes by name in a region).

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
fn volume_create_attach_resize_snapshot_detach_and_delete_by_name() {
    let server = sim();
    let url = server.url();
    let ds = seed_droplets(url, &["v-1"], &[]);
    let volume = |id: &str| get(url, &format!("/v2/volumes/{id}"), "volume");

    let out = doapi(url)
        .args(["volume", "create", "data", "--region", REGION, "--size", "10"])
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
    let out = doapi(url).args(["volume", "actions", "--last", "data"]).ok();
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
