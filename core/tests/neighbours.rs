//! The machines of the droplet's neighbours under the fake clock and
//! recorded responses: a load balancer waited for until active, a volume's
//! action polled by its id, the first match of a listing.

use std::time::Duration;

use doapi_core::api::vpcs::{Vpc, VpcsList};
use doapi_core::find::Find;
use doapi_core::testing::{Exchange, Harness, Replay};
use doapi_core::wait::WaitLoadBalancer;
use doapi_core::{Config, Error, Paginator, Resource, Target, Token, WaitForAction};
use serde_json::{json, Value};

const LB: &str = "4de7ac8b-495b-4884-9a69-1050c6793cd6";
const VOLUME: &str = "506f78a4-e098-11e5-ad9f-000f53306ae1";

fn config() -> Config {
    Config::new(Token::new("test-token").unwrap())
}

fn lb(status: &str) -> Value {
    json!({"load_balancer": {"id": LB, "name": "web-lb", "status": status,
                             "forwarding_rules": [], "droplet_ids": [3164444]}})
}

fn lb_path() -> String {
    format!("/v2/load_balancers/{LB}")
}

#[test]
fn a_load_balancer_is_polled_until_active() {
    let mut replay = Replay::new();
    for status in ["new", "new", "active"] {
        replay.push(Exchange::get(lb_path()).json(200, &lb(status)));
    }
    let mut h = Harness::new(replay);
    let mut wait = WaitLoadBalancer::new(&config(), LB, h.now());
    let out = h.run(&mut wait).unwrap();
    assert_eq!(out.len(), 1);
    let active = out[0].as_ref().unwrap();
    assert_eq!(active.id.as_deref(), Some(LB));
    assert_eq!(h.sent().len(), 3);
    assert_eq!(h.elapsed(), Duration::from_secs(4), "polled every 2 s");
}

#[test]
fn a_load_balancer_that_errored_ends_the_wait_with_it() {
    let replay = Replay::new()
        .then(Exchange::get(lb_path()).json(200, &lb("new")))
        .then(Exchange::get(lb_path()).json(200, &lb("errored")));
    let mut h = Harness::new(replay);
    let mut wait = WaitLoadBalancer::new(&config(), LB, h.now());
    let out = h.run(&mut wait).unwrap();
    match out.as_slice() {
        [Err(Error::ResourceFailed(state))] => {
            assert_eq!(state.target, Target::LoadBalancer(LB.into()));
            let Some(Resource::Json(seen)) = &state.resource else {
                panic!("{state:?}")
            };
            assert_eq!(seen["status"], "errored");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_load_balancer_not_yet_visible_is_polled_again() {
    let not_found = json!({"id": "not_found", "message": "The resource could not be found."});
    let replay = Replay::new()
        .then(Exchange::get(lb_path()).json(404, &not_found))
        .then(Exchange::get(lb_path()).json(200, &lb("active")));
    let mut h = Harness::new(replay);
    let mut wait = WaitLoadBalancer::new(&config(), LB, h.now());
    let out = h.run(&mut wait).unwrap();
    assert!(out[0].is_ok(), "{out:?}");
}

#[test]
fn a_load_balancer_wait_times_out_with_it_as_last_seen() {
    let mut config = config();
    config.wait_time = Some(Duration::from_secs(5));
    let mut replay = Replay::new();
    for _ in 0..3 {
        replay.push(Exchange::get(lb_path()).json(200, &lb("new")));
    }
    let mut h = Harness::new(replay);
    let mut wait = WaitLoadBalancer::new(&config, LB, h.now());
    let out = h.run(&mut wait).unwrap();
    match out.as_slice() {
        [Err(Error::WaitTimeout(states))] => {
            let pending = &states.pending[0];
            assert_eq!(pending.target, Target::LoadBalancer(LB.into()));
            assert!(matches!(&pending.resource, Some(Resource::Json(v)) if v["status"] == "new"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(h.elapsed(), Duration::from_secs(5));
}

#[test]
fn a_volume_action_is_polled_by_its_id_then_the_volume_fetched() {
    // DigitalOcean's volume actions name no resource (`resource_id` null).
    let action = |status: &str| {
        json!({"id": 72531856, "status": status, "type": "attach_volume",
               "resource_id": null, "resource_type": "volume"})
    };
    let page = json!({"actions": [action("in-progress")], "links": {}, "meta": {"total": 1}});
    let volume = json!({"volume": {"id": VOLUME, "name": "data", "droplet_ids": [3164444]}});
    let replay = Replay::new()
        .then(Exchange::get(format!("/v2/volumes/{VOLUME}/actions?per_page=1")).json(200, &page))
        .then(
            Exchange::get("/v2/actions/72531856")
                .json(200, &json!({"action": action("completed")})),
        )
        .then(Exchange::get(format!("/v2/volumes/{VOLUME}")).json(200, &volume));
    let mut h = Harness::new(replay);
    let mut wait = WaitForAction::volume(&config(), VOLUME, h.now());
    let out = h.run(&mut wait).unwrap();
    let attached = out[0].as_ref().unwrap().as_ref().expect("the volume");
    assert_eq!(attached.droplet_ids.as_deref(), Some(&[3164444][..]));
}

fn vpcs(items: Value, next: Option<&str>) -> Value {
    let pages = next.map_or(json!({}), |n| json!({"next": n}));
    json!({"vpcs": items, "links": {"pages": pages}, "meta": {"total": 3}})
}

#[test]
fn find_stops_at_the_page_that_has_the_item() {
    let second = "https://api.digitalocean.com/v2/vpcs?page=2&per_page=200";
    let first = vpcs(
        json!([{"id": "a", "region": "nyc3", "default": false},
               {"id": "b", "region": "nyc3", "default": true}]),
        Some(second),
    );
    let replay = Replay::new().then(Exchange::get("/v2/vpcs?per_page=200").json(200, &first));
    let mut h = Harness::new(replay);
    let pages = Paginator::new(&config(), VpcsList {});
    let mut find = Find::new(pages, |v: &Vpc| v.default == Some(true));
    let out = h.run(&mut find).unwrap();
    assert_eq!(out.len(), 1);
    let found = out[0].as_ref().unwrap().as_ref().expect("found");
    assert_eq!(found.id.as_deref(), Some("b"));
    assert_eq!(h.sent().len(), 1, "the second page is not fetched");
}

#[test]
fn find_reads_every_page_before_saying_none() {
    let second = "https://api.digitalocean.com/v2/vpcs?page=2&per_page=200";
    let replay = Replay::new()
        .then(
            Exchange::get("/v2/vpcs?per_page=200")
                .json(200, &vpcs(json!([{"id": "a"}]), Some(second))),
        )
        .then(
            Exchange::get("/v2/vpcs?page=2&per_page=200")
                .json(200, &vpcs(json!([{"id": "c"}]), None)),
        );
    let mut h = Harness::new(replay);
    let pages = Paginator::new(&config(), VpcsList {});
    let mut find = Find::new(pages, |v: &Vpc| v.id.as_deref() == Some("z"));
    let out = h.run(&mut find).unwrap();
    assert!(matches!(out.as_slice(), [Ok(None)]), "{out:?}");
    assert_eq!(h.sent().len(), 2);
}
