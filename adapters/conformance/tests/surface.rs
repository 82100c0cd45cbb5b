//! The whole doapi surface against the simulator on 127.0.0.1: every
//! method of `Api`, the seed's life cycle, a wait on 100 droplets and a
//! wait on resources' actions.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use doapi_conformance::{api_methods, both, fast_sim, spec, start, tagged_spec, Subject};
use doapi_core::endpoints::{
    ActionTarget, DropletAction, FloatingIpTarget, GetDroplet, ListDroplets, ListSizes, Raw,
    RawList, RecordFields, TaggableRef,
};
use doapi_core::http::Method;
use doapi_core::models::{Action, ActionType as Kind, Droplet, DropletStatus, RecordType};
use doapi_core::{Error, Resource, Target, Until};
use doapi_sim::SimConfig;

const PUBLIC_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGRvYXBpLWJsb2NraW5nLXRlc3Qta2V5 test@doapi";
const ACTIVE: Until = Until::Status(DropletStatus::Active);
const UNLOCKED: Until = Until::Locked(false);

/// The sources of the suite, searched for the methods it calls.
const SUITE: [&str; 6] = [
    include_str!("neighbours.rs"),
    include_str!("droplet_extras.rs"),
    include_str!("surface.rs"),
    include_str!("faults.rs"),
    include_str!("control.rs"),
    include_str!("prism.rs"),
];

/// Methods of `Api` the suite does not call: `from_env` reads the process's
/// environment, which tests running in parallel must not set (the core's
/// builder tests read the same variables through `ClientBuilder::from_vars`).
const NOT_CALLED: [&str; 1] = ["from_env"];

#[test]
fn every_method_of_the_api_is_called_by_the_suite() {
    let methods = api_methods();
    assert!(methods.len() > 80, "{methods:?}");
    // A call on a client (`c.name(`, `C::name(`), not the session's
    // method of the same name (`c.session().name(`).
    let on_client = |s: &str, call: &str| {
        s.match_indices(call)
            .any(|(i, _)| !s[..i].ends_with("session()"))
    };
    let used = |name: &String| {
        let (dot, path) = (format!(".{name}("), format!("C::{name}("));
        SUITE
            .iter()
            .any(|s| on_client(s, &dot) || s.contains(&path))
    };
    let spared = |name: &String| NOT_CALLED.contains(&name.as_str());
    let missing: Vec<_> = methods.iter().filter(|n| !used(n) && !spared(n)).collect();
    assert!(missing.is_empty(), "not called: {missing:?}");
    assert!(NOT_CALLED.iter().all(|n| methods.iter().any(|m| m == n)));
}

/// Takes an action that was just started, waits for it, and checks that it
/// completed and is of `kind`.
#[track_caller]
fn completed<C: Subject>(c: &C, call: C::Call<Action>, kind: Kind) -> Action {
    let action = c.ok(call);
    assert_eq!(action.kind, kind);
    assert!(action.is_in_progress(), "{action:?}");
    let done = c.ok(c.wait_action(action));
    assert!(done.is_completed(), "{done:?}");
    assert_eq!(done.kind, kind);
    done
}

fn every_operation_of_the_surface<C: Subject>() {
    let server = start(fast_sim());
    let c = C::client(&server);

    // The account and the catalog; a small page size spreads the sizes over
    // pages, which the listing follows lazily.
    let account = c.ok(c.fetch_account());
    assert!(account.droplet_limit > 0);
    assert!(!account.uuid.is_empty());
    let regions = c.all(c.fetch_all_regions());
    assert!(regions.iter().any(|r| r.slug == "nyc3" && r.available));
    let sizes = c.all(c.fetch_all_sizes());
    assert!(sizes.iter().any(|s| s.slug == "s-1vcpu-1gb"));
    let small = C::builder_for(server.url()).per_page(5).build().unwrap();
    let before = server.stats().requests_to("GET /v2/sizes");
    let mut lazy = small.list(ListSizes {});
    let first = small.next_item(&mut lazy).unwrap().unwrap();
    assert_eq!(first.slug, sizes[0].slug);
    let fetched = server.stats().requests_to("GET /v2/sizes") - before;
    assert_eq!(fetched, 1, "one page fetched for the first item");
    let total = small.last_meta().and_then(|m| m.total);
    assert_eq!(total, Some(sizes.len() as i64));
    assert_eq!(small.all(lazy).len() + 1, sizes.len());
    let pages = small.all_pages(small.pages(ListSizes {}));
    assert_eq!(small.last_meta().and_then(|m| m.total), total);
    assert_eq!(pages.len(), sizes.len().div_ceil(5));
    assert!(pages.iter().all(|p| p.info.status == 200));

    // SSH keys, by id and by fingerprint.
    let key = c.ok(c.create_ssh_key("laptop", PUBLIC_KEY));
    assert_eq!(key.name, "laptop");
    let by_id = c.ok(c.fetch_ssh_key(key.id));
    assert_eq!(by_id, c.ok(c.fetch_ssh_key(key.fingerprint.as_str())));
    let renamed = c.ok(c.update_ssh_key(key.fingerprint.as_str(), "desktop"));
    assert_eq!(renamed.name, "desktop");
    let keys = c.all(c.fetch_all_ssh_keys());
    assert_eq!((keys.len(), keys[0].public_key.as_str()), (1, PUBLIC_KEY));

    // Tags and droplets.
    for name in ["web", "env:prod"] {
        assert_eq!(c.ok(c.create_tag(name)).name, name);
    }
    let mut web_spec = tagged_spec(&["web"]);
    web_spec.ssh_keys = vec![key.id.into()];
    web_spec.backups = Some(true);
    web_spec.ipv6 = Some(true);
    let web1 = c.ok(c.create_droplet("web-1", web_spec.clone()));
    assert!(web1.is_new());
    assert_eq!(web1.name, "web-1");
    let more = c.ok(c.create_multiple_droplets(vec!["web-2".into(), "web-3".into()], web_spec));
    let names: Vec<_> = more.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["web-2", "web-3"]);
    let (id, web2, web3) = (web1.id, more[0].id, more[1].id);
    let active = c.finished(c.wait_droplets([web1].into_iter().chain(more), ACTIVE));
    assert_eq!(active.len(), 3);
    assert!(active.iter().all(|d| d.is_active()));
    let web1 = c.ok(c.fetch_droplet(id));
    assert!(web1.ipv4_address().is_some() && web1.ipv6_address().is_some());
    assert!(web1.features.contains("backups"));
    assert_eq!(c.all(c.fetch_all_droplets()).len(), 3);
    assert_eq!(c.all(c.fetch_all_tagged_droplets("web")).len(), 3);
    let mut nothing = c.fetch_all_tagged_droplets("nothing");
    assert!(c.next_item(&mut nothing).is_none());
    let kernels = c.all(c.fetch_all_kernels(id));
    assert!(kernels.len() > 20);
    let neighbors = c.all(c.fetch_all_neighbors(id));
    assert!(neighbors.iter().all(|n| n.id != id));
    let (report, ours) = (c.ok(c.fetch_droplet_neighbors_report()), [id, web2, web3]);
    assert!(report.iter().flatten().all(|n| ours.contains(n)));

    // Every droplet action, each waited for.
    completed(&c, c.reboot(id), Kind::Reboot);
    completed(&c, c.power_cycle(id), Kind::PowerCycle);
    completed(&c, c.shutdown(id), Kind::Shutdown);
    assert!(c.ok(c.fetch_droplet(id)).is_off());
    completed(&c, c.power_on(id), Kind::PowerOn);
    completed(&c, c.power_off(id), Kind::PowerOff);
    assert!(c.ok(c.fetch_droplet(id)).is_off());
    completed(&c, c.power_on(id), Kind::PowerOn);
    assert!(c.ok(c.fetch_droplet(id)).is_active());
    completed(&c, c.password_reset(id), Kind::PasswordReset);
    completed(&c, c.rename(id, "web-1b"), Kind::Rename);
    completed(&c, c.change_kernel(id, kernels[1].id), Kind::ChangeKernel);
    completed(&c, c.enable_ipv6(id), Kind::EnableIpv6);
    // Deprecated by DigitalOcean, still sent when asked for.
    #[allow(deprecated)]
    let private = c.enable_private_networking(id);
    completed(&c, private, Kind::EnablePrivateNetworking);
    completed(&c, c.disable_backups(id), Kind::DisableBackups);
    assert!(!c.ok(c.fetch_droplet(id)).features.contains("backups"));
    completed(&c, c.enable_backups(id), Kind::EnableBackups);
    let custom = serde_json::json!({ "type": "reboot" }).as_object().cloned();
    let custom = DropletAction::Custom(custom.unwrap());
    completed(&c, c.act_on_droplet(id, custom), Kind::Reboot);
    completed(&c, c.power_off(id), Kind::PowerOff);
    completed(&c, c.resize(id, "s-1vcpu-2gb", true), Kind::Resize);
    completed(&c, c.snapshot(id, "snap-1"), Kind::Snapshot);
    completed(&c, c.rebuild(id, "ubuntu-22-04-x64"), Kind::Rebuild);
    let droplet = c.ok(c.fetch_droplet(id));
    assert_eq!(droplet.name, "web-1b");
    assert_eq!(droplet.size_slug, "s-1vcpu-2gb");
    assert_eq!(droplet.image_slug(), Some("ubuntu-22-04-x64"));
    assert_eq!(droplet.kernel.as_ref().map(|k| k.id), Some(kernels[1].id));
    assert!(droplet.features.contains("private_networking"));
    let snapshot = droplet.snapshot_ids[0];
    completed(&c, c.restore(id, snapshot), Kind::Restore);

    // Actions: listings newest first, the last one, the current one.
    let on_droplet = ActionTarget::Droplet(id);
    let actions = c.all(c.fetch_all_droplet_actions(id));
    assert!(actions.windows(2).all(|w| w[0].id > w[1].id));
    assert_eq!(actions[0].kind, Kind::Restore);
    assert_eq!(actions.last().map(|a| &a.kind), Some(&Kind::Create));
    let last = c.ok(c.fetch_last_action(on_droplet.clone()));
    assert_eq!(last.as_ref().map(|a| a.id), Some(actions[0].id));
    assert_eq!(c.ok(c.fetch_droplet_action(id, actions[1].id)), actions[1]);
    assert_eq!(c.ok(c.fetch_action(actions[2].id)), actions[2]);
    assert!(c.ok(c.fetch_current_action(on_droplet.clone())).is_none());
    let running = c.ok(c.password_reset(id));
    let current = c.ok(c.fetch_current_action(on_droplet));
    assert_eq!(current.map(|a| a.id), Some(running.id));
    let after = c.ok(c.wait_for_droplet_action(id)).expect("the droplet");
    assert!(!after.locked);
    assert!(c.ok(c.fetch_action(running.id)).is_completed());
    let account_actions = c.all(c.fetch_all_actions());
    assert!(account_actions.len() > actions.len());
    let last = c.ok(c.fetch_last_action(ActionTarget::Account));
    assert_eq!(last.map(|a| a.id), Some(running.id));

    // Snapshots, and the backups web-2 has had since it was created with
    // backups on (every 300 ms; the actions above took longer than that).
    let snaps = c.all(c.fetch_all_snapshots(id));
    assert_eq!(snaps[0].id, snapshot);
    assert_eq!(snaps[0].name.as_deref(), Some("snap-1"));
    let backups = c.all(c.fetch_all_backups(web2));
    assert!(!backups.is_empty(), "no backup of web-2");

    // By tag.
    let by_tag = c.ok(c.act_on_tagged_droplets("web", DropletAction::PowerCycle));
    assert_eq!(by_tag.len(), 3);
    let ended = c.finished(c.wait_actions(by_tag.clone()));
    assert_eq!(ended.len(), 3);
    assert!(ended.iter().all(|a| a.is_completed()));
    let ids: HashSet<u64> = by_tag.iter().map(|a| a.id).collect();
    assert!(ended.iter().all(|a| ids.contains(&a.id)));

    // Images.
    let all = c.all(c.fetch_all_images());
    let dist = c.all(c.fetch_all_distribution_images());
    let apps = c.all(c.fetch_all_application_images());
    let private = c.all(c.fetch_all_private_images());
    assert!(!dist.is_empty() && !apps.is_empty());
    assert!(private.iter().any(|i| i.id == snapshot));
    assert_eq!(all.len(), dist.len() + apps.len() + private.len());
    let image = c.ok(c.fetch_image(snapshot));
    assert_eq!(image.name.as_deref(), Some("snap-1"));
    let ubuntu = c.ok(c.fetch_image_by_slug("ubuntu-22-04-x64"));
    assert_eq!(ubuntu.slug.as_deref(), Some("ubuntu-22-04-x64"));
    assert!(ubuntu.public == Some(true));
    let updated = c.ok(c.update_image(snapshot, "snap-renamed"));
    assert_eq!(updated.name.as_deref(), Some("snap-renamed"));
    let transfer = c.ok(c.transfer_image(snapshot, "sfo3"));
    assert_eq!(transfer.kind, Kind::Transfer);
    let moved = c.ok(c.wait_for_image_action(snapshot)).expect("the image");
    assert!(moved.regions.unwrap().contains("sfo3"));
    let image_actions = c.all(c.fetch_all_image_actions(snapshot));
    assert_eq!(image_actions[0].id, transfer.id);
    assert!(image_actions[0].is_completed());
    // The newest backup: the simulator keeps the last four.
    let backups = c.all(c.fetch_all_backups(web2));
    let backup = backups.iter().map(|b| b.id).max().expect("a backup");
    completed(&c, c.convert_image(backup), Kind::Convert);
    let last = c.ok(c.fetch_last_action(ActionTarget::Image(backup)));
    assert!(last.is_some());

    // Tagging.
    let both = vec![TaggableRef::Droplet(id), TaggableRef::Image(snapshot)];
    c.ok(c.tag_resources("env:prod", both));
    let tag = c.ok(c.fetch_tag("env:prod"));
    assert_eq!(tag.resources.and_then(|r| r.count), Some(2));
    assert_eq!(c.all(c.fetch_all_tags()).len(), 2);
    c.ok(c.untag_resources("env:prod", vec![TaggableRef::Image(snapshot)]));
    let tag = c.ok(c.fetch_tag("env:prod"));
    assert_eq!(tag.resources.and_then(|r| r.count), Some(1));
    assert!(c.ok(c.fetch_droplet(id)).tags.contains("env:prod"));
    c.ok(c.delete_image(backup));
    assert!(c.err(c.fetch_image(backup)).is_not_found());

    // Domains and records.
    let domain = c.ok(c.create_domain("example.com", Some("192.0.2.1".into())));
    assert_eq!(domain.name, "example.com");
    assert_eq!(c.ok(c.fetch_domain("example.com")).name, "example.com");
    assert_eq!(c.all(c.fetch_all_domains()).len(), 1);
    let www = RecordFields::new(RecordType::A, "www", "192.0.2.2");
    let www = c.ok(c.create_domain_record("example.com", www));
    assert_eq!((www.name.as_str(), www.data.as_str()), ("www", "192.0.2.2"));
    let mut mx = RecordFields::new(RecordType::Mx, "@", "mail.example.com.");
    mx.priority = Some(10);
    let mx = c.ok(c.create_domain_record("example.com", mx));
    assert_eq!(mx.priority, Some(10));
    assert_eq!(c.ok(c.fetch_domain_record("example.com", www.id)), www);
    let records = c.all(c.fetch_all_domain_records("example.com"));
    let n = records.len();
    assert!(n >= 6, "SOA, 3 NS, apex A, www, MX: {records:?}");
    assert!(records.iter().any(|r| r.kind == RecordType::Soa));
    let mut fields = RecordFields::new(RecordType::A, "www", "192.0.2.3");
    fields.name = None;
    let changed = c.ok(c.update_domain_record("example.com", www.id, fields));
    let changed = (changed.name.as_str(), changed.data.as_str());
    assert_eq!(changed, ("www", "192.0.2.3"), "the name is kept");
    c.ok(c.delete_domain_record("example.com", www.id));
    let gone = c.err(c.fetch_domain_record("example.com", www.id));
    assert!(gone.is_not_found());

    // Floating IPs: one reserved in a region, one assigned by an action of
    // its own.
    let nyc3 = FloatingIpTarget::Region("nyc3".into());
    let reserved = c.ok(c.create_floating_ip(nyc3));
    assert!(reserved.droplet.is_none());
    let reserved = reserved.ip;
    let on_web3 = FloatingIpTarget::Droplet(web3);
    let assigned = c.ok(c.create_floating_ip(on_web3)).ip;
    let fip = c.ok(c.wait_for_floating_ip_action(assigned)).unwrap();
    assert_eq!(fip.droplet.map(|d| d.id), Some(web3));
    assert_eq!(c.ok(c.fetch_floating_ip(assigned)).ip, assigned);
    assert_eq!(c.all(c.fetch_all_floating_ips()).len(), 2);
    let assign = c.ok(c.assign_floating_ip(reserved, web2));
    assert_eq!(assign.kind, Kind::AssignIp);
    let fip = c.ok(c.wait_for_floating_ip_action(reserved)).unwrap();
    assert_eq!(fip.droplet.map(|d| d.id), Some(web2));
    let last = c.ok(c.fetch_last_action(ActionTarget::FloatingIp(reserved)));
    assert_eq!(last.map(|a| a.id), Some(assign.id));
    completed(&c, c.unassign_floating_ip(reserved), Kind::UnassignIp);
    assert!(c.ok(c.fetch_floating_ip(reserved)).droplet.is_none());
    assert_eq!(c.all(c.fetch_all_floating_ip_actions(reserved)).len(), 2);
    for ip in [reserved, assigned] {
        c.ok(c.delete_floating_ip(ip));
        assert!(c.err(c.fetch_floating_ip(ip)).is_not_found());
    }

    // The escape hatches and the generic entry points.
    let raw = c.ok(c.request(Raw::get("/v2/account"))).unwrap();
    assert_eq!(raw["account"]["uuid"], account.uuid.as_str());
    let mut post = Raw::get("/v2/tags");
    (post.method, post.body) = (Method::POST, Some(serde_json::json!({ "name": "raw" })));
    assert_eq!(c.ok(c.request(post)).unwrap()["tag"]["name"], "raw");
    let mut delete = Raw::get(format!("{}/v2/tags/raw", server.url()));
    delete.method = Method::DELETE;
    assert_eq!(c.ok(c.request(delete)), None, "204: no body");
    let raw = RawList {
        url: "/v2/sizes".into(),
        key: "sizes".into(),
        query: Vec::new(),
    };
    let raw_sizes = small.all(small.paginate(raw));
    assert_eq!(raw_sizes.len(), sizes.len());
    assert_eq!(raw_sizes[0]["slug"], sizes[0].slug.as_str());
    let reply = c.ok(c.send_with_info(GetDroplet { id }));
    assert_eq!((reply.value.id, reply.info.status.as_u16()), (id, 200));
    assert!(reply.info.request_id.is_some());
    assert_eq!(c.ok(c.send(GetDroplet { id })).id, id);
    let last = c.last_response().map(|i| i.status.as_u16());
    assert_eq!(last, Some(200), "the last response is recorded");
    let listed = c.all(c.list(ListDroplets {
        tag_name: Some("env:prod".into()),
    }));
    assert_eq!(listed.iter().map(|d| d.id).collect::<Vec<_>>(), [id]);
    let unlocked = c.session().wait_droplet_ids([id], UNLOCKED, c.now());
    assert_eq!(c.ok(c.run(unlocked)).id, id);

    // Errors and deletes.
    let missing = c.err(c.fetch_droplet(999_999_999));
    assert!(missing.is_not_found(), "{missing}");
    assert_eq!(missing.api().unwrap().id.as_deref(), Some("not_found"));
    assert_eq!(missing.attempts(), Some(1), "a 404 is not retried");
    c.ok(c.delete_droplet(web2));
    assert!(c.err(c.fetch_droplet(web2)).is_not_found());
    c.ok(c.delete_droplets_by_tag("web"));
    assert!(c.all(c.fetch_all_droplets()).is_empty());
    c.ok(c.delete_domain("example.com"));
    assert!(c.err(c.fetch_domain("example.com")).is_not_found());
    for name in ["web", "env:prod"] {
        c.ok(c.delete_tag(name));
    }
    assert!(c.err(c.fetch_tag("web")).is_not_found());
    c.ok(c.delete_ssh_key(key.id));
    assert!(c.err(c.fetch_ssh_key(key.id)).is_not_found());
}

fn the_seed_life_cycle<C: Subject>() {
    let server = start(fast_sim());
    let c = C::client(&server);

    let droplet = c.ok(c.create_droplet("life-1", spec()));
    assert_eq!(droplet.status, DropletStatus::New);
    let droplet = c.ok(c.wait_droplet(droplet.id, ACTIVE));
    assert!(droplet.is_active());
    let id = droplet.id;
    let v4 = droplet.ipv4_address().expect("a public IPv4 address");
    assert_eq!(droplet.ip_address(), Some(v4));
    assert!(v4.is_ipv4());
    assert_eq!(droplet.region_slug(), "nyc3");

    let reboot = c.ok(c.reboot(id));
    assert_eq!(reboot.kind, Kind::Reboot);
    let after = c.ok(c.wait_for_droplet_action(id)).expect("the droplet");
    assert!(after.is_active() && !after.locked);
    assert!(c.ok(c.fetch_action(reboot.id)).is_completed());

    c.ok(c.power_off(id));
    let off = c.ok(c.wait_for_droplet_action(id)).expect("the droplet");
    assert_eq!(off.status, DropletStatus::Off);
    let off = Until::Status(DropletStatus::Off);
    assert!(c.finished(c.wait_droplet_ids([id], off))[0].is_off());

    assert_eq!(c.ok(c.snapshot(id, "life-snap")).kind, Kind::Snapshot);
    // Any wait for an action, built by hand.
    let wait = c.session().wait_for_droplet_action(id, c.now());
    let snapped = c.ok(c.wait_for_action(wait)).expect("the droplet");
    assert_eq!(snapped.snapshot_ids.len(), 1);
    let snaps = c.all(c.fetch_all_snapshots(id));
    assert_eq!(snaps.len(), 1);
    assert_eq!(snaps[0].name.as_deref(), Some("life-snap"));
    assert_eq!(snaps[0].id, snapped.snapshot_ids[0]);

    c.ok(c.delete_droplet(id));
    let gone = c.err(c.fetch_droplet(id));
    assert!(gone.is_not_found(), "{gone}");
    assert!(matches!(gone, Error::Api(_)));
    // The snapshot outlives the droplet.
    assert!(c.get(c.fetch_image(snaps[0].id)).is_ok());
}

fn wait_on_100_droplets_yields_in_completion_order_and_lists_by_tag<C: Subject>() {
    let server = start(SimConfig {
        // Long enough that the second batch cannot be active at the first
        // round, which comes right after its creation.
        boot_delay: Duration::from_secs(1),
        ..fast_sim()
    });
    let c = C::client(&server);
    let batch = |b: usize| {
        let names = (0..10).map(|i| format!("fleet-{b}{i}")).collect();
        c.ok(c.create_multiple_droplets(names, tagged_spec(&["fleet"])))
    };

    // 50 droplets, waited for: active before the wait below starts.
    let early: Vec<_> = (0..5).flat_map(batch).collect();
    let early = c.finished(c.wait_droplets(early, ACTIVE));
    assert_eq!(early.len(), 50);

    // 50 more, new. The wait gets the new ones first: it must yield the
    // active ones first anyway, as they finish, not in the order given.
    let late: Vec<_> = (5..10).flat_map(batch).collect();
    assert!(late.iter().all(|d| d.is_new()));
    let given: Vec<_> = late.iter().chain(&early).cloned().collect();
    server.reset_stats();
    let start = Instant::now();
    let order = c.finished(c.wait_droplets(given, ACTIVE));
    let elapsed = start.elapsed();
    let stats = server.stats();
    assert!(order.iter().all(|d| d.is_active()));
    let ids = |ds: &[Droplet]| ds.iter().map(|d| d.id).collect::<HashSet<_>>();
    assert_eq!((order.len(), ids(&order).len()), (100, 100));
    assert_eq!(ids(&order[..50]), ids(&early));
    assert_eq!(ids(&order[50..]), ids(&late));

    // One listing by tag per round instead of 100 GETs.
    let rounds_max = elapsed.as_millis() / 25 + 2;
    let listings = stats.requests_to("GET /v2/droplets");
    let singles = stats.requests_to("GET /v2/droplets/{id}");
    eprintln!("100 droplets: {listings} listings, {singles} single GETs in {elapsed:?}");
    assert!(listings >= 2, "{stats}");
    assert!(u128::from(listings) <= rounds_max, "{stats}");
    assert_eq!(singles, 0, "{stats}");
    assert_eq!(stats.requests, listings, "{stats}");
    let why = "at least 20× fewer than one GET per droplet per round";
    assert!(stats.requests * 20 <= 100 * listings, "{why}: {stats}");

    // Any wait machine, with an explicit tag, here on `locked`.
    let order = order.iter().map(|d| d.id);
    let wait = c.session().wait_droplet_ids(order, UNLOCKED, c.now());
    assert_eq!(c.finished(c.wait(wait.with_tag("fleet"))).len(), 100);
    assert_eq!(server.stats().requests_to("GET /v2/droplets/{id}"), 0);

    // Power-cycle them by tag and wait on the 100 actions.
    let actions = c.ok(c.act_on_tagged_droplets("fleet", DropletAction::PowerCycle));
    assert_eq!(actions.len(), 100);
    server.reset_stats();
    let ended = c.finished(c.wait_actions(actions));
    assert_eq!(ended.len(), 100);
    assert!(ended.iter().all(|a| a.is_completed()));
    let stats = server.stats();
    let singles = stats.requests_to("GET /v2/actions/{id}");
    assert!(singles < 100, "listing the actions is cheaper: {stats}");
}

fn wait_actions_on_objects_yields_each_resource_after_its_action<C: Subject>() {
    let server = start(fast_sim());
    let c = C::client(&server);
    let droplets = c.ok(c.create_multiple_droplets(vec!["obj-1".into(), "obj-2".into()], spec()));
    let ids: Vec<u64> = droplets.iter().map(|d| d.id).collect();
    assert_eq!(c.finished(c.wait_droplets(droplets, ACTIVE)).len(), 2);
    let nyc3 = FloatingIpTarget::Region("nyc3".into());
    let ip = c.ok(c.create_floating_ip(nyc3)).ip;
    c.ok(c.power_off(ids[0]));
    c.ok(c.reboot(ids[1]));
    c.ok(c.assign_floating_ip(ip, ids[1]));
    let (a, b) = (ActionTarget::Droplet(ids[0]), ActionTarget::Droplet(ids[1]));
    let targets = [a, b, ActionTarget::FloatingIp(ip)];
    let ended = c.finished(c.wait_actions_on_objects(targets.clone()));
    assert_eq!(ended.len(), 3);
    for target in &targets {
        let state = ended.iter().find(|s| s.target == Target::of(target));
        let state = state.expect("each target once");
        assert!(state.action.as_ref().unwrap().is_completed(), "{state:?}");
        match (target, state.resource.as_ref().unwrap()) {
            (ActionTarget::Droplet(id), Resource::Droplet(d)) if *id == ids[0] => {
                assert_eq!(d.status, DropletStatus::Off)
            }
            (ActionTarget::Droplet(_), Resource::Droplet(d)) => assert!(d.is_active()),
            (ActionTarget::FloatingIp(_), Resource::FloatingIp(f)) => {
                assert_eq!(f.droplet.as_ref().map(|d| d.id), Some(ids[1]))
            }
            other => panic!("{other:?}"),
        }
    }
}

both!(
    every_operation_of_the_surface,
    the_seed_life_cycle,
    wait_on_100_droplets_yields_in_completion_order_and_lists_by_tag,
    wait_actions_on_objects_yields_each_resource_after_its_action,
);
