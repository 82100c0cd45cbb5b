//! The doapi-shaped method list both adapters expose, written once.
//!
//! [`for_each_operation!`](crate::for_each_operation) hands the list to a
//! macro of the adapter's, which turns each entry into a blocking or an
//! async method. So the adapters carry no per-endpoint code, and adding an
//! operation here adds it to both.
//!
//! Each entry is `call` (one request, under the retry policy) or `list` (a
//! lazy listing of items), then the method's name, arguments and output,
//! and the operation value it builds:
//!
//! ```text
//! /// docs
//! call fetch_droplet(id: u64) -> Droplet = GetDroplet { id };
//! list fetch_all_regions() -> Region = ListRegions {};
//! ```

/// Calls `$callback! { ... }` with every doapi operation, as described in
/// the [module docs](crate::surface). Types are written with `$crate`
/// paths, so the callback needs no imports.
#[macro_export]
macro_rules! for_each_operation {
    ($callback:ident) => {
        $callback! {
            // Droplets.
            /// Fetches a droplet (doapi `fetch_droplet`, `Droplet.fetch`).
            call fetch_droplet(id: u64) -> $crate::models::Droplet
                = $crate::endpoints::GetDroplet { id };
            /// Creates a droplet (doapi `create_droplet`).
            call create_droplet(name: impl Into<String>, spec: $crate::endpoints::DropletSpec) -> $crate::models::Droplet
                = $crate::endpoints::CreateDroplet { name: name.into(), spec };
            /// Creates up to ten droplets with one spec (doapi `create_multiple_droplets`).
            call create_multiple_droplets(names: Vec<String>, spec: $crate::endpoints::DropletSpec) -> Vec<$crate::models::Droplet>
                = $crate::endpoints::CreateDroplets { names, spec };
            /// Deletes a droplet (doapi `Droplet.delete`).
            call delete_droplet(id: u64) -> ()
                = $crate::endpoints::DeleteDroplet { id };
            /// Deletes every droplet with a tag (doapi `Tag.delete_all_droplets`).
            call delete_droplets_by_tag(tag: impl Into<String>) -> ()
                = $crate::endpoints::DeleteDropletsByTag { tag_name: tag.into() };
            /// One action of a droplet.
            call fetch_droplet_action(id: u64, action_id: u64) -> $crate::models::Action
                = $crate::endpoints::GetDropletAction { id, action_id };
            /// Groups of ids of droplets sharing hardware (doapi `fetch_all_droplet_neighbors`).
            call fetch_droplet_neighbors_report() -> Vec<Vec<u64>>
                = $crate::endpoints::DropletNeighborsReport {};
            /// Any action on a droplet (doapi `Droplet.act`).
            call act_on_droplet(id: u64, action: $crate::endpoints::DropletAction) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action };
            /// Enables backups (doapi `Droplet.enable_backups`).
            call enable_backups(id: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::EnableBackups };
            /// Disables backups (doapi `Droplet.disable_backups`).
            call disable_backups(id: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::DisableBackups };
            /// Reboots gracefully (doapi `Droplet.reboot`).
            call reboot(id: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::Reboot };
            /// Power-cycles (doapi `Droplet.power_cycle`).
            call power_cycle(id: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::PowerCycle };
            /// Shuts down gracefully (doapi `Droplet.shutdown`).
            call shutdown(id: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::Shutdown };
            /// Powers off (doapi `Droplet.power_off`).
            call power_off(id: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::PowerOff };
            /// Powers on (doapi `Droplet.power_on`).
            call power_on(id: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::PowerOn };
            /// Restores from a backup image (doapi `Droplet.restore`).
            call restore(id: u64, image: impl Into<$crate::endpoints::ImageRef>) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::Restore { image: image.into() } };
            /// Resets the root password (doapi `Droplet.password_reset`).
            call password_reset(id: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::PasswordReset };
            /// Resizes; `disk` also grows the disk, for good (doapi `Droplet.resize`).
            call resize(id: u64, size: impl Into<String>, disk: bool) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::Resize { size: size.into(), disk: Some(disk) } };
            /// Rebuilds from an image (doapi `Droplet.rebuild`).
            call rebuild(id: u64, image: impl Into<$crate::endpoints::ImageRef>) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::Rebuild { image: image.into() } };
            /// Renames (doapi `Droplet.rename`).
            call rename(id: u64, name: impl Into<String>) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::Rename { name: name.into() } };
            /// Changes the kernel (doapi `Droplet.change_kernel`).
            call change_kernel(id: u64, kernel: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::ChangeKernel { kernel } };
            /// Enables IPv6 (doapi `Droplet.enable_ipv6`).
            call enable_ipv6(id: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::EnableIpv6 };
            /// Enables private networking (doapi `Droplet.enable_private_networking`).
            call enable_private_networking(id: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::EnablePrivateNetworking };
            /// Takes a snapshot (doapi `Droplet.snapshot`).
            call snapshot(id: u64, name: impl Into<String>) -> $crate::models::Action
                = $crate::endpoints::ActOnDroplet { id, action: $crate::endpoints::DropletAction::Snapshot { name: Some(name.into()) } };
            /// An action on every droplet with a tag (doapi `Tag.act_on_droplets`).
            call act_on_tagged_droplets(tag: impl Into<String>, action: $crate::endpoints::DropletAction) -> Vec<$crate::models::Action>
                = $crate::endpoints::ActOnTaggedDroplets { tag_name: tag.into(), action };
            /// Every droplet (doapi `fetch_all_droplets`).
            list fetch_all_droplets() -> $crate::models::Droplet
                = $crate::endpoints::ListDroplets { tag_name: None };
            /// Every droplet with a tag (doapi `fetch_all_droplets(tag_name=)`, `Tag.fetch_all_droplets`).
            list fetch_all_tagged_droplets(tag: impl Into<String>) -> $crate::models::Droplet
                = $crate::endpoints::ListDroplets { tag_name: Some(tag.into()) };
            /// The kernels a droplet can run (doapi `Droplet.fetch_all_kernels`).
            list fetch_all_kernels(id: u64) -> $crate::models::Kernel
                = $crate::endpoints::ListDropletKernels { id };
            /// A droplet's snapshots (doapi `Droplet.fetch_all_snapshots`).
            list fetch_all_snapshots(id: u64) -> $crate::models::Image
                = $crate::endpoints::ListDropletSnapshots { id };
            /// A droplet's backups (doapi `Droplet.fetch_all_backups`).
            list fetch_all_backups(id: u64) -> $crate::models::Image
                = $crate::endpoints::ListDropletBackups { id };
            /// A droplet's actions, newest first (doapi `Droplet.fetch_all_actions`).
            list fetch_all_droplet_actions(id: u64) -> $crate::models::Action
                = $crate::endpoints::ListDropletActions { id };
            /// The droplets on the same hardware (doapi `Droplet.fetch_all_neighbors`).
            list fetch_all_neighbors(id: u64) -> $crate::models::Droplet
                = $crate::endpoints::ListDropletNeighbors { id };

            // Actions.
            /// Fetches an action (doapi `fetch_action`, `Action.fetch`).
            call fetch_action(id: u64) -> $crate::models::Action
                = $crate::endpoints::GetAction { id };
            /// The most recent action of the account or a resource (doapi `fetch_last_action`).
            call fetch_last_action(target: $crate::endpoints::ActionTarget) -> Option<$crate::models::Action>
                = $crate::endpoints::LastAction { target };
            /// The action in progress on a resource (doapi `fetch_current_action`).
            call fetch_current_action(target: $crate::endpoints::ActionTarget) -> Option<$crate::models::Action>
                = $crate::endpoints::CurrentAction { target };
            /// Every action of the account (doapi `fetch_all_actions`).
            list fetch_all_actions() -> $crate::models::Action
                = $crate::endpoints::ListActions {};

            // Images.
            /// Fetches an image (doapi `fetch_image`).
            call fetch_image(id: u64) -> $crate::models::Image
                = $crate::endpoints::GetImage { id };
            /// Fetches a public image by slug (doapi `fetch_image_by_slug`).
            call fetch_image_by_slug(slug: impl Into<String>) -> $crate::models::Image
                = $crate::endpoints::GetImageBySlug { slug: slug.into() };
            /// Renames an image (doapi `Image.update_image`).
            call update_image(id: u64, name: impl Into<String>) -> $crate::models::Image
                = $crate::endpoints::UpdateImage { id, name: Some(name.into()), description: None };
            /// Deletes an image (doapi `Image.delete`).
            call delete_image(id: u64) -> ()
                = $crate::endpoints::DeleteImage { id };
            /// Copies an image to a region (doapi `Image.transfer`).
            call transfer_image(id: u64, region: impl Into<String>) -> $crate::models::Action
                = $crate::endpoints::ActOnImage { id, action: $crate::endpoints::ImageAction::Transfer { region: region.into() } };
            /// Converts a backup to a snapshot (doapi `Image.convert`).
            call convert_image(id: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnImage { id, action: $crate::endpoints::ImageAction::Convert };
            /// Every image (doapi `fetch_all_images`).
            list fetch_all_images() -> $crate::models::Image
                = $crate::endpoints::ListImages { filter: $crate::endpoints::ImageFilter::All };
            /// Distribution images (doapi `fetch_all_distribution_images`).
            list fetch_all_distribution_images() -> $crate::models::Image
                = $crate::endpoints::ListImages { filter: $crate::endpoints::ImageFilter::Distribution };
            /// Application images (doapi `fetch_all_application_images`).
            list fetch_all_application_images() -> $crate::models::Image
                = $crate::endpoints::ListImages { filter: $crate::endpoints::ImageFilter::Application };
            /// The user's own images (doapi `fetch_all_private_images`).
            list fetch_all_private_images() -> $crate::models::Image
                = $crate::endpoints::ListImages { filter: $crate::endpoints::ImageFilter::Private };
            /// An image's actions (doapi `Image.fetch_all_actions`).
            list fetch_all_image_actions(id: u64) -> $crate::models::Action
                = $crate::endpoints::ListImageActions { id };

            // Regions, sizes, account.
            /// Every region (doapi `fetch_all_regions`).
            list fetch_all_regions() -> $crate::models::Region
                = $crate::endpoints::ListRegions {};
            /// Every size (doapi `fetch_all_sizes`).
            list fetch_all_sizes() -> $crate::models::Size
                = $crate::endpoints::ListSizes {};
            /// The account (doapi `fetch_account`).
            call fetch_account() -> $crate::models::Account
                = $crate::endpoints::GetAccount {};

            // SSH keys.
            /// Fetches an SSH key by id or fingerprint (doapi `fetch_ssh_key`).
            call fetch_ssh_key(key: impl Into<$crate::endpoints::SshKeyRef>) -> $crate::models::SshKey
                = $crate::endpoints::GetSshKey { key: key.into() };
            /// Registers an SSH key (doapi `create_ssh_key`).
            call create_ssh_key(name: impl Into<String>, public_key: impl Into<String>) -> $crate::models::SshKey
                = $crate::endpoints::CreateSshKey { name: name.into(), public_key: public_key.into() };
            /// Renames an SSH key (doapi `SSHKey.update_ssh_key`).
            call update_ssh_key(key: impl Into<$crate::endpoints::SshKeyRef>, name: impl Into<String>) -> $crate::models::SshKey
                = $crate::endpoints::UpdateSshKey { key: key.into(), name: name.into() };
            /// Deletes an SSH key (doapi `SSHKey.delete`).
            call delete_ssh_key(key: impl Into<$crate::endpoints::SshKeyRef>) -> ()
                = $crate::endpoints::DeleteSshKey { key: key.into() };
            /// Every SSH key (doapi `fetch_all_ssh_keys`).
            list fetch_all_ssh_keys() -> $crate::models::SshKey
                = $crate::endpoints::ListSshKeys {};

            // Domains and records.
            /// Fetches a domain (doapi `fetch_domain`).
            call fetch_domain(name: impl Into<String>) -> $crate::models::Domain
                = $crate::endpoints::GetDomain { name: name.into() };
            /// Adds a domain, with an apex A record if `ip_address` is given (doapi `create_domain`).
            call create_domain(name: impl Into<String>, ip_address: Option<String>) -> $crate::models::Domain
                = $crate::endpoints::CreateDomain { name: name.into(), ip_address };
            /// Deletes a domain (doapi `Domain.delete`).
            call delete_domain(name: impl Into<String>) -> ()
                = $crate::endpoints::DeleteDomain { name: name.into() };
            /// Every domain (doapi `fetch_all_domains`).
            list fetch_all_domains() -> $crate::models::Domain
                = $crate::endpoints::ListDomains {};
            /// Fetches a record (doapi `Domain.fetch_record`).
            call fetch_domain_record(domain: impl Into<String>, id: u64) -> $crate::models::DomainRecord
                = $crate::endpoints::GetDomainRecord { domain: domain.into(), id };
            /// Adds a record (doapi `Domain.create_record`).
            call create_domain_record(domain: impl Into<String>, record: $crate::endpoints::RecordFields) -> $crate::models::DomainRecord
                = $crate::endpoints::CreateDomainRecord { domain: domain.into(), record };
            /// Changes a record (doapi `DomainRecord.update_record`).
            call update_domain_record(domain: impl Into<String>, id: u64, fields: $crate::endpoints::RecordFields) -> $crate::models::DomainRecord
                = $crate::endpoints::UpdateDomainRecord { domain: domain.into(), id, fields };
            /// Deletes a record (doapi `DomainRecord.delete`).
            call delete_domain_record(domain: impl Into<String>, id: u64) -> ()
                = $crate::endpoints::DeleteDomainRecord { domain: domain.into(), id };
            /// Every record of a domain (doapi `Domain.fetch_all_records`).
            list fetch_all_domain_records(domain: impl Into<String>) -> $crate::models::DomainRecord
                = $crate::endpoints::ListDomainRecords { domain: domain.into() };

            // Floating IPs.
            /// Fetches a floating IP (doapi `fetch_floating_ip`).
            call fetch_floating_ip(ip: ::std::net::IpAddr) -> $crate::models::FloatingIp
                = $crate::endpoints::GetFloatingIp { ip };
            /// Reserves a floating IP for a droplet or in a region (doapi `create_floating_ip`).
            call create_floating_ip(target: $crate::endpoints::FloatingIpTarget) -> $crate::models::FloatingIp
                = $crate::endpoints::CreateFloatingIp { target };
            /// Assigns a floating IP to a droplet (doapi `FloatingIP.assign`).
            call assign_floating_ip(ip: ::std::net::IpAddr, droplet_id: u64) -> $crate::models::Action
                = $crate::endpoints::ActOnFloatingIp { ip, action: $crate::endpoints::FloatingIpAction::Assign { droplet_id } };
            /// Unassigns a floating IP (doapi `FloatingIP.unassign`).
            call unassign_floating_ip(ip: ::std::net::IpAddr) -> $crate::models::Action
                = $crate::endpoints::ActOnFloatingIp { ip, action: $crate::endpoints::FloatingIpAction::Unassign };
            /// Releases a floating IP (doapi `FloatingIP.delete`).
            call delete_floating_ip(ip: ::std::net::IpAddr) -> ()
                = $crate::endpoints::DeleteFloatingIp { ip };
            /// Every floating IP (doapi `fetch_all_floating_ips`).
            list fetch_all_floating_ips() -> $crate::models::FloatingIp
                = $crate::endpoints::ListFloatingIps {};
            /// A floating IP's actions (doapi `FloatingIP.fetch_all_actions`).
            list fetch_all_floating_ip_actions(ip: ::std::net::IpAddr) -> $crate::models::Action
                = $crate::endpoints::ListFloatingIpActions { ip };

            // Tags.
            /// Fetches a tag (doapi `fetch_tag`).
            call fetch_tag(name: impl Into<String>) -> $crate::models::Tag
                = $crate::endpoints::GetTag { name: name.into() };
            /// Creates a tag (doapi `create_tag`).
            call create_tag(name: impl Into<String>) -> $crate::models::Tag
                = $crate::endpoints::CreateTag { name: name.into() };
            /// Deletes a tag (doapi `Tag.delete`).
            call delete_tag(name: impl Into<String>) -> ()
                = $crate::endpoints::DeleteTag { name: name.into() };
            /// Applies a tag to resources (doapi `Tag.add`, `X.tag`).
            call tag_resources(tag: impl Into<String>, resources: Vec<$crate::endpoints::TaggableRef>) -> ()
                = $crate::endpoints::TagResources { tag: tag.into(), resources };
            /// Removes a tag from resources (doapi `Tag.remove`, `X.untag`).
            call untag_resources(tag: impl Into<String>, resources: Vec<$crate::endpoints::TaggableRef>) -> ()
                = $crate::endpoints::UntagResources { tag: tag.into(), resources };
            /// Every tag (doapi `fetch_all_tags`).
            list fetch_all_tags() -> $crate::models::Tag
                = $crate::endpoints::ListTags {};

            // The escape hatch.
            /// Any request; the JSON answer, or `None` for an empty body (doapi `request`).
            call request(raw: $crate::endpoints::Raw) -> Option<$crate::serde_json::Value>
                = raw;
            /// Any listing, item by item as JSON (doapi `paginate`).
            list paginate(raw: $crate::endpoints::RawList) -> $crate::serde_json::Value
                = raw;
        }
    };
}
