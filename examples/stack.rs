//! The droplet's neighbours, end to end: a VPC and a project; a droplet in
//! the VPC with a volume attached, a reserved IP assigned and a firewall;
//! a load balancer in front of it, waited for until active; everything
//! moved into the project; then all of it torn down, and the listings
//! checked to be empty of it.
//!
//! `cargo run --example stack` runs it against the embedded simulator;
//! add `-- --live` for the real API (`DIGITALOCEAN_TOKEN`; it creates and
//! deletes billable resources), or set `DIGITALOCEAN_API_URL` for another
//! endpoint.

use std::time::Instant;

use doapi_blocking::endpoints::{DropletSpec, FloatingIpTarget};
use doapi_blocking::models::DropletStatus;
use doapi_blocking::specs::{
    urn, FirewallSpec, LoadBalancerSpec, ProjectSpec, Rule, VolumeSpec, VpcSpec,
};
use doapi_blocking::{Api, Client, Error, RequestError, Until};
use doapi_examples::Target;

const REGION: &str = "nyc3";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = Target::from_args(0)?;
    let client = target.blocking()?;
    let start = Instant::now();

    let vpc = client.create_vpc(VpcSpec::new("stack-net", REGION).ip_range("10.116.0.0/24"))?;
    let vpc_id = some(vpc.id, "VPC id")?;
    let project = client.create_project(ProjectSpec::new("stack", "Web Application"))?;
    let project_id = some(project.id, "project id")?;
    println!("VPC {vpc_id}, project {project_id}");

    let mut spec = DropletSpec::new("s-1vcpu-1gb", "ubuntu-24-04-x64").region(REGION);
    spec.vpc_uuid = Some(vpc_id.clone());
    let droplet = client.create_droplet("stack-web-1", spec)?;
    let droplet = client.wait_droplet(droplet.id, Until::Status(DropletStatus::Active))?;
    println!(
        "droplet {} active at {:?}",
        droplet.id,
        droplet.ip_address()
    );

    let volume = client.create_volume(VolumeSpec::new("stack-data", REGION, 10))?;
    client.attach_volume(&volume.id, droplet.id)?;
    client.wait_for_volume_action(&volume.id)?;
    println!("volume {} attached", volume.id);

    let ip = client
        .create_reserved_ip(FloatingIpTarget::Region(REGION.into()))?
        .ip;
    client.assign_reserved_ip(ip, droplet.id)?;
    client.wait_for_reserved_ip_action(ip)?;
    println!("reserved IP {ip} assigned");

    let firewall = client.create_firewall(
        FirewallSpec::new("stack-fw")
            .inbound(Rule::tcp("22").addresses(["0.0.0.0/0", "::/0"]))
            .inbound(Rule::tcp("80").addresses(["0.0.0.0/0", "::/0"]))
            .outbound(Rule::tcp("all").addresses(["0.0.0.0/0", "::/0"]))
            .droplets([droplet.id]),
    )?;
    let firewall_id = some(firewall.id, "firewall id")?;
    println!("firewall {firewall_id}");

    let lb = client.create_load_balancer(
        LoadBalancerSpec::new("stack-lb", REGION)
            .forward("http", 80, "http", 80)
            .health_check("http", 80, Some("/"))
            .droplets([droplet.id])
            .vpc(&vpc_id),
    )?;
    let lb_id = some(lb.id, "load balancer id")?;
    let lb = client.wait_load_balancer(&lb_id)?;
    println!("load balancer {lb_id} active at {:?}", lb.ip);

    let urns = vec![
        urn::droplet(droplet.id),
        urn::volume(&volume.id),
        urn::reserved_ip(ip),
        urn::load_balancer(&lb_id),
    ];
    client.assign_to_project(&project_id, urns)?;
    let resources = client.fetch_project_resources(&project_id).count();
    println!("project holds {resources} resources");

    // Torn down, in the order the service allows.
    client.delete_load_balancer(&lb_id)?;
    client.delete_firewall(&firewall_id)?;
    client.unassign_reserved_ip(ip)?;
    client.wait_for_reserved_ip_action(ip)?;
    client.delete_reserved_ip(ip)?;
    client.detach_volume(&volume.id, droplet.id)?;
    client.wait_for_volume_action(&volume.id)?;
    client.delete_volume(&volume.id)?;
    client.delete_droplet(droplet.id)?;
    // A VPC keeps its members for a moment after they are deleted.
    while client.fetch_vpc_members(&vpc_id).next().is_some() {
        std::thread::sleep(client.config().wait_interval);
    }
    client.delete_vpc(&vpc_id)?;
    client.delete_project(&project_id)?;

    let left = left_behind(
        &client,
        &[&lb_id, &firewall_id, &volume.id, &vpc_id, &project_id],
    )?;
    let requests = target
        .requests()
        .map(|n| format!(", {n} requests"))
        .unwrap_or_default();
    println!(
        "stack built and torn down in {:.2?}{requests}; left behind: {left}",
        start.elapsed()
    );
    if left > 0 {
        return Err("resources were left behind".into());
    }
    Ok(())
}

/// How many of these ids the listings still show.
fn left_behind(client: &Client, ids: &[&str]) -> Result<usize, Error> {
    let mut seen = Vec::new();
    for lb in client.fetch_all_load_balancers() {
        seen.extend(lb?.id);
    }
    for fw in client.fetch_all_firewalls() {
        seen.extend(fw?.id);
    }
    for v in client.fetch_all_volumes(None, None) {
        seen.push(v?.id);
    }
    for v in client.fetch_all_vpcs() {
        seen.extend(v?.id);
    }
    for p in client.fetch_all_projects() {
        seen.extend(p?.id);
    }
    Ok(ids
        .iter()
        .filter(|id| seen.iter().any(|s| s == *id))
        .count())
}

/// A field the service always sends, or an error naming it.
fn some(value: Option<String>, what: &'static str) -> Result<String, Error> {
    value.ok_or(Error::Request(RequestError::InvalidArgument {
        what,
        reason: "the answer did not carry it".into(),
    }))
}
