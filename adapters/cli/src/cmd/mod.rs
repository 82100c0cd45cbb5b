//! The commands, a module per group; [`run`] runs one.

mod action;
mod call;
mod domain;
mod droplet;
mod firewall;
mod floating_ip;
mod image;
mod load_balancer;
mod project;
mod request;
mod reserved_ip;
mod reserved_ipv6;
mod show_only;
mod snapshot;
mod ssh_key;
mod tag;
mod volume;
mod vpc;

use clap::Subcommand;

use crate::ctx::Ctx;
use crate::fail::Fail;

/// The command groups: `doapi GROUP COMMAND ...`, `doapi request` and `doapi call`.
#[derive(Subcommand)]
pub enum Command {
    /// Droplets: show, create, delete, act on, wait for.
    #[command(subcommand)]
    Droplet(droplet::DropletCmd),
    /// Images: show, rename, delete, transfer, convert.
    #[command(subcommand)]
    Image(image::ImageCmd),
    /// Actions: show, wait for, and the resources they are about.
    #[command(subcommand)]
    Action(action::ActionCmd),
    /// SSH keys: show, register, rename, delete.
    #[command(subcommand)]
    SshKey(ssh_key::SshKeyCmd),
    /// Domains and their records.
    #[command(subcommand)]
    Domain(domain::DomainCmd),
    /// Floating IPs (deprecated: the old name of reserved IPs).
    #[command(subcommand)]
    FloatingIp(floating_ip::FloatingIpCmd),
    /// Reserved IPs: list, get, create, assign, unassign, delete.
    #[command(subcommand)]
    ReservedIp(reserved_ip::ReservedIpCmd),
    /// Reserved IPv6s: list, get, create, assign, unassign, delete.
    #[command(subcommand)]
    ReservedIpv6(reserved_ipv6::ReservedIpv6Cmd),
    /// Volumes: list, get, create, attach, detach, resize, delete, snapshot.
    #[command(subcommand)]
    Volume(volume::VolumeCmd),
    /// Snapshots of droplets and volumes: list, get, delete.
    #[command(subcommand)]
    Snapshot(snapshot::SnapshotCmd),
    /// Firewalls: list, get, create, rules, droplets and tags, delete.
    #[command(subcommand)]
    Firewall(firewall::FirewallCmd),
    /// VPCs: list, get, default, create, update, members, delete.
    #[command(subcommand)]
    Vpc(vpc::VpcCmd),
    /// Projects: list, get, create, assign, resources, delete.
    #[command(subcommand)]
    Project(project::ProjectCmd),
    /// Load balancers: list, get, create, wait, droplets, delete.
    #[command(subcommand)]
    LoadBalancer(load_balancer::LoadBalancerCmd),
    /// Tags: show, create, delete.
    #[command(subcommand)]
    Tag(tag::TagCmd),
    /// Regions.
    #[command(subcommand)]
    Region(show_only::ShowOnly),
    /// Droplet sizes.
    #[command(subcommand)]
    Size(show_only::ShowOnly),
    /// The account.
    #[command(subcommand)]
    Account(show_only::ShowOnly),
    /// Any API call.
    Request(request::RequestArgs),
    /// Any operation of the API by its id (`doapi call --list`).
    Call(call::CallArgs),
}

/// Runs a command.
pub fn run(ctx: &mut Ctx, command: Command) -> Result<(), Fail> {
    match command {
        Command::Droplet(c) => droplet::run(ctx, c),
        Command::Image(c) => image::run(ctx, c),
        Command::Action(c) => action::run(ctx, c),
        Command::SshKey(c) => ssh_key::run(ctx, c),
        Command::Domain(c) => domain::run(ctx, c),
        Command::FloatingIp(c) => floating_ip::run(ctx, c),
        Command::ReservedIp(c) => reserved_ip::run(ctx, c),
        Command::ReservedIpv6(c) => reserved_ipv6::run(ctx, c),
        Command::Volume(c) => volume::run(ctx, c),
        Command::Snapshot(c) => snapshot::run(ctx, c),
        Command::Firewall(c) => firewall::run(ctx, c),
        Command::Vpc(c) => vpc::run(ctx, c),
        Command::Project(c) => project::run(ctx, c),
        Command::LoadBalancer(c) => load_balancer::run(ctx, c),
        Command::Tag(c) => tag::run(ctx, c),
        Command::Region(c) => show_only::region(ctx, c),
        Command::Size(c) => show_only::size(ctx, c),
        Command::Account(c) => show_only::account(ctx, c),
        Command::Request(r) => request::run(ctx, r),
        Command::Call(c) => call::run(ctx, c),
    }
}

/// Runs a command that needs neither a client nor a token (`doapi call
/// --list`, `doapi call OPERATION_ID --help`), if it is one.
pub fn run_offline(command: &Command) -> Option<Result<(), Fail>> {
    match command {
        Command::Call(c) => call::offline(c),
        _ => None,
    }
}
