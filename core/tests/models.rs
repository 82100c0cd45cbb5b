//! The models' conveniences, forward compatibility and losslessness, on
//! bodies written here.

use std::net::IpAddr;

use doapi_core::endpoint::decode;
use doapi_core::models::*;
use serde_json::{json, Value};

fn droplet_json() -> Value {
    json!({
        "id": 7, "name": "web-1", "memory": 1024, "vcpus": 1, "disk": 25,
        "locked": false, "status": "active", "kernel": null,
        "created_at": "2024-01-02T03:04:05Z",
        "features": ["ipv6"], "backup_ids": [], "snapshot_ids": [3],
        "image": {"id": 9, "slug": "ubuntu-24-04-x64", "name": "Ubuntu", "public": true},
        "volume_ids": [],
        "size": {"slug": "s-1vcpu-1gb", "memory": 1024, "vcpus": 1, "disk": 25, "transfer": 1.5,
                 "price_monthly": 6, "price_hourly": 0.00893, "regions": ["nyc3"],
                 "available": true, "description": "Basic"},
        "size_slug": "s-1vcpu-1gb",
        "networks": {
            "v4": [
                {"ip_address": "10.1.2.3", "netmask": "255.255.0.0", "gateway": "nil", "type": "private"},
                {"ip_address": "203.0.113.9", "netmask": "255.255.255.0", "gateway": "203.0.113.1", "type": "public"}
            ],
            "v6": [{"ip_address": "2001:db8::1", "netmask": 64, "gateway": "2001:db8::", "type": "public"}]
        },
        "region": {"name": "New York 3", "slug": "nyc3", "features": [], "available": true, "sizes": []},
        "tags": ["web"],
        "next_backup_window": null,
        "a_field_from_the_future": {"nested": [1, 2, 3]}
    })
}

fn droplet() -> Droplet {
    serde_json::from_value(droplet_json()).unwrap()
}

#[test]
fn droplet_conveniences() {
    let d = droplet();
    assert_eq!(d.ip_address(), Some("10.1.2.3".parse::<IpAddr>().unwrap()));
    assert_eq!(d.ipv4_address(), d.ip_address());
    assert_eq!(
        d.public_ipv4_address(),
        Some("203.0.113.9".parse().unwrap())
    );
    assert_eq!(d.ipv6_address(), Some("2001:db8::1".parse().unwrap()));
    assert_eq!(d.region_slug(), "nyc3");
    assert_eq!(d.image_slug(), Some("ubuntu-24-04-x64"));
    assert!(d.is_active() && !d.is_new() && !d.is_off() && !d.is_archived());
    assert_eq!(d.status.as_str(), Droplet::STATUS_ACTIVE);
    assert_eq!(d.networks.v4[0].ip_version(), 4);
    assert_eq!(d.networks.v6[0].ip_version(), 6);
    assert_eq!(
        d.networks.v4[0].netmask,
        Netmask::Dotted("255.255.0.0".parse().unwrap())
    );
    assert_eq!(d.networks.v6[0].netmask, Netmask::Prefix(64));
    assert_eq!(d.networks.v4[0].kind, InterfaceType::Private);
    assert_eq!(d.kernel, None);
    assert_eq!(u64::from(&d), 7);
    assert_eq!(HasId::id(&d), 7);
}

#[test]
fn no_addresses_means_none() {
    let mut v = droplet_json();
    v["networks"] = json!({"v4": [], "v6": []});
    let d: Droplet = serde_json::from_value(v).unwrap();
    assert_eq!(
        (d.ip_address(), d.ipv4_address(), d.ipv6_address()),
        (None, None, None)
    );
    let mut v = droplet_json();
    v["networks"]["v4"] = json!([]);
    let d: Droplet = serde_json::from_value(v).unwrap();
    assert_eq!(d.ip_address(), Some("2001:db8::1".parse().unwrap()));
}

#[test]
fn unknown_fields_and_nulls_round_trip() {
    let d = droplet();
    assert_eq!(
        d.extra.value("a_field_from_the_future"),
        Some(json!({"nested": [1, 2, 3]}))
    );
    assert_eq!(serde_json::to_value(&d).unwrap(), droplet_json());
    // An absent optional field stays absent; a null one stays null.
    let mut v = droplet_json();
    v.as_object_mut().unwrap().remove("kernel");
    let back = serde_json::to_value(serde_json::from_value::<Droplet>(v.clone()).unwrap()).unwrap();
    assert_eq!(back, v);
    assert!(back.get("kernel").is_none());
}

#[test]
fn gpu_info_is_typed_on_droplets_and_sizes_and_round_trips() {
    let gpu = json!({"count": 8, "model": "nvidia_h100", "vram": {"amount": 640, "unit": "gib"},
                     "interconnect": "nvlink"});
    let mut v = droplet_json();
    v["gpu_info"] = gpu.clone();
    v["size"]["gpu_info"] = gpu;
    let d: Droplet = serde_json::from_value(v.clone()).unwrap();
    for info in [d.gpu_info.as_ref(), d.size.gpu_info.as_ref()] {
        let info = info.expect("typed");
        assert_eq!(info.count, Some(8));
        assert_eq!(info.model.as_deref(), Some("nvidia_h100"));
        let vram = info.vram.as_ref().unwrap();
        assert_eq!(
            (vram.amount, vram.unit.as_deref()),
            (Some(640), Some("gib"))
        );
        assert_eq!(info.extra.value("interconnect"), Some(json!("nvlink")));
    }
    assert!(!d.extra.contains_key("gpu_info"));
    assert_eq!(serde_json::to_value(&d).unwrap(), v);
    // No GPU: absent stays absent, null stays null.
    assert!(droplet().gpu_info.is_none());
    v["gpu_info"] = Value::Null;
    let d: Droplet = serde_json::from_value(v.clone()).unwrap();
    assert!(d.gpu_info.is_none());
    assert_eq!(serde_json::to_value(&d).unwrap(), v);
    v["gpu_info"] = json!({"count": "eight"});
    assert!(serde_json::from_value::<Droplet>(v).is_err());
}

#[test]
fn setting_a_field_that_was_null_encodes_the_value_once() {
    let mut d = droplet();
    d.kernel = Some(Kernel {
        id: 1,
        name: "k".into(),
        version: "1".into(),
        extra: Extra::new(),
    });
    let text = serde_json::to_string(&d).unwrap();
    assert_eq!(text.matches("\"kernel\"").count(), 1);
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["kernel"]["id"],
        1
    );
}

#[test]
fn unknown_enum_values_are_kept() {
    let mut v = droplet_json();
    v["status"] = json!("hibernating");
    let d: Droplet = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(d.status, DropletStatus::Unknown("hibernating".into()));
    assert!(!d.is_active());
    assert_eq!(serde_json::to_value(&d).unwrap(), v);
    let a: Action =
        serde_json::from_value(json!({"id": 1, "status": "paused", "type": "teleport"})).unwrap();
    assert_eq!(a.kind, ActionType::Unknown("teleport".into()));
    // A status the client does not know is not an end: neither a success
    // nor a failure, so a wait goes on.
    assert!(!a.is_done(), "only completed and errored end an action");
    assert!(!a.is_completed() && !a.is_errored() && !a.is_in_progress());
}

#[test]
fn action_predicates() {
    let a = |s: &str| {
        serde_json::from_value::<Action>(json!({"id": 1, "status": s, "type": "reboot"})).unwrap()
    };
    assert!(a("in-progress").is_in_progress() && !a("in-progress").is_done());
    assert!(a("completed").is_completed() && a("completed").is_done());
    assert!(a("errored").is_errored() && a("errored").is_done());
    assert_eq!(a("completed").kind, ActionType::Reboot);
}

#[test]
fn wrong_types_are_errors_with_a_path() {
    let mut v = droplet_json();
    v["networks"]["v6"][0]["netmask"] = json!(300);
    let body = serde_json::to_vec(&json!({ "droplet": v })).unwrap();
    let err = decode::one::<Droplet>(&body, "droplet").unwrap_err();
    assert_eq!(err.path, "droplet.networks.v6[0].netmask");
    assert!(err.message.contains("out of range"), "{}", err.message);

    let mut v = droplet_json();
    v["networks"]["v4"][1]["ip_address"] = json!("not an ip");
    let body = serde_json::to_vec(&json!({ "droplet": v })).unwrap();
    let err = decode::one::<Droplet>(&body, "droplet").unwrap_err();
    assert_eq!(err.path, "droplet.networks.v4[1].ip_address");

    let mut v = droplet_json();
    v.as_object_mut().unwrap().remove("id");
    let err = serde_json::from_value::<Droplet>(v).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"));
}

#[test]
fn string_enums_display_and_parse() {
    assert_eq!(ActionStatus::from("in-progress"), ActionStatus::InProgress);
    assert_eq!(ActionStatus::InProgress.to_string(), "in-progress");
    assert_eq!(RecordType::from("AAAA"), RecordType::Aaaa);
    assert_eq!(RecordType::Unknown("HTTPS".into()).as_str(), "HTTPS");
}
