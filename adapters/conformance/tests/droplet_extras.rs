//! The droplet area's later additions through both clients against the
//! simulator: backup policies (on create, changed by action, the three
//! listings), destroying a droplet with its associated resources
//! (selective, dangerous, the status and the retry), `gpu_info` on sizes
//! and droplets, and the checks made before sending.

use std::time::{Duration, Instant};

use doapi_conformance::{both, fast_sim, spec, start, Subject};
use doapi_core::api::droplets::{
    DropletBackupPolicyPlan as Plan, DropletBackupPolicyWeekday as Day,
    SelectiveDestroyAssociatedResource,
};
use doapi_core::endpoints::{BackupPolicy, FloatingIpTarget, Weekday};
use doapi_core::models::DropletStatus;
use doapi_core::specs::droplets::BackupPolicies;
use doapi_core::specs::VolumeSpec;
use doapi_core::{Error, RequestError, Until};

const ACTIVE: Until = Until::Status(DropletStatus::Active);

/// A droplet created with a backup policy reads it back; the policy
/// changes by action; every droplet's policies are listed page by page;
/// the supported policies are listed.
fn backup_policies_are_set_changed_and_listed<C: Subject>() {
    let server = start(fast_sim());
    let c = C::builder_for(server.url()).per_page(1).build().unwrap();
    let weekly = spec().backup_policy(BackupPolicy::weekly(Weekday::Mon).at(8));
    let backed = c.ok(c.create_droplet("backed-1", weekly)).id;
    let plain = c.ok(c.create_droplet("plain-1", spec())).id;
    for id in [backed, plain] {
        c.ok(c.wait_droplet(id, ACTIVE));
    }

    let record = c.ok(c.fetch_droplet_backup_policy(backed));
    assert_eq!(record.droplet_id, Some(backed as i64));
    assert_eq!(record.backup_enabled, Some(true));
    let policy = record.backup_policy.expect("a policy");
    assert_eq!(
        (policy.plan, policy.weekday, policy.hour),
        (Some(Plan::Weekly), Some(Day::Mon), Some(8))
    );
    assert_eq!(
        c.ok(c.fetch_droplet_backup_policy(plain)).backup_enabled,
        Some(false)
    );

    let change = c.ok(c.change_backup_policy(backed, BackupPolicy::daily().at(20)));
    assert!(c.ok(c.wait_action(change)).is_completed());
    let policy = c.ok(c.fetch_droplet_backup_policy(backed)).backup_policy;
    let policy = policy.expect("a policy");
    assert_eq!((policy.plan, policy.hour), (Some(Plan::Daily), Some(20)));
    assert_eq!(policy.retention_period_days, Some(7));

    // One droplet a page: two pages, in the order of the droplets' ids.
    let all = c.all(c.fetch_all_droplet_backup_policies());
    let listed: Vec<_> = all
        .iter()
        .map(|r| (r.droplet_id, r.backup_enabled))
        .collect();
    let (b, p) = (Some(backed as i64), Some(plain as i64));
    assert_eq!(listed, [(b, Some(true)), (p, Some(false))]);
    let pages = c.all_pages(c.pages(BackupPolicies::default()));
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(|p| p.value.items.len() == 1));

    let supported = c.ok(c.fetch_supported_backup_policies());
    let mut names: Vec<_> = supported.iter().filter_map(|p| p.name.clone()).collect();
    names.sort();
    assert_eq!(names, ["daily", "weekly"]);
    let weekly = supported
        .iter()
        .find(|p| p.name.as_deref() == Some("weekly"));
    let days = weekly
        .and_then(|p| p.possible_days.clone())
        .unwrap_or_default();
    assert_eq!(days.len(), 7, "{days:?}");
}

/// A droplet with a volume and a reserved IP, listed as its associated
/// resources; a selective destroy takes the volume and leaves the IP; a
/// dangerous destroy takes everything; the status says what went, and
/// `completed_at` once it is over; a retry is refused while the destroy
/// runs.
fn droplets_are_destroyed_with_their_associated_resources<C: Subject>() {
    let server = start(fast_sim());
    let c = C::client(&server);
    let equipped = |name: &str| {
        let d = c.ok(c.create_droplet(name, spec()));
        let id = c.ok(c.wait_droplet(d.id, ACTIVE)).id;
        let vol = c.ok(c.create_volume(VolumeSpec::new(format!("{name}-data"), "nyc3", 10)));
        c.ok(c.attach_volume(&vol.id, id));
        c.ok(c.wait_for_volume_action(&vol.id));
        let ip = c.ok(c.create_reserved_ip(FloatingIpTarget::Droplet(id))).ip;
        c.ok(c.wait_for_reserved_ip_action(ip));
        (id, vol.id, ip)
    };

    let (web, vol, ip) = equipped("web-1");
    let listed = c.ok(c.fetch_associated_resources(web));
    let ids = |list: &Option<Vec<doapi_core::api::droplets::AssociatedResource>>| -> Vec<String> {
        list.iter().flatten().filter_map(|r| r.id.clone()).collect()
    };
    assert_eq!(ids(&listed.volumes), std::slice::from_ref(&vol));
    assert_eq!(ids(&listed.reserved_ips), [ip.to_string()]);
    assert!(listed.volumes.unwrap()[0].cost.is_some());

    let chosen = SelectiveDestroyAssociatedResource {
        volumes: Some(vec![vol.clone()]),
        ..Default::default()
    };
    c.ok(c.delete_droplet_with_associated(web, chosen));
    assert!(c.err(c.fetch_droplet(web)).is_not_found());
    assert!(c.err(c.fetch_volume(&vol)).is_not_found());
    let kept = c.ok(c.fetch_reserved_ip(ip));
    assert!(kept.droplet.is_none(), "{kept:?}");
    let status = finished_destroy(&c, web);
    assert_eq!(status.droplet.and_then(|d| d.id), Some(web.to_string()));
    let resources = status.resources.expect("resources");
    let gone: Vec<_> = resources
        .volumes
        .iter()
        .flatten()
        .filter_map(|r| r.id.clone())
        .collect();
    assert_eq!(gone, [vol]);
    assert!(resources.reserved_ips.unwrap_or_default().is_empty());
    assert_eq!(status.failures, Some(0));
    c.ok(c.retry_associated_destroy(web));
    c.ok(c.delete_reserved_ip(ip));

    let (db, vol, ip) = equipped("db-1");
    c.ok(c.delete_droplet_with_all_associated(db));
    assert!(c.err(c.fetch_droplet(db)).is_not_found());
    assert!(c.err(c.fetch_volume(&vol)).is_not_found());
    assert!(c.err(c.fetch_reserved_ip(ip)).is_not_found());
    let resources = finished_destroy(&c, db).resources.expect("resources");
    assert_eq!(resources.volumes.map(|v| v.len()), Some(1));
    assert_eq!(resources.reserved_ips.map(|v| v.len()), Some(1));
    assert!(c.all(c.fetch_all_volumes(None, None)).is_empty());
    assert!(c.all(c.fetch_all_reserved_ips()).is_empty());

    // While a destroy runs (actions take a minute here), its status has
    // no `completed_at` and a retry is refused.
    let mut slow = fast_sim();
    slow.action_delay = Duration::from_secs(60);
    let server = start(slow);
    let c = C::client(&server);
    let id = c.ok(c.create_droplet("web-2", spec())).id;
    c.ok(c.delete_droplet_with_all_associated(id));
    assert!(c
        .ok(c.fetch_associated_destroy_status(id))
        .completed_at
        .is_none());
    let refused = c.err(c.retry_associated_destroy(id));
    assert_eq!(
        refused.api().map(|e| e.status.as_u16()),
        Some(409),
        "{refused:?}"
    );
}

/// The status of a droplet's destroy once it has completed (polled).
fn finished_destroy<C: Subject>(
    c: &C,
    id: u64,
) -> doapi_core::api::droplets::AssociatedResourceStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = c.ok(c.fetch_associated_destroy_status(id));
        if status.completed_at.is_some() {
            return status;
        }
        assert!(Instant::now() < deadline, "never completed: {status:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A GPU size carries `gpu_info`, typed, and so does a droplet of it; other
/// sizes and droplets have none.
fn gpu_info_is_decoded_from_a_gpu_size<C: Subject>() {
    let server = start(fast_sim());
    let c = C::client(&server);
    let sizes = c.all(c.fetch_all_sizes());
    let gpu = sizes
        .iter()
        .find(|s| s.gpu_info.is_some())
        .expect("a GPU size");
    let info = gpu.gpu_info.clone().unwrap();
    assert_eq!(gpu.slug, "gpu-h100x1-80gb");
    assert_eq!(info.count, Some(1));
    assert_eq!(info.model.as_deref(), Some("nvidia_h100"));
    let vram = info.vram.clone().expect("vram");
    assert_eq!((vram.amount, vram.unit.as_deref()), (Some(80), Some("gib")));
    assert!(sizes
        .iter()
        .filter(|s| s.slug.starts_with("s-"))
        .all(|s| s.gpu_info.is_none()));

    let region = gpu.regions.iter().next().expect("a region").to_owned();
    let mut s = spec().region(region);
    s.size = gpu.slug.clone();
    let d = c.ok(c.create_droplet("gpu-1", s));
    let d = c.ok(c.wait_droplet(d.id, ACTIVE));
    assert_eq!(d.gpu_info, Some(info.clone()));
    assert_eq!(d.size.gpu_info, Some(info));
    assert!(!d.extra.contains_key("gpu_info"));
    let plain = c.ok(c.create_droplet("cpu-1", spec()));
    assert!(plain.gpu_info.is_none());
}

/// Backup policies the service would refuse, and ids no request can
/// carry, are refused before anything is sent, with a typed error.
fn bad_extras_are_refused_before_sending<C: Subject>() {
    let server = start(fast_sim());
    let c = C::client(&server);
    let before = server.stats().requests;
    let bad_hour = |e: Error| {
        matches!(
            e,
            Error::Request(RequestError::InvalidArgument {
                what: "backup_policy.hour",
                ..
            })
        )
    };
    let at_3 = spec().backup_policy(BackupPolicy::daily().at(3));
    assert!(bad_hour(c.err(c.create_droplet("web-1", at_3))));
    let at_24 = spec().backup_policy(BackupPolicy::weekly(Weekday::Sun).at(24));
    assert!(bad_hour(
        c.err(c.create_multiple_droplets(vec!["a".into()], at_24))
    ));
    assert!(bad_hour(
        c.err(c.change_backup_policy(7, BackupPolicy::daily().at(5)))
    ));
    let mut off = spec().backup_policy(BackupPolicy::daily());
    off.backups = Some(false);
    match c.err(c.create_droplet("web-1", off)) {
        Error::Request(RequestError::InvalidArgument { what, .. }) => {
            assert_eq!(what, "backup_policy")
        }
        other => panic!("{other:?}"),
    }
    let empty = SelectiveDestroyAssociatedResource {
        snapshots: Some(vec![String::new()]),
        ..Default::default()
    };
    let refused = c.err(c.delete_droplet_with_associated(7, empty));
    assert!(
        matches!(refused, Error::Request(RequestError::Empty { .. })),
        "{refused:?}"
    );
    for e in [
        c.err(c.fetch_droplet_backup_policy(0)),
        c.err(c.delete_droplet_with_all_associated(0)),
        c.err(c.fetch_associated_resources(0)),
        c.err(c.fetch_associated_destroy_status(0)),
        c.err(c.retry_associated_destroy(0)),
    ] {
        assert!(matches!(e, Error::Request(_)), "{e:?}");
    }
    assert_eq!(server.stats().requests, before, "nothing was sent");
}

both!(
    backup_policies_are_set_changed_and_listed,
    droplets_are_destroyed_with_their_associated_resources,
    gpu_info_is_decoded_from_a_gpu_size,
    bad_extras_are_refused_before_sending,
);
