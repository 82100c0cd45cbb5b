//! The async client as a service uses it, against the simulator over
//! 127.0.0.1: droplets created together, awaited as they come up, listed
//! over pages, then deleted by their tag.

use doapi_async::models::DropletStatus;
use doapi_async::{Api, Client, Error, Until};
use doapi_conformance::{tagged_spec, Subject};
use doapi_sim::{SimConfig, SimServer};
use futures::TryStreamExt;

#[tokio::test]
async fn droplets_are_created_awaited_listed_and_deleted_by_tag() -> Result<(), Error> {
    let server = SimServer::start(SimConfig::fast())
        .await
        .expect("the simulator");
    let c = Client::builder_for(server.url()).per_page(2).build()?;
    let names = (1..=3).map(|i| format!("smoke-{i}")).collect();
    let spec = tagged_spec(&["smoke"]);
    let created = c.create_multiple_droplets(names, spec).await?;
    let mut up = c.wait_droplets(created, Until::Status(DropletStatus::Active));
    while let Some(droplet) = up.try_next().await? {
        assert!(droplet.ip_address().is_some(), "{droplet:?}");
    }
    let listed: Vec<_> = c.fetch_all_tagged_droplets("smoke").try_collect().await?;
    assert_eq!(listed.len(), 3, "over two pages");
    c.delete_droplets_by_tag("smoke").await?;
    assert!(c.fetch_all_droplets().try_next().await?.is_none());
    Ok(())
}
