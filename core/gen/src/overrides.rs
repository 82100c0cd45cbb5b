//! The overrides file: every place where the generator departs from what
//! the spec says, each with its reason.

use std::collections::BTreeMap;

use serde::Deserialize;

/// An entry that only says why.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Because {
    /// Why.
    pub reason: String,
}

/// The response codes that are not decoded per operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorResponses {
    /// Codes besides 4xx and 5xx that are errors, such as `default`.
    pub ignore: Vec<String>,
    /// Why.
    pub reason: String,
}

/// The features on by default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultFeatures {
    /// The tags whose features are default.
    pub tags: Vec<String>,
    /// Why these.
    pub reason: String,
}

/// A tag whose module name is not its words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagName {
    /// The module and feature.
    pub module: String,
    /// Why.
    pub reason: String,
}

/// An operation made by hand in `core/src/endpoints`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handmade {
    /// The types of `crate::endpoints` that implement it.
    pub rust: Vec<String>,
    /// Why.
    pub reason: String,
}

/// A schema that is a hand-made model of `crate::models`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// The type of `crate::models`.
    pub rust: String,
    /// Why.
    pub reason: String,
}

/// A schema that is another one under a second name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Twin {
    /// The schema it is the same as.
    pub same_as: String,
    /// Why.
    pub reason: String,
}

/// Parameters of an operation that are not fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkipParams {
    /// Their names.
    pub skip: Vec<String>,
    /// Why.
    pub reason: String,
}

/// An operation whose Rust name is not its id's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rename {
    /// The Rust name.
    pub rust: String,
    /// Why.
    pub reason: String,
}

/// A property whose type or `required` is not the spec's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// A JSON type to use instead: `string` or `any`.
    #[serde(default)]
    pub r#type: Option<String>,
    /// Not required in request bodies, whatever the spec says.
    #[serde(default)]
    pub optional: bool,
    /// Why.
    pub reason: String,
}

/// A `oneOf` or `anyOf` whose variants a value can match more than one of.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ambiguous {
    /// The variants (by schema name) that can all match, as the generator
    /// reports them.
    pub variants: Vec<String>,
    /// What the decoder does, and why that is right.
    pub reason: String,
}

/// A success response whose envelope is not what its schema says.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// The key the value is under (`{"action": {...}}`).
    pub key: String,
    /// The schema of the value, when it is not the response's.
    #[serde(default)]
    pub schema: Option<String>,
    /// Why.
    pub reason: String,
}

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// What the file is.
    #[serde(default, rename = "//")]
    #[allow(dead_code, reason = "the file's own comment, for readers")]
    pub about: Vec<String>,
    /// Error responses.
    pub error_responses: ErrorResponses,
    /// The rule for `required` in responses.
    pub required_in_responses: Because,
    /// The default features.
    pub default_features: DefaultFeatures,
    /// Tag → module.
    #[serde(default)]
    pub tags: BTreeMap<String, TagName>,
    /// Operation id → hand-made types.
    #[serde(default)]
    pub handmade: BTreeMap<String, Handmade>,
    /// Operation id → why it is not generated.
    #[serde(default)]
    pub skip: BTreeMap<String, Because>,
    /// Schema → hand-made model.
    #[serde(default)]
    pub models: BTreeMap<String, Model>,
    /// Schema → the schema it duplicates.
    #[serde(default)]
    pub twins: BTreeMap<String, Twin>,
    /// Operation id → parameters that are not fields.
    #[serde(default)]
    pub params: BTreeMap<String, SkipParams>,
    /// Operation id → Rust name.
    #[serde(default)]
    pub names: BTreeMap<String, Rename>,
    /// Operation id → its response's envelope.
    #[serde(default)]
    pub responses: BTreeMap<String, Envelope>,
    /// Response examples of the spec that contradict their own schema,
    /// by `operation_id code where` (as the examples test names them).
    #[serde(default)]
    pub bad_examples: BTreeMap<String, Because>,
    /// Operations no request of which Prism's validator accepts, because
    /// of the spec (the Prism test sends them and expects it to refuse).
    #[serde(default)]
    pub prism_refuses: BTreeMap<String, Because>,
    /// GET operations whose answers made up from their schema (Prism's
    /// mock, `--dynamic`) the client's types refuse on purpose.
    #[serde(default)]
    pub made_up_answers: BTreeMap<String, Because>,
    /// `schema.property` → type or requiredness.
    #[serde(default)]
    pub fields: BTreeMap<String, Field>,
    /// Union (schema name, or `operation_id body`) → its ambiguity.
    #[serde(default)]
    pub ambiguous: BTreeMap<String, Ambiguous>,
}

impl Overrides {
    /// Parses the file and checks that every entry says why.
    pub fn parse(text: &str) -> Result<Overrides, String> {
        let o: Overrides =
            serde_json::from_str(text).map_err(|e| format!("overrides.json: {e}"))?;
        let mut missing = Vec::new();
        let mut check = |section: &str, key: &str, reason: &str| {
            if reason.trim().is_empty() {
                missing.push(format!("{section}.{key}"));
            }
        };
        check("error_responses", "", &o.error_responses.reason);
        check("required_in_responses", "", &o.required_in_responses.reason);
        check("default_features", "", &o.default_features.reason);
        let sections: [(&str, Vec<(&String, &str)>); 13] = [
            (
                "tags",
                o.tags.iter().map(|(k, v)| (k, v.reason.as_str())).collect(),
            ),
            (
                "handmade",
                o.handmade
                    .iter()
                    .map(|(k, v)| (k, v.reason.as_str()))
                    .collect(),
            ),
            (
                "skip",
                o.skip.iter().map(|(k, v)| (k, v.reason.as_str())).collect(),
            ),
            (
                "models",
                o.models
                    .iter()
                    .map(|(k, v)| (k, v.reason.as_str()))
                    .collect(),
            ),
            (
                "twins",
                o.twins
                    .iter()
                    .map(|(k, v)| (k, v.reason.as_str()))
                    .collect(),
            ),
            (
                "params",
                o.params
                    .iter()
                    .map(|(k, v)| (k, v.reason.as_str()))
                    .collect(),
            ),
            (
                "names",
                o.names
                    .iter()
                    .map(|(k, v)| (k, v.reason.as_str()))
                    .collect(),
            ),
            (
                "responses",
                o.responses
                    .iter()
                    .map(|(k, v)| (k, v.reason.as_str()))
                    .collect(),
            ),
            (
                "bad_examples",
                o.bad_examples
                    .iter()
                    .map(|(k, v)| (k, v.reason.as_str()))
                    .collect(),
            ),
            (
                "prism_refuses",
                o.prism_refuses
                    .iter()
                    .map(|(k, v)| (k, v.reason.as_str()))
                    .collect(),
            ),
            (
                "made_up_answers",
                o.made_up_answers
                    .iter()
                    .map(|(k, v)| (k, v.reason.as_str()))
                    .collect(),
            ),
            (
                "fields",
                o.fields
                    .iter()
                    .map(|(k, v)| (k, v.reason.as_str()))
                    .collect(),
            ),
            (
                "ambiguous",
                o.ambiguous
                    .iter()
                    .map(|(k, v)| (k, v.reason.as_str()))
                    .collect(),
            ),
        ];
        for (section, entries) in &sections {
            for (k, reason) in entries {
                check(section, k, reason);
            }
        }
        if missing.is_empty() {
            Ok(o)
        } else {
            Err(format!(
                "overrides.json: entries without a reason: {}",
                missing.join(", ")
            ))
        }
    }
}
