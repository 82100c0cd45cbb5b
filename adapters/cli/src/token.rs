//! Where the API token comes from, in doapi's order.

use std::fs;
use std::path::{Path, PathBuf};

use crate::fail::Fail;

/// The environment variables that may hold the token, in order.
pub const TOKEN_VARS: [&str; 3] = [
    "DIGITALOCEAN_TOKEN",
    "DIGITALOCEAN_ACCESS_TOKEN",
    "DO_API_TOKEN",
];

/// The token: `--api-token`, else the `--api-token-file`, else the first
/// non-empty variable of [`TOKEN_VARS`], else `~/.doapi` (under `home`).
pub fn find(
    flag: Option<&str>,
    file: Option<&Path>,
    var: impl Fn(&str) -> Option<String>,
    home: Option<PathBuf>,
) -> Result<String, Fail> {
    if let Some(t) = flag {
        return non_empty(t.to_owned(), "--api-token");
    }
    if let Some(path) = file {
        let text = fs::read_to_string(path).map_err(|e| {
            Fail::usage(format!(
                "cannot read the token file {}: {e}",
                path.display()
            ))
        })?;
        return non_empty(text, &format!("the token file {}", path.display()));
    }
    for name in TOKEN_VARS {
        if let Some(t) = var(name).filter(|t| !t.trim().is_empty()) {
            return Ok(t.trim().to_owned());
        }
    }
    if let Some(path) = home.map(|h| h.join(".doapi")) {
        if let Ok(text) = fs::read_to_string(&path) {
            return non_empty(text, &path.display().to_string());
        }
    }
    Err(Fail::usage(
        "no API token: give --api-token or --api-token-file, set DIGITALOCEAN_TOKEN \
         (or DIGITALOCEAN_ACCESS_TOKEN or DO_API_TOKEN), or write it to ~/.doapi",
    ))
}

fn non_empty(text: String, source: &str) -> Result<String, Fail> {
    let t = text.trim();
    if t.is_empty() {
        Err(Fail::usage(format!("the API token from {source} is empty")))
    } else {
        Ok(t.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("doapi-token-{}-{name}", std::process::id()));
        fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn each_source_wins_over_the_ones_after_it() {
        let home = scratch("order");
        fs::write(home.join(".doapi"), "from-home\n").expect("write");
        let file = home.join("token");
        fs::write(&file, "  from-file \n").expect("write");
        let all = [
            ("DIGITALOCEAN_TOKEN", "a"),
            ("DIGITALOCEAN_ACCESS_TOKEN", "b"),
            ("DO_API_TOKEN", "c"),
        ];
        let h = || Some(home.clone());
        let found = |flag, file, v: &[(&str, &str)]| find(flag, file, vars(v), h()).expect("found");
        assert_eq!(found(Some("flag"), Some(&file), &all), "flag");
        assert_eq!(found(None, Some(&file), &all), "from-file");
        assert_eq!(found(None, None, &all), "a");
        assert_eq!(found(None, None, &all[1..]), "b");
        assert_eq!(found(None, None, &all[2..]), "c");
        assert_eq!(
            found(None, None, &[("DIGITALOCEAN_TOKEN", " ")]),
            "from-home"
        );
        assert_eq!(found(None, None, &[]), "from-home");
    }

    #[test]
    fn no_token_or_an_unreadable_file_is_a_usage_error() {
        let home = scratch("none");
        let err = find(None, None, vars(&[]), Some(home.clone())).expect_err("no token");
        assert!(matches!(&err, Fail::Usage(m) if m.contains("--api-token")));
        let missing = home.join("missing");
        let err = find(None, Some(&missing), vars(&[]), Some(home)).expect_err("no file");
        assert!(matches!(&err, Fail::Usage(m) if m.contains("cannot read the token file")));
        assert!(find(Some("  "), None, vars(&[]), None).is_err());
    }
}
