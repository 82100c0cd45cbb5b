//! The whole doapi surface of the async client against the simulator
//! on 127.0.0.1: every generated method, the seed's life cycle, and a
//! wait on 100 droplets.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{client, fast_sim, spec, start, tagged_spec, OPERATIONS};
use doapi_async::endpoints::{
    ActionTarget, DropletAction, FloatingIpTarget, GetDroplet, ListDroplets, ListSizes, Raw,
    RawList, RecordFields, TaggableRef,
};
use doapi_async::models::{Action, ActionType, DropletStatus, RecordType};
use doapi_async::{Client, Error, Until, Wait};
use doapi_core::http::Method;
use doapi_core::Resource;
use doapi_sim::SimConfig;
use futures::{StreamExt, TryStreamExt};

const PUBLIC_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGRvYXBpLWJsb2NraW5nLXRlc3Qta2V5 test@doapi";

/// Waits for an action and checks that it completed and is of `kind`.
async fn completed(c: &Client, action: Action, kind: ActionType) -> Action {
    assert_eq!(action.kind, kind);
    assert!(action.is_in_progress(), "{action:?}");
    let done = c.wait_action(action).await.expect("the action ends");
    assert!(done.is_completed(), "{done:?}");
    assert_eq!(done.kind, kind);
    done
}

#[test]
fn every_generated_method_is_exercised_by_this_file() {
    let source = include_str!("surface.rs");
    let missing: Vec<&&str> = OPERATIONS
        .iter()
        .filter(|name| !source.contains(&format!(".{name}(")))
        .collect();
    assert!(OPERATIONS.len() > 70, "{}", OPERATIONS.len());
    assert!(missing.is_empty(), "not exercised: {missing:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_of_the_surface() {
    let server = start(fast_sim()).await;
    let c = client(&server);

    // The account and the catalog; a small page size spreads the sizes over
    // pages, which the iterator follows lazily.
    let account = c.fetch_account().await.unwrap();
    assert!(account.droplet_limit > 0);
    assert!(!account.uuid.is_empty());
    let regions: Vec<_> = c.fetch_all_regions().try_collect().await.unwrap();
    assert!(regions.iter().any(|r| r.slug == "nyc3" && r.available));
    let sizes: Vec<_> = c.fetch_all_sizes().try_collect().await.unwrap();
    assert!(sizes.iter().any(|s| s.slug == "s-1vcpu-1gb"));
    let small = common::builder(server.url()).per_page(5).build().unwrap();
    let before = server.stats().requests_to("GET /v2/sizes");
    let mut lazy = small.list(ListSizes {});
    assert_eq!(lazy.try_next().await.unwrap().unwrap().slug, sizes[0].slug);
    assert_eq!(
        server.stats().requests_to("GET /v2/sizes"),
        before + 1,
        "one page fetched for the first item"
    );
    assert_eq!(
        small.last_meta().and_then(|m| m.total),
        Some(sizes.len() as u64)
    );
    assert_eq!(lazy.count().await + 1, sizes.len());
    let pages: Vec<_> = small.pages(ListSizes {}).try_collect().await.unwrap();
    assert_eq!(pages.len(), sizes.len().div_ceil(5));
    assert!(pages.iter().all(|p| p.info.status == 200));
    assert_eq!(
        small.last_meta().and_then(|m| m.total),
        Some(sizes.len() as u64)
    );

    // SSH keys, by id and by fingerprint.
    let key = c.create_ssh_key("laptop", PUBLIC_KEY).await.unwrap();
    assert_eq!(key.name, "laptop");
    let by_id = c.fetch_ssh_key(key.id).await.unwrap();
    let by_fingerprint = c.fetch_ssh_key(key.fingerprint.as_str()).await.unwrap();
    assert_eq!(by_id, by_fingerprint);
    let renamed = c
        .update_ssh_key(key.fingerprint.as_str(), "desktop")
        .await
        .unwrap();
    assert_eq!(renamed.name, "desktop");
    let keys: Vec<_> = c.fetch_all_ssh_keys().try_collect().await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].public_key, PUBLIC_KEY);

    // Tags and droplets.
    for name in ["web", "env:prod"] {
        assert_eq!(c.create_tag(name).await.unwrap().name, name);
    }
    let mut web_spec = tagged_spec(&["web"]);
    web_spec.ssh_keys = vec![key.id.into()];
    web_spec.backups = Some(true);
    web_spec.ipv6 = Some(true);
    let web1 = c.create_droplet("web-1", web_spec.clone()).await.unwrap();
    assert!(web1.is_new());
    assert_eq!(web1.name, "web-1");
    let more = c
        .create_multiple_droplets(vec!["web-2".into(), "web-3".into()], web_spec)
        .await
        .unwrap();
    assert_eq!(
        more.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        ["web-2", "web-3"]
    );
    let (id, web2, web3) = (web1.id, more[0].id, more[1].id);
    let active: Vec<_> = c
        .wait_droplets(
            std::iter::once(web1).chain(more),
            Until::Status(DropletStatus::Active),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(active.len(), 3);
    assert!(active.iter().all(|d| d.is_active()));
    let web1 = c.fetch_droplet(id).await.unwrap();
    assert!(web1.ipv4_address().is_some() && web1.ipv6_address().is_some());
    assert!(web1.features.contains("backups"));
    let all: Vec<_> = c.fetch_all_droplets().try_collect().await.unwrap();
    assert_eq!(all.len(), 3);
    let tagged: Vec<_> = c
        .fetch_all_tagged_droplets("web")
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tagged.len(), 3);
    assert!(c
        .fetch_all_tagged_droplets("nothing")
        .next()
        .await
        .is_none());
    let kernels: Vec<_> = c.fetch_all_kernels(id).try_collect().await.unwrap();
    assert!(kernels.len() > 20);
    let neighbors: Vec<_> = c.fetch_all_neighbors(id).try_collect().await.unwrap();
    assert!(neighbors.iter().all(|n| n.id != id));
    let report = c.fetch_droplet_neighbors_report().await.unwrap();
    assert!(report
        .iter()
        .flatten()
        .all(|n| [id, web2, web3].contains(n)));

    // Every droplet action, each waited for.
    completed(&c, c.reboot(id).await.unwrap(), ActionType::Reboot).await;
    completed(&c, c.power_cycle(id).await.unwrap(), ActionType::PowerCycle).await;
    completed(&c, c.shutdown(id).await.unwrap(), ActionType::Shutdown).await;
    assert!(c.fetch_droplet(id).await.unwrap().is_off());
    completed(&c, c.power_on(id).await.unwrap(), ActionType::PowerOn).await;
    completed(&c, c.power_off(id).await.unwrap(), ActionType::PowerOff).await;
    assert!(c.fetch_droplet(id).await.unwrap().is_off());
    completed(&c, c.power_on(id).await.unwrap(), ActionType::PowerOn).await;
    assert!(c.fetch_droplet(id).await.unwrap().is_active());
    completed(
        &c,
        c.password_reset(id).await.unwrap(),
        ActionType::PasswordReset,
    )
    .await;
    completed(
        &c,
        c.rename(id, "web-1b").await.unwrap(),
        ActionType::Rename,
    )
    .await;
    completed(
        &c,
        c.change_kernel(id, kernels[1].id).await.unwrap(),
        ActionType::ChangeKernel,
    )
    .await;
    completed(&c, c.enable_ipv6(id).await.unwrap(), ActionType::EnableIpv6).await;
    completed(
        &c,
        c.enable_private_networking(id).await.unwrap(),
        ActionType::EnablePrivateNetworking,
    )
    .await;
    completed(
        &c,
        c.disable_backups(id).await.unwrap(),
        ActionType::DisableBackups,
    )
    .await;
    assert!(!c
        .fetch_droplet(id)
        .await
        .unwrap()
        .features
        .contains("backups"));
    completed(
        &c,
        c.enable_backups(id).await.unwrap(),
        ActionType::EnableBackups,
    )
    .await;
    let custom = DropletAction::Custom(
        serde_json::json!({ "type": "reboot" })
            .as_object()
            .cloned()
            .unwrap(),
    );
    completed(
        &c,
        c.act_on_droplet(id, custom).await.unwrap(),
        ActionType::Reboot,
    )
    .await;
    completed(&c, c.power_off(id).await.unwrap(), ActionType::PowerOff).await;
    completed(
        &c,
        c.resize(id, "s-1vcpu-2gb", true).await.unwrap(),
        ActionType::Resize,
    )
    .await;
    completed(
        &c,
        c.snapshot(id, "snap-1").await.unwrap(),
        ActionType::Snapshot,
    )
    .await;
    completed(
        &c,
        c.rebuild(id, "ubuntu-22-04-x64").await.unwrap(),
        ActionType::Rebuild,
    )
    .await;
    let droplet = c.fetch_droplet(id).await.unwrap();
    assert_eq!(droplet.name, "web-1b");
    assert_eq!(droplet.size_slug, "s-1vcpu-2gb");
    assert_eq!(droplet.image_slug(), Some("ubuntu-22-04-x64"));
    assert_eq!(droplet.kernel.as_ref().map(|k| k.id), Some(kernels[1].id));
    assert!(droplet.features.contains("private_networking"));
    let snapshot = droplet.snapshot_ids[0];
    completed(
        &c,
        c.restore(id, snapshot).await.unwrap(),
        ActionType::Restore,
    )
    .await;

    // Actions: listings newest first, the last one, the current one.
    let actions: Vec<_> = c.fetch_all_droplet_actions(id).try_collect().await.unwrap();
    assert!(actions.windows(2).all(|w| w[0].id > w[1].id));
    assert_eq!(actions[0].kind, ActionType::Restore);
    assert_eq!(actions.last().map(|a| &a.kind), Some(&ActionType::Create));
    let last = c
        .fetch_last_action(ActionTarget::Droplet(id))
        .await
        .unwrap();
    assert_eq!(last.as_ref().map(|a| a.id), Some(actions[0].id));
    assert_eq!(
        c.fetch_droplet_action(id, actions[1].id).await.unwrap(),
        actions[1]
    );
    assert_eq!(c.fetch_action(actions[2].id).await.unwrap(), actions[2]);
    assert!(c
        .fetch_current_action(ActionTarget::Droplet(id))
        .await
        .unwrap()
        .is_none());
    let running = c.password_reset(id).await.unwrap();
    let current = c
        .fetch_current_action(ActionTarget::Droplet(id))
        .await
        .unwrap();
    assert_eq!(current.map(|a| a.id), Some(running.id));
    let after = c
        .wait_for_droplet_action(id)
        .await
        .unwrap()
        .expect("the droplet");
    assert!(!after.locked);
    assert!(c.fetch_action(running.id).await.unwrap().is_completed());
    let account_actions: Vec<_> = c.fetch_all_actions().try_collect().await.unwrap();
    assert!(account_actions.len() > actions.len());
    assert_eq!(
        c.fetch_last_action(ActionTarget::Account)
            .await
            .unwrap()
            .map(|a| a.id),
        Some(running.id)
    );

    // Snapshots, and the backups web-2 has had since it was created with
    // backups on (every 300 ms; the actions above took longer than that).
    let snaps: Vec<_> = c.fetch_all_snapshots(id).try_collect().await.unwrap();
    assert_eq!(snaps[0].id, snapshot);
    assert_eq!(snaps[0].name.as_deref(), Some("snap-1"));
    let backups: Vec<_> = c.fetch_all_backups(web2).try_collect().await.unwrap();
    assert!(!backups.is_empty(), "no backup of web-2");

    // By tag.
    let by_tag = c
        .act_on_tagged_droplets("web", DropletAction::PowerCycle)
        .await
        .unwrap();
    assert_eq!(by_tag.len(), 3);
    let ended: Vec<_> = c.wait_actions(by_tag.clone()).try_collect().await.unwrap();
    assert_eq!(ended.len(), 3);
    assert!(ended.iter().all(|a| a.is_completed()));
    let ids: HashSet<u64> = by_tag.iter().map(|a| a.id).collect();
    assert!(ended.iter().all(|a| ids.contains(&a.id)));

    // Images.
    let all: Vec<_> = c.fetch_all_images().try_collect().await.unwrap();
    let dist: Vec<_> = c
        .fetch_all_distribution_images()
        .try_collect()
        .await
        .unwrap();
    let apps: Vec<_> = c
        .fetch_all_application_images()
        .try_collect()
        .await
        .unwrap();
    let private: Vec<_> = c.fetch_all_private_images().try_collect().await.unwrap();
    assert!(!dist.is_empty() && !apps.is_empty());
    assert!(private.iter().any(|i| i.id == snapshot));
    assert_eq!(all.len(), dist.len() + apps.len() + private.len());
    assert_eq!(
        c.fetch_image(snapshot).await.unwrap().name.as_deref(),
        Some("snap-1")
    );
    let ubuntu = c.fetch_image_by_slug("ubuntu-22-04-x64").await.unwrap();
    assert_eq!(ubuntu.slug.as_deref(), Some("ubuntu-22-04-x64"));
    assert!(ubuntu.public == Some(true));
    let updated = c.update_image(snapshot, "snap-renamed").await.unwrap();
    assert_eq!(updated.name.as_deref(), Some("snap-renamed"));
    let transfer = c.transfer_image(snapshot, "sfo3").await.unwrap();
    assert_eq!(transfer.kind, ActionType::Transfer);
    let moved = c
        .wait_for_image_action(snapshot)
        .await
        .unwrap()
        .expect("the image");
    assert!(moved.regions.unwrap().contains("sfo3"));
    let image_actions: Vec<_> = c
        .fetch_all_image_actions(snapshot)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(image_actions[0].id, transfer.id);
    assert!(image_actions[0].is_completed());
    // The newest backup: the simulator keeps the last four.
    let backup = c
        .fetch_all_backups(web2)
        .map(|b| b.unwrap().id)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .max()
        .expect("a backup");
    completed(
        &c,
        c.convert_image(backup).await.unwrap(),
        ActionType::Convert,
    )
    .await;
    assert!(c
        .fetch_last_action(ActionTarget::Image(backup))
        .await
        .unwrap()
        .is_some());

    // Tagging.
    c.tag_resources(
        "env:prod",
        vec![TaggableRef::Droplet(id), TaggableRef::Image(snapshot)],
    )
    .await
    .unwrap();
    let tag = c.fetch_tag("env:prod").await.unwrap();
    assert_eq!(tag.resources.and_then(|r| r.count), Some(2));
    let tags: Vec<_> = c.fetch_all_tags().try_collect().await.unwrap();
    assert_eq!(tags.len(), 2);
    c.untag_resources("env:prod", vec![TaggableRef::Image(snapshot)])
        .await
        .unwrap();
    let tag = c.fetch_tag("env:prod").await.unwrap();
    assert_eq!(tag.resources.and_then(|r| r.count), Some(1));
    assert!(c.fetch_droplet(id).await.unwrap().tags.contains("env:prod"));
    c.delete_image(backup).await.unwrap();
    assert!(c.fetch_image(backup).await.unwrap_err().is_not_found());

    // Domains and records.
    let domain = c
        .create_domain("example.com", Some("192.0.2.1".into()))
        .await
        .unwrap();
    assert_eq!(domain.name, "example.com");
    assert_eq!(
        c.fetch_domain("example.com").await.unwrap().name,
        "example.com"
    );
    let domains: Vec<_> = c.fetch_all_domains().try_collect().await.unwrap();
    assert_eq!(domains.len(), 1);
    let www = c
        .create_domain_record(
            "example.com",
            RecordFields::new(RecordType::A, "www", "192.0.2.2"),
        )
        .await
        .unwrap();
    assert_eq!((www.name.as_str(), www.data.as_str()), ("www", "192.0.2.2"));
    let mut mx = RecordFields::new(RecordType::Mx, "@", "mail.example.com.");
    mx.priority = Some(10);
    let mx = c.create_domain_record("example.com", mx).await.unwrap();
    assert_eq!(mx.priority, Some(10));
    assert_eq!(
        c.fetch_domain_record("example.com", www.id).await.unwrap(),
        www
    );
    let records: Vec<_> = c
        .fetch_all_domain_records("example.com")
        .try_collect()
        .await
        .unwrap();
    assert!(
        records.len() >= 6,
        "SOA, 3 NS, apex A, www, MX: {records:?}"
    );
    assert!(records.iter().any(|r| r.kind == RecordType::Soa));
    let changed = c
        .update_domain_record(
            "example.com",
            www.id,
            RecordFields {
                kind: Some(RecordType::A),
                data: Some("192.0.2.3".into()),
                ..RecordFields::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.data, "192.0.2.3");
    assert_eq!(changed.name, "www");
    c.delete_domain_record("example.com", www.id).await.unwrap();
    assert!(c
        .fetch_domain_record("example.com", www.id)
        .await
        .unwrap_err()
        .is_not_found());

    // Floating IPs.
    let reserved = c
        .create_floating_ip(FloatingIpTarget::Region("nyc3".into()))
        .await
        .unwrap();
    assert!(reserved.droplet.is_none());
    let assigned = c
        .create_floating_ip(FloatingIpTarget::Droplet(web3))
        .await
        .unwrap();
    // Assigned by an action of its own.
    let assigned = c
        .wait_for_floating_ip_action(assigned.ip)
        .await
        .unwrap()
        .expect("the floating IP");
    assert_eq!(assigned.droplet.map(|d| d.id), Some(web3));
    assert_eq!(
        c.fetch_floating_ip(assigned.ip).await.unwrap().ip,
        assigned.ip
    );
    let ips: Vec<_> = c.fetch_all_floating_ips().try_collect().await.unwrap();
    assert_eq!(ips.len(), 2);
    let assign = c.assign_floating_ip(reserved.ip, web2).await.unwrap();
    assert_eq!(assign.kind, ActionType::AssignIp);
    let fip = c
        .wait_for_floating_ip_action(reserved.ip)
        .await
        .unwrap()
        .expect("the floating IP");
    assert_eq!(fip.droplet.map(|d| d.id), Some(web2));
    assert_eq!(
        c.fetch_last_action(ActionTarget::FloatingIp(reserved.ip))
            .await
            .unwrap()
            .map(|a| a.id),
        Some(assign.id)
    );
    completed(
        &c,
        c.unassign_floating_ip(reserved.ip).await.unwrap(),
        ActionType::UnassignIp,
    )
    .await;
    assert!(c
        .fetch_floating_ip(reserved.ip)
        .await
        .unwrap()
        .droplet
        .is_none());
    let ip_actions: Vec<_> = c
        .fetch_all_floating_ip_actions(reserved.ip)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ip_actions.len(), 2);
    for ip in [reserved.ip, assigned.ip] {
        c.delete_floating_ip(ip).await.unwrap();
        assert!(c.fetch_floating_ip(ip).await.unwrap_err().is_not_found());
    }

    // The escape hatches and the generic drivers.
    let raw = c.request(Raw::get("/v2/account")).await.unwrap().unwrap();
    assert_eq!(raw["account"]["uuid"], account.uuid.as_str());
    let created = c
        .request(Raw {
            method: Method::POST,
            url: "/v2/tags".into(),
            query: Vec::new(),
            body: Some(serde_json::json!({ "name": "raw" })),
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(created["tag"]["name"], "raw");
    let deleted = c
        .request(Raw {
            method: Method::DELETE,
            url: format!("{}/v2/tags/raw", server.url()),
            query: Vec::new(),
            body: None,
        })
        .await
        .unwrap();
    assert_eq!(deleted, None, "204: no body");
    let raw_sizes: Vec<_> = small
        .paginate(RawList {
            url: "/v2/sizes".into(),
            key: "sizes".into(),
            query: Vec::new(),
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(raw_sizes.len(), sizes.len());
    assert_eq!(raw_sizes[0]["slug"], sizes[0].slug.as_str());
    let reply = c.call_reply(GetDroplet { id }).await.unwrap();
    assert_eq!(reply.info.status, 200);
    assert!(reply.info.request_id.is_some());
    assert_eq!(c.call(GetDroplet { id }).await.unwrap().id, id);
    assert_eq!(
        c.last_response().map(|i| i.status.as_u16()),
        Some(200),
        "the last response is recorded"
    );
    let listed: Vec<_> = c
        .list(ListDroplets {
            tag_name: Some("env:prod".into()),
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.iter().map(|d| d.id).collect::<Vec<_>>(), [id]);

    // Errors and deletes.
    let missing = c.fetch_droplet(999_999_999).await.unwrap_err();
    assert!(missing.is_not_found(), "{missing}");
    assert_eq!(missing.api().unwrap().id.as_deref(), Some("not_found"));
    assert_eq!(missing.attempts(), Some(1), "a 404 is not retried");
    c.delete_droplet(web2).await.unwrap();
    assert!(c.fetch_droplet(web2).await.unwrap_err().is_not_found());
    c.delete_droplets_by_tag("web").await.unwrap();
    assert!(c.fetch_all_droplets().next().await.is_none());
    c.delete_domain("example.com").await.unwrap();
    assert!(c
        .fetch_domain("example.com")
        .await
        .unwrap_err()
        .is_not_found());
    for name in ["web", "env:prod"] {
        c.delete_tag(name).await.unwrap();
    }
    assert!(c.fetch_tag("web").await.unwrap_err().is_not_found());
    c.delete_ssh_key(key.id).await.unwrap();
    assert!(c.fetch_ssh_key(key.id).await.unwrap_err().is_not_found());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_life_cycle() {
    let server = start(fast_sim()).await;
    let c = client(&server);

    let droplet = c.create_droplet("life-1", spec()).await.unwrap();
    assert_eq!(droplet.status, DropletStatus::New);
    let droplet = c
        .wait_droplet(droplet.id, Until::Status(DropletStatus::Active))
        .await
        .unwrap();
    assert!(droplet.is_active());
    let id = droplet.id;
    let v4 = droplet.ipv4_address().expect("a public IPv4 address");
    assert_eq!(droplet.ip_address(), Some(v4));
    assert!(v4.is_ipv4());
    assert_eq!(droplet.region_slug(), "nyc3");

    let reboot = c.reboot(id).await.unwrap();
    assert_eq!(reboot.kind, ActionType::Reboot);
    let after = c
        .wait_for_droplet_action(id)
        .await
        .unwrap()
        .expect("the droplet");
    assert!(after.is_active() && !after.locked);
    assert!(c.fetch_action(reboot.id).await.unwrap().is_completed());

    c.power_off(id).await.unwrap();
    let off = c
        .wait_for_droplet_action(id)
        .await
        .unwrap()
        .expect("the droplet");
    assert_eq!(off.status, DropletStatus::Off);

    let snap = c.snapshot(id, "life-snap").await.unwrap();
    assert_eq!(snap.kind, ActionType::Snapshot);
    let snapped = c
        .wait_for_droplet_action(id)
        .await
        .unwrap()
        .expect("the droplet");
    assert_eq!(snapped.snapshot_ids.len(), 1);
    let snaps: Vec<_> = c.fetch_all_snapshots(id).try_collect().await.unwrap();
    assert_eq!(snaps.len(), 1);
    assert_eq!(snaps[0].name.as_deref(), Some("life-snap"));
    assert_eq!(snaps[0].id, snapped.snapshot_ids[0]);

    c.delete_droplet(id).await.unwrap();
    let gone = c.fetch_droplet(id).await.unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    assert!(matches!(gone, Error::Api(_)));
    // The snapshot outlives the droplet.
    assert!(c.fetch_image(snaps[0].id).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_on_100_droplets_yields_in_completion_order_and_lists_by_tag() {
    let server = start(SimConfig {
        // Long enough that the second batch cannot be active at the first
        // round, which comes right after its creation.
        boot_delay: Duration::from_secs(1),
        ..fast_sim()
    })
    .await;
    let c = client(&server);
    let names = |from: usize| (from..from + 10).map(|i| format!("fleet-{i}")).collect();

    // 50 droplets, waited for: active before the wait below starts.
    let mut early = Vec::new();
    for batch in 0..5 {
        early.extend(
            c.create_multiple_droplets(names(batch * 10), tagged_spec(&["fleet"]))
                .await
                .unwrap(),
        );
    }
    let early: Vec<_> = c
        .wait_droplets(early, Until::Status(DropletStatus::Active))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(early.len(), 50);

    // 50 more, new. The wait gets the new ones first: it must yield the
    // active ones first anyway, as they finish, not in the order given.
    let mut late = Vec::new();
    for batch in 5..10 {
        late.extend(
            c.create_multiple_droplets(names(batch * 10), tagged_spec(&["fleet"]))
                .await
                .unwrap(),
        );
    }
    assert!(late.iter().all(|d| d.is_new()));
    let given: Vec<_> = late.iter().chain(&early).cloned().collect();
    server.reset_stats();
    let start = Instant::now();
    let mut order = Vec::new();
    let mut wait = c.wait_droplets(given, Until::Status(DropletStatus::Active));
    while let Some(d) = wait.next().await {
        let d = d.unwrap();
        assert!(d.is_active());
        order.push(d.id);
    }
    let elapsed = start.elapsed();
    let stats = server.stats();

    assert_eq!(order.len(), 100);
    assert_eq!(order.iter().collect::<HashSet<_>>().len(), 100);
    let early_ids: HashSet<u64> = early.iter().map(|d| d.id).collect();
    let late_ids: HashSet<u64> = late.iter().map(|d| d.id).collect();
    assert_eq!(
        order[..50].iter().copied().collect::<HashSet<_>>(),
        early_ids
    );
    assert_eq!(
        order[50..].iter().copied().collect::<HashSet<_>>(),
        late_ids
    );

    // One listing by tag per round instead of 100 GETs.
    let rounds_max = elapsed.as_millis() / 25 + 2;
    let listings = stats.requests_to("GET /v2/droplets");
    let singles = stats.requests_to("GET /v2/droplets/{id}");
    eprintln!("100 droplets: {listings} listings, {singles} single GETs in {elapsed:?}");
    assert!(listings >= 2, "{stats}");
    assert!(u128::from(listings) <= rounds_max, "{stats}");
    assert_eq!(singles, 0, "{stats}");
    assert_eq!(stats.requests, listings, "{stats}");
    assert!(
        stats.requests * 20 <= 100 * listings,
        "at least 20× fewer than one GET per droplet per round: {stats}"
    );

    // Any wait machine, with an explicit tag, here on `locked`; the cancel
    // future never completes.
    let wait = Wait::droplet_ids(
        c.config(),
        order.iter().copied(),
        Until::Locked(false),
        c.now(),
    )
    .with_tag("fleet");
    let unlocked: Vec<_> = c
        .wait_with_cancel(wait, futures::future::pending())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(unlocked.len(), 100);
    assert_eq!(server.stats().requests_to("GET /v2/droplets/{id}"), 0);

    // Power-cycle them by tag and wait on the 100 actions.
    let actions = c
        .act_on_tagged_droplets("fleet", DropletAction::PowerCycle)
        .await
        .unwrap();
    assert_eq!(actions.len(), 100);
    server.reset_stats();
    let ended: Vec<_> = c.wait_actions(actions).try_collect().await.unwrap();
    assert_eq!(ended.len(), 100);
    assert!(ended.iter().all(|a| a.is_completed()));
    let stats = server.stats();
    assert!(
        stats.requests_to("GET /v2/actions/{id}") < 100,
        "listing the account's actions is cheaper: {stats}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_actions_on_objects_yields_each_resource_after_its_action() {
    let server = start(fast_sim()).await;
    let c = client(&server);
    let droplets = c
        .create_multiple_droplets(vec!["obj-1".into(), "obj-2".into()], spec())
        .await
        .unwrap();
    let ids: Vec<u64> = droplets.iter().map(|d| d.id).collect();
    let active: Vec<_> = c
        .wait_droplets(droplets, Until::Status(DropletStatus::Active))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(active.len(), 2);
    let ip = c
        .create_floating_ip(FloatingIpTarget::Region("nyc3".into()))
        .await
        .unwrap()
        .ip;
    c.power_off(ids[0]).await.unwrap();
    c.reboot(ids[1]).await.unwrap();
    c.assign_floating_ip(ip, ids[1]).await.unwrap();
    let targets = [
        ActionTarget::Droplet(ids[0]),
        ActionTarget::Droplet(ids[1]),
        ActionTarget::FloatingIp(ip),
    ];
    let ended: Vec<_> = c
        .wait_actions_on_objects(targets.clone())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ended.len(), 3);
    for target in &targets {
        let state = ended.iter().find(|s| &s.target == target).unwrap();
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
