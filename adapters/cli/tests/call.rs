//! `doapi call` against the simulator: the operations it knows, one
//! operation's help, the droplet area called by operation id (a listing
//! over pages, a get, a create with a body, a delete), and parameters
//! refused before anything is sent; against a hostile server, its text
//! shown safe and its answers checked against the operation's type.

mod common;

use common::{bare, doapi, fast_sim, seed_droplet, sim, start, temp_file};
use doapi_blocking::api::registry::{self, Implementation};
use doapi_conformance::hostile::{Hostile, Reply, EVIL};
use doapi_sim::SimConfig;
use serde_json::json;

#[test]
fn the_list_is_every_operation_offered_with_its_method_and_path_and_needs_no_token() {
    let out = bare().args(["call", "--list"]).ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    let offered: Vec<String> = registry::OPERATIONS
        .iter()
        .filter(|op| !matches!(op.implementation, Implementation::Skipped(_)))
        .map(|op| format!("{} {} {}", op.id, op.method, op.path))
        .collect();
    assert_eq!(lines, offered);
    assert!(lines.len() > 600, "{}", lines.len());
    assert!(lines.contains(&"droplets_list GET /v2/droplets"));
    assert!(lines.contains(&"firewalls_get GET /v2/firewalls/{firewall_id}"));
    assert!(lines.contains(&"droplets_destroy DELETE /v2/droplets/{droplet_id}"));
}

#[test]
fn an_operation_s_help_lists_its_parameters_and_needs_no_token() {
    let out = bare().args(["call", "droplets_list", "--help"]).ok();
    assert!(
        out.stdout.starts_with("droplets_list: GET /v2/droplets\n"),
        "{out}"
    );
    for row in [
        ["tag_name", "query", "string", "optional"],
        ["name", "query", "string", "optional"],
    ] {
        assert!(
            out.stdout
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == row),
            "{row:?}: {out}"
        );
    }
    let get = bare().args(["call", "droplets_get", "-h"]).ok();
    assert!(
        get.stdout
            .contains("droplet_id  path  integer >= 1  required"),
        "{get}"
    );
    let dangerous = bare()
        .args([
            "call",
            "droplets_destroy_withAssociatedResourcesDangerous",
            "--help",
        ])
        .ok();
    assert!(
        dangerous.stdout.contains("X-Dangerous  header  boolean"),
        "{dangerous}"
    );
    let create = bare().args(["call", "droplets_create", "--help"]).ok();
    assert!(create.stdout.contains("Body: optional JSON"), "{create}");
    let tag = bare().args(["call", "tags_create", "--help"]).ok();
    assert!(tag.stdout.contains("Body: required JSON"), "{tag}");
    // Without an operation, the command's own help.
    let plain = bare().args(["call", "--help"]).ok();
    assert!(plain.stdout.contains("--param <NAME=VALUE>"), "{plain}");
    // An unknown operation is a usage error.
    let unknown = bare().args(["call", "droplets_lst", "--help"]).fails(2);
    assert!(
        unknown
            .error_line()
            .contains("no operation \"droplets_lst\""),
        "{unknown}"
    );
}

#[test]
fn a_listing_is_every_page_streamed() {
    let server = start(SimConfig {
        seed_droplets: 205,
        ..fast_sim()
    });
    let url = server.url().to_owned();
    let all = doapi(&url).args(["call", "droplets_list"]).ok();
    let items = all.array();
    assert_eq!(items.len(), 205);
    assert!(items
        .iter()
        .all(|d| d["id"].is_u64() && d["name"].is_string()));
    assert_eq!(
        server.stats().requests_to("GET /v2/droplets"),
        2,
        "two pages of 200"
    );
    // --compact: one droplet a line.
    let lines = doapi(&url)
        .args(["--compact", "call", "droplets_list"])
        .ok()
        .lines();
    assert_eq!(lines.len(), 205);
    // A query parameter.
    let name = items[7]["name"].as_str().expect("a name").to_owned();
    let named = doapi(&url)
        .args(["call", "droplets_list", "--param", &format!("name={name}")])
        .ok();
    let named = named.array();
    assert!(!named.is_empty() && named.iter().all(|d| d["name"] == name.as_str()));
}

#[test]
fn the_droplet_area_by_operation_id() {
    let server = sim();
    let url = server.url().to_owned();
    let id = seed_droplet(&url, "call-1");

    let got = doapi(&url)
        .args(["call", "droplets_get", "-p", &format!("droplet_id={id}")])
        .ok();
    assert_eq!(got.object()["droplet"]["id"], id);
    assert_eq!(got.object()["droplet"]["name"], "call-1");

    // A body from a file, and one from the argument.
    let body = temp_file(
        "create.json",
        r#"{"name": "call-2", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64", "region": "nyc3", "tags": ["via-call"]}"#,
    );
    let made = doapi(&url)
        .args(["call", "droplets_create", "-d"])
        .arg(format!("@{}", body.display()))
        .ok();
    let new_id = made.object()["droplet"]["id"].as_u64().expect("an id");
    assert_eq!(made.object()["droplet"]["name"], "call-2");
    let tagged = doapi(&url)
        .args(["call", "droplets_list", "-p", "tag_name=via-call"])
        .ok();
    assert_eq!(tagged.array().len(), 1);
    let action = doapi(&url)
        .args([
            "call",
            "dropletActions_post",
            "-p",
            &format!("droplet_id={id}"),
        ])
        .args(["-d", r#"{"type": "reboot"}"#])
        .ok();
    assert_eq!(action.object()["action"]["type"], "reboot");

    // No content: nothing printed.
    let deleted = doapi(&url)
        .args([
            "call",
            "droplets_destroy",
            "-p",
            &format!("droplet_id={new_id}"),
        ])
        .ok();
    assert_eq!(deleted.stdout, "");
    // The API's error: exit 1, its message on one line.
    let gone = doapi(&url)
        .args([
            "call",
            "droplets_get",
            "-p",
            &format!("droplet_id={new_id}"),
        ])
        .fails(1);
    assert!(gone.error_line().contains("404"), "{gone}");
    assert_eq!(
        doapi(&url).args(["call", "account_get"]).ok().object()["account"]["email"],
        "sammy@digitalocean.com"
    );
}

#[test]
fn parameters_not_of_their_types_are_refused_before_anything_is_sent() {
    let server = sim();
    let url = server.url().to_owned();
    let refused: &[(&[&str], &str)] = &[
        (
            &["droplets_get", "-p", "droplet_id=abc"],
            "invalid droplet_id: \"abc\" is not an integer",
        ),
        (&["droplets_get", "-p", "droplet_id=0"], "out of range"),
        (
            &["droplets_get"],
            "missing required parameter \"droplet_id\"",
        ),
        (&["droplets_get", "-p", "droplet_id"], "is not NAME=VALUE"),
        (
            &["droplets_get", "-p", "droplet_id=1", "-p", "droplet_id=2"],
            "takes one value",
        ),
        (
            &["droplets_get", "-p", "droplet_id=1", "-p", "size=5"],
            "unknown parameter \"size\"",
        ),
        (
            &["droplets_list", "-p", "type=tpus"],
            "not one of droplets, gpus",
        ),
        (
            &["droplets_get", "-p", "droplet_id=1", "-d", "{}"],
            "takes no body",
        ),
        (&["tags_create"], "needs a JSON body"),
        (&["droplets_create", "-d", "{\"name\": "], "not JSON"),
        (&["no_such_operation"], "no operation \"no_such_operation\""),
        (&["inference_upload_batch_file"], "not offered"),
    ];
    for (args, want) in refused {
        let out = doapi(&url).arg("call").args(*args).fails(2);
        assert!(out.error_line().contains(want), "{want}: {out}");
        assert_eq!(out.stdout, "", "{out}");
    }
    assert_eq!(server.stats().requests, 0, "nothing was sent");

    // A typed body (its feature on) is checked against its type: a firewall
    // without its required name.
    let out = doapi(&url)
        .args(["call", "firewalls_create", "-d", r#"{"droplet_ids": [1]}"#])
        .fails(2);
    assert!(out.error_line().contains("name"), "{out}");
    assert_eq!(server.stats().requests, 0, "nothing was sent");
}

#[test]
fn what_the_server_says_is_shown_safe_and_answers_are_checked_against_their_types() {
    let server = Hostile::start(|asked| match asked.target.split('?').next().unwrap_or("") {
        "/v2/firewalls/fw-1" => Reply::json(200, r#"{"firewall": {"id": 5}}"#),
        _ => Reply::json(
            401,
            json!({"id": "unauthorized", "message": format!("{EVIL} you sent {}", asked.token())})
                .to_string(),
        ),
    });
    let url = server.url();
    let out = doapi(url).args(["call", "account_get"]).fails(1);
    let line = out.error_line();
    assert!(!line.chars().any(char::is_control), "{line:?}");
    assert!(
        line.contains(r"\u{1b}[2J") && line.contains("<redacted>"),
        "{out}"
    );
    // A generated operation's answer is decoded as its type first.
    let out = doapi(url)
        .args(["call", "firewalls_get", "-p", "firewall_id=fw-1"])
        .fails(1);
    assert!(out.error_line().contains("firewall.id"), "{out}");
}
