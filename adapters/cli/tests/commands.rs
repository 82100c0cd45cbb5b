//! Every command of `doapi` (adapters/cli/README.md) against the
//! simulator, checking what it printed and what it did to the account.

mod common;

use common::{
    all_droplets, client, doapi, droplet, get, ids, is_gone, listed, seed_backup, seed_droplet,
    seed_droplets, seed_snapshot, settle, sim, sorted, start, temp_file, Out, PUBLIC_KEY,
    PUBLIC_KEY_2,
};
use doapi_blocking::Api;
use doapi_sim::SimConfig;
use serde_json::{json, Value};

const IMAGE: &str = "ubuntu-24-04-x64";
const SIZE: &str = "s-1vcpu-1gb";
const REGION: &str = "nyc3";

/// `droplet new NAMES... -I IMAGE -S SIZE -R REGION` and more arguments.
fn new_args<'a>(names: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["droplet", "new"];
    args.extend_from_slice(names);
    args.extend_from_slice(&["-I", IMAGE, "-S", SIZE, "-R", REGION]);
    args.extend_from_slice(more);
    args
}

/// The actions of a droplet in the simulator, newest first.
fn droplet_actions(url: &str, id: u64) -> Vec<Value> {
    let v = get(url, &format!("/v2/droplets/{id}/actions"), "actions");
    v.as_array().cloned().unwrap_or_default()
}

/// The string values of a JSON array field.
fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn is_action(v: &Value) -> bool {
    v.get("resource_id").is_some() && v.get("type").is_some() && v.get("status").is_some()
}

/// What an action command printed for the resources `targets`: without a
/// wait, one action in progress each, of `kind`; after a wait, each
/// finished object: the completed action, or the resource once its action
/// ended (unlocked). Both readings of "print each object as it finishes"
/// are accepted for actions.
fn assert_acted(out: &Out, targets: &[u64], kind: &str, waited: bool) {
    let items = out.items();
    assert_eq!(items.len(), targets.len(), "one object per target: {out}");
    let mut seen = Vec::new();
    for item in &items {
        if is_action(item) {
            assert_eq!(item["type"], kind, "{out}");
            let want = if waited { "completed" } else { "in-progress" };
            assert_eq!(item["status"], want, "{out}");
            seen.push(item["resource_id"].as_u64().expect("resource_id"));
        } else {
            assert!(waited, "without --wait the actions are printed: {out}");
            if let Some(locked) = item.get("locked") {
                assert_eq!(locked, false, "{out}");
            }
            seen.push(item["id"].as_u64().expect("an id"));
        }
    }
    assert_eq!(sorted(seen), sorted(targets.to_vec()), "{out}");
}

/// The newest action of a droplet is of `kind` and completed.
fn last_action_completed(url: &str, id: u64, kind: &str) {
    let actions = droplet_actions(url, id);
    let last = &actions[0];
    assert_eq!(last["type"], kind, "{actions:?}");
    assert_eq!(last["status"], "completed", "{last}");
}

// --- droplet ---------------------------------------------------------------

#[test]
fn droplet_new_show_and_delete() {
    let server = sim();
    let url = server.url();
    let out = doapi(url)
        .args(new_args(&["web-1", "web-2"], &["-T", "web", "-T", "prod"]))
        .ok();
    let made = out.array();
    assert_eq!(made.len(), 2, "{out}");
    let names: Vec<&str> = made.iter().filter_map(|d| d["name"].as_str()).collect();
    assert_eq!(sorted_strs(names), ["web-1", "web-2"]);
    assert!(made.iter().all(|d| d["status"] == "new"), "{out}");
    let in_sim = all_droplets(url);
    assert_eq!(sorted(ids(&in_sim)), sorted(out.ids()));
    for d in &in_sim {
        assert_eq!(d["size_slug"], SIZE);
        assert_eq!(d["region"]["slug"], REGION);
        assert_eq!(d["image"]["slug"], IMAGE);
        assert_eq!(sorted_strs(strs(&d["tags"])), ["prod", "web"]);
    }
    let other = seed_droplet(url, "other");

    // show: every droplet, by name, by id, by tag.
    let all = doapi(url).args(["droplet", "show"]).ok();
    assert_eq!(all.array().len(), 3, "{all}");
    let one = doapi(url).args(["droplet", "show", "web-1"]).ok();
    let one = one.array();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["name"], "web-1");
    let by_id = doapi(url)
        .args(["droplet", "show", &other.to_string()])
        .ok();
    assert_eq!(by_id.ids(), [other]);
    let tagged = doapi(url).args(["droplet", "show", "--tag", "web"]).ok();
    assert_eq!(sorted(tagged.ids()), sorted(out.ids()));

    // delete: by name prints nothing; by tag, one request.
    let web1 = one[0]["id"].as_u64().unwrap();
    let del = doapi(url).args(["droplet", "delete", "web-1"]).ok();
    assert_eq!(del.stdout, "", "deletes print nothing");
    assert!(is_gone(url, &format!("/v2/droplets/{web1}")));
    let del = doapi(url).args(["droplet", "delete", "--tag", "prod"]).ok();
    assert_eq!(del.stdout, "");
    assert_eq!(server.stats().requests_to("DELETE /v2/droplets"), 1);
    assert_eq!(ids(&all_droplets(url)), [other]);
}

fn sorted_strs<S: AsRef<str>>(v: Vec<S>) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.as_ref().to_owned()).collect();
    v.sort();
    v
}

#[test]
fn droplet_new_with_features_user_data_and_wait() {
    let server = sim();
    let url = server.url();
    let user_data = temp_file("cloud-init.yaml", "#cloud-config\nruncmd: [true]\n");
    let out = doapi(url)
        .args(new_args(
            &["feat-1", "feat-2"],
            &[
                "-B",
                "-6",
                "-P",
                "-U",
                &format!("@{}", user_data.display()),
                "--wait",
            ],
        ))
        .args(["--wait-interval", "0.1"])
        .ok();
    let made = out.array();
    assert_eq!(made.len(), 2, "{out}");
    for d in &made {
        assert_eq!(
            d["status"], "active",
            "--wait prints active droplets: {out}"
        );
        let features = strs(&d["features"]);
        for f in ["backups", "ipv6", "private_networking"] {
            assert!(features.contains(&f.to_owned()), "{f} in {d}");
        }
        assert!(!d["networks"]["v6"].as_array().unwrap().is_empty(), "{d}");
    }
    assert_eq!(
        out.stderr, "",
        "no progress on a stderr that is not a terminal"
    );
    for id in out.ids() {
        assert_eq!(droplet(url, id)["status"], "active");
    }

    // User data given inline is accepted too; a missing @FILE is bad input.
    doapi(url)
        .args(new_args(&["feat-3"], &["-U", "#!/bin/sh\necho hi"]))
        .ok();
    let missing = doapi(url)
        .args(new_args(
            &["feat-4"],
            &["-U", "@/nonexistent/doapi-user-data"],
        ))
        .fails(2);
    assert!(missing.stdout.is_empty(), "{missing}");
    assert_eq!(all_droplets(url).len(), 3);
}

#[test]
fn droplet_new_with_a_backup_policy_and_delete_with_associated_resources() {
    let server = sim();
    let url = server.url();
    let out = doapi(url)
        .args(new_args(&["bk-1"], &["--backup-policy", "weekly:mon@8"]))
        .ok();
    let id = out.ids()[0];
    let policy = get(url, &format!("/v2/droplets/{id}/backups/policy"), "policy");
    assert_eq!(policy["backup_enabled"], true, "{policy}");
    let schedule = &policy["backup_policy"];
    assert_eq!(
        (&schedule["plan"], &schedule["weekday"], &schedule["hour"]),
        (&json!("weekly"), &json!("MON"), &json!(8)),
        "{policy}"
    );
    // A schedule that does not parse, or an hour no window starts at, is
    // bad input: nothing is created.
    for bad in ["monthly", "weekly:someday", "daily@noon", "daily@3"] {
        let refused = doapi(url)
            .args(new_args(&["bk-2"], &["--backup-policy", bad]))
            .fails(2);
        assert!(refused.stdout.is_empty(), "{refused}");
    }
    assert_eq!(ids(&all_droplets(url)), [id]);

    // delete --with-associated takes the attached volume too; a plain
    // delete leaves it.
    settle(url, id);
    let c = client(url);
    let volume = |name: &str, droplet: u64| {
        let vol = c
            .create_volume(doapi_blocking::specs::VolumeSpec::new(name, REGION, 10))
            .expect("a volume");
        c.attach_volume(&vol.id, droplet).expect("attached");
        c.wait_for_volume_action(&vol.id).expect("the attach ends");
        vol.id
    };
    let gone = volume("gone", id);
    let del = doapi(url)
        .args(["droplet", "delete", "--with-associated", "bk-1"])
        .ok();
    assert_eq!(del.stdout, "", "deletes print nothing");
    assert!(is_gone(url, &format!("/v2/droplets/{id}")));
    assert!(is_gone(url, &format!("/v2/volumes/{gone}")));
    let plain = seed_droplet(url, "plain-1");
    let kept = volume("kept", plain);
    doapi(url).args(["droplet", "delete", "plain-1"]).ok();
    assert!(is_gone(url, &format!("/v2/droplets/{plain}")));
    assert_eq!(
        get(url, &format!("/v2/volumes/{kept}"), "volume")["id"],
        kept
    );
    let by_tag = doapi(url)
        .args(["droplet", "delete", "--with-associated", "--tag", "web"])
        .fails(2);
    assert!(by_tag.stdout.is_empty(), "{by_tag}");
}

#[test]
fn droplet_new_creates_ten_per_request() {
    let server = sim();
    let url = server.url();
    let names: Vec<String> = (1..=12).map(|i| format!("batch-{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let out = doapi(url).args(new_args(&names, &[])).ok();
    assert_eq!(out.array().len(), 12, "{out}");
    assert_eq!(server.stats().requests_to("POST /v2/droplets"), 2);
    assert_eq!(all_droplets(url).len(), 12);
}

#[test]
fn a_bad_name_in_a_later_batch_creates_nothing() {
    let server = sim();
    let url = server.url();
    let mut names: Vec<String> = (1..=10).map(|i| format!("ok-{i}")).collect();
    names.push("not_a_hostname".into());
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let out = doapi(url).args(new_args(&names, &[])).fails(2);
    assert!(out.error_line().contains("not_a_hostname"), "{out}");
    assert_eq!(server.stats().requests_to("POST /v2/droplets"), 0);
    assert!(all_droplets(url).is_empty());
}

#[test]
fn droplet_new_does_not_check_names_unasked() {
    // README: checking costs a listing of the droplets, so it is done only
    // with --unique.
    let server = sim();
    let url = server.url();
    seed_droplet(url, "taken");
    server.reset_stats();
    let out = doapi(url).args(new_args(&["taken"], &[])).ok();
    assert_eq!(out.array().len(), 1);
    let stats = server.stats();
    assert_eq!(stats.requests_to("POST /v2/droplets"), 1, "{stats}");
    assert_eq!(stats.requests_to("GET /v2/droplets"), 0, "{stats}");
    assert_eq!(all_droplets(url).len(), 2);
}

#[test]
fn droplet_new_with_a_name_in_use_fails_with_unique() {
    let server = sim();
    let url = server.url();
    seed_droplet(url, "taken");
    let posts = server.stats().requests_to("POST /v2/droplets");
    let refused = doapi(url)
        .args(new_args(&["taken"], &["--unique"]))
        .fails(2);
    assert!(refused.error_line().contains("taken"), "{refused}");
    assert_eq!(server.stats().requests_to("POST /v2/droplets"), posts);
    assert_eq!(all_droplets(url).len(), 1);
}

#[test]
fn droplet_new_with_ssh_keys_by_id_fingerprint_name_and_file() {
    let server = sim();
    let url = server.url();
    let c = client(url);
    let k1 = c.create_ssh_key("laptop", PUBLIC_KEY).unwrap();
    server.reset_stats();
    let file = temp_file("id_ed25519.pub", &format!("{PUBLIC_KEY_2}\n"));
    let out = doapi(url)
        .args(new_args(
            &["keyed"],
            &[
                "-K",
                &k1.id.to_string(),
                "-K",
                &k1.fingerprint,
                "-K",
                "laptop",
                "-K",
                &file.display().to_string(),
            ],
        ))
        .ok();
    assert_eq!(out.array().len(), 1, "{out}");
    assert_eq!(
        server.stats().requests_to("GET /v2/account/keys"),
        1,
        "the keys are listed once for the name and the file"
    );
    assert_eq!(server.stats().requests_to("POST /v2/account/keys"), 1);
    let keys = get(url, "/v2/account/keys", "ssh_keys");
    let keys = keys.as_array().unwrap();
    assert_eq!(keys.len(), 2, "the key file was registered: {keys:?}");
    assert!(keys.iter().any(|k| k["public_key"] == PUBLIC_KEY_2));

    // The same file again: already registered, not registered twice.
    doapi(url)
        .args(new_args(&["keyed-2"], &["-K", &file.display().to_string()]))
        .ok();
    assert_eq!(server.stats().requests_to("POST /v2/account/keys"), 1);
    assert_eq!(all_droplets(url).len(), 2);

    // An unknown key name is bad input, and nothing is created.
    doapi(url)
        .args(new_args(&["keyed-3"], &["-K", "no-such-key"]))
        .fails(2);
    assert_eq!(all_droplets(url).len(), 2);
}

#[test]
fn droplet_power_and_feature_actions_with_and_without_wait() {
    let server = sim();
    let url = server.url();
    let id = seed_droplet(url, "pw");
    let act = |cmd: &str| {
        doapi(url)
            .args(["droplet", cmd, "-w", "pw", "--wait-interval", "0.1"])
            .ok()
    };

    let out = act("power-off");
    assert_acted(&out, &[id], "power_off", true);
    assert_eq!(droplet(url, id)["status"], "off");
    let out = act("power-on");
    assert_acted(&out, &[id], "power_on", true);
    assert_eq!(droplet(url, id)["status"], "active");
    let out = act("shutdown");
    assert_acted(&out, &[id], "shutdown", true);
    assert_eq!(droplet(url, id)["status"], "off");
    let out = act("power-cycle");
    assert_acted(&out, &[id], "power_cycle", true);
    assert_eq!(droplet(url, id)["status"], "active");
    let out = act("reboot");
    assert_acted(&out, &[id], "reboot", true);
    last_action_completed(url, id, "reboot");
    let out = act("password-reset");
    assert_acted(&out, &[id], "password_reset", true);
    last_action_completed(url, id, "password_reset");

    let has = |f: &str| strs(&droplet(url, id)["features"]).contains(&f.to_owned());
    assert_acted(&act("enable-backups"), &[id], "enable_backups", true);
    assert!(has("backups"));
    assert_acted(&act("disable-backups"), &[id], "disable_backups", true);
    assert!(!has("backups"));
    assert_acted(&act("enable-ipv6"), &[id], "enable_ipv6", true);
    assert!(has("ipv6"));
    assert_acted(
        &act("enable-private-networking"),
        &[id],
        "enable_private_networking",
        true,
    );
    assert!(has("private_networking"));

    // Without --wait: the action, in progress.
    let out = doapi(url).args(["droplet", "reboot", "pw"]).ok();
    assert_acted(&out, &[id], "reboot", false);
    assert_eq!(out.array().len(), 1, "the actions are an array: {out}");
    assert_eq!(droplet_actions(url, id)[0]["id"], out.array()[0]["id"]);
    settle(url, id);
}

#[test]
fn droplet_actions_by_tag_take_one_request() {
    let server = sim();
    let url = server.url();
    let tagged = seed_droplets(url, &["g-1", "g-2", "g-3"], &["grp"]);
    let loner = seed_droplet(url, "loner");

    let out = doapi(url)
        .args([
            "droplet",
            "power-off",
            "--tag",
            "grp",
            "-w",
            "--wait-interval",
            "0.1",
        ])
        .ok();
    assert_acted(&out, &tagged, "power_off", true);
    assert_eq!(server.stats().requests_to("POST /v2/droplets/actions"), 1);
    for id in &tagged {
        assert_eq!(droplet(url, *id)["status"], "off");
    }
    assert_eq!(droplet(url, loner)["status"], "active");

    let out = doapi(url)
        .args(["droplet", "power-on", "--tag", "grp"])
        .ok();
    assert_acted(&out, &tagged, "power_on", false);
    assert_eq!(server.stats().requests_to("POST /v2/droplets/actions"), 2);

    // The API has no reboot or password reset by tag: `--tag` is not
    // offered there (the README's reading chosen here), a usage error
    // before any request.
    let requests = server.stats().requests;
    for cmd in ["reboot", "password-reset"] {
        doapi(url).args(["droplet", cmd, "--tag", "grp"]).fails(2);
    }
    assert_eq!(server.stats().requests, requests);
    assert_eq!(droplet_actions(url, loner)[0]["type"], "create");
    assert_eq!(
        server.stats().requests_to("POST /v2/droplets/{id}/actions"),
        0
    );
}

#[test]
fn droplet_snapshot_and_its_snapshots() {
    let server = sim();
    let url = server.url();
    let id = seed_droplet(url, "snappy");
    let out = doapi(url)
        .args(["droplet", "snapshot", "--name", "snap-1", "-w", "snappy"])
        .args(["--wait-interval", "0.1"])
        .ok();
    assert_acted(&out, &[id], "snapshot", true);
    let snap_ids = droplet(url, id)["snapshot_ids"].clone();
    assert_eq!(snap_ids.as_array().unwrap().len(), 1, "{snap_ids}");

    let snaps = doapi(url).args(["droplet", "snapshots", "snappy"]).ok();
    let snaps = snaps.items();
    assert_eq!(snaps.len(), 1);
    assert_eq!(snaps[0]["name"], "snap-1");
    assert_eq!(snaps[0]["id"], snap_ids[0]);

    // --unique: the image name is taken.
    let refused = doapi(url)
        .args([
            "droplet", "snapshot", "--name", "snap-1", "--unique", "snappy",
        ])
        .fails(2);
    assert!(refused.error_line().contains("snap-1"), "{refused}");
    assert_eq!(droplet_actions(url, id)[0]["type"], "snapshot");
    assert_eq!(
        droplet(url, id)["snapshot_ids"].as_array().unwrap().len(),
        1
    );

    // By tag: one request.
    let tagged = seed_droplets(url, &["ts-1", "ts-2"], &["snaptag"]);
    let out = doapi(url)
        .args([
            "droplet", "snapshot", "--name", "tagsnap", "--tag", "snaptag",
        ])
        .ok();
    assert_acted(&out, &tagged, "snapshot", false);
    assert_eq!(server.stats().requests_to("POST /v2/droplets/actions"), 1);
    for id in tagged {
        settle(url, id);
        assert_eq!(
            droplet(url, id)["snapshot_ids"].as_array().unwrap().len(),
            1
        );
    }
}

#[test]
fn droplet_resize_rebuild_rename_restore_and_change_kernel() {
    let server = sim();
    let url = server.url();
    let id = seed_droplet(url, "shape");
    seed_droplet(url, "neighbour");
    let wait = ["--wait-interval", "0.1"];

    let out = doapi(url)
        .args([
            "droplet",
            "resize",
            "--size",
            "s-2vcpu-4gb",
            "--disk",
            "-w",
            "shape",
        ])
        .args(wait)
        .ok();
    assert_acted(&out, &[id], "resize", true);
    let d = droplet(url, id);
    assert_eq!(d["size_slug"], "s-2vcpu-4gb");
    assert_eq!(d["disk"], 80, "--disk grows the disk");

    let out = doapi(url)
        .args([
            "droplet",
            "rebuild",
            "--image",
            "debian-12-x64",
            "-w",
            "shape",
        ])
        .args(wait)
        .ok();
    assert_acted(&out, &[id], "rebuild", true);
    assert_eq!(droplet(url, id)["image"]["slug"], "debian-12-x64");
    // From its current image by default.
    let out = doapi(url)
        .args(["droplet", "rebuild", "-w", "shape"])
        .args(wait)
        .ok();
    assert_acted(&out, &[id], "rebuild", true);
    last_action_completed(url, id, "rebuild");
    assert_eq!(droplet(url, id)["image"]["slug"], "debian-12-x64");

    let out = doapi(url)
        .args(["droplet", "rename", "-w", "shape", "reshaped"])
        .args(wait)
        .ok();
    assert_acted(&out, &[id], "rename", true);
    assert_eq!(droplet(url, id)["name"], "reshaped");
    let refused = doapi(url)
        .args(["droplet", "rename", "--unique", "reshaped", "neighbour"])
        .fails(2);
    assert!(refused.error_line().contains("neighbour"), "{refused}");
    assert_eq!(droplet(url, id)["name"], "reshaped");

    let out = doapi(url)
        .args([
            "droplet",
            "change-kernel",
            "--kernel",
            "8201",
            "-w",
            "reshaped",
        ])
        .args(wait)
        .ok();
    assert_acted(&out, &[id], "change_kernel", true);
    assert_eq!(droplet(url, id)["kernel"]["id"], 8201);

    let backup = seed_backup(url, id);
    let out = doapi(url)
        .args(["droplet", "restore", "-w", "reshaped", &backup.to_string()])
        .args(wait)
        .ok();
    assert_acted(&out, &[id], "restore", true);
    last_action_completed(url, id, "restore");
}

#[test]
fn droplet_act_with_params_from_text_and_file() {
    let server = sim();
    let url = server.url();
    let id = seed_droplet(url, "actor");
    let wait = ["--wait-interval", "0.1"];

    let out = doapi(url)
        .args(["droplet", "act", "--type", "power_off", "-w", "actor"])
        .args(wait)
        .ok();
    assert_acted(&out, &[id], "power_off", true);
    assert_eq!(droplet(url, id)["status"], "off");

    let out = doapi(url)
        .args([
            "droplet",
            "act",
            "--type",
            "rename",
            "-p",
            r#"{"name":"acted"}"#,
        ])
        .args(["-w", "actor"])
        .args(wait)
        .ok();
    assert_acted(&out, &[id], "rename", true);
    assert_eq!(droplet(url, id)["name"], "acted");

    let params = temp_file("params.json", r#"{"size": "s-2vcpu-2gb", "disk": false}"#);
    let out = doapi(url)
        .args(["droplet", "act", "--type", "resize", "-p"])
        .arg(format!("@{}", params.display()))
        .args(["acted"])
        .ok();
    assert_acted(&out, &[id], "resize", false);
    settle(url, id);
    assert_eq!(droplet(url, id)["size_slug"], "s-2vcpu-2gb");

    // By tag, in one request.
    let tagged = seed_droplets(url, &["act-t1", "act-t2"], &["acttag"]);
    let out = doapi(url)
        .args([
            "droplet",
            "act",
            "--type",
            "power_off",
            "--tag",
            "acttag",
            "-w",
        ])
        .args(wait)
        .ok();
    assert_acted(&out, &tagged, "power_off", true);
    assert_eq!(server.stats().requests_to("POST /v2/droplets/actions"), 1);
    for id in tagged {
        assert_eq!(droplet(url, id)["status"], "off");
    }

    // Parameters that are not a JSON object are bad input.
    doapi(url)
        .args([
            "droplet", "act", "--type", "rename", "-p", "{name:", "acted",
        ])
        .fails(2);
    assert_eq!(droplet(url, id)["name"], "acted");
}

#[test]
fn droplet_actions_newest_first_last_and_in_progress() {
    let server = start(SimConfig {
        action_delay: std::time::Duration::from_secs(3),
        ..common::fast_sim()
    });
    let url = server.url();
    let id = seed_droplet(url, "hist");
    client(url).power_off(id).unwrap(); // in progress for 3 s

    let out = doapi(url).args(["droplet", "actions", "hist"]).ok();
    let in_sim = droplet_actions(url, id);
    assert_eq!(out.ids(), ids(&in_sim), "newest first: {out}");
    let kinds: Vec<Value> = out.items().iter().map(|a| a["type"].clone()).collect();
    assert_eq!(kinds, [json!("power_off"), json!("create")]);

    let last = doapi(url)
        .args(["droplet", "actions", "--last", "hist"])
        .ok();
    assert_eq!(last.ids(), [in_sim[0]["id"].as_u64().unwrap()], "{last}");
    let busy = doapi(url)
        .args(["droplet", "actions", "--in-progress", "hist"])
        .ok();
    let busy = busy.items();
    assert_eq!(busy.len(), 1);
    assert_eq!(busy[0]["type"], "power_off");
    assert_eq!(busy[0]["status"], "in-progress");
}

#[test]
fn droplet_wait_for_status_lock_and_current_action() {
    let server = start(SimConfig {
        // Long enough for `wait --locked` to start while the action runs.
        action_delay: std::time::Duration::from_secs(2),
        ..common::fast_sim()
    });
    let url = server.url();
    let wait = ["--wait-interval", "0.1"];
    let c = client(url);

    // -S active on droplets still booting.
    let made = c
        .create_multiple_droplets(vec!["w-1".into(), "w-2".into()], common::spec(&[]))
        .unwrap();
    let made: Vec<u64> = made.iter().map(|d| d.id).collect();
    let out = doapi(url)
        .args(["droplet", "wait", "-S", "active", "w-1", "w-2"])
        .args(wait)
        .ok();
    assert_eq!(sorted(out.ids()), sorted(made.clone()), "{out}");
    assert!(out.items().iter().all(|d| d["status"] == "active"), "{out}");

    // --locked while an action runs, then --unlocked.
    c.power_off(made[0]).unwrap();
    let out = doapi(url)
        .args(["droplet", "wait", "--locked", "w-1"])
        .args(wait)
        .ok();
    assert_eq!(out.items()[0]["locked"], true, "{out}");
    let out = doapi(url)
        .args(["droplet", "wait", "--unlocked", "w-1"])
        .args(wait)
        .ok();
    assert_eq!(out.items()[0]["locked"], false, "{out}");
    assert_eq!(droplet(url, made[0])["status"], "off");

    // No option: until the current action ends (printed: the finished
    // action, as the Python peer does, or the droplet after it).
    c.power_off(made[1]).unwrap();
    let out = doapi(url).args(["droplet", "wait", "w-2"]).args(wait).ok();
    assert_acted(&out, &[made[1]], "power_off", true);
    let d = droplet(url, made[1]);
    assert_eq!(d["status"], "off");
    assert_eq!(d["locked"], false);
}

#[test]
fn droplet_neighbors_kernels_and_backups() {
    let server = sim();
    let url = server.url();
    // Seventeen droplets on sixteen hosts: at least two share one.
    let names: Vec<String> = (1..=17).map(|i| format!("n-{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    seed_droplets(url, &names, &[]);

    let report = get(url, "/v2/reports/droplet_neighbors_ids", "neighbor_ids");
    let mut want: Vec<Vec<u64>> = serde_json::from_value(report).unwrap();
    assert!(!want.is_empty());
    let out = doapi(url).args(["droplet", "neighbors"]).ok();
    let mut got: Vec<Vec<u64>> =
        serde_json::from_value(out.json()).unwrap_or_else(|e| panic!("groups of ids ({e}): {out}"));
    for g in want.iter_mut().chain(got.iter_mut()) {
        g.sort_unstable();
    }
    want.sort();
    got.sort();
    assert_eq!(got, want);

    let group = &want[0];
    let out = doapi(url)
        .args(["droplet", "neighbors", &group[0].to_string()])
        .ok();
    assert_eq!(sorted(out.ids()), group[1..].to_vec(), "{out}");

    let out = doapi(url).args(["droplet", "kernels", "n-1"]).ok();
    let kernels = out.items();
    assert_eq!(kernels.len(), 22, "every page of kernels: {out}");
    assert!(kernels.iter().any(|k| k["id"] == 7515));

    let id = ids(&all_droplets(url))[0];
    let backup = seed_backup(url, id);
    let out = doapi(url)
        .args(["droplet", "backups", &id.to_string()])
        .ok();
    assert!(out.ids().contains(&backup), "{out}");
    assert!(out.items().iter().all(|i| i["type"] == "backup"), "{out}");
}

#[test]
fn droplet_tag_and_untag_in_one_request() {
    let server = sim();
    let url = server.url();
    let ids = seed_droplets(url, &["t-1", "t-2"], &[]);
    client(url).create_tag("blue").unwrap();

    doapi(url)
        .args(["droplet", "tag", "blue", "t-1", "t-2"])
        .ok();
    assert_eq!(
        server.stats().requests_to("POST /v2/tags/{tag}/resources"),
        1
    );
    for id in &ids {
        assert_eq!(strs(&droplet(url, *id)["tags"]), ["blue"]);
    }
    doapi(url).args(["droplet", "untag", "blue", "t-1"]).ok();
    assert_eq!(
        server
            .stats()
            .requests_to("DELETE /v2/tags/{tag}/resources"),
        1
    );
    assert!(strs(&droplet(url, ids[0])["tags"]).is_empty());
    assert_eq!(strs(&droplet(url, ids[1])["tags"]), ["blue"]);
}

// --- image ---------------------------------------------------------------

#[test]
fn image_show_with_filters_and_identifiers() {
    let server = sim();
    let url = server.url();
    let id = seed_droplet(url, "imgsrc");
    let snap = seed_snapshot(url, id, "my-snap");

    let in_sim = |query: &str| {
        let v = get(url, &format!("/v2/images?per_page=200{query}"), "images");
        sorted(ids(v.as_array().unwrap()))
    };
    let all = doapi(url).args(["image", "show"]).ok();
    assert_eq!(sorted(all.ids()), in_sim(""));
    let dist = doapi(url).args(["image", "show", "--distribution"]).ok();
    assert_eq!(sorted(dist.ids()), in_sim("&type=distribution"));
    let app = doapi(url).args(["image", "show", "--application"]).ok();
    assert_eq!(sorted(app.ids()), in_sim("&type=application"));
    assert!(!app.ids().is_empty() && app.ids() != dist.ids());
    let private = doapi(url).args(["image", "show", "--private"]).ok();
    assert_eq!(private.ids(), [snap]);

    let by_slug = doapi(url).args(["image", "show", IMAGE]).ok();
    assert_eq!(by_slug.items()[0]["slug"], IMAGE);
    let by_id = doapi(url).args(["image", "show", &snap.to_string()]).ok();
    assert_eq!(by_id.ids(), [snap]);
    let by_name = doapi(url).args(["image", "show", "my-snap"]).ok();
    assert_eq!(by_name.ids(), [snap]);
}

#[test]
fn image_update_transfer_convert_act_actions_wait_and_delete() {
    let server = sim();
    let url = server.url();
    let wait = ["--wait-interval", "0.1"];
    let id = seed_droplet(url, "imgsrc");
    let snap = seed_snapshot(url, id, "snap-a");
    let snap_b = seed_snapshot(url, id, "snap-b");
    let image = |i: u64| get(url, &format!("/v2/images/{i}"), "image");

    let out = doapi(url)
        .args(["image", "update", "snap-a", "golden"])
        .ok();
    assert_eq!(out.object()["name"], "golden", "{out}");
    assert_eq!(image(snap)["name"], "golden");
    let refused = doapi(url)
        .args(["image", "update", "--unique", "golden", "snap-b"])
        .fails(2);
    assert!(refused.error_line().contains("snap-b"), "{refused}");
    assert_eq!(image(snap)["name"], "golden");

    let out = doapi(url)
        .args(["image", "transfer", "--region", "sfo3", "-w", "golden"])
        .args(wait)
        .ok();
    assert_acted(&out, &[snap], "transfer", true);
    assert!(strs(&image(snap)["regions"]).contains(&"sfo3".to_owned()));

    let out = doapi(url)
        .args([
            "image",
            "act",
            "--type",
            "transfer",
            "-p",
            r#"{"region":"ams3"}"#,
        ])
        .args(["-w", "golden"])
        .args(wait)
        .ok();
    assert_acted(&out, &[snap], "transfer", true);
    assert!(strs(&image(snap)["regions"]).contains(&"ams3".to_owned()));

    // Without a wait, then `image wait` for the current action.
    let out = doapi(url)
        .args(["image", "transfer", "--region", "lon1", "golden"])
        .ok();
    assert_acted(&out, &[snap], "transfer", false);
    let out = doapi(url).args(["image", "wait", "golden"]).args(wait).ok();
    assert_acted(&out, &[snap], "transfer", true);
    assert!(strs(&image(snap)["regions"]).contains(&"lon1".to_owned()));

    let out = doapi(url).args(["image", "actions", "golden"]).ok();
    let acts = out.items();
    assert_eq!(acts.len(), 3, "{out}");
    assert!(acts
        .iter()
        .all(|a| a["type"] == "transfer" && a["status"] == "completed"));
    let in_sim = get(url, &format!("/v2/images/{snap}/actions"), "actions");
    assert_eq!(out.ids(), ids(in_sim.as_array().unwrap()), "newest first");

    let backup = seed_backup(url, id);
    let out = doapi(url)
        .args(["image", "convert", "-w", &backup.to_string()])
        .args(wait)
        .ok();
    assert_acted(&out, &[backup], "convert", true);
    assert_eq!(image(backup)["type"], "snapshot");

    let out = doapi(url)
        .args(["image", "delete", "golden", "snap-b"])
        .ok();
    assert_eq!(out.stdout, "");
    assert!(is_gone(url, &format!("/v2/images/{snap}")));
    assert!(is_gone(url, &format!("/v2/images/{snap_b}")));
    assert_eq!(droplet(url, id)["snapshot_ids"], json!([backup]));
}

// --- action --------------------------------------------------------------

#[test]
fn action_show_wait_and_resource() {
    let server = start(SimConfig {
        // Long enough for two commands while the reboots run.
        action_delay: std::time::Duration::from_millis(1500),
        ..common::fast_sim()
    });
    let url = server.url();
    let wait = ["--wait-interval", "0.1"];
    let ids2 = seed_droplets(url, &["a-1", "a-2"], &[]);
    let c = client(url);
    let r1 = c.reboot(ids2[0]).unwrap();
    let r2 = c.reboot(ids2[1]).unwrap();

    let busy = doapi(url).args(["action", "show", "--in-progress"]).ok();
    assert_eq!(sorted(busy.ids()), sorted(vec![r1.id, r2.id]), "{busy}");
    // Every action in progress.
    let out = doapi(url).args(["action", "wait"]).args(wait).ok();
    assert_eq!(sorted(out.ids()), sorted(vec![r1.id, r2.id]), "{out}");
    assert!(
        out.items().iter().all(|a| a["status"] == "completed"),
        "{out}"
    );

    let all = doapi(url).args(["action", "show"]).ok();
    let in_sim = get(url, "/v2/actions?per_page=200", "actions");
    assert_eq!(sorted(all.ids()), sorted(ids(in_sim.as_array().unwrap())));
    assert_eq!(all.ids().len(), 4);
    let last = doapi(url).args(["action", "show", "--last"]).ok();
    assert_eq!(last.ids(), [r2.id], "{last}");
    let one = doapi(url).args(["action", "show", &r1.id.to_string()]).ok();
    assert_eq!(one.ids(), [r1.id]);
    assert_eq!(one.items()[0]["type"], "reboot");

    // The ones given.
    let r3 = c.power_off(ids2[0]).unwrap();
    let out = doapi(url)
        .args(["action", "wait", &r3.id.to_string()])
        .args(wait)
        .ok();
    assert_eq!(out.ids(), [r3.id]);
    assert_eq!(out.items()[0]["status"], "completed");

    // The resource each is about; null once it is gone.
    let out = doapi(url)
        .args(["action", "resource", &r3.id.to_string(), &r2.id.to_string()])
        .ok();
    let res = out.items();
    assert_eq!(res.len(), 2, "{out}");
    assert_eq!(res[0]["id"], ids2[0]);
    assert_eq!(res[0]["status"], "off");
    assert_eq!(res[1]["id"], ids2[1]);
    c.delete_droplet(ids2[1]).unwrap();
    let out = doapi(url)
        .args(["action", "resource", &r2.id.to_string()])
        .ok();
    assert_eq!(common::flatten(out.json()), [Value::Null], "{out}");
}

// --- ssh-key ---------------------------------------------------------------

#[test]
fn ssh_key_new_show_update_and_delete() {
    let server = sim();
    let url = server.url();
    let file = temp_file("key.pub", &format!("{PUBLIC_KEY}\n"));
    let out = doapi(url)
        .args(["ssh-key", "new", "laptop", &file.display().to_string()])
        .ok();
    let k1 = out.object();
    assert_eq!(k1["name"], "laptop");
    assert_eq!(k1["public_key"], PUBLIC_KEY);
    let out = doapi(url)
        .args(["ssh-key", "new", "desktop"])
        .stdin(PUBLIC_KEY_2)
        .ok();
    let k2 = out.object();
    assert_eq!(k2["public_key"], PUBLIC_KEY_2, "the key from stdin");
    let refused = doapi(url)
        .args(["ssh-key", "new", "--unique", "laptop"])
        .stdin("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRoaXJkLWtleQ third@doapi")
        .fails(2);
    assert!(refused.error_line().contains("laptop"), "{refused}");
    assert_eq!(server.stats().requests_to("POST /v2/account/keys"), 2);

    let all = doapi(url).args(["ssh-key", "show"]).ok();
    assert_eq!(
        sorted(all.ids()),
        sorted(vec![k1["id"].as_u64().unwrap(), k2["id"].as_u64().unwrap()])
    );
    for label in [
        "laptop".to_owned(),
        k1["id"].to_string(),
        k1["fingerprint"].as_str().unwrap().to_owned(),
    ] {
        let one = doapi(url).args(["ssh-key", "show", &label]).ok();
        assert_eq!(one.ids(), [k1["id"].as_u64().unwrap()], "{one}");
    }

    let out = doapi(url)
        .args(["ssh-key", "update", "laptop", "work-laptop"])
        .ok();
    assert_eq!(out.object()["name"], "work-laptop");
    let keys = get(url, &format!("/v2/account/keys/{}", k1["id"]), "ssh_key");
    assert_eq!(keys["name"], "work-laptop");
    let refused = doapi(url)
        .args(["ssh-key", "update", "--unique", "desktop", "work-laptop"])
        .fails(2);
    assert!(refused.error_line().contains("work-laptop"), "{refused}");

    let out = doapi(url)
        .args(["ssh-key", "delete", "work-laptop", "desktop"])
        .ok();
    assert_eq!(out.stdout, "");
    assert!(listed(url, "/v2/account/keys", "ssh_keys").is_empty());
}

// --- domain --------------------------------------------------------------

#[test]
fn domain_and_records() {
    let server = sim();
    let url = server.url();
    let out = doapi(url)
        .args(["domain", "new", "example.com", "203.0.113.7"])
        .ok();
    assert_eq!(out.object()["name"], "example.com");
    doapi(url).args(["domain", "new", "example.org"]).ok();
    let all = doapi(url).args(["domain", "show"]).ok();
    let names: Vec<String> = all
        .items()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sorted_strs(names), ["example.com", "example.org"]);
    let one = doapi(url).args(["domain", "show", "example.com"]).ok();
    let one = one.items();
    assert_eq!(one.len(), 1);
    assert!(one[0]["zone_file"]
        .as_str()
        .unwrap()
        .contains("203.0.113.7"));

    let records = |d: &str| {
        get(url, &format!("/v2/domains/{d}/records"), "domain_records")
            .as_array()
            .cloned()
            .unwrap()
    };
    let out = doapi(url).args(["domain", "records", "example.com"]).ok();
    assert_eq!(sorted(out.ids()), sorted(ids(&records("example.com"))));
    let apex_a = records("example.com")
        .into_iter()
        .find(|r| r["type"] == "A")
        .unwrap();
    let out = doapi(url)
        .args([
            "domain",
            "records",
            "example.com",
            &apex_a["id"].to_string(),
        ])
        .ok();
    assert_eq!(out.ids(), [apex_a["id"].as_u64().unwrap()], "{out}");
    assert_eq!(out.items()[0]["data"], "203.0.113.7");

    let out = doapi(url)
        .args([
            "domain",
            "new-record",
            "example.com",
            "A",
            "www",
            "198.51.100.1",
        ])
        .args(["--ttl", "600"])
        .ok();
    let www = out.object();
    assert_eq!(
        (www["type"].clone(), www["name"].clone()),
        (json!("A"), json!("www"))
    );
    assert_eq!(www["ttl"], 600);
    let out = doapi(url)
        .args([
            "domain",
            "new-record",
            "example.com",
            "MX",
            "@",
            "mail.example.com",
        ])
        .args(["--priority", "10"])
        .ok();
    assert_eq!(out.object()["priority"], 10);
    let out = doapi(url)
        .args([
            "domain",
            "new-record",
            "example.com",
            "SRV",
            "_sip._tcp",
            "sip.example.com",
        ])
        .args(["--priority", "1", "--weight", "5", "--port", "5060"])
        .ok();
    assert_eq!(out.object()["port"], 5060);
    assert_eq!(out.object()["weight"], 5);
    doapi(url)
        .args([
            "domain",
            "new-record",
            "example.com",
            "A",
            "www",
            "198.51.100.2",
        ])
        .ok();
    let www_a = |rs: Vec<Value>| -> Vec<Value> {
        rs.into_iter()
            .filter(|r| r["type"] == "A" && r["name"] == "www")
            .collect()
    };
    assert_eq!(www_a(records("example.com")).len(), 2);
    // --delete: the other A records named www go.
    let out = doapi(url)
        .args([
            "domain",
            "new-record",
            "example.com",
            "A",
            "www",
            "198.51.100.3",
            "--delete",
        ])
        .ok();
    let kept = www_a(records("example.com"));
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0]["data"], "198.51.100.3");
    assert_eq!(kept[0]["id"], out.object()["id"]);
    assert_eq!(
        records("example.com")
            .iter()
            .filter(|r| r["type"] == "MX")
            .count(),
        1
    );

    let rid = kept[0]["id"].to_string();
    let out = doapi(url)
        .args(["domain", "update-record", "example.com", &rid])
        .args(["--type", "A", "--data", "198.51.100.9", "--ttl", "900"])
        .ok();
    assert_eq!(out.object()["data"], "198.51.100.9");
    let rec = get(
        url,
        &format!("/v2/domains/example.com/records/{rid}"),
        "domain_record",
    );
    assert_eq!(
        (rec["data"].clone(), rec["ttl"].clone()),
        (json!("198.51.100.9"), json!(900))
    );
    assert_eq!(rec["name"], "www");

    let out = doapi(url)
        .args(["domain", "delete-record", "example.com", &rid])
        .ok();
    assert_eq!(out.stdout, "");
    assert!(is_gone(
        url,
        &format!("/v2/domains/example.com/records/{rid}")
    ));

    let out = doapi(url)
        .args(["domain", "delete", "example.com", "example.org"])
        .ok();
    assert_eq!(out.stdout, "");
    assert!(is_gone(url, "/v2/domains/example.com"));
    assert!(is_gone(url, "/v2/domains/example.org"));
}

// --- floating-ip -----------------------------------------------------------

#[test]
fn floating_ip_new_assign_unassign_act_actions_wait_and_delete() {
    // Actions long enough that `wait` finds the one just started in
    // progress, however slowly the command starts.
    let server = common::start(SimConfig {
        action_delay: std::time::Duration::from_millis(800),
        ..common::fast_sim()
    });
    let url = server.url();
    let wait = ["--wait-interval", "0.1"];
    let ds = seed_droplets(url, &["f-1", "f-2"], &[]);
    let fip = |ip: &str| get(url, &format!("/v2/floating_ips/{ip}"), "floating_ip");

    let out = doapi(url)
        .args(["floating-ip", "new", "--region", REGION])
        .ok();
    let free = out.items()[0]["ip"].as_str().unwrap().to_owned();
    assert!(fip(&free)["droplet"].is_null());
    assert_eq!(fip(&free)["region"]["slug"], REGION);

    let out = doapi(url)
        .args(["floating-ip", "new", "--droplet", "f-1", "-w"])
        .args(wait)
        .ok();
    assert_eq!(out.items().len(), 1, "{out}");
    let list = get(url, "/v2/floating_ips", "floating_ips");
    let bound = list
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ip"] != free.as_str());
    let bound = bound.expect("a second floating IP")["ip"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(fip(&bound)["droplet"]["id"], ds[0], "assigned once waited");

    let out = doapi(url)
        .args(["floating-ip", "assign", "-w", &free, "f-2"])
        .args(wait)
        .ok();
    assert_eq!(out.items().len(), 1, "{out}");
    assert_eq!(fip(&free)["droplet"]["id"], ds[1]);

    let out = doapi(url)
        .args(["floating-ip", "unassign", "-w", &free, &bound])
        .args(wait)
        .ok();
    assert_eq!(out.items().len(), 2, "{out}");
    assert!(fip(&free)["droplet"].is_null());
    assert!(fip(&bound)["droplet"].is_null());

    let body = format!(r#"{{"droplet_id": {}}}"#, ds[0]);
    let out = doapi(url)
        .args(["floating-ip", "act", "--type", "assign", "-p", &body, &free])
        .ok();
    let started = out.items();
    assert_eq!(started.len(), 1, "{out}");
    assert_eq!(started[0]["type"], "assign_ip");
    let out = doapi(url)
        .args(["floating-ip", "wait", &free])
        .args(wait)
        .ok();
    let done = out.items();
    assert_eq!(done.len(), 1, "{out}");
    assert!(is_action(&done[0]), "{out}");
    assert_eq!(done[0]["status"], "completed", "{out}");
    assert_eq!(done[0]["id"], started[0]["id"], "{out}");
    assert_eq!(fip(&free)["droplet"]["id"], ds[0]);

    let out = doapi(url).args(["floating-ip", "actions", &free]).ok();
    let kinds: Vec<String> = out
        .items()
        .iter()
        .map(|a| a["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        ["assign_ip", "unassign_ip", "assign_ip"],
        "newest first: {out}"
    );

    let all = doapi(url).args(["floating-ip", "show"]).ok();
    assert_eq!(all.items().len(), 2);
    let one = doapi(url).args(["floating-ip", "show", &free]).ok();
    assert_eq!(one.items()[0]["ip"], free.as_str());

    let out = doapi(url)
        .args(["floating-ip", "delete", &free, &bound])
        .ok();
    assert_eq!(out.stdout, "");
    assert!(listed(url, "/v2/floating_ips", "floating_ips").is_empty());
}

// --- tag, region, size, account ----------------------------------------------

#[test]
fn a_bad_tag_name_creates_no_tag() {
    let server = sim();
    let url = server.url();
    let out = doapi(url)
        .args(["tag", "new", "fine", "not fine!"])
        .fails(2);
    assert!(out.error_line().contains("not fine!"), "{out}");
    assert_eq!(server.stats().requests_to("POST /v2/tags"), 0);
}

#[test]
fn tag_new_show_and_delete() {
    let server = sim();
    let url = server.url();
    let out = doapi(url).args(["tag", "new", "red", "green"]).ok();
    let made = out.items();
    assert_eq!(made.len(), 2, "{out}");
    let names = |v: &[Value]| -> Vec<String> {
        sorted_strs(
            v.iter()
                .map(|t| t["name"].as_str().unwrap().to_owned())
                .collect(),
        )
    };
    assert_eq!(names(&made), ["green", "red"]);
    let in_sim = get(url, "/v2/tags", "tags");
    assert_eq!(names(in_sim.as_array().unwrap()), ["green", "red"]);

    let all = doapi(url).args(["tag", "show"]).ok();
    assert_eq!(names(&all.items()), ["green", "red"]);
    let one = doapi(url).args(["tag", "show", "red"]).ok();
    assert_eq!(names(&one.items()), ["red"]);

    let out = doapi(url).args(["tag", "delete", "red", "green"]).ok();
    assert_eq!(out.stdout, "");
    assert!(listed(url, "/v2/tags", "tags").is_empty());
}

#[test]
fn region_size_and_account_show() {
    let server = sim();
    let url = server.url();
    let slugs = |v: &[Value]| -> Vec<Value> { v.iter().map(|x| x["slug"].clone()).collect() };
    let regions = doapi(url).args(["region", "show"]).ok();
    let want = get(url, "/v2/regions?per_page=200", "regions");
    assert_eq!(slugs(&regions.array()), slugs(want.as_array().unwrap()));
    assert!(regions.items().iter().any(|r| r["slug"] == "nyc3"));

    let sizes = doapi(url).args(["size", "show"]).ok();
    let want = get(url, "/v2/sizes?per_page=200", "sizes");
    assert!(
        want.as_array().unwrap().len() > 20,
        "more than a default page"
    );
    assert_eq!(
        slugs(&sizes.array()),
        slugs(want.as_array().unwrap()),
        "every page of sizes"
    );

    let account = doapi(url).args(["account", "show"]).ok();
    let account = account.object();
    let want = get(url, "/v2/account", "account");
    for field in ["email", "uuid", "droplet_limit", "status"] {
        assert_eq!(account[field], want[field], "{field}");
    }
}

// --- request ---------------------------------------------------------------

#[test]
fn request_get_post_with_bodies_and_paginate() {
    let server = sim();
    let url = server.url();
    let out = doapi(url).args(["request", "/v2/account"]).ok();
    assert_eq!(out.json()["account"], get(url, "/v2/account", "account"));
    // A URL on the endpoint's origin.
    let out = doapi(url)
        .args(["request", &format!("{url}/v2/account")])
        .ok();
    assert_eq!(out.json()["account"]["email"], "sammy@digitalocean.com");

    let out = doapi(url)
        .args([
            "request",
            "-X",
            "POST",
            "-d",
            r#"{"name":"from-text"}"#,
            "/v2/tags",
        ])
        .ok();
    assert_eq!(out.json()["tag"]["name"], "from-text");
    let body = temp_file("tag.json", r#"{"name":"from-file"}"#);
    doapi(url)
        .args(["request", "-X", "POST", "-d"])
        .arg(format!("@{}", body.display()))
        .arg("/v2/tags")
        .ok();
    doapi(url)
        .args(["request", "-X", "POST", "-d", "@-", "/v2/tags"])
        .stdin(r#"{"name":"from-stdin"}"#)
        .ok();
    let tags = get(url, "/v2/tags", "tags");
    let mut names: Vec<&str> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["from-file", "from-stdin", "from-text"]);

    doapi(url)
        .args(["request", "-X", "DELETE", "/v2/tags/from-file"])
        .ok();
    assert!(is_gone(url, "/v2/tags/from-file"));

    // --paginate follows every page: 22 kernels, more than a default page.
    let id = seed_droplet(url, "paged");
    let out = doapi(url)
        .args(["request", "--paginate", "kernels"])
        .arg(format!("/v2/droplets/{id}/kernels?per_page=5"))
        .ok();
    let kernels = out.items();
    assert_eq!(kernels.len(), 22, "{out}");
    assert!(server.stats().requests_to("GET /v2/droplets/{id}/kernels") >= 5);
    let mut kids = ids(&kernels);
    kids.dedup();
    assert_eq!(kids.len(), 22, "no page twice");
}

#[test]
fn domain_update_record_without_type_keeps_the_record_type() {
    let server = sim();
    let url = server.url();
    doapi(url).args(["domain", "new", "example.net"]).ok();
    let out = doapi(url)
        .args(["domain", "new-record", "example.net", "TXT", "note", "v=1"])
        .ok();
    let rid = out.object()["id"].to_string();
    // --type is optional in the README's synopsis.
    let out = doapi(url)
        .args([
            "domain",
            "update-record",
            "example.net",
            &rid,
            "--data",
            "v=2",
        ])
        .ok();
    assert_eq!(out.object()["data"], "v=2");
    let rec = get(
        url,
        &format!("/v2/domains/example.net/records/{rid}"),
        "domain_record",
    );
    assert_eq!(rec["type"], "TXT");
    assert_eq!(rec["name"], "note");
    assert_eq!(rec["data"], "v=2");
}

#[test]
fn droplet_new_from_a_private_image_by_name() {
    let server = sim();
    let url = server.url();
    let src = seed_droplet(url, "golden-src");
    let snap = seed_snapshot(url, src, "golden-image");
    let out = doapi(url)
        .args(["droplet", "new", "from-snap", "-I", "golden-image"])
        .args(["-S", SIZE, "-R", REGION])
        .ok();
    let made = out.array();
    assert_eq!(made.len(), 1, "{out}");
    let id = made[0]["id"].as_u64().unwrap();
    assert_eq!(droplet(url, id)["image"]["id"], snap);
}

#[test]
fn request_paginate_is_get_only() {
    let server = sim();
    let out = doapi(server.url())
        .args(["request", "-X", "POST", "--paginate", "tags", "/v2/tags"])
        .args(["-d", r#"{"name":"x"}"#])
        .fails(2);
    assert!(out.stdout.is_empty(), "{out}");
    assert_eq!(server.stats().requests, 0);
}
