//! The resources the API names by a UUID (volumes, firewalls, VPCs,
//! projects, load balancers): a label is the id itself, or a name matched
//! against the kind's listing, page by page until it is found; and the
//! droplets their commands take, by id or name.

use doapi_blocking::models::Droplet;
use doapi_blocking::Error;

use crate::ctx::Ctx;
use crate::fail::Fail;

/// Whether a label has the form of an id the API gives as a UUID.
pub fn is_uuid(label: &str) -> bool {
    let groups: Vec<&str> = label.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The id a label names: the label if it is a UUID, else the id of the one
/// item of `listing` whose name it is (`name_id` gives an item's name and
/// id). Two of that name are ambiguous.
pub fn resolve<T>(
    kind: &str,
    label: &str,
    listing: impl Iterator<Item = Result<T, Error>>,
    name_id: impl Fn(&T) -> (Option<&str>, Option<&str>),
) -> Result<String, Fail> {
    if is_uuid(label) {
        return Ok(label.to_owned());
    }
    let mut found: Vec<String> = Vec::new();
    for item in listing {
        let item = item?;
        if let (Some(name), Some(id)) = name_id(&item) {
            if name == label {
                found.push(id.to_owned());
            }
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Fail::usage(format!("no such {kind}: {label:?}"))),
        n => Err(Fail::usage(format!(
            "{label:?} is ambiguous: {n} {kind}s have that name ({}); give the id",
            found.join(", ")
        ))),
    }
}

/// The ids of the droplets the labels name (ids or names), each once.
pub fn droplet_ids(ctx: &mut Ctx, labels: &[String]) -> Result<Vec<u64>, Fail> {
    let client = ctx.client.clone();
    let droplets = ctx.names.many::<Droplet>(&client, labels, false)?;
    Ok(droplets.iter().map(|d| d.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_uuid() {
        assert!(is_uuid("506f78a4-e098-11e5-ad9f-000f53306ae1"));
        assert!(!is_uuid("data"));
        assert!(!is_uuid("506f78a4-e098-11e5-ad9f-000f53306aeZ"));
        assert!(!is_uuid("506f78a4-e098-11e5-ad9f"));
    }

    #[test]
    fn a_name_resolves_once() {
        let items = || {
            [("a", "1"), ("b", "2"), ("b", "3")]
                .into_iter()
                .map(Ok::<_, Error>)
        };
        fn pick<'a>(t: &'a (&str, &str)) -> (Option<&'a str>, Option<&'a str>) {
            (Some(t.0), Some(t.1))
        }
        assert_eq!(resolve("thing", "a", items(), pick).ok(), Some("1".into()));
        assert!(resolve("thing", "b", items(), pick).is_err());
        assert!(resolve("thing", "c", items(), pick).is_err());
    }
}
