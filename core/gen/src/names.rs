//! Rust names from the spec's names: types and variants in PascalCase,
//! fields, modules and features in snake_case, every one a valid
//! identifier.

use std::collections::BTreeSet;

/// Rust's keywords, strict and reserved (2021 edition).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code uses unqualified, which a generated type
/// must not shadow.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Default",
    "Page",
    "Extra",
    "Json",
    "Endpoint",
    "List",
    "Params",
    "FromParams",
];

/// Splits a name into words: at every character that is not a letter or
/// digit, between a lowercase letter or digit and an uppercase one, and
/// before the last capital of a run of capitals followed by lowercase
/// letters (`CPUPercentage` is `CPU`, `Percentage`), except for a plural
/// `s` (`IPs`, `IDs` stay one word).
pub fn words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for i in 0..chars.len() {
        let c = chars[i];
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&prev) = cur.chars().last().as_ref() {
            let next = chars.get(i + 1).copied();
            let boundary = if c.is_ascii_uppercase() {
                if prev.is_ascii_lowercase() || prev.is_ascii_digit() {
                    true
                } else if prev.is_ascii_uppercase() {
                    // `CPUPercentage`: a new word starts at `P` when a
                    // lowercase letter follows it, unless that is the
                    // plural `s` of the run (`IPs`).
                    match next {
                        Some(n) if n.is_ascii_lowercase() => {
                            let after = chars.get(i + 2).copied();
                            n != 's' || after.is_some_and(|a| a.is_ascii_lowercase())
                        }
                        _ => false,
                    }
                } else {
                    false
                }
            } else {
                false
            };
            if boundary {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `droplet_create` → `DropletCreate`; `appCPUPercentage` →
/// `AppCpuPercentage`. A leading digit gets a `T` in front.
pub fn pascal(s: &str) -> String {
    let mut out = String::new();
    for w in words(s) {
        let mut cs = w.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(cs.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    out
}

/// `X-Dangerous` → `x_dangerous`; `floatingIPs` → `floating_ips`.
pub fn snake(s: &str) -> String {
    words(s)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// A field or parameter identifier: snake_case, `type` as `kind` (as the
/// hand-made models name it), other keywords raw (`r#ref`), and a leading
/// digit or an empty name prefixed.
pub fn field_ident(json: &str) -> String {
    let mut s = snake(json);
    if s.is_empty() {
        s = "field".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    match s.as_str() {
        "type" => "kind".into(),
        "self" | "super" | "crate" | "extra" => format!("{s}_"),
        k if KEYWORDS.contains(&k) => format!("r#{s}"),
        _ => s,
    }
}

/// A type name: PascalCase, not one the generated code uses unqualified.
pub fn type_name(s: &str) -> String {
    let mut n = pascal(s);
    if n.is_empty() {
        n = "Unnamed".into();
    }
    if RESERVED_TYPES.contains(&n.as_str()) {
        n.push_str("Model");
    }
    n
}

/// A variant of a string enum: PascalCase of its value (`DEPLOY_ON_PUSH` →
/// `DeployOnPush`, `v1/insights/droplet/cpu` → `V1InsightsDropletCpu`); a
/// value without letters or digits is named by its position. `Unknown` is
/// the catch-all and never a value's name.
pub fn variant_names(values: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let mut n = pascal(v);
        if n.is_empty() {
            n = if v.is_empty() {
                "Empty".into()
            } else {
                format!("Value{i}")
            };
        }
        if n.starts_with('T') && v.starts_with(|c: char| c.is_ascii_digit()) {
            n.replace_range(0..1, "V");
        }
        if n == "Unknown" || n == "Self" {
            n.push_str("Value");
        }
        let base = n.clone();
        let mut k = 2;
        while !seen.insert(n.clone()) {
            n = format!("{base}{k}");
            k += 1;
        }
        out.push(n);
    }
    out
}

/// The module and feature of a tag: its words, lowercased, joined by `_`
/// (`Droplet Actions` → `droplet_actions`, `GradientAI Platform` →
/// `gradientai_platform`). `None` when that is not an identifier.
pub fn tag_module(tag: &str) -> Option<String> {
    let s = tag
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    let valid = s.starts_with(|c: char| c.is_ascii_alphabetic()) && !KEYWORDS.contains(&s.as_str());
    valid.then_some(s)
}

/// Makes names unique in a set: the name itself, else with `2`, `3`, ...
pub fn unique(taken: &mut BTreeSet<String>, name: &str) -> String {
    let mut n = name.to_owned();
    let mut k = 2;
    while !taken.insert(n.clone()) {
        n = format!("{name}{k}");
        k += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_at_case_and_punctuation() {
        assert_eq!(
            words("droplets_list_neighborsIds"),
            ["droplets", "list", "neighbors", "Ids"]
        );
        assert_eq!(
            words("appCPUPercentageMetrics"),
            ["app", "CPU", "Percentage", "Metrics"]
        );
        assert_eq!(
            words("floatingIPsAction_list"),
            ["floating", "IPs", "Action", "list"]
        );
        assert_eq!(words("reservedIPs"), ["reserved", "IPs"]);
        assert_eq!(words("X-Dangerous"), ["X", "Dangerous"]);
        assert_eq!(words("v1/insights/load_1"), ["v1", "insights", "load", "1"]);
        assert_eq!(
            words("get_appRestartCountMetrics.yml"),
            ["get", "app", "Restart", "Count", "Metrics", "yml"]
        );
    }

    #[test]
    fn operation_and_type_names() {
        assert_eq!(pascal("droplets_list"), "DropletsList");
        assert_eq!(pascal("dropletActions_post"), "DropletActionsPost");
        assert_eq!(
            pascal("monitoring_get_appCPUPercentageMetrics"),
            "MonitoringGetAppCpuPercentageMetrics"
        );
        assert_eq!(pascal("sshKeys_get"), "SshKeysGet");
        assert_eq!(pascal("1-click"), "T1Click");
        assert_eq!(type_name("option"), "OptionModel");
        assert_eq!(type_name("droplet_create"), "DropletCreate");
    }

    #[test]
    fn field_identifiers_are_valid() {
        assert_eq!(field_ident("type"), "kind");
        assert_eq!(field_ident("ref"), "r#ref");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("X-Dangerous"), "x_dangerous");
        assert_eq!(field_ident("2fa"), "n2fa");
        assert_eq!(
            field_ident("pg_stat_statements.track"),
            "pg_stat_statements_track"
        );
        assert_eq!(field_ident("extra"), "extra_");
    }

    #[test]
    fn variants_are_unique_and_never_unknown() {
        let v: Vec<String> = [
            "MANUAL",
            "DEPLOY_ON_PUSH",
            "unknown",
            "",
            "<",
            "Manual",
            "1m",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            variant_names(&v),
            [
                "Manual",
                "DeployOnPush",
                "UnknownValue",
                "Empty",
                "Value4",
                "Manual2",
                "V1m"
            ]
        );
    }

    #[test]
    fn tags_become_modules() {
        assert_eq!(
            tag_module("Droplet Actions").as_deref(),
            Some("droplet_actions")
        );
        assert_eq!(
            tag_module("GradientAI Platform").as_deref(),
            Some("gradientai_platform")
        );
        assert_eq!(tag_module("Add-Ons").as_deref(), Some("add_ons"));
        assert_eq!(
            tag_module("Reserved IPv6").as_deref(),
            Some("reserved_ipv6")
        );
        assert_eq!(tag_module("1-Click Applications"), None);
    }
}
