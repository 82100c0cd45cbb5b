//! `doapi` through Prism's validating proxy in front of the simulator:
//! commands of every resource family, creates and actions with `--wait`,
//! and `request`, with zero violations of the official spec in requests
//! and responses; and `doapi call` against Prism's mock of the spec, for
//! an operation of every group.
//!
//! Needs the shared folder (`$DOAPI_SHARED`, else `<repo>/../shared`) and
//! node/npm for Prism. Prints SKIPPED when they are missing, unless
//! `DOAPI_REQUIRE_SHARED=1`.

mod common;
#[path = "../../../core/tests/spec/mod.rs"]
mod spec;

use std::collections::BTreeMap;

use common::{doapi, fast_sim, Out, PUBLIC_KEY};
use doapi_blocking::api::registry::{self, Implementation, Operation};
use doapi_sim::prism::{proxied, Prism};
use doapi_sim::SimConfig;

#[test]
fn every_family_of_commands_conforms_to_the_spec_through_prism() {
    let Some((server, prism)) = proxied(SimConfig {
        // More droplets than a page of 200 holds: listings follow links.
        seed_droplets: 205,
        ..fast_sim()
    }) else {
        return;
    };
    let url = prism.url.clone();
    let run =
        |args: &[&str]| -> Out { doapi(&url).args(args).args(["--wait-interval", "0.1"]).ok() };

    // Account, regions, sizes (over pages).
    assert_eq!(
        run(&["account", "show"]).object()["email"],
        "sammy@digitalocean.com"
    );
    assert!(run(&["region", "show"]).items().len() > 5);
    assert!(run(&["size", "show"]).items().len() > 20);

    // Droplets: create and wait, show, actions with --wait.
    let made = run(&[
        "droplet",
        "new",
        "pr-1",
        "pr-2",
        "-I",
        "ubuntu-24-04-x64",
        "-S",
        "s-1vcpu-1gb",
        "-R",
        "nyc3",
        "-T",
        "prism",
        "--wait",
    ]);
    let made = made.items();
    assert_eq!(made.len(), 2);
    assert!(made.iter().all(|d| d["status"] == "active"));
    assert_eq!(run(&["droplet", "show"]).items().len(), 207);
    assert_eq!(run(&["droplet", "show", "pr-1"]).items().len(), 1);
    assert_eq!(run(&["droplet", "show", "--tag", "prism"]).items().len(), 2);
    assert_eq!(run(&["droplet", "reboot", "-w", "pr-1"]).items().len(), 1);
    // Not `--tag`: the spec's body for actions by tag is a `oneOf` whose
    // two branches both match every body (`droplet_action_snapshot` is
    // `droplet_action` plus an optional name), so Prism refuses them all.
    assert_eq!(
        run(&["droplet", "power-off", "-w", "pr-1", "pr-2"])
            .items()
            .len(),
        2
    );
    let off = run(&["droplet", "wait", "-S", "off", "pr-1", "pr-2"]);
    assert!(off.items().iter().all(|d| d["status"] == "off"));
    run(&["droplet", "snapshot", "--name", "prism-snap", "-w", "pr-1"]);
    assert_eq!(run(&["droplet", "snapshots", "pr-1"]).items().len(), 1);
    assert!(run(&["droplet", "actions", "pr-1"]).items().len() >= 4);
    assert!(run(&["droplet", "kernels", "pr-1"]).items().len() > 20);
    run(&["droplet", "neighbors"]);
    run(&["droplet", "rename", "-w", "pr-2", "pr-two"]);

    // Tags.
    run(&["tag", "new", "prism-extra"]);
    run(&["droplet", "tag", "prism-extra", "pr-two"]);
    run(&["droplet", "untag", "prism-extra", "pr-two"]);
    assert!(run(&["tag", "show"]).items().len() >= 2);
    run(&["tag", "delete", "prism-extra"]);

    // Images.
    assert_eq!(run(&["image", "show", "--private"]).items().len(), 1);
    assert_eq!(run(&["image", "show", "ubuntu-24-04-x64"]).items().len(), 1);
    run(&["image", "update", "prism-snap", "prism-golden"]);
    run(&[
        "image",
        "transfer",
        "--region",
        "sfo3",
        "-w",
        "prism-golden",
    ]);
    assert_eq!(run(&["image", "actions", "prism-golden"]).items().len(), 1);

    // Actions.
    assert_eq!(run(&["action", "show", "--last"]).items().len(), 1);
    assert!(run(&["action", "show"]).items().len() >= 200);

    // SSH keys.
    let key = doapi(&url)
        .args(["ssh-key", "new", "prism-key"])
        .stdin(PUBLIC_KEY)
        .ok();
    let fingerprint = key.object()["fingerprint"].as_str().unwrap().to_owned();
    assert_eq!(run(&["ssh-key", "show", &fingerprint]).items().len(), 1);
    run(&["ssh-key", "update", "prism-key", "prism-key-2"]);
    run(&["ssh-key", "delete", "prism-key-2"]);

    // Domains and records.
    run(&["domain", "new", "prism.example.com", "203.0.113.9"]);
    let rec = run(&[
        "domain",
        "new-record",
        "prism.example.com",
        "A",
        "www",
        "203.0.113.10",
    ]);
    let rid = rec.object()["id"].to_string();
    assert!(
        run(&["domain", "records", "prism.example.com"])
            .items()
            .len()
            >= 5
    );
    run(&[
        "domain",
        "update-record",
        "prism.example.com",
        &rid,
        "--type",
        "A",
        "--data",
        "203.0.113.11",
    ]);
    run(&["domain", "delete-record", "prism.example.com", &rid]);
    run(&["domain", "show"]);
    run(&["domain", "delete", "prism.example.com"]);

    // Floating IPs.
    let fip = run(&["floating-ip", "new", "--region", "nyc3"]);
    let ip = fip.items()[0]["ip"].as_str().unwrap().to_owned();
    run(&["floating-ip", "assign", "-w", &ip, "pr-1"]);
    run(&["floating-ip", "unassign", "-w", &ip]);
    assert_eq!(run(&["floating-ip", "actions", &ip]).items().len(), 2);
    run(&["floating-ip", "show"]);
    run(&["floating-ip", "delete", &ip]);

    // Any request.
    assert!(run(&["request", "/v2/account"]).json()["account"].is_object());
    let sizes = run(&["request", "--paginate", "sizes", "/v2/sizes"]);
    assert!(sizes.items().len() > 20);
    let all = run(&["request", "--paginate", "droplets", "/v2/droplets"]);
    assert_eq!(all.items().len(), 207);
    run(&[
        "request",
        "-X",
        "POST",
        "-d",
        r#"{"name":"prism-raw"}"#,
        "/v2/tags",
    ]);
    run(&["request", "-X", "DELETE", "/v2/tags/prism-raw"]);

    // Clean up.
    run(&["image", "delete", "prism-golden"]);
    run(&["droplet", "delete", "--tag", "prism"]);
    assert_eq!(run(&["droplet", "show"]).items().len(), 205);

    let lines = prism.flagged_lines();
    eprintln!(
        "Prism: {} requests reached the simulator, {} flagged log lines",
        server.stats().requests,
        lines.len()
    );
    assert!(lines.is_empty(), "{lines:#?}");

    // The check sees a violation when there is one: a create whose size is
    // a number (Prism answers it; the simulator never sees it).
    let before = server.stats().requests;
    let bad = doapi(&url)
        .args(["request", "-X", "POST", "-d"])
        .arg(doapi_sim::prism::VIOLATING_CREATE)
        .arg("/v2/droplets")
        .fails(1);
    assert!(bad.error_line().contains("422"), "{bad}");
    assert_eq!(server.stats().requests, before);
    assert!(
        !prism.flagged_lines().is_empty(),
        "Prism's log: {}",
        prism.log_text()
    );
}

/// The operation `doapi call` tries for a group: its first GET that is not
/// a listing (the examples' next links point to DigitalOcean itself,
/// which the client does not follow from another endpoint), else its
/// first operation, leaving out those whose example answer Prism finds
/// not of its schema (`core/tests/prism.rs` lists them).
fn sample(ops: &[&'static Operation]) -> &'static Operation {
    const EXAMPLE_NOT_OF_ITS_SCHEMA: &[&str] = &[
        "apps_cancel_event",
        "apps_get_event",
        "apps_list_events",
        "monitoring_get_sink",
        "monitoring_list_alertPolicy",
        "monitoring_list_sinks",
    ];
    let fits = |op: &&&Operation| !EXAMPLE_NOT_OF_ITS_SCHEMA.contains(&op.id);
    ops.iter()
        .filter(fits)
        .find(|op| op.method == "GET" && op.list_key.is_none())
        .or_else(|| ops.iter().find(fits))
        .copied()
        .unwrap_or(ops[0])
}

#[test]
fn doapi_call_of_an_operation_of_every_group_against_prism_s_mock() {
    let Some(spec) = spec::spec() else { return };
    let Some(prism) = Prism::mock(&[]) else {
        return;
    };
    let raw = spec::operations(&spec);
    let mut groups: BTreeMap<&str, Vec<&'static Operation>> = BTreeMap::new();
    for op in registry::OPERATIONS {
        if !matches!(op.implementation, Implementation::Skipped(_)) {
            groups.entry(op.tag).or_default().push(op);
        }
    }
    let mut failures = Vec::new();
    for ops in groups.values() {
        let op = sample(ops);
        let params = spec::minimal_params(&spec, op, raw[op.id].2);
        let mut run = doapi(&prism.url).args(["call", op.id]);
        for (k, v) in params.pairs() {
            run = run.arg("--param").arg(format!("{k}={v}"));
        }
        if let Some(body) = params.body_text() {
            run = run.arg("-d").arg(body);
        }
        let out = run.run();
        // A listing prints its first page; the example's next link, to
        // DigitalOcean, is refused (exit 1) as another origin.
        let refused_next = out.code == 1
            && op.list_key.is_some()
            && out.error_line().contains("next page link was refused")
            && !out.array().is_empty();
        if out.code != 0 && !refused_next {
            failures.push(format!("{}: {out}", op.id));
            continue;
        }
        // What it printed is JSON (nothing for no content).
        if !out.stdout.trim().is_empty() {
            out.json();
        }
    }
    eprintln!(
        "doapi call against Prism's mock: {} groups, {} failed",
        groups.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(groups.len() > 50, "{} groups", groups.len());

    // A request the spec refuses is Prism's 422: exit 1.
    let bad = doapi(&prism.url)
        .args(["call", "droplets_create", "-d"])
        .arg(doapi_sim::prism::VIOLATING_CREATE)
        .fails(1);
    assert!(bad.error_line().contains("422"), "{bad}");
}
