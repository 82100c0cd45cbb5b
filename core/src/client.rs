//! The doapi surface every client offers, written once: the [`Api`]
//! trait. A client implements its few required methods (how it runs a
//! machine, lists, waits); every other method is provided here, so an
//! operation added to the core works in both clients with no adapter code.
//!
//! The generic entry points are [`Api::send`] (any operation value),
//! [`Api::list`] (any listing, item by item), [`Api::pages`] and
//! [`Api::wait`] (any wait machine). The named methods are doapi's, for the
//! droplet area, and those of the droplet's neighbours (reserved IPs,
//! volumes, snapshots, firewalls, VPCs, projects, load balancers), each
//! built on the generated operation of [`crate::api`] with the builders and
//! checks of [`crate::specs`]; each one's docs name the HTTP method and path
//! it calls.

use std::net::IpAddr;
use std::time::Instant;

use serde_json::Value;

use crate::builder::{ClientBuilder, Connect};
use crate::config::Config;
use crate::endpoint::decode::Decoded;
use crate::endpoint::{Endpoint, List};
use crate::endpoints::{
    ActOnDroplet, ActOnFloatingIp, ActOnImage, ActOnTaggedDroplets, ActionTarget, BackupPolicy,
    CreateDomain, CreateDomainRecord, CreateDroplet, CreateDroplets, CreateFloatingIp,
    CreateSshKey, CreateTag, CurrentAction, DeleteDomain, DeleteDomainRecord, DeleteDroplet,
    DeleteDropletsByTag, DeleteFloatingIp, DeleteImage, DeleteSshKey, DeleteTag, DropletAction,
    DropletNeighborsReport, DropletSpec, FloatingIpAction, FloatingIpTarget, GetAccount, GetAction,
    GetDomain, GetDomainRecord, GetDroplet, GetDropletAction, GetFloatingIp, GetImage,
    GetImageBySlug, GetSshKey, GetTag, ImageAction, ImageFilter, ImageRef, LastAction, ListActions,
    ListDomainRecords, ListDomains, ListDropletActions, ListDropletBackups, ListDropletKernels,
    ListDropletNeighbors, ListDropletSnapshots, ListDroplets, ListFloatingIpActions,
    ListFloatingIps, ListImageActions, ListImages, ListRegions, ListSizes, ListSshKeys, ListTags,
    Raw, RawList, RecordFields, SshKeyRef, TagResources, TaggableRef, UntagResources,
    UpdateDomainRecord, UpdateImage, UpdateSshKey,
};
use crate::error::Error;
use crate::machine::{Cancel, Machine};
#[cfg(feature = "block_storage")]
use crate::models::Volume;
use crate::models::{
    Account, Action, Domain, DomainRecord, Droplet, FloatingIp, Image, Meta, SshKey, Tag,
};
use crate::ratelimit::{RateLimit, ResponseInfo};
use crate::session::Session;
#[cfg(feature = "load_balancers")]
use crate::specs::LoadBalancerSpec;
#[cfg(feature = "projects")]
use crate::specs::ProjectSpec;
#[cfg(feature = "block_storage")]
use crate::specs::VolumeSpec;
#[cfg(feature = "vpcs")]
use crate::specs::VpcSpec;
#[allow(unused_imports)]
use crate::specs::{self, Checked, Keyed, KeyedList};
#[cfg(feature = "firewalls")]
use crate::specs::{FirewallSpec, Rule};
#[cfg(feature = "load_balancers")]
use crate::wait::WaitLoadBalancer;
use crate::wait::{Until, WaitActions, WaitActionsOnObjects, WaitDroplets, WaitForAction};
#[allow(unused_imports)]
use crate::{api, find::Find};

/// What every client offers: the generic entry points, and doapi's named
/// methods built on them.
///
/// A blocking client answers a call with the result itself
/// (`Call<T> = Result<T, Error>`) and a listing or a wait with an
/// `Iterator`; an async client answers with a future and a `Stream`.
/// Import the trait to call its methods: `use doapi_blocking::Api;`.
pub trait Api: Sized {
    /// What a call gives: its result, or a future of it.
    type Call<T: Send + 'static>;
    /// The items of a listing, fetched a page at a time.
    type Items<L: List>;
    /// The pages of a listing, each with what its response said.
    type Pages<L: List>;
    /// The outputs of a wait machine, in completion order.
    type Waiting<M: Cancel + Send + 'static>;

    /// The session: configuration and shared state; it builds the
    /// machines.
    fn session(&self) -> &Session;

    /// The current time of the client's clock (virtual for an offline
    /// transport), for machines built by hand.
    fn now(&self) -> Instant;

    /// Runs a machine to its first output.
    fn run<M>(&self, machine: M) -> Self::Call<M::Output>
    where
        M: Machine + Send + 'static,
        M::Output: Send + 'static;

    /// Every item of a listing (doapi `paginate`), fetched a page at a time
    /// as the items are used up.
    fn list<L: List>(&self, op: L) -> Self::Items<L>;

    /// Every page of a listing, fetched one at a time as they are taken.
    fn pages<L: List>(&self, op: L) -> Self::Pages<L>;

    /// Runs a wait machine (built with [`Api::session`] and [`Api::now`]),
    /// yielding its outputs in completion order.
    fn wait<M>(&self, machine: M) -> Self::Waiting<M>
    where
        M: Cancel + Send + 'static,
        M::Output: Send + 'static;

    /// A client for the public API with this token and every default.
    fn new(token: &str) -> Result<Self, Error>
    where
        Self: Connect,
    {
        Self::builder(token).build()
    }

    /// A client configured from the environment: the token from
    /// `DIGITALOCEAN_TOKEN` or `DIGITALOCEAN_ACCESS_TOKEN`, the endpoint
    /// from `DIGITALOCEAN_API_URL` if set (the one place the core reads
    /// the environment).
    fn from_env() -> Result<Self, Error>
    where
        Self: Connect,
    {
        ClientBuilder::from_vars(|k| std::env::var(k).ok())?.build()
    }

    /// A builder starting from this token: endpoint, timeouts, page size,
    /// wait defaults, user agent, retry policy, transport.
    fn builder(token: &str) -> ClientBuilder<Self>
    where
        Self: Connect,
    {
        ClientBuilder::new(token)
    }

    /// Performs any operation, under the retry policy; the decoded answer.
    fn send<E: Endpoint>(&self, op: E) -> Self::Call<E::Output> {
        self.run(self.session().call(op).map_output(|d| d.value))
    }

    /// Performs any operation; the answer with its status, rate limit and
    /// request id.
    fn send_with_info<E: Endpoint>(&self, op: E) -> Self::Call<Decoded<E::Output>> {
        self.run(self.session().call(op))
    }

    /// The configuration.
    fn config(&self) -> &Config {
        self.session().config()
    }

    /// The rate limit of the last response (doapi's `last_rate_limit`).
    fn last_rate_limit(&self) -> Option<RateLimit> {
        self.session().last_rate_limit()
    }

    /// Status, rate limit, request id and date of the last response.
    fn last_response(&self) -> Option<ResponseInfo> {
        self.session().last_response()
    }

    /// The `meta` of the last page fetched (doapi's `last_meta`).
    fn last_meta(&self) -> Option<Meta> {
        self.session().last_meta()
    }

    // Waits.

    /// Waits on droplets until each matches `until`, yielding each as it
    /// does (doapi `wait_droplets`).
    ///
    /// Each round is `GET /v2/droplets?tag_name={tag}` for a tag every
    /// droplet carries, or `GET /v2/droplets`, or `GET /v2/droplets/{id}`
    /// per droplet: whichever costs fewest requests.
    fn wait_droplets(
        &self,
        droplets: impl IntoIterator<Item = Droplet>,
        until: Until,
    ) -> Self::Waiting<WaitDroplets> {
        self.wait(self.session().wait_droplets(droplets, until, self.now()))
    }

    /// Waits on droplets given by id; see [`Api::wait_droplets`].
    fn wait_droplet_ids(
        &self,
        ids: impl IntoIterator<Item = u64>,
        until: Until,
    ) -> Self::Waiting<WaitDroplets> {
        self.wait(self.session().wait_droplet_ids(ids, until, self.now()))
    }

    /// Waits until one droplet matches `until` (doapi `Droplet.wait`).
    ///
    /// `GET /v2/droplets/{id}` each round.
    fn wait_droplet(&self, id: u64, until: Until) -> Self::Call<Droplet> {
        self.run(self.session().wait_droplet_ids([id], until, self.now()))
    }

    /// Waits on actions until each is done, yielding each as it ends (doapi
    /// `wait_actions`); an `errored` action ends the wait with
    /// `Error::ActionFailed`.
    ///
    /// Each round is `GET /v2/actions` (newest first) or
    /// `GET /v2/actions/{id}` per action: whichever costs fewest requests.
    fn wait_actions(
        &self,
        actions: impl IntoIterator<Item = Action>,
    ) -> Self::Waiting<WaitActions> {
        self.wait(self.session().wait_actions(actions, self.now()))
    }

    /// Waits until one action is done (doapi `Action.wait`).
    ///
    /// `GET /v2/actions/{id}` each round.
    fn wait_action(&self, action: Action) -> Self::Call<Action> {
        self.run(self.session().wait_actions([action], self.now()))
    }

    /// Waits for a droplet's most recent action, then returns the droplet,
    /// or `None` if it was deleted (doapi `Droplet.wait_for_action`).
    ///
    /// `GET /v2/droplets/{id}/actions?per_page=1`, then `GET
    /// /v2/actions/{action_id}` each round, then `GET /v2/droplets/{id}`.
    fn wait_for_droplet_action(&self, id: u64) -> Self::Call<Option<Droplet>> {
        self.run(self.session().wait_for_droplet_action(id, self.now()))
    }

    /// Waits for an image's most recent action, then returns the image.
    ///
    /// `GET /v2/images/{id}/actions?per_page=1`, then `GET
    /// /v2/actions/{action_id}` each round, then `GET /v2/images/{id}`.
    fn wait_for_image_action(&self, id: u64) -> Self::Call<Option<Image>> {
        self.run(self.session().wait_for_image_action(id, self.now()))
    }

    /// Waits for a floating IP's most recent action, then returns it.
    ///
    /// Deprecated: floating IPs are reserved IPs under their old name; use
    /// [`Api::wait_for_reserved_ip_action`].
    ///
    /// `GET /v2/floating_ips/{ip}/actions?per_page=1`, then `GET
    /// /v2/actions/{action_id}` each round, then `GET /v2/floating_ips/{ip}`.
    fn wait_for_floating_ip_action(&self, ip: IpAddr) -> Self::Call<Option<FloatingIp>> {
        self.run(self.session().wait_for_floating_ip_action(ip, self.now()))
    }

    /// Runs any [`WaitForAction`]; the resource after its action, or `None`.
    fn wait_for_action<E: Endpoint>(
        &self,
        wait: WaitForAction<E>,
    ) -> Self::Call<Option<E::Output>> {
        self.run(wait)
    }

    /// Waits for the most recent action of each resource, yielding each
    /// resource's final state as its action ends, in completion order; its
    /// `resource` is `None` if the action deleted it (doapi
    /// `wait_actions_on_objects`). The actions are polled together.
    ///
    /// One `GET <resource>/actions?per_page=1` per resource, the polls of a
    /// [`WaitActions`], one `GET` of each resource.
    fn wait_actions_on_objects(
        &self,
        targets: impl IntoIterator<Item = ActionTarget>,
    ) -> Self::Waiting<WaitActionsOnObjects> {
        self.wait(self.session().wait_actions_on_objects(targets, self.now()))
    }

    // Droplets.

    /// Fetches a droplet (doapi `fetch_droplet`, `Droplet.fetch`).
    ///
    /// `GET /v2/droplets/{id}`.
    fn fetch_droplet(&self, id: u64) -> Self::Call<Droplet> {
        self.send(GetDroplet { id })
    }

    /// Creates a droplet (doapi `create_droplet`).
    ///
    /// `POST /v2/droplets`.
    fn create_droplet(&self, name: impl Into<String>, spec: DropletSpec) -> Self::Call<Droplet> {
        self.send(CreateDroplet {
            name: name.into(),
            spec,
        })
    }

    /// Creates up to ten droplets with one spec (doapi `create_multiple_droplets`).
    ///
    /// `POST /v2/droplets`.
    fn create_multiple_droplets(
        &self,
        names: Vec<String>,
        spec: DropletSpec,
    ) -> Self::Call<Vec<Droplet>> {
        self.send(CreateDroplets { names, spec })
    }

    /// Deletes a droplet (doapi `Droplet.delete`).
    ///
    /// `DELETE /v2/droplets/{id}`.
    fn delete_droplet(&self, id: u64) -> Self::Call<()> {
        self.send(DeleteDroplet { id })
    }

    /// Deletes every droplet with a tag (doapi `Tag.delete_all_droplets`).
    ///
    /// `DELETE /v2/droplets?tag_name={tag}`.
    fn delete_droplets_by_tag(&self, tag: impl Into<String>) -> Self::Call<()> {
        self.send(DeleteDropletsByTag {
            tag_name: tag.into(),
        })
    }

    /// One action of a droplet.
    ///
    /// `GET /v2/droplets/{id}/actions/{action_id}`.
    fn fetch_droplet_action(&self, id: u64, action_id: u64) -> Self::Call<Action> {
        self.send(GetDropletAction { id, action_id })
    }

    /// Groups of ids of droplets sharing hardware (doapi `fetch_all_droplet_neighbors`).
    ///
    /// `GET /v2/reports/droplet_neighbors_ids`.
    fn fetch_droplet_neighbors_report(&self) -> Self::Call<Vec<Vec<u64>>> {
        self.send(DropletNeighborsReport {})
    }

    /// Any action on a droplet (doapi `Droplet.act`).
    ///
    /// `POST /v2/droplets/{id}/actions`.
    fn act_on_droplet(&self, id: u64, action: DropletAction) -> Self::Call<Action> {
        self.send(ActOnDroplet { id, action })
    }

    /// Enables backups (doapi `Droplet.enable_backups`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `enable_backups`.
    fn enable_backups(&self, id: u64) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::EnableBackups,
        })
    }

    /// Disables backups (doapi `Droplet.disable_backups`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `disable_backups`.
    fn disable_backups(&self, id: u64) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::DisableBackups,
        })
    }

    /// Reboots gracefully (doapi `Droplet.reboot`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `reboot`.
    fn reboot(&self, id: u64) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::Reboot,
        })
    }

    /// Power-cycles (doapi `Droplet.power_cycle`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `power_cycle`.
    fn power_cycle(&self, id: u64) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::PowerCycle,
        })
    }

    /// Shuts down gracefully (doapi `Droplet.shutdown`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `shutdown`.
    fn shutdown(&self, id: u64) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::Shutdown,
        })
    }

    /// Powers off (doapi `Droplet.power_off`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `power_off`.
    fn power_off(&self, id: u64) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::PowerOff,
        })
    }

    /// Powers on (doapi `Droplet.power_on`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `power_on`.
    fn power_on(&self, id: u64) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::PowerOn,
        })
    }

    /// Restores from a backup image (doapi `Droplet.restore`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `restore`.
    fn restore(&self, id: u64, image: impl Into<ImageRef>) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::Restore {
                image: image.into(),
            },
        })
    }

    /// Resets the root password (doapi `Droplet.password_reset`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `password_reset`.
    fn password_reset(&self, id: u64) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::PasswordReset,
        })
    }

    /// Resizes; `disk` also grows the disk, for good (doapi `Droplet.resize`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `resize`.
    fn resize(&self, id: u64, size: impl Into<String>, disk: bool) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::Resize {
                size: size.into(),
                disk: Some(disk),
            },
        })
    }

    /// Rebuilds from an image (doapi `Droplet.rebuild`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `rebuild`.
    fn rebuild(&self, id: u64, image: impl Into<ImageRef>) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::Rebuild {
                image: image.into(),
            },
        })
    }

    /// Renames (doapi `Droplet.rename`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `rename`.
    fn rename(&self, id: u64, name: impl Into<String>) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::Rename { name: name.into() },
        })
    }

    /// Changes the kernel (doapi `Droplet.change_kernel`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `change_kernel`.
    fn change_kernel(&self, id: u64, kernel: u64) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::ChangeKernel { kernel },
        })
    }

    /// Enables IPv6 (doapi `Droplet.enable_ipv6`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `enable_ipv6`.
    fn enable_ipv6(&self, id: u64) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::EnableIpv6,
        })
    }

    /// Enables private networking (doapi `Droplet.enable_private_networking`).
    ///
    /// Deprecated by DigitalOcean: every droplet is in a VPC, its private
    /// network, from its creation (`DropletSpec::vpc_uuid`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `enable_private_networking`.
    #[deprecated(note = "every droplet is in a VPC, its private network, from its creation")]
    #[allow(deprecated)] // the action it sends is deprecated alike
    fn enable_private_networking(&self, id: u64) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::EnablePrivateNetworking,
        })
    }

    /// Changes when a droplet's backups run (backups must be on); the
    /// policy's hour is checked before sending.
    ///
    /// `POST /v2/droplets/{id}/actions` with type `change_backup_policy`.
    fn change_backup_policy(&self, id: u64, backup_policy: BackupPolicy) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::ChangeBackupPolicy { backup_policy },
        })
    }

    /// Takes a snapshot (doapi `Droplet.snapshot`).
    ///
    /// `POST /v2/droplets/{id}/actions` with type `snapshot`.
    fn snapshot(&self, id: u64, name: impl Into<String>) -> Self::Call<Action> {
        self.send(ActOnDroplet {
            id,
            action: DropletAction::Snapshot {
                name: Some(name.into()),
            },
        })
    }

    /// An action on every droplet with a tag (doapi `Tag.act_on_droplets`).
    ///
    /// `POST /v2/droplets/actions?tag_name={tag}`.
    fn act_on_tagged_droplets(
        &self,
        tag: impl Into<String>,
        action: DropletAction,
    ) -> Self::Call<Vec<Action>> {
        self.send(ActOnTaggedDroplets {
            tag_name: tag.into(),
            action,
        })
    }

    /// Every droplet (doapi `fetch_all_droplets`).
    ///
    /// `GET /v2/droplets`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_droplets(&self) -> Self::Items<ListDroplets> {
        self.list(ListDroplets { tag_name: None })
    }

    /// Every droplet with a tag (doapi `fetch_all_droplets(tag_name=)`, `Tag.fetch_all_droplets`).
    ///
    /// `GET /v2/droplets?tag_name={tag}`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_tagged_droplets(&self, tag: impl Into<String>) -> Self::Items<ListDroplets> {
        self.list(ListDroplets {
            tag_name: Some(tag.into()),
        })
    }

    /// The kernels a droplet can run (doapi `Droplet.fetch_all_kernels`).
    ///
    /// `GET /v2/droplets/{id}/kernels`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_kernels(&self, id: u64) -> Self::Items<ListDropletKernels> {
        self.list(ListDropletKernels { id })
    }

    /// A droplet's snapshots (doapi `Droplet.fetch_all_snapshots`).
    ///
    /// `GET /v2/droplets/{id}/snapshots`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_snapshots(&self, id: u64) -> Self::Items<ListDropletSnapshots> {
        self.list(ListDropletSnapshots { id })
    }

    /// A droplet's backups (doapi `Droplet.fetch_all_backups`).
    ///
    /// `GET /v2/droplets/{id}/backups`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_backups(&self, id: u64) -> Self::Items<ListDropletBackups> {
        self.list(ListDropletBackups { id })
    }

    /// A droplet's actions, newest first (doapi `Droplet.fetch_all_actions`).
    ///
    /// `GET /v2/droplets/{id}/actions`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_droplet_actions(&self, id: u64) -> Self::Items<ListDropletActions> {
        self.list(ListDropletActions { id })
    }

    /// The droplets on the same hardware (doapi `Droplet.fetch_all_neighbors`).
    ///
    /// `GET /v2/droplets/{id}/neighbors`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_neighbors(&self, id: u64) -> Self::Items<ListDropletNeighbors> {
        self.list(ListDropletNeighbors { id })
    }

    // Backup policies.

    /// A droplet's backup settings: whether backups are on, the policy and
    /// the next window.
    ///
    /// `GET /v2/droplets/{id}/backups/policy`.
    #[cfg(feature = "droplets")]
    fn fetch_droplet_backup_policy(
        &self,
        id: u64,
    ) -> Self::Call<api::droplets::DropletBackupPolicyRecord> {
        self.send(api::droplets::DropletsGetBackupPolicy { droplet_id: id })
    }

    /// Every droplet's backup settings, in the order the service lists
    /// them.
    ///
    /// `GET /v2/droplets/backups/policies`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "droplets")]
    fn fetch_all_droplet_backup_policies(&self) -> Self::Items<specs::droplets::BackupPolicies> {
        self.list(specs::droplets::BackupPolicies::default())
    }

    /// The backup policies droplets can have: each plan's possible days
    /// and hours, window length and retention.
    ///
    /// `GET /v2/droplets/backups/supported_policies`.
    #[cfg(feature = "droplets")]
    fn fetch_supported_backup_policies(
        &self,
    ) -> Self::Call<Vec<api::droplets::SupportedDropletBackupPolicy>> {
        self.send(api::droplets::DropletsListSupportedBackupPolicies {})
    }

    // Destroying a droplet with its associated resources.

    /// What would go with a droplet destroyed with its associated
    /// resources: its reserved IPs, snapshots, volumes and their snapshots,
    /// each with its id, name and monthly cost.
    ///
    /// `GET /v2/droplets/{id}/destroy_with_associated_resources`.
    #[cfg(feature = "droplets")]
    fn fetch_associated_resources(
        &self,
        id: u64,
    ) -> Self::Call<api::droplets::DropletsListAssociatedResourcesResponse> {
        self.send(api::droplets::DropletsListAssociatedResources { droplet_id: id })
    }

    /// Destroys a droplet and the associated resources chosen, by id (as
    /// [`Api::fetch_associated_resources`] gives them); the others stay.
    /// The destroy goes on after the answer: see
    /// [`Api::fetch_associated_destroy_status`].
    ///
    /// `DELETE /v2/droplets/{id}/destroy_with_associated_resources/selective`.
    #[cfg(feature = "droplets")]
    fn delete_droplet_with_associated(
        &self,
        id: u64,
        chosen: api::droplets::SelectiveDestroyAssociatedResource,
    ) -> Self::Call<()> {
        self.send(specs::droplets::destroy_selective(id, chosen))
    }

    /// Destroys a droplet and every one of its associated resources, for
    /// good; the request carries the confirmation the service asks for
    /// (`X-Dangerous: true`).
    ///
    /// `DELETE /v2/droplets/{id}/destroy_with_associated_resources/dangerous`.
    #[cfg(feature = "droplets")]
    fn delete_droplet_with_all_associated(&self, id: u64) -> Self::Call<()> {
        self.send(
            api::droplets::DropletsDestroyWithAssociatedResourcesDangerous {
                droplet_id: id,
                x_dangerous: true,
            },
        )
    }

    /// How the last destroy with associated resources of a droplet went:
    /// what was destroyed when, the failures, and `completed_at` once it
    /// is over.
    ///
    /// `GET /v2/droplets/{id}/destroy_with_associated_resources/status`.
    #[cfg(feature = "droplets")]
    fn fetch_associated_destroy_status(
        &self,
        id: u64,
    ) -> Self::Call<api::droplets::AssociatedResourceStatus> {
        self.send(api::droplets::DropletsGetDestroyAssociatedResourcesStatus { droplet_id: id })
    }

    /// Retries the parts of a destroy with associated resources that
    /// failed (refused with 409 while the destroy still runs).
    ///
    /// `POST /v2/droplets/{id}/destroy_with_associated_resources/retry`.
    #[cfg(feature = "droplets")]
    fn retry_associated_destroy(&self, id: u64) -> Self::Call<()> {
        self.send(api::droplets::DropletsDestroyRetryWithAssociatedResources { droplet_id: id })
    }

    // Actions.

    /// Fetches an action (doapi `fetch_action`, `Action.fetch`).
    ///
    /// `GET /v2/actions/{id}`.
    fn fetch_action(&self, id: u64) -> Self::Call<Action> {
        self.send(GetAction { id })
    }

    /// The most recent action of the account or a resource (doapi `fetch_last_action`).
    ///
    /// `GET <the target's actions>?per_page=1`.
    fn fetch_last_action(&self, target: ActionTarget) -> Self::Call<Option<Action>> {
        self.send(LastAction { target })
    }

    /// The action in progress on a resource (doapi `fetch_current_action`).
    ///
    /// `GET <the target's actions>?per_page=1`.
    fn fetch_current_action(&self, target: ActionTarget) -> Self::Call<Option<Action>> {
        self.send(CurrentAction { target })
    }

    /// Every action of the account (doapi `fetch_all_actions`).
    ///
    /// `GET /v2/actions`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_actions(&self) -> Self::Items<ListActions> {
        self.list(ListActions {})
    }

    // Images.

    /// Fetches an image (doapi `fetch_image`).
    ///
    /// `GET /v2/images/{id}`.
    fn fetch_image(&self, id: u64) -> Self::Call<Image> {
        self.send(GetImage { id })
    }

    /// Fetches a public image by slug (doapi `fetch_image_by_slug`).
    ///
    /// `GET /v2/images/{slug}`.
    fn fetch_image_by_slug(&self, slug: impl Into<String>) -> Self::Call<Image> {
        self.send(GetImageBySlug { slug: slug.into() })
    }

    /// Renames an image (doapi `Image.update_image`).
    ///
    /// `PUT /v2/images/{id}`.
    fn update_image(&self, id: u64, name: impl Into<String>) -> Self::Call<Image> {
        self.send(UpdateImage {
            id,
            name: Some(name.into()),
            description: None,
        })
    }

    /// Deletes an image (doapi `Image.delete`).
    ///
    /// `DELETE /v2/images/{id}`.
    fn delete_image(&self, id: u64) -> Self::Call<()> {
        self.send(DeleteImage { id })
    }

    /// Copies an image to a region (doapi `Image.transfer`).
    ///
    /// `POST /v2/images/{id}/actions` with type `transfer`.
    fn transfer_image(&self, id: u64, region: impl Into<String>) -> Self::Call<Action> {
        self.send(ActOnImage {
            id,
            action: ImageAction::Transfer {
                region: region.into(),
            },
        })
    }

    /// Converts a backup to a snapshot (doapi `Image.convert`).
    ///
    /// `POST /v2/images/{id}/actions` with type `convert`.
    fn convert_image(&self, id: u64) -> Self::Call<Action> {
        self.send(ActOnImage {
            id,
            action: ImageAction::Convert,
        })
    }

    /// Every image (doapi `fetch_all_images`).
    ///
    /// `GET /v2/images`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_images(&self) -> Self::Items<ListImages> {
        self.list(ListImages {
            filter: ImageFilter::All,
        })
    }

    /// Distribution images (doapi `fetch_all_distribution_images`).
    ///
    /// `GET /v2/images?type=distribution`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_distribution_images(&self) -> Self::Items<ListImages> {
        self.list(ListImages {
            filter: ImageFilter::Distribution,
        })
    }

    /// Application images (doapi `fetch_all_application_images`).
    ///
    /// `GET /v2/images?type=application`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_application_images(&self) -> Self::Items<ListImages> {
        self.list(ListImages {
            filter: ImageFilter::Application,
        })
    }

    /// The user's own images (doapi `fetch_all_private_images`).
    ///
    /// `GET /v2/images?private=true`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_private_images(&self) -> Self::Items<ListImages> {
        self.list(ListImages {
            filter: ImageFilter::Private,
        })
    }

    /// An image's actions (doapi `Image.fetch_all_actions`).
    ///
    /// `GET /v2/images/{id}/actions`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_image_actions(&self, id: u64) -> Self::Items<ListImageActions> {
        self.list(ListImageActions { id })
    }

    // Regions, sizes, account.

    /// Every region (doapi `fetch_all_regions`).
    ///
    /// `GET /v2/regions`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_regions(&self) -> Self::Items<ListRegions> {
        self.list(ListRegions {})
    }

    /// Every size (doapi `fetch_all_sizes`).
    ///
    /// `GET /v2/sizes`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_sizes(&self) -> Self::Items<ListSizes> {
        self.list(ListSizes {})
    }

    /// The account (doapi `fetch_account`).
    ///
    /// `GET /v2/account`.
    fn fetch_account(&self) -> Self::Call<Account> {
        self.send(GetAccount {})
    }

    // SSH keys.

    /// Fetches an SSH key by id or fingerprint (doapi `fetch_ssh_key`).
    ///
    /// `GET /v2/account/keys/{key}`.
    fn fetch_ssh_key(&self, key: impl Into<SshKeyRef>) -> Self::Call<SshKey> {
        self.send(GetSshKey { key: key.into() })
    }

    /// Registers an SSH key (doapi `create_ssh_key`).
    ///
    /// `POST /v2/account/keys`.
    fn create_ssh_key(
        &self,
        name: impl Into<String>,
        public_key: impl Into<String>,
    ) -> Self::Call<SshKey> {
        self.send(CreateSshKey {
            name: name.into(),
            public_key: public_key.into(),
        })
    }

    /// Renames an SSH key (doapi `SSHKey.update_ssh_key`).
    ///
    /// `PUT /v2/account/keys/{key}`.
    fn update_ssh_key(
        &self,
        key: impl Into<SshKeyRef>,
        name: impl Into<String>,
    ) -> Self::Call<SshKey> {
        self.send(UpdateSshKey {
            key: key.into(),
            name: name.into(),
        })
    }

    /// Deletes an SSH key (doapi `SSHKey.delete`).
    ///
    /// `DELETE /v2/account/keys/{key}`.
    fn delete_ssh_key(&self, key: impl Into<SshKeyRef>) -> Self::Call<()> {
        self.send(DeleteSshKey { key: key.into() })
    }

    /// Every SSH key (doapi `fetch_all_ssh_keys`).
    ///
    /// `GET /v2/account/keys`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_ssh_keys(&self) -> Self::Items<ListSshKeys> {
        self.list(ListSshKeys {})
    }

    // Domains and records.

    /// Fetches a domain (doapi `fetch_domain`).
    ///
    /// `GET /v2/domains/{name}`.
    fn fetch_domain(&self, name: impl Into<String>) -> Self::Call<Domain> {
        self.send(GetDomain { name: name.into() })
    }

    /// Adds a domain, with an apex A record if `ip_address` is given (doapi `create_domain`).
    ///
    /// `POST /v2/domains`.
    fn create_domain(
        &self,
        name: impl Into<String>,
        ip_address: Option<String>,
    ) -> Self::Call<Domain> {
        self.send(CreateDomain {
            name: name.into(),
            ip_address,
        })
    }

    /// Deletes a domain (doapi `Domain.delete`).
    ///
    /// `DELETE /v2/domains/{name}`.
    fn delete_domain(&self, name: impl Into<String>) -> Self::Call<()> {
        self.send(DeleteDomain { name: name.into() })
    }

    /// Every domain (doapi `fetch_all_domains`).
    ///
    /// `GET /v2/domains`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_domains(&self) -> Self::Items<ListDomains> {
        self.list(ListDomains {})
    }

    /// Fetches a record (doapi `Domain.fetch_record`).
    ///
    /// `GET /v2/domains/{domain}/records/{id}`.
    fn fetch_domain_record(&self, domain: impl Into<String>, id: u64) -> Self::Call<DomainRecord> {
        self.send(GetDomainRecord {
            domain: domain.into(),
            id,
        })
    }

    /// Adds a record (doapi `Domain.create_record`).
    ///
    /// `POST /v2/domains/{domain}/records`.
    fn create_domain_record(
        &self,
        domain: impl Into<String>,
        record: RecordFields,
    ) -> Self::Call<DomainRecord> {
        self.send(CreateDomainRecord {
            domain: domain.into(),
            record,
        })
    }

    /// Changes a record (doapi `DomainRecord.update_record`).
    ///
    /// `PUT /v2/domains/{domain}/records/{id}`.
    fn update_domain_record(
        &self,
        domain: impl Into<String>,
        id: u64,
        fields: RecordFields,
    ) -> Self::Call<DomainRecord> {
        self.send(UpdateDomainRecord {
            domain: domain.into(),
            id,
            fields,
        })
    }

    /// Deletes a record (doapi `DomainRecord.delete`).
    ///
    /// `DELETE /v2/domains/{domain}/records/{id}`.
    fn delete_domain_record(&self, domain: impl Into<String>, id: u64) -> Self::Call<()> {
        self.send(DeleteDomainRecord {
            domain: domain.into(),
            id,
        })
    }

    /// Every record of a domain (doapi `Domain.fetch_all_records`).
    ///
    /// `GET /v2/domains/{domain}/records`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_domain_records(
        &self,
        domain: impl Into<String>,
    ) -> Self::Items<ListDomainRecords> {
        self.list(ListDomainRecords {
            domain: domain.into(),
        })
    }

    // Floating IPs: deprecated, the old name of reserved IPs (the same
    // addresses; DigitalOcean keeps the routes as an alias). New code uses
    // the reserved-IP methods below.

    /// Fetches a floating IP (doapi `fetch_floating_ip`).
    ///
    /// Deprecated: floating IPs are reserved IPs under their old name; use
    /// [`Api::fetch_reserved_ip`].
    ///
    /// `GET /v2/floating_ips/{ip}`.
    fn fetch_floating_ip(&self, ip: IpAddr) -> Self::Call<FloatingIp> {
        self.send(GetFloatingIp { ip })
    }

    /// Reserves a floating IP for a droplet or in a region (doapi `create_floating_ip`).
    ///
    /// Deprecated: floating IPs are reserved IPs under their old name; use
    /// [`Api::create_reserved_ip`].
    ///
    /// `POST /v2/floating_ips`.
    fn create_floating_ip(&self, target: FloatingIpTarget) -> Self::Call<FloatingIp> {
        self.send(CreateFloatingIp { target })
    }

    /// Assigns a floating IP to a droplet (doapi `FloatingIP.assign`).
    ///
    /// Deprecated: floating IPs are reserved IPs under their old name; use
    /// [`Api::assign_reserved_ip`].
    ///
    /// `POST /v2/floating_ips/{ip}/actions` with type `assign`.
    fn assign_floating_ip(&self, ip: IpAddr, droplet_id: u64) -> Self::Call<Action> {
        self.send(ActOnFloatingIp {
            ip,
            action: FloatingIpAction::Assign { droplet_id },
        })
    }

    /// Unassigns a floating IP (doapi `FloatingIP.unassign`).
    ///
    /// Deprecated: floating IPs are reserved IPs under their old name; use
    /// [`Api::unassign_reserved_ip`].
    ///
    /// `POST /v2/floating_ips/{ip}/actions` with type `unassign`.
    fn unassign_floating_ip(&self, ip: IpAddr) -> Self::Call<Action> {
        self.send(ActOnFloatingIp {
            ip,
            action: FloatingIpAction::Unassign,
        })
    }

    /// Releases a floating IP (doapi `FloatingIP.delete`).
    ///
    /// Deprecated: floating IPs are reserved IPs under their old name; use
    /// [`Api::delete_reserved_ip`].
    ///
    /// `DELETE /v2/floating_ips/{ip}`.
    fn delete_floating_ip(&self, ip: IpAddr) -> Self::Call<()> {
        self.send(DeleteFloatingIp { ip })
    }

    /// Every floating IP (doapi `fetch_all_floating_ips`).
    ///
    /// Deprecated: floating IPs are reserved IPs under their old name; use
    /// [`Api::fetch_all_reserved_ips`].
    ///
    /// `GET /v2/floating_ips`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_floating_ips(&self) -> Self::Items<ListFloatingIps> {
        self.list(ListFloatingIps {})
    }

    /// A floating IP's actions (doapi `FloatingIP.fetch_all_actions`).
    ///
    /// Deprecated: floating IPs are reserved IPs under their old name; use
    /// [`Api::fetch_all_reserved_ip_actions`].
    ///
    /// `GET /v2/floating_ips/{ip}/actions`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_floating_ip_actions(&self, ip: IpAddr) -> Self::Items<ListFloatingIpActions> {
        self.list(ListFloatingIpActions { ip })
    }

    // Tags.

    /// Fetches a tag (doapi `fetch_tag`).
    ///
    /// `GET /v2/tags/{name}`.
    fn fetch_tag(&self, name: impl Into<String>) -> Self::Call<Tag> {
        self.send(GetTag { name: name.into() })
    }

    /// Creates a tag (doapi `create_tag`).
    ///
    /// `POST /v2/tags`.
    fn create_tag(&self, name: impl Into<String>) -> Self::Call<Tag> {
        self.send(CreateTag { name: name.into() })
    }

    /// Deletes a tag (doapi `Tag.delete`).
    ///
    /// `DELETE /v2/tags/{name}`.
    fn delete_tag(&self, name: impl Into<String>) -> Self::Call<()> {
        self.send(DeleteTag { name: name.into() })
    }

    /// Applies a tag to resources (doapi `Tag.add`, `X.tag`).
    ///
    /// `POST /v2/tags/{tag}/resources`.
    fn tag_resources(&self, tag: impl Into<String>, resources: Vec<TaggableRef>) -> Self::Call<()> {
        self.send(TagResources {
            tag: tag.into(),
            resources,
        })
    }

    /// Removes a tag from resources (doapi `Tag.remove`, `X.untag`).
    ///
    /// `DELETE /v2/tags/{tag}/resources`.
    fn untag_resources(
        &self,
        tag: impl Into<String>,
        resources: Vec<TaggableRef>,
    ) -> Self::Call<()> {
        self.send(UntagResources {
            tag: tag.into(),
            resources,
        })
    }

    /// Every tag (doapi `fetch_all_tags`).
    ///
    /// `GET /v2/tags`.
    /// Lazy: a page is fetched when the items before it are used up.
    fn fetch_all_tags(&self) -> Self::Items<ListTags> {
        self.list(ListTags {})
    }

    // Reserved IPs (floating IPs' new name).

    /// Fetches a reserved IP.
    ///
    /// `GET /v2/reserved_ips/{ip}`.
    #[cfg(feature = "reserved_ips")]
    fn fetch_reserved_ip(&self, ip: IpAddr) -> Self::Call<FloatingIp> {
        self.send(api::reserved_ips::ReservedIpsGet { reserved_ip: ip })
    }

    /// Every reserved IP.
    ///
    /// `GET /v2/reserved_ips`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "reserved_ips")]
    fn fetch_all_reserved_ips(&self) -> Self::Items<api::reserved_ips::ReservedIpsList> {
        self.list(api::reserved_ips::ReservedIpsList {})
    }

    /// Reserves an IP for a droplet (assigned at once) or in a region.
    ///
    /// `POST /v2/reserved_ips`.
    #[cfg(all(feature = "reserved_ips", feature = "reserved_ip_actions"))]
    fn create_reserved_ip(&self, target: FloatingIpTarget) -> Self::Call<FloatingIp> {
        self.send(Keyed::new(
            specs::reserved_ips::create(target),
            "reserved_ip",
        ))
    }

    /// Assigns a reserved IP to a droplet (moving it from another one).
    ///
    /// `POST /v2/reserved_ips/{ip}/actions` with type `assign`.
    #[cfg(all(feature = "reserved_ips", feature = "reserved_ip_actions"))]
    fn assign_reserved_ip(&self, ip: IpAddr, droplet_id: u64) -> Self::Call<Action> {
        self.send(Keyed::new(
            specs::reserved_ips::assign(ip, droplet_id),
            "action",
        ))
    }

    /// Unassigns a reserved IP from its droplet.
    ///
    /// `POST /v2/reserved_ips/{ip}/actions` with type `unassign`.
    #[cfg(all(feature = "reserved_ips", feature = "reserved_ip_actions"))]
    fn unassign_reserved_ip(&self, ip: IpAddr) -> Self::Call<Action> {
        self.send(Keyed::new(specs::reserved_ips::unassign(ip), "action"))
    }

    /// Releases a reserved IP.
    ///
    /// `DELETE /v2/reserved_ips/{ip}`.
    #[cfg(feature = "reserved_ips")]
    fn delete_reserved_ip(&self, ip: IpAddr) -> Self::Call<()> {
        self.send(api::reserved_ips::ReservedIpsDelete { reserved_ip: ip })
    }

    /// A reserved IP's actions, newest first.
    ///
    /// `GET /v2/reserved_ips/{ip}/actions`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "reserved_ip_actions")]
    fn fetch_all_reserved_ip_actions(
        &self,
        ip: IpAddr,
    ) -> Self::Items<api::reserved_ip_actions::ReservedIpsActionsList> {
        self.list(api::reserved_ip_actions::ReservedIpsActionsList { reserved_ip: ip })
    }

    /// Waits for a reserved IP's most recent action, then returns it.
    ///
    /// `GET /v2/reserved_ips/{ip}/actions?per_page=1`, then `GET
    /// /v2/actions/{action_id}` each round, then `GET /v2/reserved_ips/{ip}`.
    #[cfg(feature = "reserved_ips")]
    fn wait_for_reserved_ip_action(&self, ip: IpAddr) -> Self::Call<Option<FloatingIp>> {
        self.run(WaitForAction::reserved_ip(self.config(), ip, self.now()))
    }

    // Reserved IPv6s.

    /// Fetches a reserved IPv6.
    ///
    /// `GET /v2/reserved_ipv6/{ip}`.
    #[cfg(all(feature = "reserved_ipv6", feature = "reserved_ipv6_actions"))]
    fn fetch_reserved_ipv6(&self, ip: IpAddr) -> Self::Call<api::reserved_ipv6::ReservedIpv6> {
        let op = api::reserved_ipv6::ReservedIPv6Get { reserved_ipv6: ip };
        self.send(Checked::new(op, [specs::reserved_ipv6::v6(ip)]))
    }

    /// Every reserved IPv6.
    ///
    /// `GET /v2/reserved_ipv6`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "reserved_ipv6")]
    fn fetch_all_reserved_ipv6s(&self) -> Self::Items<api::reserved_ipv6::ReservedIPv6List> {
        self.list(api::reserved_ipv6::ReservedIPv6List {})
    }

    /// Reserves an IPv6 in a region.
    ///
    /// `POST /v2/reserved_ipv6`.
    #[cfg(all(feature = "reserved_ipv6", feature = "reserved_ipv6_actions"))]
    fn create_reserved_ipv6(
        &self,
        region: impl Into<String>,
    ) -> Self::Call<api::reserved_ipv6::ReservedIPv6CreateReservedIpv6> {
        self.send(specs::reserved_ipv6::create(region.into()))
    }

    /// Assigns a reserved IPv6 to a droplet in its region.
    ///
    /// `POST /v2/reserved_ipv6/{ip}/actions` with type `assign`.
    #[cfg(all(feature = "reserved_ipv6", feature = "reserved_ipv6_actions"))]
    fn assign_reserved_ipv6(&self, ip: IpAddr, droplet_id: u64) -> Self::Call<Action> {
        self.send(Keyed::new(
            specs::reserved_ipv6::assign(ip, droplet_id),
            "action",
        ))
    }

    /// Unassigns a reserved IPv6.
    ///
    /// `POST /v2/reserved_ipv6/{ip}/actions` with type `unassign`.
    #[cfg(all(feature = "reserved_ipv6", feature = "reserved_ipv6_actions"))]
    fn unassign_reserved_ipv6(&self, ip: IpAddr) -> Self::Call<Action> {
        self.send(Keyed::new(specs::reserved_ipv6::unassign(ip), "action"))
    }

    /// Releases a reserved IPv6.
    ///
    /// `DELETE /v2/reserved_ipv6/{ip}`.
    #[cfg(all(feature = "reserved_ipv6", feature = "reserved_ipv6_actions"))]
    fn delete_reserved_ipv6(&self, ip: IpAddr) -> Self::Call<()> {
        let op = api::reserved_ipv6::ReservedIPv6Delete { reserved_ipv6: ip };
        self.send(Checked::new(op, [specs::reserved_ipv6::v6(ip)]))
    }

    // Volumes.

    /// Fetches a volume.
    ///
    /// `GET /v2/volumes/{id}`.
    #[cfg(feature = "block_storage")]
    fn fetch_volume(&self, id: impl Into<String>) -> Self::Call<Volume> {
        self.send(api::block_storage::VolumesGet {
            volume_id: id.into(),
        })
    }

    /// Every volume; with a region, the volumes there; with a name too,
    /// the volume of that name there.
    ///
    /// `GET /v2/volumes?region={region}&name={name}`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "block_storage")]
    fn fetch_all_volumes(
        &self,
        region: Option<&str>,
        name: Option<&str>,
    ) -> Self::Items<api::block_storage::VolumesList> {
        self.list(api::block_storage::VolumesList {
            name: name.map(str::to_owned),
            region: region.map(Into::into),
        })
    }

    /// Creates a volume, empty or from a snapshot.
    ///
    /// `POST /v2/volumes`.
    #[cfg(feature = "block_storage")]
    fn create_volume(&self, spec: VolumeSpec) -> Self::Call<Volume> {
        self.send(spec.operation())
    }

    /// Attaches a volume to a droplet in its region.
    ///
    /// `POST /v2/volumes/{id}/actions` with type `attach`.
    #[cfg(feature = "block_storage_actions")]
    fn attach_volume(&self, id: impl Into<String>, droplet_id: u64) -> Self::Call<Action> {
        self.send(Keyed::new(
            specs::volumes::attach(id.into(), droplet_id),
            "action",
        ))
    }

    /// Detaches a volume from a droplet.
    ///
    /// `POST /v2/volumes/{id}/actions` with type `detach`.
    #[cfg(feature = "block_storage_actions")]
    fn detach_volume(&self, id: impl Into<String>, droplet_id: u64) -> Self::Call<Action> {
        self.send(Keyed::new(
            specs::volumes::detach(id.into(), droplet_id),
            "action",
        ))
    }

    /// Grows a volume to `size_gigabytes` GiB.
    ///
    /// `POST /v2/volumes/{id}/actions` with type `resize`.
    #[cfg(feature = "block_storage_actions")]
    fn resize_volume(&self, id: impl Into<String>, size_gigabytes: u64) -> Self::Call<Action> {
        self.send(Keyed::new(
            specs::volumes::resize(id.into(), size_gigabytes),
            "action",
        ))
    }

    /// Deletes a volume (it must be detached).
    ///
    /// `DELETE /v2/volumes/{id}`.
    #[cfg(feature = "block_storage")]
    fn delete_volume(&self, id: impl Into<String>) -> Self::Call<()> {
        self.send(api::block_storage::VolumesDelete {
            volume_id: id.into(),
        })
    }

    /// A volume's actions, newest first.
    ///
    /// `GET /v2/volumes/{id}/actions`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "block_storage_actions")]
    fn fetch_all_volume_actions(
        &self,
        id: impl Into<String>,
    ) -> Self::Items<KeyedList<api::block_storage_actions::VolumeActionsList, Action>> {
        let op = api::block_storage_actions::VolumeActionsList {
            volume_id: id.into(),
        };
        self.list(KeyedList::new(op, "actions"))
    }

    /// Waits for a volume's most recent action (attach, detach, resize),
    /// then returns the volume. Its actions do not name it, so the action
    /// is polled by its id.
    ///
    /// `GET /v2/volumes/{id}/actions?per_page=1`, then `GET
    /// /v2/actions/{action_id}` each round, then `GET /v2/volumes/{id}`.
    #[cfg(feature = "block_storage")]
    fn wait_for_volume_action(&self, id: impl Into<String>) -> Self::Call<Option<Volume>> {
        self.run(WaitForAction::volume(self.config(), id, self.now()))
    }

    /// Snapshots a volume.
    ///
    /// `POST /v2/volumes/{id}/snapshots`.
    #[cfg(feature = "block_storage")]
    fn snapshot_volume(
        &self,
        id: impl Into<String>,
        name: impl Into<String>,
    ) -> Self::Call<api::block_storage::Snapshots> {
        let name = name.into();
        let check = specs::non_empty("snapshot name", &name);
        let body = api::block_storage::VolumeSnapshotsCreateBody {
            name: Some(name),
            ..Default::default()
        };
        let op = api::block_storage::VolumeSnapshotsCreate {
            volume_id: id.into(),
            body,
        };
        self.send(Checked::new(op, [check]))
    }

    /// A volume's snapshots.
    ///
    /// `GET /v2/volumes/{id}/snapshots`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "block_storage")]
    fn fetch_all_volume_snapshots(
        &self,
        id: impl Into<String>,
    ) -> Self::Items<api::block_storage::VolumeSnapshotsList> {
        self.list(api::block_storage::VolumeSnapshotsList {
            volume_id: id.into(),
        })
    }

    // Snapshots of droplets and volumes.

    /// Every snapshot, or those of droplets or of volumes.
    ///
    /// `GET /v2/snapshots?resource_type={droplet|volume}`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "snapshots")]
    fn fetch_all_account_snapshots(
        &self,
        resource_type: Option<api::snapshots::SnapshotsResourceType>,
    ) -> Self::Items<api::snapshots::SnapshotsList> {
        self.list(api::snapshots::SnapshotsList { resource_type })
    }

    /// Fetches a snapshot; a droplet snapshot's id is its image id, as
    /// text.
    ///
    /// `GET /v2/snapshots/{id}`.
    #[cfg(feature = "snapshots")]
    fn fetch_snapshot(&self, id: impl Into<String>) -> Self::Call<api::snapshots::Snapshots> {
        self.send(api::snapshots::SnapshotsGet {
            snapshot_id: id.into(),
        })
    }

    /// Deletes a snapshot.
    ///
    /// `DELETE /v2/snapshots/{id}`.
    #[cfg(feature = "snapshots")]
    fn delete_snapshot(&self, id: impl Into<String>) -> Self::Call<()> {
        self.send(api::snapshots::SnapshotsDelete {
            snapshot_id: id.into(),
        })
    }

    // Firewalls.

    /// Creates a firewall with its rules, droplets and tags.
    ///
    /// `POST /v2/firewalls`.
    #[cfg(feature = "firewalls")]
    fn create_firewall(&self, spec: FirewallSpec) -> Self::Call<api::firewalls::Firewall> {
        self.send(spec.operation())
    }

    /// Fetches a firewall.
    ///
    /// `GET /v2/firewalls/{id}`.
    #[cfg(feature = "firewalls")]
    fn fetch_firewall(&self, id: impl Into<String>) -> Self::Call<api::firewalls::Firewall> {
        self.send(api::firewalls::FirewallsGet {
            firewall_id: id.into(),
        })
    }

    /// Every firewall.
    ///
    /// `GET /v2/firewalls`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "firewalls")]
    fn fetch_all_firewalls(&self) -> Self::Items<api::firewalls::FirewallsList> {
        self.list(api::firewalls::FirewallsList {})
    }

    /// A droplet's firewalls.
    ///
    /// `GET /v2/droplets/{id}/firewalls`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "droplets")]
    fn fetch_droplet_firewalls(
        &self,
        droplet_id: u64,
    ) -> Self::Items<api::droplets::DropletsListFirewalls> {
        self.list(api::droplets::DropletsListFirewalls { droplet_id })
    }

    /// Adds rules to a firewall.
    ///
    /// `POST /v2/firewalls/{id}/rules`.
    #[cfg(feature = "firewalls")]
    fn add_firewall_rules(
        &self,
        id: impl Into<String>,
        inbound: Vec<Rule>,
        outbound: Vec<Rule>,
    ) -> Self::Call<()> {
        let (body, check) = specs::firewalls::rules_body(&inbound, &outbound);
        let op = api::firewalls::FirewallsAddRules {
            firewall_id: id.into(),
            body: Some(body),
        };
        self.send(Checked::new(op, [check]))
    }

    /// Removes rules from a firewall (each as it was added).
    ///
    /// `DELETE /v2/firewalls/{id}/rules`.
    #[cfg(feature = "firewalls")]
    fn remove_firewall_rules(
        &self,
        id: impl Into<String>,
        inbound: Vec<Rule>,
        outbound: Vec<Rule>,
    ) -> Self::Call<()> {
        let (body, check) = specs::firewalls::rules_body(&inbound, &outbound);
        let op = api::firewalls::FirewallsDeleteRules {
            firewall_id: id.into(),
            body: Some(body),
        };
        self.send(Checked::new(op, [check]))
    }

    /// Applies a firewall to droplets.
    ///
    /// `POST /v2/firewalls/{id}/droplets`.
    #[cfg(feature = "firewalls")]
    fn add_droplets_to_firewall(
        &self,
        id: impl Into<String>,
        droplet_ids: &[u64],
    ) -> Self::Call<()> {
        let (body, checks) = specs::droplets_body(droplet_ids);
        let op = api::firewalls::FirewallsAssignDroplets {
            firewall_id: id.into(),
            body: Some(body),
        };
        self.send(Checked::new(op, checks))
    }

    /// Removes droplets from a firewall.
    ///
    /// `DELETE /v2/firewalls/{id}/droplets`.
    #[cfg(feature = "firewalls")]
    fn remove_droplets_from_firewall(
        &self,
        id: impl Into<String>,
        droplet_ids: &[u64],
    ) -> Self::Call<()> {
        let (body, checks) = specs::droplets_body(droplet_ids);
        let op = api::firewalls::FirewallsDeleteDroplets {
            firewall_id: id.into(),
            body: Some(body),
        };
        self.send(Checked::new(op, checks))
    }

    /// Applies a firewall to the droplets with these tags.
    ///
    /// `POST /v2/firewalls/{id}/tags`.
    #[cfg(feature = "firewalls")]
    fn add_tags_to_firewall(&self, id: impl Into<String>, tags: Vec<String>) -> Self::Call<()> {
        let (body, check) = specs::firewalls::tags_body(tags);
        let op = api::firewalls::FirewallsAddTags {
            firewall_id: id.into(),
            body: Some(body),
        };
        self.send(Checked::new(op, [check]))
    }

    /// Removes tags from a firewall.
    ///
    /// `DELETE /v2/firewalls/{id}/tags`.
    #[cfg(feature = "firewalls")]
    fn remove_tags_from_firewall(
        &self,
        id: impl Into<String>,
        tags: Vec<String>,
    ) -> Self::Call<()> {
        let (body, check) = specs::firewalls::tags_body(tags);
        let op = api::firewalls::FirewallsDeleteTags {
            firewall_id: id.into(),
            body: Some(body),
        };
        self.send(Checked::new(op, [check]))
    }

    /// Deletes a firewall.
    ///
    /// `DELETE /v2/firewalls/{id}`.
    #[cfg(feature = "firewalls")]
    fn delete_firewall(&self, id: impl Into<String>) -> Self::Call<()> {
        self.send(api::firewalls::FirewallsDelete {
            firewall_id: id.into(),
        })
    }

    // VPCs.

    /// Creates a VPC.
    ///
    /// `POST /v2/vpcs`.
    #[cfg(feature = "vpcs")]
    fn create_vpc(&self, spec: VpcSpec) -> Self::Call<api::vpcs::Vpc> {
        self.send(spec.operation())
    }

    /// Fetches a VPC.
    ///
    /// `GET /v2/vpcs/{id}`.
    #[cfg(feature = "vpcs")]
    fn fetch_vpc(&self, id: impl Into<String>) -> Self::Call<api::vpcs::Vpc> {
        self.send(api::vpcs::VpcsGet { vpc_id: id.into() })
    }

    /// Every VPC.
    ///
    /// `GET /v2/vpcs`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "vpcs")]
    fn fetch_all_vpcs(&self) -> Self::Items<api::vpcs::VpcsList> {
        self.list(api::vpcs::VpcsList {})
    }

    /// The default VPC of a region (where droplets created without a VPC
    /// go), or `None` if the region has none yet.
    ///
    /// `GET /v2/vpcs`, page by page until it is found.
    #[cfg(feature = "vpcs")]
    fn fetch_default_vpc(&self, region: impl Into<String>) -> Self::Call<Option<api::vpcs::Vpc>> {
        let region = region.into();
        let pages = self.session().pages(api::vpcs::VpcsList {});
        self.run(Find::new(pages, move |v: &api::vpcs::Vpc| {
            v.default == Some(true) && v.region.as_deref() == Some(region.as_str())
        }))
    }

    /// Changes a VPC's name, description or whether it is its region's
    /// default (each one given).
    ///
    /// `PATCH /v2/vpcs/{id}`.
    #[cfg(feature = "vpcs")]
    fn update_vpc(
        &self,
        id: impl Into<String>,
        name: Option<String>,
        description: Option<String>,
        default: Option<bool>,
    ) -> Self::Call<api::vpcs::Vpc> {
        let checks = [name
            .as_deref()
            .map_or(Ok(()), |n| specs::non_empty("VPC name", n))];
        let body = api::vpcs::VpcsPatchBody {
            name,
            description,
            default,
            ..Default::default()
        };
        let op = api::vpcs::VpcsPatch {
            vpc_id: id.into(),
            body,
        };
        self.send(Checked::new(op, checks))
    }

    /// The resources in a VPC, by URN and name.
    ///
    /// `GET /v2/vpcs/{id}/members`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "vpcs")]
    fn fetch_vpc_members(&self, id: impl Into<String>) -> Self::Items<api::vpcs::VpcsListMembers> {
        self.list(api::vpcs::VpcsListMembers {
            vpc_id: id.into(),
            resource_type: None,
        })
    }

    /// Deletes a VPC (it must be empty, and not its region's default).
    ///
    /// `DELETE /v2/vpcs/{id}`.
    #[cfg(feature = "vpcs")]
    fn delete_vpc(&self, id: impl Into<String>) -> Self::Call<()> {
        self.send(api::vpcs::VpcsDelete { vpc_id: id.into() })
    }

    // Projects.

    /// The default project, where new resources go.
    ///
    /// `GET /v2/projects/default`.
    #[cfg(feature = "projects")]
    fn fetch_default_project(&self) -> Self::Call<api::projects::Project> {
        self.send(api::projects::ProjectsGetDefault {})
    }

    /// Fetches a project.
    ///
    /// `GET /v2/projects/{id}`.
    #[cfg(feature = "projects")]
    fn fetch_project(&self, id: impl Into<String>) -> Self::Call<api::projects::Project> {
        self.send(api::projects::ProjectsGet {
            project_id: id.into(),
        })
    }

    /// Every project.
    ///
    /// `GET /v2/projects`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "projects")]
    fn fetch_all_projects(&self) -> Self::Items<api::projects::ProjectsList> {
        self.list(api::projects::ProjectsList {})
    }

    /// Creates a project.
    ///
    /// `POST /v2/projects`.
    #[cfg(feature = "projects")]
    fn create_project(&self, spec: ProjectSpec) -> Self::Call<api::projects::Project> {
        self.send(spec.operation())
    }

    /// Moves resources, by URN (`specs::urn`), into a project.
    ///
    /// `POST /v2/projects/{id}/resources`.
    #[cfg(feature = "project_resources")]
    fn assign_to_project(
        &self,
        id: impl Into<String>,
        urns: Vec<String>,
    ) -> Self::Call<Vec<api::project_resources::Resource>> {
        let checks = [
            specs::not_none("resource URNs", &urns),
            urns.iter()
                .try_for_each(|u| specs::non_empty("resource URN", u)),
        ];
        let op = api::project_resources::ProjectsAssignResources {
            project_id: id.into(),
            body: api::project_resources::ProjectAssignment {
                resources: Some(urns),
                ..Default::default()
            },
        };
        self.send(Checked::new(op, checks))
    }

    /// The resources of a project, by URN.
    ///
    /// `GET /v2/projects/{id}/resources`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "project_resources")]
    fn fetch_project_resources(
        &self,
        id: impl Into<String>,
    ) -> Self::Items<api::project_resources::ProjectsListResources> {
        self.list(api::project_resources::ProjectsListResources {
            project_id: id.into(),
        })
    }

    /// Deletes a project (it must be empty, and not the default).
    ///
    /// `DELETE /v2/projects/{id}`.
    #[cfg(feature = "projects")]
    fn delete_project(&self, id: impl Into<String>) -> Self::Call<()> {
        self.send(api::projects::ProjectsDelete {
            project_id: id.into(),
        })
    }

    // Load balancers.

    /// Creates a load balancer with its forwarding rules and health check;
    /// it is `new` until [`Api::wait_load_balancer`] sees it `active`.
    ///
    /// `POST /v2/load_balancers`.
    #[cfg(feature = "load_balancers")]
    fn create_load_balancer(
        &self,
        spec: LoadBalancerSpec,
    ) -> Self::Call<api::load_balancers::LoadBalancer> {
        self.send(spec.operation())
    }

    /// Fetches a load balancer.
    ///
    /// `GET /v2/load_balancers/{id}`.
    #[cfg(feature = "load_balancers")]
    fn fetch_load_balancer(
        &self,
        id: impl Into<String>,
    ) -> Self::Call<api::load_balancers::LoadBalancer> {
        self.send(api::load_balancers::LoadBalancersGet { lb_id: id.into() })
    }

    /// Every load balancer.
    ///
    /// `GET /v2/load_balancers`.
    /// Lazy: a page is fetched when the items before it are used up.
    #[cfg(feature = "load_balancers")]
    fn fetch_all_load_balancers(&self) -> Self::Items<api::load_balancers::LoadBalancersList> {
        self.list(api::load_balancers::LoadBalancersList {})
    }

    /// Waits until a load balancer is `active`; `errored` is
    /// `Error::ResourceFailed`.
    ///
    /// `GET /v2/load_balancers/{id}` each round.
    #[cfg(feature = "load_balancers")]
    fn wait_load_balancer(
        &self,
        id: impl Into<String>,
    ) -> Self::Call<api::load_balancers::LoadBalancer> {
        self.run(WaitLoadBalancer::new(self.config(), id, self.now()))
    }

    /// Puts droplets behind a load balancer.
    ///
    /// `POST /v2/load_balancers/{id}/droplets`.
    #[cfg(feature = "load_balancers")]
    fn add_droplets_to_load_balancer(
        &self,
        id: impl Into<String>,
        droplet_ids: &[u64],
    ) -> Self::Call<()> {
        let (body, checks) = specs::droplets_body(droplet_ids);
        let op = api::load_balancers::LoadBalancersAddDroplets {
            lb_id: id.into(),
            body,
        };
        self.send(Checked::new(op, checks))
    }

    /// Takes droplets from behind a load balancer.
    ///
    /// `DELETE /v2/load_balancers/{id}/droplets`.
    #[cfg(feature = "load_balancers")]
    fn remove_droplets_from_load_balancer(
        &self,
        id: impl Into<String>,
        droplet_ids: &[u64],
    ) -> Self::Call<()> {
        let (body, checks) = specs::droplets_body(droplet_ids);
        let op = api::load_balancers::LoadBalancersRemoveDroplets {
            lb_id: id.into(),
            body,
        };
        self.send(Checked::new(op, checks))
    }

    /// Deletes a load balancer.
    ///
    /// `DELETE /v2/load_balancers/{id}`.
    #[cfg(feature = "load_balancers")]
    fn delete_load_balancer(&self, id: impl Into<String>) -> Self::Call<()> {
        self.send(api::load_balancers::LoadBalancersDelete { lb_id: id.into() })
    }

    // The escape hatch.

    /// Any request; the JSON answer, or `None` for an empty body (doapi `request`).
    fn request(&self, raw: Raw) -> Self::Call<Option<Value>> {
        self.send(raw)
    }

    /// Any listing, item by item as JSON (doapi `paginate`).
    /// Lazy: a page is fetched when the items before it are used up.
    fn paginate(&self, raw: RawList) -> Self::Items<RawList> {
        self.list(raw)
    }
}
