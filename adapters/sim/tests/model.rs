//! The model under a virtual clock: no sockets, no sleeps. Time moves only
//! when a test moves it.

mod common;

use std::time::{Duration, Instant};

use common::{drive_every_operation, fast_config, Driver, InProcess};
use doapi_sim::{Delivery, Fault, FaultRule, Served, Sim, SimConfig};
use http::Request;
use serde_json::{json, Value};

const BOOT: Duration = Duration::from_secs(1);
const ACTION: Duration = Duration::from_millis(500);

/// A simulator, a virtual clock and a token.
struct H {
    sim: Sim,
    now: Instant,
    token: String,
}

impl H {
    fn new(config: SimConfig) -> H {
        let now = Instant::now();
        H {
            sim: Sim::new(config, now),
            now,
            token: "t".into(),
        }
    }

    /// Default settings but no rate limit.
    fn unlimited() -> H {
        H::new(SimConfig {
            rate_per_minute: 0,
            rate_per_hour: 0,
            ..SimConfig::default()
        })
    }

    fn serve(&mut self, method: &str, path: &str, body: Option<Value>) -> Served {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "sim.test")
            .header("authorization", format!("Bearer {}", self.token))
            .body(body.map(|b| b.to_string().into_bytes()).unwrap_or_default())
            .unwrap();
        self.sim.handle(&req, self.now)
    }

    /// Status and JSON body (`null` for an empty body).
    fn call(&mut self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let r = self.serve(method, path, body);
        let status = r.response.status().as_u16();
        let body = r.response.body();
        let value = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(body).unwrap()
        };
        (status, value)
    }

    fn get(&mut self, path: &str) -> Value {
        let (status, body) = self.call("GET", path, None);
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    fn post(&mut self, path: &str, body: Value) -> (u16, Value) {
        self.call("POST", path, Some(body))
    }

    fn wait(&mut self, d: Duration) {
        self.now += d;
    }

    /// Creates one droplet and returns its id.
    fn create(&mut self, name: &str, extra: Value) -> u64 {
        let mut body = json!({
            "name": name, "size": "s-1vcpu-1gb", "image": "ubuntu-22-04-x64", "region": "nyc3"
        });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().cloned().unwrap_or_default());
        let (status, v) = self.post("/v2/droplets", body);
        assert_eq!(status, 202, "{v}");
        v["droplet"]["id"].as_u64().unwrap()
    }

    /// Creates a droplet and lets it boot.
    fn active(&mut self, name: &str, extra: Value) -> u64 {
        let id = self.create(name, extra);
        self.wait(BOOT);
        id
    }

    fn droplet(&mut self, id: u64) -> Value {
        self.get(&format!("/v2/droplets/{id}"))["droplet"].clone()
    }

    /// Starts an action and returns the action.
    fn act(&mut self, id: u64, body: Value) -> Value {
        let (status, v) = self.post(&format!("/v2/droplets/{id}/actions"), body);
        assert_eq!(status, 201, "{v}");
        v["action"].clone()
    }

    /// Runs an action to its end and returns the droplet.
    fn done(&mut self, id: u64, body: Value) -> Value {
        let a = self.act(id, body);
        assert_eq!(a["status"], "in-progress");
        self.wait(ACTION);
        let a = self.get(&format!("/v2/actions/{}", a["id"]))["action"].clone();
        assert_eq!(a["status"], "completed", "{a}");
        self.droplet(id)
    }
}

fn header(r: &Served, name: &str) -> String {
    r.response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[test]
fn the_client_reads_every_response() {
    let mut d = Driver::new(
        InProcess::new(fast_config()),
        "http://127.0.0.1:9",
        Duration::from_millis(20),
    );
    let ops = drive_every_operation(&mut d, false);
    assert!(ops >= 57, "{ops} operations");
    assert_eq!(d.wire.sim.stats().requests as usize, d.log.len());
}

#[test]
fn the_stack_is_built_and_torn_down_leaving_nothing() {
    let mut d = Driver::new(
        InProcess::new(fast_config()),
        "http://127.0.0.1:9",
        Duration::from_millis(20),
    );
    common::stack::drive_stack(&mut d, false);
    assert_eq!(d.wire.sim.stats().requests as usize, d.log.len());
}

#[test]
fn a_droplet_is_new_until_the_boot_delay_has_passed() {
    let mut h = H::unlimited();
    let (status, v) = h.post(
        "/v2/droplets",
        json!({"name": "web-1", "size": "s-1vcpu-1gb", "image": "ubuntu-22-04-x64",
               "region": "nyc3", "ipv6": true, "private_networking": true}),
    );
    assert_eq!(status, 202);
    let d = &v["droplet"];
    assert_eq!(d["status"], "new");
    assert_eq!(d["locked"], false);
    assert_eq!(d["networks"], json!({"v4": [], "v6": []}));
    assert_eq!(d["kernel"], Value::Null);
    assert_eq!(d["next_backup_window"], Value::Null);
    let id = d["id"].as_u64().unwrap();
    let create = v["links"]["actions"][0]["id"].as_u64().unwrap();
    assert_eq!(v["links"]["actions"][0]["rel"], "create");

    h.wait(BOOT - Duration::from_millis(1));
    assert_eq!(h.droplet(id)["status"], "new");
    let a = h.get(&format!("/v2/actions/{create}"))["action"].clone();
    assert_eq!(a["status"], "in-progress");
    assert_eq!(a["completed_at"], Value::Null);

    h.wait(Duration::from_millis(1));
    let d = h.droplet(id);
    assert_eq!(d["status"], "active");
    let v4 = d["networks"]["v4"].as_array().unwrap();
    assert_eq!(v4.len(), 2);
    assert!(v4.iter().all(|n| n["netmask"].is_string()));
    assert!(v4.iter().any(|n| n["type"] == "private"));
    assert_eq!(d["networks"]["v6"][0]["netmask"], 64);
    let a = h.get(&format!("/v2/actions/{create}"))["action"].clone();
    assert_eq!(
        (a["status"].as_str(), a["type"].as_str()),
        (Some("completed"), Some("create"))
    );
    assert!(a["completed_at"].is_string());
}

#[test]
fn an_action_locks_the_droplet_until_it_completes() {
    let mut h = H::unlimited();
    let id = h.active("web", json!({}));
    let (status, v) = h.post(
        &format!("/v2/droplets/{id}/actions"),
        json!({"type": "power_off"}),
    );
    assert_eq!(status, 201);
    assert_eq!(v["action"]["status"], "in-progress");
    assert_eq!(v["action"]["resource_id"], id);
    assert_eq!(v["action"]["region_slug"], "nyc3");
    let d = h.droplet(id);
    assert_eq!(
        (d["locked"].as_bool(), d["status"].as_str()),
        (Some(true), Some("active"))
    );
    let (status, v) = h.post(
        &format!("/v2/droplets/{id}/actions"),
        json!({"type": "reboot"}),
    );
    assert_eq!(status, 422);
    assert_eq!(v["id"], "unprocessable_entity");

    h.wait(ACTION);
    let d = h.droplet(id);
    assert_eq!(
        (d["locked"].as_bool(), d["status"].as_str()),
        (Some(false), Some("off"))
    );
    assert_eq!(h.done(id, json!({"type": "power_on"}))["status"], "active");
    assert_eq!(h.done(id, json!({"type": "shutdown"}))["status"], "off");
    assert_eq!(
        h.done(id, json!({"type": "power_cycle"}))["status"],
        "active"
    );
    assert_eq!(h.done(id, json!({"type": "reboot"}))["status"], "active");
    assert_eq!(
        h.done(id, json!({"type": "password_reset"}))["status"],
        "active"
    );
}

#[test]
fn a_new_droplet_has_a_pending_event() {
    let mut h = H::unlimited();
    let id = h.create("web", json!({}));
    let (status, _) = h.post(
        &format!("/v2/droplets/{id}/actions"),
        json!({"type": "reboot"}),
    );
    assert_eq!(status, 422);
}

#[test]
fn actions_change_the_droplet() {
    let mut h = H::unlimited();
    let id = h.active("web", json!({}));
    assert_eq!(
        h.done(id, json!({"type": "rename", "name": "db-1"}))["name"],
        "db-1"
    );

    let d = h.done(id, json!({"type": "resize", "size": "s-2vcpu-4gb"}));
    assert_eq!(
        (d["size_slug"].as_str(), d["memory"].as_u64()),
        (Some("s-2vcpu-4gb"), Some(4096))
    );
    assert_eq!(d["disk"], 25, "the disk grows only with disk=true");
    let d = h.done(
        id,
        json!({"type": "resize", "size": "s-2vcpu-4gb", "disk": true}),
    );
    assert_eq!(d["disk"], 80);
    let (status, _) = h.post(
        &format!("/v2/droplets/{id}/actions"),
        json!({"type": "resize", "size": "s-1vcpu-1gb"}),
    );
    assert_eq!(status, 422, "the disk cannot shrink");

    let d = h.done(id, json!({"type": "enable_ipv6"}));
    assert!(d["features"].as_array().unwrap().contains(&json!("ipv6")));
    assert_eq!(d["networks"]["v6"][0]["netmask"], 64);
    let d = h.done(id, json!({"type": "enable_private_networking"}));
    assert_eq!(d["networks"]["v4"].as_array().unwrap().len(), 2);

    let kernel = h.get(&format!("/v2/droplets/{id}/kernels"))["kernels"][3].clone();
    let d = h.done(id, json!({"type": "change_kernel", "kernel": kernel["id"]}));
    assert_eq!(d["kernel"], kernel);

    let d = h.done(id, json!({"type": "rebuild", "image": "debian-12-x64"}));
    assert_eq!(d["image"]["slug"], "debian-12-x64");
}

#[test]
fn a_snapshot_becomes_an_image() {
    let mut h = H::unlimited();
    let id = h.active("web", json!({}));
    let d = h.done(id, json!({"type": "snapshot", "name": "s1"}));
    let snap = d["snapshot_ids"][0].as_u64().unwrap();
    let image = h.get(&format!("/v2/images/{snap}"))["image"].clone();
    assert_eq!(image["name"], "s1");
    assert_eq!(image["type"], "snapshot");
    assert_eq!(image["public"], false);
    assert_eq!(image["regions"], json!(["nyc3"]));
    let snaps = h.get(&format!("/v2/droplets/{id}/snapshots"));
    assert_eq!(snaps["snapshots"][0]["id"], snap);
    let private = h.get("/v2/images?private=true");
    assert_eq!(private["images"][0]["id"], snap);

    let d = h.done(id, json!({"type": "restore", "image": snap}));
    assert_eq!(d["status"], "active");
    let (status, _) = h.post(
        &format!("/v2/droplets/{id}/actions"),
        json!({"type": "restore", "image": 112929454}),
    );
    assert_eq!(status, 422, "only its own backups and snapshots");

    let (status, _) = h.call("DELETE", &format!("/v2/images/{snap}"), None);
    assert_eq!(status, 204);
    assert_eq!(h.droplet(id)["snapshot_ids"], json!([]));
}

#[test]
fn backups_are_taken_each_interval_while_enabled() {
    let day = Duration::from_secs(24 * 3600);
    let mut h = H::unlimited();
    let id = h.active("web", json!({"backups": true}));
    let d = h.droplet(id);
    assert!(d["features"]
        .as_array()
        .unwrap()
        .contains(&json!("backups")));
    assert!(d["next_backup_window"]["start"].is_string());
    assert_eq!(d["backup_ids"], json!([]));
    h.wait(day);
    assert_eq!(h.droplet(id)["backup_ids"].as_array().unwrap().len(), 1);
    h.wait(day * 9);
    let d = h.droplet(id);
    assert_eq!(
        d["backup_ids"].as_array().unwrap().len(),
        4,
        "older backups are deleted"
    );
    let backups = h.get(&format!("/v2/droplets/{id}/backups"));
    assert_eq!(backups["meta"]["total"], 4);
    assert_eq!(backups["backups"][0]["type"], "backup");

    let d = h.done(id, json!({"type": "disable_backups"}));
    assert_eq!(d["next_backup_window"], Value::Null);
    h.wait(day * 2);
    assert_eq!(h.droplet(id)["backup_ids"].as_array().unwrap().len(), 4);
    let d = h.done(id, json!({"type": "enable_backups"}));
    assert!(d["next_backup_window"].is_object());
}

#[test]
fn configured_actions_end_errored_without_effect() {
    let mut h = H::new(SimConfig {
        failing_actions: vec!["power_off".into()],
        ..SimConfig::default()
    });
    let id = h.active("web", json!({}));
    let a = h.act(id, json!({"type": "power_off"}));
    h.wait(ACTION);
    let a = h.get(&format!("/v2/actions/{}", a["id"]))["action"].clone();
    assert_eq!(a["status"], "errored");
    assert!(a["completed_at"].is_string());
    let d = h.droplet(id);
    assert_eq!(
        (d["status"].as_str(), d["locked"].as_bool()),
        (Some("active"), Some(false))
    );

    let mut h = H::new(SimConfig {
        action_error_rate: 1.0,
        ..SimConfig::default()
    });
    let id = h.active("web", json!({}));
    assert_eq!(h.droplet(id)["status"], "active", "create never fails");
    let a = h.act(id, json!({"type": "rename", "name": "x"}));
    h.wait(ACTION);
    assert_eq!(
        h.get(&format!("/v2/actions/{}", a["id"]))["action"]["status"],
        "errored"
    );
    assert_eq!(h.droplet(id)["name"], "web");
}

#[test]
fn actions_are_listed_newest_first() {
    let mut h = H::unlimited();
    let id = h.active("web", json!({}));
    let other = h.active("other", json!({}));
    let mut ids = Vec::new();
    for t in ["reboot", "power_off", "power_on"] {
        ids.push(h.act(id, json!({"type": t}))["id"].as_u64().unwrap());
        h.act(other, json!({"type": t}));
        h.wait(ACTION);
    }
    let listed: Vec<u64> = h.get(&format!("/v2/droplets/{id}/actions"))["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_u64().unwrap())
        .collect();
    assert_eq!(listed.len(), 4, "create and three more");
    assert_eq!(&listed[..3], &[ids[2], ids[1], ids[0]]);
    let last = h.get(&format!("/v2/droplets/{id}/actions?per_page=1"));
    assert_eq!(last["actions"][0]["id"], ids[2]);
    let all = h.get("/v2/actions");
    let all: Vec<u64> = all["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_u64().unwrap())
        .collect();
    assert!(all.windows(2).all(|w| w[0] > w[1]));
    let a = h.get(&format!("/v2/droplets/{id}/actions/{}", ids[0]));
    assert_eq!(a["action"]["type"], "reboot");
    let (status, _) = h.call(
        "GET",
        &format!("/v2/droplets/{other}/actions/{}", ids[0]),
        None,
    );
    assert_eq!(status, 404, "another droplet's action");
}

#[test]
fn delete_answers_204_then_404() {
    let mut h = H::unlimited();
    let id = h.active("web", json!({}));
    let r = h.serve("DELETE", &format!("/v2/droplets/{id}"), None);
    assert_eq!(r.response.status(), 204);
    assert!(r.response.body().is_empty());
    assert!(r.response.headers().get("content-type").is_none());
    let r = h.serve("GET", &format!("/v2/droplets/{id}"), None);
    assert_eq!(r.response.status(), 404);
    let body: Value = serde_json::from_slice(r.response.body()).unwrap();
    assert_eq!(body["id"], "not_found");
    assert!(body["message"].is_string());
    assert_eq!(
        body["request_id"].as_str().unwrap(),
        header(&r, "x-request-id")
    );
    let (status, _) = h.call("DELETE", &format!("/v2/droplets/{id}"), None);
    assert_eq!(status, 404);
}

#[test]
fn tags_filter_listings_and_drive_actions_and_deletes() {
    let mut h = H::unlimited();
    let a = h.active("a", json!({"tags": ["web"]}));
    let b = h.active("b", json!({"tags": ["web", "env:prod"]}));
    let c = h.active("c", json!({}));
    let web = h.get("/v2/droplets?tag_name=web");
    assert_eq!(web["meta"]["total"], 2);
    let tag = h.get("/v2/tags/web")["tag"].clone();
    assert_eq!(tag["resources"]["count"], 2);
    assert_eq!(tag["resources"]["droplets"]["count"], 2);
    assert_eq!(
        tag["resources"]["droplets"]["last_tagged_uri"],
        format!("http://sim.test/v2/droplets/{b}")
    );

    let (status, v) = h.post(
        "/v2/droplets/actions?tag_name=web",
        json!({"type": "power_off"}),
    );
    assert_eq!(status, 201);
    let acted: Vec<u64> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["resource_id"].as_u64().unwrap())
        .collect();
    assert_eq!(acted, [a, b]);
    let (status, _) = h.post(
        "/v2/droplets/actions?tag_name=web",
        json!({"type": "rename", "name": "x"}),
    );
    assert_eq!(status, 422, "rename is not an action by tag");
    h.wait(ACTION);
    assert_eq!(h.droplet(a)["status"], "off");
    assert_eq!(h.droplet(c)["status"], "active");

    let (status, _) = h.call(
        "POST",
        "/v2/tags/web/resources",
        Some(
            json!({"resources": [{"resource_id": c.to_string(), "resource_type": "droplet"},
                                  {"resource_id": "112929454", "resource_type": "image"}]}),
        ),
    );
    assert_eq!(status, 204);
    assert_eq!(h.get("/v2/images?tag_name=web")["meta"]["total"], 1);
    assert_eq!(h.get("/v2/tags/web")["tag"]["resources"]["count"], 4);
    let (status, _) = h.call(
        "DELETE",
        "/v2/tags/web/resources",
        Some(json!({"resources": [{"resource_id": "112929454", "resource_type": "image"}]})),
    );
    assert_eq!(status, 204);
    let (status, _) = h.call(
        "POST",
        "/v2/tags/nope/resources",
        Some(json!({"resources": [{"resource_id": "1", "resource_type": "droplet"}]})),
    );
    assert_eq!(status, 404);

    let (status, _) = h.call("DELETE", "/v2/droplets?tag_name=web", None);
    assert_eq!(status, 204);
    assert_eq!(h.get("/v2/droplets")["meta"]["total"], 0);
    let (status, _) = h.call("DELETE", "/v2/tags/env%3Aprod", None);
    assert_eq!(status, 204);
    assert_eq!(h.get("/v2/tags")["meta"]["total"], 1);
}

/// Every listing by tag, page by page, is the full listing filtered by the
/// droplets' own tags, however tags and droplets come and go.
#[test]
fn listings_by_tag_follow_every_change_of_tags_and_droplets() {
    let mut h = H::unlimited();
    let tags = ["web", "db", "env:prod"];
    for t in tags {
        h.post("/v2/tags", json!({"name": t}));
    }
    let mut ids = Vec::new();
    for i in 0..24u64 {
        let mine: Vec<&str> = tags
            .iter()
            .copied()
            .filter(|_| i % 3 != 0)
            .take(1 + (i as usize % 3))
            .collect();
        ids.push(h.create(&format!("d{i}"), json!({ "tags": mine })));
    }
    let check = |h: &mut H| {
        let (all, _) = walk(h, "/v2/droplets?per_page=7");
        let full = h.get("/v2/droplets?per_page=200")["droplets"].clone();
        for t in tags {
            let want: Vec<u64> = full
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["tags"].as_array().unwrap().iter().any(|x| x == t))
                .map(|d| d["id"].as_u64().unwrap())
                .collect();
            let path = format!("/v2/droplets?per_page=7&tag_name={}", t.replace(':', "%3A"));
            assert_eq!(walk(h, &path).0, want, "tag {t}");
            let (status, tag) = h.call("GET", &format!("/v2/tags/{}", t.replace(':', "%3A")), None);
            match status {
                200 => assert_eq!(
                    tag["tag"]["resources"]["droplets"]["count"],
                    json!(want.len())
                ),
                // A deleted tag is on no droplet.
                _ => assert!(status == 404 && want.is_empty(), "tag {t}: {status}"),
            }
        }
        assert_eq!(all.len(), full.as_array().unwrap().len());
    };
    check(&mut h);
    let resources = |ids: &[u64]| {
        let r: Vec<Value> = ids
            .iter()
            .map(|id| json!({"resource_id": id.to_string(), "resource_type": "droplet"}))
            .collect();
        json!({ "resources": r })
    };
    h.call("POST", "/v2/tags/db/resources", Some(resources(&ids[..10])));
    check(&mut h);
    h.call(
        "DELETE",
        "/v2/tags/web/resources",
        Some(resources(&ids[5..15])),
    );
    check(&mut h);
    for id in &ids[18..21] {
        h.call("DELETE", &format!("/v2/droplets/{id}"), None);
    }
    check(&mut h);
    h.call("DELETE", "/v2/droplets?tag_name=db", None);
    check(&mut h);
    h.call("DELETE", "/v2/tags/env%3Aprod", None);
    check(&mut h);
    h.create("late", json!({"tags": ["web"]}));
    check(&mut h);
}

/// Follows `next` from `first` and returns the ids and the number of pages.
fn walk(h: &mut H, first: &str) -> (Vec<u64>, usize) {
    let mut ids = Vec::new();
    let mut pages = 0;
    let mut url = first.to_owned();
    loop {
        let page = h.get(&url);
        pages += 1;
        ids.extend(
            page["droplets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["id"].as_u64().unwrap()),
        );
        match page["links"]["pages"].get("next") {
            Some(next) => {
                let next = next.as_str().unwrap();
                assert!(
                    next.starts_with("http://sim.test/v2/droplets?page="),
                    "{next}"
                );
                assert!(next.contains("per_page="), "{next}");
                url = next.trim_start_matches("http://sim.test").to_owned();
            }
            None => return (ids, pages),
        }
    }
}

#[test]
fn pagination_boundaries() {
    for n in [0usize, 1, 20, 200, 201] {
        let mut h = H::new(SimConfig {
            seed_droplets: n,
            rate_per_minute: 0,
            rate_per_hour: 0,
            ..SimConfig::default()
        });
        let first = h.get("/v2/droplets");
        assert_eq!(first["meta"]["total"], n);
        assert_eq!(first["droplets"].as_array().unwrap().len(), n.min(20));
        if n <= 20 {
            assert_eq!(
                first["links"],
                json!({}),
                "n={n}: one page has no page links"
            );
        } else {
            let pages = &first["links"]["pages"];
            assert!(pages.get("first").is_none() && pages.get("prev").is_none());
            assert_eq!(
                pages["last"],
                format!(
                    "http://sim.test/v2/droplets?page={}&per_page=20",
                    n.div_ceil(20)
                )
            );
        }
        for (url, per_page) in [("/v2/droplets", 20), ("/v2/droplets?per_page=200", 200)] {
            let (ids, pages) = walk(&mut h, url);
            assert_eq!(ids.len(), n, "n={n} per_page={per_page}");
            let mut unique = ids.clone();
            unique.dedup();
            assert_eq!(unique.len(), n);
            assert_eq!(
                pages,
                n.div_ceil(per_page).max(1),
                "n={n} per_page={per_page}"
            );
        }
        if n == 201 {
            let last = h.get("/v2/droplets?page=2&per_page=200");
            assert_eq!(last["droplets"].as_array().unwrap().len(), 1);
            let pages = &last["links"]["pages"];
            assert!(pages.get("next").is_none() && pages.get("last").is_none());
            assert_eq!(
                pages["prev"],
                "http://sim.test/v2/droplets?page=1&per_page=200"
            );
            assert_eq!(
                h.get("/v2/droplets?per_page=500")["droplets"]
                    .as_array()
                    .unwrap()
                    .len(),
                200
            );
        }
    }
    let mut h = H::unlimited();
    assert_eq!(h.get("/v2/droplets?page=9")["droplets"], json!([]));
    for bad in ["per_page=0", "per_page=x", "page=0"] {
        let (status, v) = h.call("GET", &format!("/v2/droplets?{bad}"), None);
        assert_eq!(
            (status, v["id"].as_str()),
            (400, Some("bad_request")),
            "{bad}"
        );
    }
}

#[test]
fn links_keep_filters_and_use_the_public_url() {
    let mut h = H::new(SimConfig {
        seed_droplets: 3,
        public_url: Some("https://proxy.example/".into()),
        ..SimConfig::default()
    });
    let v = h.get("/v2/sizes?per_page=5");
    assert_eq!(
        v["links"]["pages"]["next"],
        "https://proxy.example/v2/sizes?page=2&per_page=5"
    );
    let mut h = H::new(SimConfig {
        seed_droplets: 3,
        ..SimConfig::default()
    });
    h.call("POST", "/v2/tags", Some(json!({"name": "k8s:web"})));
    for id in [500_000_001u64, 500_000_002] {
        h.call(
            "POST",
            "/v2/tags/k8s:web/resources",
            Some(
                json!({"resources": [{"resource_id": id.to_string(), "resource_type": "droplet"}]}),
            ),
        );
    }
    let v = h.get("/v2/droplets?per_page=1&tag_name=k8s%3Aweb");
    assert_eq!(
        v["links"]["pages"]["next"],
        "http://sim.test/v2/droplets?page=2&per_page=1&tag_name=k8s%3Aweb"
    );
}

#[test]
fn requests_need_a_bearer_token() {
    let mut h = H::unlimited();
    for auth in [None, Some("Basic dTpw"), Some("Bearer "), Some("Bearer")] {
        let mut req = Request::get("/v2/account");
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let r = h.sim.handle(&req.body(Vec::new()).unwrap(), h.now);
        assert_eq!(r.response.status(), 401, "{auth:?}");
        let body: Value = serde_json::from_slice(r.response.body()).unwrap();
        assert_eq!(body["id"], "unauthorized");
    }
    let mut h = H::new(SimConfig {
        tokens: vec!["right".into()],
        ..SimConfig::default()
    });
    h.token = "wrong".into();
    assert_eq!(h.call("GET", "/v2/account", None).0, 401);
    h.token = "right".into();
    assert_eq!(h.call("GET", "/v2/account", None).0, 200);
}

#[test]
fn the_budget_limits_each_token_per_minute_and_per_hour() {
    let mut h = H::new(SimConfig {
        rate_per_minute: 3,
        rate_per_hour: 5,
        ..SimConfig::default()
    });
    let start = 1_767_225_600u64;
    for left in [4, 3, 2] {
        let r = h.serve("GET", "/v2/account", None);
        assert_eq!(r.response.status(), 200);
        assert_eq!(header(&r, "ratelimit-limit"), "5");
        assert_eq!(header(&r, "ratelimit-remaining"), left.to_string());
        assert_eq!(header(&r, "ratelimit-reset"), (start + 3600).to_string());
        h.wait(Duration::from_secs(10));
    }
    let r = h.serve("GET", "/v2/account", None);
    assert_eq!(r.response.status(), 429);
    assert_eq!(
        header(&r, "retry-after"),
        "30",
        "the first request leaves the minute at 60 s"
    );
    assert_eq!(header(&r, "ratelimit-remaining"), "0");
    assert_eq!(header(&r, "ratelimit-reset"), (start + 60).to_string());
    let body: Value = serde_json::from_slice(r.response.body()).unwrap();
    assert_eq!(body["id"], "too_many_requests");

    h.token = "other".into();
    assert_eq!(
        h.call("GET", "/v2/account", None).0,
        200,
        "each token has its own budget"
    );
    h.token = "t".into();

    h.wait(Duration::from_secs(30));
    assert_eq!(h.call("GET", "/v2/account", None).0, 200);
    h.wait(Duration::from_secs(60));
    assert_eq!(h.call("GET", "/v2/account", None).0, 200);
    let r = h.serve("GET", "/v2/account", None);
    assert_eq!(r.response.status(), 429, "five in the hour");
    assert_eq!(header(&r, "retry-after"), (3600 - 120).to_string());
    h.wait(Duration::from_secs(3600 - 120));
    assert_eq!(h.call("GET", "/v2/account", None).0, 200);
}

#[test]
fn the_budget_can_be_off() {
    let mut h = H::unlimited();
    for _ in 0..300 {
        let r = h.serve("GET", "/v2/account", None);
        assert_eq!(r.response.status(), 200);
        // The headers all the same, with a large allowance.
        assert_eq!(header(&r, "ratelimit-limit"), "1000000");
        assert_eq!(header(&r, "ratelimit-remaining"), "1000000");
    }
}

fn faulty(rules: &[&str]) -> H {
    H::new(SimConfig {
        faults: rules
            .iter()
            .map(|r| r.parse::<FaultRule>().unwrap())
            .collect(),
        ..SimConfig::default()
    })
}

#[test]
fn a_429_burst_on_a_schedule() {
    let mut h = faulty(&["429,retry-after=7,from=2,to=3"]);
    let statuses: Vec<u16> = (0..4)
        .map(|_| {
            let r = h.serve("GET", "/v2/account", None);
            if r.response.status() == 429 {
                assert_eq!(header(&r, "retry-after"), "7");
                assert_eq!(header(&r, "ratelimit-remaining"), "0");
                assert_eq!(
                    header(&r, "ratelimit-reset"),
                    (1_767_225_600 + 7).to_string()
                );
            }
            r.response.status().as_u16()
        })
        .collect();
    assert_eq!(statuses, [200, 429, 429, 200]);
}

#[test]
fn server_errors_at_a_seeded_rate() {
    let run = |seed: u64| -> Vec<u16> {
        let mut h = H::new(SimConfig {
            seed,
            rate_per_minute: 0,
            faults: vec![FaultRule {
                trigger: doapi_sim::Trigger::Rate(0.3),
                ..FaultRule::always(Fault::Status { status: 503 })
            }],
            ..SimConfig::default()
        });
        (0..200)
            .map(|_| h.call("GET", "/v2/regions", None).0)
            .collect()
    };
    let a = run(5);
    let errors = a.iter().filter(|s| **s == 503).count();
    assert!((40..=80).contains(&errors), "{errors}");
    assert!(a.iter().all(|s| *s == 200 || *s == 503));
    assert_eq!(a, run(5), "same seed, same faults");
    assert_ne!(a, run(6));
    let mut h = faulty(&["500"]);
    let (status, v) = h.call("GET", "/v2/regions", None);
    assert_eq!((status, v["id"].as_str()), (500, Some("server_error")));
}

#[test]
fn a_droplet_can_be_missing_just_after_its_create() {
    let mut h = faulty(&["404,from=1,to=2,route=GET /v2/droplets/{id}"]);
    let id = h.create("web", json!({}));
    let path = format!("/v2/droplets/{id}");
    let (status, v) = h.call("GET", &path, None);
    assert_eq!((status, v["id"].as_str()), (404, Some("not_found")));
    assert_eq!(h.call("GET", &path, None).0, 404);
    assert_eq!(h.call("GET", &path, None).0, 200);
}

#[test]
fn a_handled_fault_carries_the_request_out() {
    let body = json!({"name": "x", "size": "s-1vcpu-1gb", "image": "ubuntu-22-04-x64"});
    let mut lost = faulty(&["500,route=POST /v2/droplets"]);
    assert_eq!(lost.post("/v2/droplets", body.clone()).0, 500);
    assert_eq!(lost.get("/v2/droplets")["meta"]["total"], 0);
    let mut done = faulty(&["500,route=POST /v2/droplets,handled=true"]);
    assert_eq!(done.post("/v2/droplets", body).0, 500);
    assert_eq!(
        done.get("/v2/droplets")["meta"]["total"],
        1,
        "created although the client saw 500"
    );
}

#[test]
fn latency_drops_and_damaged_bodies() {
    let mut h = faulty(&["latency,ms=200,every=2"]);
    assert_eq!(h.serve("GET", "/v2/account", None).delay, Duration::ZERO);
    assert_eq!(
        h.serve("GET", "/v2/account", None).delay,
        Duration::from_millis(200)
    );

    let mut h = faulty(&["drop,route=GET /v2/account"]);
    assert_eq!(
        h.serve("GET", "/v2/account", None).delivery,
        Delivery::Dropped
    );
    assert_eq!(
        h.serve("GET", "/v2/regions", None).delivery,
        Delivery::Whole
    );
    let stats = h.sim.stats();
    assert_eq!(stats.routes["GET /v2/account"].dropped, 1);
    assert_eq!(stats.routes["GET /v2/regions"].statuses[&200], 1);

    let mut h = faulty(&["truncate"]);
    let r = h.serve("GET", "/v2/account", None);
    assert_eq!(r.delivery, Delivery::Truncated);
    assert!(
        serde_json::from_slice::<Value>(r.response.body()).is_ok(),
        "the server cuts it"
    );

    let mut h = faulty(&["malformed"]);
    let r = h.serve("GET", "/v2/account", None);
    assert_eq!(
        (r.response.status().as_u16(), r.delivery),
        (200, Delivery::Whole)
    );
    assert!(serde_json::from_slice::<Value>(r.response.body()).is_err());
    let r = h.serve("DELETE", "/v2/account/keys/1", None);
    assert_eq!(r.response.status(), 404);
    assert!(serde_json::from_slice::<Value>(r.response.body()).is_err());
}

#[test]
fn the_same_seed_and_clock_give_the_same_bytes() {
    let run = || {
        let mut h = H::new(SimConfig {
            seed_droplets: 2,
            faults: vec!["503,rate=0.2".parse().unwrap()],
            ..SimConfig::default()
        });
        let mut out = Vec::new();
        for i in 0..30u64 {
            let body = json!({"name": format!("n{i}"), "size": "s-1vcpu-1gb", "image": "ubuntu-22-04-x64"});
            for r in [
                h.serve("POST", "/v2/droplets", Some(body)),
                h.serve("GET", "/v2/droplets?per_page=5", None),
                h.serve(
                    "POST",
                    &format!("/v2/droplets/{}/actions", 500_000_001 + i),
                    Some(json!({"type": "reboot"})),
                ),
            ] {
                let headers: Vec<_> = r
                    .response
                    .headers()
                    .iter()
                    .map(|(k, v)| format!("{k}: {v:?}"))
                    .collect();
                out.push((r.response.status(), headers, r.response.body().clone()));
            }
            h.wait(Duration::from_millis(300));
        }
        out
    };
    assert_eq!(run(), run());
}

#[test]
fn bad_requests_get_digitaloceans_error_shape() {
    let mut h = H::unlimited();
    let id = h.active("web", json!({}));
    let raw = |h: &mut H, path: &str, body: &str| {
        let req = Request::post(path)
            .header("authorization", "Bearer t")
            .body(body.as_bytes().to_vec())
            .unwrap();
        let r = h.sim.handle(&req, h.now);
        let v: Value = serde_json::from_slice(r.response.body()).unwrap();
        (
            r.response.status().as_u16(),
            v["id"].as_str().unwrap().to_owned(),
        )
    };
    assert_eq!(
        raw(&mut h, "/v2/droplets", "{"),
        (400, "bad_request".into())
    );
    assert_eq!(
        raw(&mut h, "/v2/droplets", "[1]"),
        (422, "unprocessable_entity".into())
    );
    assert_eq!(
        raw(&mut h, "/v2/tags", ""),
        (422, "unprocessable_entity".into())
    );
    assert_eq!(
        raw(&mut h, &format!("/v2/droplets/{id}/actions"), "\u{0}"),
        (400, "bad_request".into())
    );
    let base = json!({"name": "ok", "size": "s-1vcpu-1gb", "image": "ubuntu-22-04-x64"});
    for (field, value) in [
        ("name", json!("not a host name")),
        ("name", json!(5)),
        ("size", json!("s-99vcpu")),
        ("region", json!("nyc2")),
        ("region", json!("mars1")),
        ("image", json!("no-such-image")),
        ("image", json!(1)),
        ("ssh_keys", json!([12345])),
        ("tags", json!(["bad tag"])),
    ] {
        let mut body = base.clone();
        body[field] = value.clone();
        let (status, v) = h.post("/v2/droplets", body);
        assert_eq!(
            (status, v["id"].as_str()),
            (422, Some("unprocessable_entity")),
            "{field}={value}"
        );
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let names: Vec<String> = (0..11).map(|i| format!("n{i}")).collect();
    let (status, _) = h.post(
        "/v2/droplets",
        json!({"names": names, "size": "s-1vcpu-1gb", "image": 112929454}),
    );
    assert_eq!(status, 422, "at most ten at once");
    let (status, _) = h.post(
        &format!("/v2/droplets/{id}/actions"),
        json!({"type": "fly"}),
    );
    assert_eq!(status, 422);
    let (status, _) = h.post(
        &format!("/v2/droplets/{id}/actions"),
        json!({"type": "rename"}),
    );
    assert_eq!(status, 422);
    let (status, v) = h.call("PATCH", &format!("/v2/droplets/{id}"), None);
    assert_eq!(
        (status, v["id"].as_str()),
        (405, Some("method_not_allowed"))
    );
    let (status, v) = h.call("GET", "/v2/volcanoes", None);
    assert_eq!((status, v["id"].as_str()), (404, Some("not_found")));
    let (status, _) = h.call("GET", "/v2/droplets/abc", None);
    assert_eq!(status, 404);
    assert_eq!(h.sim.stats().routes["GET *"].statuses[&404], 1);
}

#[test]
fn domains_and_records() {
    let mut h = H::unlimited();
    let (status, v) = h.post(
        "/v2/domains",
        json!({"name": "Example.com", "ip_address": "192.0.2.1"}),
    );
    assert_eq!(status, 201);
    assert_eq!(v["domain"]["name"], "example.com");
    assert_eq!(v["domain"]["ttl"], 1800);
    assert_eq!(h.post("/v2/domains", json!({"name": "example.com"})).0, 422);
    assert_eq!(h.post("/v2/domains", json!({"name": "nodot"})).0, 422);
    let records = h.get("/v2/domains/example.com/records");
    assert_eq!(records["meta"]["total"], 5, "SOA, three NS, the apex A");
    assert_eq!(
        h.get("/v2/domains/example.com/records?type=NS")["meta"]["total"],
        3
    );

    let path = "/v2/domains/example.com/records";
    assert_eq!(
        h.post(
            path,
            json!({"type": "MX", "name": "@", "data": "mail.example.com"})
        )
        .0,
        422
    );
    assert_eq!(
        h.post(
            path,
            json!({"type": "AAAA", "name": "www", "data": "192.0.2.1"})
        )
        .0,
        422
    );
    assert_eq!(
        h.post(path, json!({"type": "SOA", "name": "@", "data": "x"}))
            .0,
        422
    );
    assert_eq!(h.post(path, json!({"type": "A", "name": "www"})).0, 422);
    let (status, v) = h.post(
        path,
        json!({"type": "A", "name": "www", "data": "192.0.2.2", "priority": 5}),
    );
    assert_eq!(status, 201);
    let www = v["domain_record"].clone();
    assert_eq!(www["priority"], Value::Null, "A records have no priority");
    assert_eq!(www["ttl"], 1800);
    let (_, v) = h.post(
        path,
        json!({"type": "SRV", "name": "_sip._tcp", "data": "sip.example.com",
                                       "priority": 1, "port": 5060, "weight": 10}),
    );
    assert_eq!(v["domain_record"]["port"], 5060);
    let id = www["id"].as_u64().unwrap();
    let by_name = h.get("/v2/domains/example.com/records?name=www.example.com");
    assert_eq!(by_name["domain_records"][0]["id"], id);

    let rec = format!("{path}/{id}");
    let (status, v) = h.call("PUT", &rec, Some(json!({"type": "A", "data": "192.0.2.3"})));
    assert_eq!(
        (status, v["domain_record"]["data"].as_str()),
        (200, Some("192.0.2.3"))
    );
    assert_eq!(h.call("PUT", &rec, Some(json!({"type": "CNAME"}))).0, 422);
    assert_eq!(h.call("PATCH", &rec, Some(json!({"data": "nope"}))).0, 422);
    let zone = h.get("/v2/domains/example.com")["domain"]["zone_file"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        zone.contains("www.example.com. 1800 IN A 192.0.2.3"),
        "{zone}"
    );
    assert!(
        zone.contains("example.com. IN SOA ns1.digitalocean.com."),
        "{zone}"
    );
    assert_eq!(h.call("DELETE", &rec, None).0, 204);
    assert_eq!(h.call("GET", &rec, None).0, 404);
    assert_eq!(h.call("DELETE", "/v2/domains/example.com", None).0, 204);
    assert_eq!(h.call("GET", "/v2/domains/example.com", None).0, 404);
}

#[test]
fn ssh_keys_by_id_and_fingerprint() {
    let mut h = H::unlimited();
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGtleQ me@host";
    let (status, v) = h.post("/v2/account/keys", json!({"name": "k", "public_key": key}));
    assert_eq!(status, 201);
    let id = v["ssh_key"]["id"].as_u64().unwrap();
    let fp = v["ssh_key"]["fingerprint"].as_str().unwrap().to_owned();
    assert_eq!(fp.len(), 47);
    assert_eq!(fp.matches(':').count(), 15);
    assert_eq!(
        h.post(
            "/v2/account/keys",
            json!({"name": "again", "public_key": key})
        )
        .0,
        422
    );
    assert_eq!(
        h.post(
            "/v2/account/keys",
            json!({"name": "bad", "public_key": "hello"})
        )
        .0,
        422
    );
    assert_eq!(
        h.get(&format!("/v2/account/keys/{fp}"))["ssh_key"]["id"],
        id
    );
    let (status, v) = h.call(
        "PUT",
        &format!("/v2/account/keys/{id}"),
        Some(json!({"name": "renamed"})),
    );
    assert_eq!(
        (status, v["ssh_key"]["name"].as_str()),
        (200, Some("renamed"))
    );
    let d = h.create("web", json!({"ssh_keys": [fp.clone()]}));
    assert!(d > 0);
    assert_eq!(
        h.call("DELETE", &format!("/v2/account/keys/{fp}"), None).0,
        204
    );
    assert_eq!(
        h.call("GET", &format!("/v2/account/keys/{id}"), None).0,
        404
    );
}

#[test]
fn floating_ips_are_assigned_through_actions() {
    let mut h = H::unlimited();
    let web = h.active("web", json!({}));
    let far = h.active("far", json!({"region": "fra1"}));
    let (status, v) = h.post("/v2/floating_ips", json!({"region": "nyc3"}));
    assert_eq!(status, 202);
    let ip = v["floating_ip"]["ip"].as_str().unwrap().to_owned();
    assert_eq!(v["floating_ip"]["droplet"], Value::Null);
    assert_eq!(v["floating_ip"]["locked"], false);
    let actions = format!("/v2/floating_ips/{ip}/actions");
    assert_eq!(
        h.post(&actions, json!({"type": "assign", "droplet_id": far}))
            .0,
        422
    );
    assert_eq!(h.post(&actions, json!({"type": "unassign"})).0, 422);
    let (status, v) = h.post(&actions, json!({"type": "assign", "droplet_id": web}));
    assert_eq!(status, 201);
    let a = v["action"].clone();
    assert_eq!(a["type"], "assign_ip");
    assert_eq!(a["resource_type"], "floating_ip");
    let number = u64::from(u32::from(ip.parse::<std::net::Ipv4Addr>().unwrap()));
    assert_eq!(a["resource_id"], number);
    assert_eq!(
        h.get(&format!("/v2/floating_ips/{ip}"))["floating_ip"]["locked"],
        true
    );
    assert_eq!(
        h.post(&actions, json!({"type": "unassign"})).0,
        422,
        "pending event"
    );
    h.wait(ACTION);
    let fip = h.get(&format!("/v2/floating_ips/{ip}"))["floating_ip"].clone();
    assert_eq!(fip["droplet"]["id"], web);
    assert_eq!(fip["locked"], false);
    assert_eq!(
        h.get(&format!("{actions}/{}", a["id"]))["action"]["status"],
        "completed"
    );
    h.post(&actions, json!({"type": "unassign"}));
    h.wait(ACTION);
    assert_eq!(
        h.get(&format!("/v2/floating_ips/{ip}"))["floating_ip"]["droplet"],
        Value::Null
    );
    assert_eq!(h.get(&actions)["meta"]["total"], 2);

    let (_, v) = h.post("/v2/floating_ips", json!({"droplet_id": far}));
    let far_ip = v["floating_ip"]["ip"].as_str().unwrap().to_owned();
    assert_eq!(v["floating_ip"]["region"]["slug"], "fra1");
    h.wait(ACTION);
    assert_eq!(
        h.get(&format!("/v2/floating_ips/{far_ip}"))["floating_ip"]["droplet"]["id"],
        far
    );
    h.call("DELETE", &format!("/v2/droplets/{far}"), None);
    assert_eq!(
        h.get(&format!("/v2/floating_ips/{far_ip}"))["floating_ip"]["droplet"],
        Value::Null
    );
    assert_eq!(
        h.call("DELETE", &format!("/v2/floating_ips/{ip}"), None).0,
        204
    );
    assert_eq!(
        h.call("GET", &format!("/v2/floating_ips/{ip}"), None).0,
        404
    );
    assert_eq!(h.call("GET", "/v2/floating_ips/not-an-ip", None).0, 404);
}

#[test]
fn images_filters_updates_and_actions() {
    let mut h = H::unlimited();
    let all = h.get("/v2/images?per_page=200")["meta"]["total"]
        .as_u64()
        .unwrap();
    let dist = h.get("/v2/images?type=distribution")["meta"]["total"]
        .as_u64()
        .unwrap();
    let apps = h.get("/v2/images?type=application")["meta"]["total"]
        .as_u64()
        .unwrap();
    assert_eq!((dist, apps, all), (10, 5, 15));
    assert_eq!(
        h.get("/v2/images/ubuntu-24-04-x64")["image"]["distribution"],
        "Ubuntu"
    );
    assert_eq!(
        h.call("PUT", "/v2/images/112929454", Some(json!({"name": "mine"})))
            .0,
        404
    );
    assert_eq!(h.call("DELETE", "/v2/images/112929454", None).0, 404);

    let id = h.active("web", json!({}));
    let snap = h.done(id, json!({"type": "snapshot"}))["snapshot_ids"][0]
        .as_u64()
        .unwrap();
    let (status, v) = h.call(
        "PUT",
        &format!("/v2/images/{snap}"),
        Some(json!({"name": "gold", "distribution": "Plan 9"})),
    );
    assert_eq!(status, 200);
    assert_eq!(
        (
            v["image"]["name"].as_str(),
            v["image"]["distribution"].as_str()
        ),
        (Some("gold"), Some("Unknown"))
    );
    let actions = format!("/v2/images/{snap}/actions");
    assert_eq!(
        h.post(&actions, json!({"type": "transfer", "region": "nyc3"}))
            .0,
        422
    );
    assert_eq!(
        h.post(&actions, json!({"type": "convert"})).0,
        422,
        "only backups convert"
    );
    let (status, v) = h.post(&actions, json!({"type": "transfer", "region": "lon1"}));
    assert_eq!(
        (status, v["action"]["type"].as_str()),
        (201, Some("transfer"))
    );
    assert_eq!(
        h.post(&actions, json!({"type": "transfer", "region": "ams3"}))
            .0,
        422,
        "pending"
    );
    h.wait(ACTION);
    assert_eq!(
        h.get(&format!("/v2/images/{snap}"))["image"]["regions"],
        json!(["nyc3", "lon1"])
    );
    let a = h.get(&format!("{actions}/{}", v["action"]["id"]));
    assert_eq!(a["action"]["status"], "completed");
}

#[test]
fn the_catalog_is_realistic() {
    let mut h = H::unlimited();
    let regions = h.get("/v2/regions");
    assert_eq!(regions["meta"]["total"], 14);
    let nyc3 = regions["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["slug"] == "nyc3")
        .unwrap()
        .clone();
    assert_eq!(nyc3["available"], true);
    assert!(nyc3["sizes"]
        .as_array()
        .unwrap()
        .contains(&json!("s-1vcpu-1gb")));
    let sizes = h.get("/v2/sizes");
    assert_eq!(sizes["meta"]["total"], 22);
    assert_eq!(
        sizes["sizes"].as_array().unwrap().len(),
        20,
        "two pages at the default size"
    );
    let small = &sizes["sizes"][1];
    assert_eq!(
        (
            small["slug"].as_str(),
            small["memory"].as_u64(),
            small["price_monthly"].as_f64()
        ),
        (Some("s-1vcpu-1gb"), Some(1024), Some(6.0))
    );
    let id = h.active("k", json!({}));
    let kernels = h.get(&format!("/v2/droplets/{id}/kernels"));
    assert_eq!(kernels["meta"]["total"], 22);
    let account = h.get("/v2/account")["account"].clone();
    assert_eq!(account["status"], "active");
    assert_eq!(account["email_verified"], true);
    assert_eq!(account["droplet_limit"], 10_000);
}

#[test]
fn neighbors_share_a_host() {
    let mut h = H::new(SimConfig {
        seed_droplets: 40,
        rate_per_minute: 0,
        ..SimConfig::default()
    });
    let groups = h.get("/v2/reports/droplet_neighbors_ids")["neighbor_ids"].clone();
    let groups = groups.as_array().unwrap();
    assert!(!groups.is_empty(), "40 droplets on 16 hosts");
    for g in groups {
        let ids: Vec<u64> = g
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .collect();
        assert!(ids.len() >= 2);
        let n = h.get(&format!("/v2/droplets/{}/neighbors", ids[0]));
        let mut got: Vec<u64> = n["droplets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_u64().unwrap())
            .collect();
        got.insert(0, ids[0]);
        got.sort_unstable();
        assert_eq!(got, ids);
    }
}

#[test]
fn statistics_count_routes_and_statuses() {
    let mut h = H::unlimited();
    let id = h.active("web", json!({}));
    h.get(&format!("/v2/droplets/{id}"));
    h.call("GET", "/v2/droplets/999", None);
    let stats = h.sim.stats().clone();
    assert_eq!(stats.requests, 3);
    assert_eq!(stats.requests_to("POST /v2/droplets"), 1);
    let get = &stats.routes["GET /v2/droplets/{id}"];
    assert_eq!(
        (get.requests, get.statuses[&200], get.statuses[&404]),
        (2, 1, 1)
    );
    assert_eq!(stats.with_status(404), 1);
    assert!(stats.to_string().contains("GET /v2/droplets/{id}"));
    h.sim.reset_stats();
    assert_eq!(h.sim.stats().requests, 0);
}

#[test]
fn godo_style_bodies_with_nulls_are_accepted() {
    let mut h = H::unlimited();
    // godo's default droplet create: nil slices and empty strings as they
    // marshal.
    let (status, v) = h.post(
        "/v2/droplets",
        json!({"name": "godo-1", "region": "nyc3", "size": "s-1vcpu-1gb",
               "image": "ubuntu-22-04-x64", "ssh_keys": null, "backups": false,
               "ipv6": false, "private_networking": false, "monitoring": false,
               "tags": null, "volumes": null, "backup_policy": null, "vpc_uuid": null}),
    );
    assert_eq!(status, 202, "{v}");
    assert_eq!(v["droplet"]["tags"], json!([]));
    let id = v["droplet"]["id"].as_u64().unwrap();
    // Absent booleans as null too.
    let (status, v) = h.post(
        "/v2/droplets",
        json!({"name": "godo-2", "region": "nyc3", "size": "s-1vcpu-1gb",
               "image": "ubuntu-22-04-x64", "backups": null, "ipv6": null}),
    );
    assert_eq!(status, 202, "{v}");
    // godo's firewall and volume requests send nil lists as null.
    let (status, v) = h.post(
        "/v2/firewalls",
        json!({"name": "fw", "droplet_ids": null, "tags": null, "outbound_rules": null,
               "inbound_rules": [{"protocol": "tcp", "ports": "22",
                                  "sources": {"addresses": ["0.0.0.0/0"], "tags": null,
                                              "droplet_ids": null}}]}),
    );
    assert_eq!(status, 202, "{v}");
    assert_eq!(
        v["firewall"]["inbound_rules"][0]["sources"],
        json!({"addresses": ["0.0.0.0/0"]})
    );
    let (status, v) = h.post(
        "/v2/volumes",
        json!({"name": "vol", "size_gigabytes": 10, "region": "nyc3", "tags": null,
               "snapshot_id": null, "description": null}),
    );
    assert_eq!(status, 201, "{v}");
    // A null is absent, not a value of the wrong type: required fields are
    // still required.
    let (status, _) = h.post(
        "/v2/droplets",
        json!({"name": "x", "size": null, "image": null}),
    );
    assert_eq!(status, 422);
    assert_eq!(h.droplet(id)["name"], "godo-1");
}

#[test]
fn a_load_balancer_is_new_until_its_delay_has_passed() {
    let mut h = H::unlimited();
    let web = h.active("web", json!({}));
    let rule = json!({"entry_protocol": "http", "entry_port": 80,
                      "target_protocol": "http", "target_port": 80});
    let (status, v) = h.post(
        "/v2/load_balancers",
        json!({"name": "lb", "region": "nyc3", "forwarding_rules": [rule], "droplet_ids": [web]}),
    );
    assert_eq!(status, 202, "{v}");
    let path = format!(
        "/v2/load_balancers/{}",
        v["load_balancer"]["id"].as_str().unwrap()
    );
    h.wait(Duration::from_secs(3) - Duration::from_millis(1));
    let lb = h.get(&path)["load_balancer"].clone();
    assert_eq!(
        (lb["status"].as_str(), lb["ip"].as_str()),
        (Some("new"), Some(""))
    );
    h.wait(Duration::from_millis(1));
    let lb = h.get(&path)["load_balancer"].clone();
    assert_eq!(lb["status"], "active");
    assert!(lb["ip"].as_str().unwrap().starts_with("104.131.186."));
    assert_eq!(lb["droplet_ids"], json!([web]));
    // An HTTPS rule needs a certificate (or passthrough); a droplet far
    // away cannot join.
    let https = json!({"forwarding_rules": [{"entry_protocol": "https", "entry_port": 443,
                                             "target_protocol": "http", "target_port": 80}]});
    assert_eq!(h.post(&format!("{path}/forwarding_rules"), https).0, 422);
    let far = h.active("far", json!({"region": "sfo3"}));
    let (status, v) = h.post(&format!("{path}/droplets"), json!({"droplet_ids": [far]}));
    assert_eq!(
        (status, v["id"].as_str()),
        (422, Some("unprocessable_entity"))
    );
    // Deleting a droplet takes it off the load balancer.
    assert_eq!(
        h.call("DELETE", &format!("/v2/droplets/{web}"), None).0,
        204
    );
    assert_eq!(h.get(&path)["load_balancer"]["droplet_ids"], json!([]));
}

#[test]
fn a_volume_attaches_only_in_its_region_and_follows_its_droplet() {
    let mut h = H::unlimited();
    let web = h.active("web", json!({}));
    let far = h.active("far", json!({"region": "sfo3"}));
    let (status, v) = h.post(
        "/v2/volumes",
        json!({"name": "data", "size_gigabytes": 10, "region": "nyc3"}),
    );
    assert_eq!(status, 201);
    let vol = v["volume"]["id"].as_str().unwrap().to_owned();
    let actions = format!("/v2/volumes/{vol}/actions");
    let (status, v) = h.post(&actions, json!({"type": "attach", "droplet_id": far}));
    assert_eq!(
        (status, v["id"].as_str()),
        (422, Some("unprocessable_entity"))
    );
    let (status, v) = h.post(&actions, json!({"type": "attach", "droplet_id": web}));
    assert_eq!(
        (status, v["action"]["type"].as_str()),
        (202, Some("attach_volume"))
    );
    // Attached when the action completes, on both sides.
    assert_eq!(h.droplet(web)["volume_ids"], json!([]));
    h.wait(ACTION);
    assert_eq!(h.droplet(web)["volume_ids"], json!([vol]));
    assert_eq!(
        h.get(&format!("/v2/volumes/{vol}"))["volume"]["droplet_ids"],
        json!([web])
    );
    // A second volume given at create is attached at once.
    let (_, v) = h.post(
        "/v2/volumes",
        json!({"name": "logs", "size_gigabytes": 5, "region": "nyc3"}),
    );
    let logs = v["volume"]["id"].as_str().unwrap().to_owned();
    let both = h.create("both", json!({"volumes": [logs]}));
    assert_eq!(h.droplet(both)["volume_ids"], json!([logs]));
    // The droplet goes: its volumes are detached, not deleted.
    assert_eq!(
        h.call("DELETE", &format!("/v2/droplets/{web}"), None).0,
        204
    );
    assert_eq!(
        h.get(&format!("/v2/volumes/{vol}"))["volume"]["droplet_ids"],
        json!([])
    );
    assert_eq!(h.call("DELETE", &format!("/v2/volumes/{vol}"), None).0, 204);
}
