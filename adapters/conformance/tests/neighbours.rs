//! The droplet's neighbours through both clients against the simulator:
//! every named method of reserved IPs, volumes, snapshots, firewalls, VPCs,
//! projects and load balancers; the checks made before sending; the waits
//! across kinds; and the life cycle of a whole stack, torn down until
//! nothing is left.

use doapi_conformance::{both, fast_sim, flagged_by_prism, prism, spec, start, Subject};
use std::net::IpAddr;

use doapi_core::api::load_balancers::LoadBalancerStatus;
use doapi_core::api::snapshots::SnapshotsResourceType;
use doapi_core::endpoints::{ActionTarget, FloatingIpTarget};
use doapi_core::models::DropletStatus;
use doapi_core::specs::{
    urn, FirewallSpec, LoadBalancerSpec, ProjectSpec, Rule, VolumeSpec, VpcSpec,
};
use doapi_core::{Error, RequestError, Resource, Target, Until};

const ACTIVE: Until = Until::Status(DropletStatus::Active);

/// A droplet, active.
fn droplet<C: Subject>(c: &C, name: &str, vpc: Option<&str>) -> u64 {
    let mut s = spec();
    s.vpc_uuid = vpc.map(str::to_owned);
    let d = c.ok(c.create_droplet(name, s));
    c.ok(c.wait_droplet(d.id, ACTIVE)).id
}

/// A droplet with a volume, a reserved IP and a firewall, in a VPC and a
/// project, behind a load balancer; then all of it torn down, checked
/// through the listings.
fn the_stack_is_built_and_torn_down<C: Subject>() {
    let server = start(fast_sim());
    build_and_tear_down(&C::client(&server));
}

/// The stack's life cycle through Prism's validating proxy: no request and
/// no response that the official spec does not allow.
fn the_stack_conforms_to_the_spec_through_prism<C: Subject>() {
    let Some((server, prism)) = prism::proxied(fast_sim()) else {
        return;
    };
    let (builder, cassette) = C::recording(C::builder_for(&prism.url));
    build_and_tear_down(&builder.build().unwrap());
    let lines = cassette.lines();
    let responses: Vec<_> = lines.iter().filter(|l| flagged_by_prism(l)).collect();
    let log = prism.flagged_lines();
    let (sent, name) = (lines.len(), C::NAME);
    eprintln!(
        "Prism, {name}: {sent} requests, {}+{} flagged",
        responses.len(),
        log.len()
    );
    assert!(sent > 60, "{sent}");
    assert!(responses.is_empty(), "{responses:#?}");
    assert!(log.is_empty(), "{log:#?}");
    let reached = server.stats().requests;
    assert_eq!(reached, sent as u64, "every request reached the simulator");
}

/// Builds the stack, checks every relation, tears it down, and checks the
/// listings hold nothing of it.
fn build_and_tear_down<C: Subject>(c: &C) {
    let default_project = c.ok(c.fetch_default_project());
    assert_eq!(default_project.is_default, Some(true));
    let default_vpc = c
        .ok(c.fetch_default_vpc("nyc3"))
        .expect("nyc3 has a default VPC");
    assert_eq!(default_vpc.region.as_deref(), Some("nyc3"));
    assert!(c.ok(c.fetch_default_vpc("nowhere-9")).is_none());
    let vpcs_before = c.all(c.fetch_all_vpcs()).len();

    // A VPC and a project.
    let vpc = c.ok(c.create_vpc(VpcSpec::new("stack-net", "nyc3").ip_range("10.10.10.0/24")));
    let vpc_id = vpc.id.clone().expect("an id");
    let renamed = c.ok(c.update_vpc(&vpc_id, Some("stack-vpc".into()), Some("web".into()), None));
    assert_eq!(renamed.name.as_deref(), Some("stack-vpc"));
    assert_eq!(
        c.ok(c.fetch_vpc(&vpc_id)).description.as_deref(),
        Some("web")
    );
    let project = c.ok(c.create_project(
        ProjectSpec::new("stack", "Web Application")
            .environment("Staging")
            .description("s"),
    ));
    let project_id = project.id.clone().expect("an id");
    assert_eq!(
        c.ok(c.fetch_project(&project_id)).name.as_deref(),
        Some("stack")
    );
    assert_eq!(c.all(c.fetch_all_projects()).len(), 2);

    // The droplet, in the VPC.
    let web = droplet(c, "web-1", Some(&vpc_id));
    assert_eq!(
        c.ok(c.fetch_droplet(web)).vpc_uuid.as_deref(),
        Some(vpc_id.as_str())
    );
    let members = c.all(c.fetch_vpc_members(&vpc_id));
    assert_eq!(members[0].urn.as_deref(), Some(urn::droplet(web).as_str()));

    // A volume, attached (waited for by the action's id), grown, snapshot.
    let vol = c.ok(c.create_volume(VolumeSpec::new("data", "nyc3", 10).filesystem("ext4", "d")));
    c.ok(c.attach_volume(&vol.id, web));
    let attached = c.ok(c.wait_for_volume_action(&vol.id)).expect("the volume");
    assert_eq!(attached.droplet_ids.as_deref(), Some(&[web][..]));
    assert!(c
        .ok(c.fetch_droplet(web))
        .volume_ids
        .iter()
        .any(|v| v == vol.id));
    let grow = c.ok(c.resize_volume(&vol.id, 20));
    assert!(c.ok(c.wait_action(grow)).is_completed());
    assert_eq!(c.ok(c.fetch_volume(&vol.id)).size_gigabytes, Some(20));
    let actions = c.all(c.fetch_all_volume_actions(&vol.id));
    assert_eq!(actions.len(), 2, "{actions:?}");
    let in_nyc3 = c.all(c.fetch_all_volumes(Some("nyc3"), None));
    assert_eq!(in_nyc3.len(), 1);
    assert_eq!(
        c.all(c.fetch_all_volumes(Some("nyc3"), Some("data")))[0].id,
        vol.id
    );
    assert!(c
        .all(c.fetch_all_volumes(Some("nyc3"), Some("nope")))
        .is_empty());
    let snap = c.ok(c.snapshot_volume(&vol.id, "data-1"));
    let snap_id = snap.id.clone().expect("an id");
    assert_eq!(c.all(c.fetch_all_volume_snapshots(&vol.id)).len(), 1);
    let volume_snaps = c.all(c.fetch_all_account_snapshots(Some(SnapshotsResourceType::Volume)));
    assert!(volume_snaps
        .iter()
        .any(|s| s.id.as_deref() == Some(snap_id.as_str())));
    assert_eq!(
        c.ok(c.fetch_snapshot(&snap_id)).name.as_deref(),
        Some("data-1")
    );
    let restored =
        c.ok(c.create_volume(VolumeSpec::new("copy", "nyc3", 20).from_snapshot(&snap_id)));

    // A reserved IP, assigned.
    let ip = c
        .ok(c.create_reserved_ip(FloatingIpTarget::Region("nyc3".into())))
        .ip;
    c.ok(c.assign_reserved_ip(ip, web));
    let assigned = c.ok(c.wait_for_reserved_ip_action(ip)).expect("the IP");
    assert_eq!(assigned.droplet.map(|d| d.id), Some(web));
    assert_eq!(c.all(c.fetch_all_reserved_ip_actions(ip)).len(), 1);
    assert!(c.all(c.fetch_all_reserved_ips()).iter().any(|r| r.ip == ip));
    assert_eq!(
        c.ok(c.fetch_reserved_ip(ip)).droplet.map(|d| d.id),
        Some(web)
    );

    // A reserved IPv6, assigned and unassigned.
    let v6 = c.ok(c.create_reserved_ipv6("nyc3")).ip.expect("an address");
    let v6: IpAddr = v6.parse().expect("an IPv6");
    let a = c.ok(c.assign_reserved_ipv6(v6, web));
    assert!(c.ok(c.wait_action(a)).is_completed());
    let got = serde_json::to_value(c.ok(c.fetch_reserved_ipv6(v6))).unwrap();
    assert_eq!(got["droplet"]["id"], web, "{got}");
    assert_eq!(c.all(c.fetch_all_reserved_ipv6s()).len(), 1);
    let a = c.ok(c.unassign_reserved_ipv6(v6));
    assert!(c.ok(c.wait_action(a)).is_completed());
    c.ok(c.delete_reserved_ipv6(v6));
    assert!(c.all(c.fetch_all_reserved_ipv6s()).is_empty());

    // A firewall: rules, droplets and tags added and removed.
    let fw = c.ok(c.create_firewall(
        FirewallSpec::new("web-fw")
            .inbound(Rule::tcp("22").addresses(["0.0.0.0/0"]))
            .outbound(Rule::tcp("all").addresses(["0.0.0.0/0", "::/0"]))
            .droplets([web]),
    ));
    let fw_id = fw.id.clone().expect("an id");
    let http = Rule::tcp("80").addresses(["0.0.0.0/0"]);
    c.ok(c.add_firewall_rules(&fw_id, vec![http.clone()], vec![]));
    assert_eq!(
        c.ok(c.fetch_firewall(&fw_id))
            .inbound_rules
            .map(|r| r.len()),
        Some(2)
    );
    c.ok(c.remove_firewall_rules(&fw_id, vec![http], vec![]));
    assert_eq!(
        c.ok(c.fetch_firewall(&fw_id))
            .inbound_rules
            .map(|r| r.len()),
        Some(1)
    );
    c.ok(c.add_tags_to_firewall(&fw_id, vec!["web".into()]));
    assert_eq!(
        c.ok(c.fetch_firewall(&fw_id)).tags,
        Some(vec!["web".to_owned()])
    );
    c.ok(c.remove_tags_from_firewall(&fw_id, vec!["web".into()]));
    let web2 = droplet(c, "web-2", None);
    c.ok(c.add_droplets_to_firewall(&fw_id, &[web2]));
    assert_eq!(c.all(c.fetch_droplet_firewalls(web2)).len(), 1);
    c.ok(c.remove_droplets_from_firewall(&fw_id, &[web2]));
    assert!(c.all(c.fetch_droplet_firewalls(web2)).is_empty());
    assert_eq!(
        c.all(c.fetch_droplet_firewalls(web))[0].id,
        Some(fw_id.clone())
    );
    assert_eq!(c.all(c.fetch_all_firewalls()).len(), 1);

    // A load balancer, waited for until active.
    let lb = c.ok(c.create_load_balancer(
        LoadBalancerSpec::new("web-lb", "nyc3")
            .forward("http", 80, "http", 8080)
            .health_check("http", 8080, Some("/health"))
            .droplets([web])
            .vpc(&vpc_id),
    ));
    let lb_id = lb.id.clone().expect("an id");
    assert_eq!(lb.status, Some(LoadBalancerStatus::New));
    let lb = c.ok(c.wait_load_balancer(&lb_id));
    assert_eq!(lb.status, Some(LoadBalancerStatus::Active));
    c.ok(c.add_droplets_to_load_balancer(&lb_id, &[web2]));
    assert_eq!(
        c.ok(c.fetch_load_balancer(&lb_id)).droplet_ids,
        Some(vec![web as i64, web2 as i64])
    );
    c.ok(c.remove_droplets_from_load_balancer(&lb_id, &[web2]));
    assert_eq!(c.all(c.fetch_all_load_balancers()).len(), 1);

    // Everything in the project.
    let urns = vec![
        urn::droplet(web),
        urn::volume(&vol.id),
        urn::reserved_ip(ip),
        urn::load_balancer(&lb_id),
    ];
    let moved = c.ok(c.assign_to_project(&project_id, urns.clone()));
    assert_eq!(moved.len(), 4);
    let listed: Vec<String> = c
        .all(c.fetch_project_resources(&project_id))
        .into_iter()
        .filter_map(|r| r.urn)
        .collect();
    assert!(urns.iter().all(|u| listed.contains(u)), "{listed:?}");

    // Torn down.
    c.ok(c.delete_load_balancer(&lb_id));
    c.ok(c.delete_firewall(&fw_id));
    c.ok(c.unassign_reserved_ip(ip));
    assert!(c
        .ok(c.wait_for_reserved_ip_action(ip))
        .expect("the IP")
        .droplet
        .is_none());
    c.ok(c.delete_reserved_ip(ip));
    c.ok(c.detach_volume(&vol.id, web));
    c.ok(c.wait_for_volume_action(&vol.id));
    c.ok(c.delete_snapshot(&snap_id));
    for id in [&vol.id, &restored.id] {
        c.ok(c.delete_volume(id));
    }
    for id in [web, web2] {
        c.ok(c.delete_droplet(id));
    }
    c.ok(c.delete_vpc(&vpc_id));
    c.ok(c.delete_project(&project_id));

    assert!(c.all(c.fetch_all_load_balancers()).is_empty());
    assert!(c.all(c.fetch_all_firewalls()).is_empty());
    assert!(c.all(c.fetch_all_reserved_ips()).is_empty());
    assert!(c.all(c.fetch_all_volumes(None, None)).is_empty());
    let left = c.all(c.fetch_all_account_snapshots(Some(SnapshotsResourceType::Volume)));
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(c.all(c.fetch_all_vpcs()).len(), vpcs_before);
    assert_eq!(c.all(c.fetch_all_projects()).len(), 1);
    assert!(c.all(c.fetch_all_droplets()).is_empty());
    assert!(c.err(c.fetch_volume(&vol.id)).is_not_found());
}

/// Input the service would refuse is refused before anything is sent,
/// with a typed error.
fn bad_input_is_refused_before_sending<C: Subject>() {
    let server = start(fast_sim());
    let c = C::client(&server);
    let before = server.stats().requests;
    let refused = |e: Error| matches!(e, Error::Request(_));
    assert!(refused(
        c.err(c.create_volume(VolumeSpec::new("data", "nyc3", 0)))
    ));
    assert!(refused(
        c.err(c.create_volume(VolumeSpec::new("data", "", 10)))
    ));
    assert!(refused(c.err(c.create_volume(
        VolumeSpec::new("data", "nyc3", 10).from_snapshot("")
    ))));
    assert!(refused(c.err(c.attach_volume("", 7))));
    assert!(refused(c.err(c.resize_volume("v", 0))));
    assert!(refused(c.err(c.fetch_volume(""))));
    assert!(refused(c.err(
        c.create_reserved_ip(FloatingIpTarget::Region(" ".into()))
    )));
    assert!(refused(
        c.err(c.create_reserved_ip(FloatingIpTarget::Droplet(u64::MAX)))
    ));
    assert!(refused(
        c.err(c.assign_reserved_ip("192.0.2.1".parse().unwrap(), 0))
    ));
    let no_source = FirewallSpec::new("fw").inbound(Rule::tcp("22"));
    assert!(refused(c.err(c.create_firewall(no_source))));
    assert!(refused(c.err(c.add_firewall_rules("fw", vec![], vec![]))));
    assert!(refused(c.err(c.add_droplets_to_firewall("fw", &[]))));
    assert!(refused(
        c.err(c.add_tags_to_firewall("fw", vec!["".into()]))
    ));
    assert!(refused(c.err(c.create_vpc(VpcSpec::new("", "nyc3")))));
    assert!(refused(c.err(c.update_vpc(
        "v",
        Some(" ".into()),
        None,
        None
    ))));
    assert!(refused(c.err(c.create_project(ProjectSpec::new("p", "")))));
    assert!(refused(c.err(c.assign_to_project("p", vec![]))));
    let no_rule = LoadBalancerSpec::new("lb", "nyc3").droplets([1]);
    assert!(refused(c.err(c.create_load_balancer(no_rule))));
    let both_ways = LoadBalancerSpec::new("lb", "nyc3")
        .forward("http", 80, "http", 80)
        .droplets([1])
        .tag("web");
    assert!(refused(c.err(c.create_load_balancer(both_ways))));
    assert!(refused(
        c.err(c.remove_droplets_from_load_balancer("lb", &[]))
    ));
    assert!(refused(c.err(c.snapshot_volume("v", ""))));
    assert!(refused(c.err(c.wait_for_volume_action(""))));
    match c.err(c.create_volume(VolumeSpec::new("data", "nyc3", 20_000))) {
        Error::Request(RequestError::InvalidArgument { what, .. }) => {
            assert_eq!(what, "size_gigabytes")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.stats().requests, before, "nothing was sent");
}

/// `wait_actions_on_objects` waits on volumes and reserved IPs beside
/// droplets, and yields each resource after its action.
fn waits_across_kinds_take_volumes_and_reserved_ips<C: Subject>() {
    let server = start(fast_sim());
    let c = C::client(&server);
    let web = droplet(&c, "web-1", None);
    let vol = c.ok(c.create_volume(VolumeSpec::new("data", "nyc3", 10)));
    let ip = c
        .ok(c.create_reserved_ip(FloatingIpTarget::Region("nyc3".into())))
        .ip;
    c.ok(c.attach_volume(&vol.id, web));
    c.ok(c.assign_reserved_ip(ip, web));
    c.ok(c.reboot(web));
    let targets = [
        ActionTarget::Volume(vol.id.clone()),
        ActionTarget::ReservedIp(ip),
        ActionTarget::Droplet(web),
    ];
    let ended = c.finished(c.wait_actions_on_objects(targets.clone()));
    assert_eq!(ended.len(), 3);
    for target in &targets {
        let state = ended
            .iter()
            .find(|s| s.target == Target::of(target))
            .expect("each once");
        assert!(state.action.as_ref().unwrap().is_completed(), "{state:?}");
        match state.resource.as_ref().unwrap() {
            Resource::Volume(v) => assert_eq!(v.droplet_ids.as_deref(), Some(&[web][..])),
            Resource::ReservedIp(r) => assert_eq!(r.droplet.as_ref().map(|d| d.id), Some(web)),
            Resource::Droplet(d) => assert!(d.is_active()),
            other => panic!("{other:?}"),
        }
    }
    // The multi-wait on the actions themselves: a volume's and an IP's.
    let detach = c.ok(c.detach_volume(&vol.id, web));
    let unassign = c.ok(c.unassign_reserved_ip(ip));
    let done = c.finished(c.wait_actions([detach, unassign]));
    assert!(done.iter().all(|a| a.is_completed()) && done.len() == 2);
    assert!(c
        .ok(c.fetch_volume(&vol.id))
        .droplet_ids
        .unwrap_or_default()
        .is_empty());
}

both!(
    the_stack_is_built_and_torn_down,
    the_stack_conforms_to_the_spec_through_prism,
    bad_input_is_refused_before_sending,
    waits_across_kinds_take_volumes_and_reserved_ips,
);
