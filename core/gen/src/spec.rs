//! Reading the spec: a JSON tree, with `$ref`s followed on demand.

use serde_json::{Map, Value};

/// The bundled OpenAPI document.
pub struct Spec {
    /// The whole document.
    pub root: Value,
}

/// One operation of the spec, as found under `paths`.
pub struct RawOp<'s> {
    /// The path template, such as `/v2/droplets/{droplet_id}`.
    pub path: &'s str,
    /// The method, uppercase.
    pub method: String,
    /// The operation object.
    pub op: &'s Value,
    /// Parameters declared on the path item.
    pub path_params: &'s [Value],
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

static EMPTY: Vec<Value> = Vec::new();

impl Spec {
    /// Parses a spec from its text.
    pub fn parse(text: &str) -> Result<Spec, String> {
        let root: Value =
            serde_json::from_str(text).map_err(|e| format!("the spec is not JSON: {e}"))?;
        if !root.get("paths").is_some_and(Value::is_object) {
            return Err("the spec has no `paths`".into());
        }
        Ok(Spec { root })
    }

    /// Follows `$ref`s until a value that is not one. A reference that
    /// leads nowhere resolves to `null`.
    pub fn resolve<'a>(&'a self, mut v: &'a Value) -> &'a Value {
        for _ in 0..64 {
            match v.get("$ref").and_then(Value::as_str) {
                Some(r) => v = self.pointer(r).unwrap_or(&Value::Null),
                None => return v,
            }
        }
        &Value::Null
    }

    /// The value a local reference (`#/components/...`) points at.
    pub fn pointer(&self, r: &str) -> Option<&Value> {
        self.root.pointer(r.strip_prefix('#')?)
    }

    /// The component schemas.
    pub fn schemas(&self) -> &Map<String, Value> {
        static NONE: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        self.root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .unwrap_or_else(|| NONE.get_or_init(Map::new))
    }

    /// Every operation, sorted by operation id.
    pub fn operations(&self) -> Vec<RawOp<'_>> {
        let mut out = Vec::new();
        if let Some(paths) = self.root.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                let path_params = item
                    .get("parameters")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or(&EMPTY);
                for m in METHODS {
                    if let Some(op) = item.get(*m) {
                        out.push(RawOp {
                            path,
                            method: m.to_ascii_uppercase(),
                            op,
                            path_params,
                        });
                    }
                }
            }
        }
        out.sort_by(|a, b| a.id().cmp(b.id()));
        out
    }
}

impl RawOp<'_> {
    /// The operation id.
    pub fn id(&self) -> &str {
        self.op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// The first tag.
    pub fn tag(&self) -> &str {
        self.op
            .get("tags")
            .and_then(|t| t.get(0))
            .and_then(Value::as_str)
            .unwrap_or("Untagged")
    }
}

impl Spec {
    /// A schema with its references resolved (to a depth) and its prose
    /// (descriptions, examples, titles) removed: what two schemas must
    /// share to be the same type.
    pub fn normalized(&self, v: &Value, depth: usize) -> Value {
        match v {
            Value::Object(m) => {
                if m.contains_key("$ref") && depth > 0 {
                    return self.normalized(self.resolve(v), depth - 1);
                }
                let mut out = Map::new();
                for (k, x) in m {
                    if matches!(k.as_str(), "description" | "example" | "examples" | "title")
                        || k.starts_with("x-")
                    {
                        continue;
                    }
                    out.insert(k.clone(), self.normalized(x, depth));
                }
                Value::Object(out)
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| self.normalized(x, depth)).collect()),
            other => other.clone(),
        }
    }
}

/// The schema name of a `#/components/schemas/NAME` reference.
pub fn schema_ref(v: &Value) -> Option<&str> {
    v.get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// A string field of an object.
pub fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// An array field of an object, or nothing.
pub fn arr_of<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&EMPTY)
}

/// Whether a boolean field is `true`.
pub fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool) == Some(true)
}
