//! From the spec's operations to the generator's: names, parameters, the
//! body, and how the success response decodes.
//!
//! - The success response is the lowest 2xx with a JSON schema; without
//!   one, a 2xx with other content is raw bytes, else nothing (`()`).
//!   Other responses are errors, decoded by the core's `ApiError`.
//! - A `GET` whose response object has `links` or `meta` and exactly one
//!   array property is a listing: a page of that array's items, the rest
//!   of the object kept in the page. An object with exactly one property is that
//!   property (`{"droplet": {...}}` answers a droplet). Anything else is
//!   the whole object.
//! - A listing's `page` and `per_page` are the paginator's, not fields.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::{integer, maximum, minimum, Ty, Types};
use crate::names;
use crate::overrides::Overrides;
use crate::spec::{self, arr_of, str_of, Spec};

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loc {
    /// In the path.
    Path,
    /// In the query.
    Query,
    /// In a header.
    Header,
}

/// What a parameter's value is, for the registry.
#[derive(Debug, Clone, PartialEq)]
pub enum PKind {
    /// An integer, with bounds.
    Integer { min: Option<i64>, max: Option<i64> },
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A string, one of `values` when there are some.
    Str {
        values: Vec<String>,
        format: Option<String>,
    },
    /// Repeated values.
    Array(Box<PKind>),
}

/// An operation's parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The spec's name.
    pub name: String,
    /// The Rust field.
    pub ident: String,
    /// Where it goes.
    pub loc: Loc,
    /// Whether it must be given.
    pub required: bool,
    /// What it is.
    pub kind: PKind,
    /// Its Rust type (generated operations only).
    pub ty: Option<Ty>,
}

/// An operation's request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Whether it must be sent.
    pub required: bool,
    /// Its Rust type (generated operations only).
    pub ty: Option<Ty>,
}

/// How the success response decodes.
#[derive(Debug, Clone)]
pub enum Output {
    /// No body: `()`.
    Empty,
    /// Not JSON: the bytes, of these media types (the `Accept` sent).
    Bytes(String),
    /// The whole JSON body.
    Whole(Option<Ty>),
    /// The value under one key.
    One(String, Option<Ty>),
    /// A page of the items under one key.
    Page(String, Option<Ty>),
}

/// An operation.
#[derive(Debug, Clone)]
pub struct Op {
    /// The operation id.
    pub id: String,
    /// The Rust name (generated operations).
    pub name: String,
    /// The spec's tag.
    pub tag: String,
    /// The module and feature.
    pub module: String,
    /// The HTTP method.
    pub method: String,
    /// The path template.
    pub path: String,
    /// The parameters, path ones first, each group in the spec's order.
    pub params: Vec<Param>,
    /// The body.
    pub body: Option<Body>,
    /// The response.
    pub output: Output,
    /// The hand-made types, when it is hand-made.
    pub handmade: Option<Vec<String>>,
    /// Why it is not generated, when it is skipped.
    pub skipped: Option<String>,
}

impl Op {
    /// Whether the generator writes it.
    pub fn generated(&self) -> bool {
        self.handmade.is_none() && self.skipped.is_none()
    }

    /// The listing's key, if it is one.
    pub fn list_key(&self) -> Option<&str> {
        match &self.output {
            Output::Page(k, _) => Some(k),
            _ => None,
        }
    }
}

/// What the success response is, before typing.
enum Shape<'s> {
    Empty,
    Bytes(String),
    Json(&'s Value),
}

enum Envelope<'s> {
    Whole(&'s Value),
    One(String, &'s Value),
    Page(String, &'s Value),
}

/// Every operation, and the types they use.
pub fn build<'s>(spec: &'s Spec, ov: &'s Overrides) -> Result<(Vec<Op>, Types<'s>), String> {
    let raw = spec.operations();
    let ids: BTreeSet<&str> = raw.iter().map(|r| r.id()).collect();
    let first = |k: &'s String| k.split(' ').next().unwrap_or_default();
    for (section, keys) in [
        (
            "handmade",
            ov.handmade.keys().map(String::as_str).collect::<Vec<_>>(),
        ),
        ("skip", ov.skip.keys().map(String::as_str).collect()),
        ("params", ov.params.keys().map(String::as_str).collect()),
        ("names", ov.names.keys().map(String::as_str).collect()),
        (
            "responses",
            ov.responses.keys().map(String::as_str).collect(),
        ),
        ("bad_examples", ov.bad_examples.keys().map(first).collect()),
        (
            "prism_refuses",
            ov.prism_refuses.keys().map(String::as_str).collect(),
        ),
        (
            "made_up_answers",
            ov.made_up_answers.keys().map(String::as_str).collect(),
        ),
    ] {
        for k in keys {
            if !ids.contains(k) {
                return Err(format!(
                    "overrides.json: {section}.{k} names no operation of the spec"
                ));
            }
        }
    }
    for k in ov.models.keys().chain(ov.twins.keys()) {
        if !spec.schemas().contains_key(k) {
            return Err(format!("overrides.json: the schema {k} is not in the spec"));
        }
    }
    for (k, twin) in &ov.twins {
        let (Some(a), Some(b)) = (spec.schemas().get(k), spec.schemas().get(&twin.same_as)) else {
            return Err(format!(
                "overrides.json: twins.{k}: {} is not in the spec",
                twin.same_as
            ));
        };
        if spec.normalized(a, 8) != spec.normalized(b, 8) {
            return Err(format!(
                "overrides.json: twins.{k} is not the same schema as {}",
                twin.same_as
            ));
        }
    }
    let tags: BTreeSet<&str> = raw.iter().map(|r| r.tag()).collect();
    for k in ov.tags.keys() {
        if !tags.contains(k.as_str()) {
            return Err(format!("overrides.json: tags.{k} is no tag of the spec"));
        }
    }

    let mut types = Types::new(spec, ov);
    let mut ops = Vec::new();
    for r in &raw {
        let id = r.id().to_owned();
        if id.is_empty() {
            return Err(format!("{} {} has no operationId", r.method, r.path));
        }
        let tag = r.tag().to_owned();
        let module = match ov.tags.get(&tag) {
            Some(t) => t.module.clone(),
            None => names::tag_module(&tag).ok_or_else(|| {
                format!("the tag {tag:?} is no Rust identifier: give it a module in overrides.json tags")
            })?,
        };
        let handmade = ov.handmade.get(&id).map(|h| h.rust.clone());
        let skipped = ov.skip.get(&id).map(|s| s.reason.clone());
        let name = if handmade.is_none() && skipped.is_none() {
            let n = ov
                .names
                .get(&id)
                .map(|n| n.rust.clone())
                .unwrap_or_else(|| names::pascal(&id));
            names::unique(&mut types.taken, &n)
        } else {
            String::new()
        };
        ops.push(Op {
            id,
            name,
            tag,
            module,
            method: r.method.clone(),
            path: r.path.to_owned(),
            params: Vec::new(),
            body: None,
            output: Output::Empty,
            handmade,
            skipped,
        });
    }

    for (op, r) in ops.iter_mut().zip(&raw) {
        let typed = op.generated();
        let shape = success(spec, ov, r.op).map_err(|e| format!("{}: {e}", op.id))?;
        op.output = match shape {
            Shape::Empty => Output::Empty,
            Shape::Bytes(media) => Output::Bytes(media),
            Shape::Json(schema) => match ov.responses.get(&op.id) {
                Some(e) => {
                    let schema = match &e.schema {
                        Some(name) => spec.schemas().get(name).ok_or_else(|| {
                            format!("overrides.json: responses.{}: no schema {name}", op.id)
                        })?,
                        None => schema,
                    };
                    let t = typed.then(|| {
                        types.ty(
                            schema,
                            &format!("{}{}", op.name, names::pascal(&e.key)),
                            &format!("`{}` of the response of `{}`.", e.key, op.id),
                        )
                    });
                    Output::One(e.key.clone(), t)
                }
                None => match envelope(spec, &types, schema, &op.method) {
                    Envelope::Whole(s) => Output::Whole(typed.then(|| {
                        types.ty(
                            s,
                            &format!("{}Response", op.name),
                            &format!("Response of `{}`.", op.id),
                        )
                    })),
                    Envelope::One(k, s) => {
                        let t = typed.then(|| {
                            types.ty(
                                s,
                                &format!("{}{}", op.name, names::pascal(&k)),
                                &format!("`{k}` of the response of `{}`.", op.id),
                            )
                        });
                        Output::One(k, t)
                    }
                    Envelope::Page(k, s) => {
                        let t = typed.then(|| {
                            types.ty(
                                s,
                                &format!("{}{}Item", op.name, names::pascal(&k)),
                                &format!("An item of `{k}` of `{}`.", op.id),
                            )
                        });
                        Output::Page(k, t)
                    }
                },
            },
        };
        let listing = matches!(op.output, Output::Page(..));

        let skip: Vec<String> = ov
            .params
            .get(&op.id)
            .map(|p| p.skip.clone())
            .unwrap_or_default();
        let mut idents = BTreeSet::from(["body".to_owned()]);
        let mut params = Vec::new();
        for p in r.path_params.iter().chain(arr_of(r.op, "parameters")) {
            let p = spec.resolve(p);
            let (Some(name), Some(loc)) = (str_of(p, "name"), str_of(p, "in")) else {
                return Err(format!("{}: a parameter without a name or place", op.id));
            };
            let loc = match loc {
                "path" => Loc::Path,
                "query" => Loc::Query,
                "header" => Loc::Header,
                other => {
                    return Err(format!(
                        "{}: parameter {name} in {other}: no rule for it",
                        op.id
                    ))
                }
            };
            if skip.iter().any(|s| s == name)
                || (listing && loc == Loc::Query && (name == "page" || name == "per_page"))
            {
                continue;
            }
            let schema = p.get("schema").unwrap_or(&Value::Null);
            let required = loc == Loc::Path || spec::flag(p, "required");
            let ty = typed.then(|| {
                param_ty(
                    spec,
                    &mut types,
                    schema,
                    &format!("{}{}", op.name, names::pascal(name)),
                    &format!("`{name}` of `{}`.", op.id),
                )
            });
            params.push(Param {
                name: name.to_owned(),
                ident: names::unique(&mut idents, &names::field_ident(name)),
                loc,
                required,
                kind: pkind(spec, schema),
                ty,
            });
        }
        for s in &skip {
            if !params.iter().any(|p| &p.name == s)
                && !arr_of(r.op, "parameters")
                    .iter()
                    .any(|p| str_of(spec.resolve(p), "name") == Some(s))
            {
                return Err(format!(
                    "overrides.json: params.{} skips {s}, which it does not have",
                    op.id
                ));
            }
        }
        params.sort_by_key(|p| match p.loc {
            Loc::Path => 0,
            Loc::Query => 1,
            Loc::Header => 2,
        });
        op.params = params;

        if let Some(rb) = r.op.get("requestBody") {
            let rb = spec.resolve(rb);
            let content = rb.get("content").and_then(Value::as_object);
            let required = spec::flag(rb, "required");
            match content.and_then(|c| c.get("application/json")) {
                Some(media) => {
                    let schema = media.get("schema").unwrap_or(&Value::Null);
                    // A hand-made model is a response model (its required
                    // fields are plain): a body that is one is its own
                    // type, from the same schema.
                    let hand_made = spec::schema_ref(schema).is_some_and(|r| {
                        let r = ov.twins.get(r).map_or(r, |t| t.same_as.as_str());
                        ov.models.contains_key(r)
                    });
                    let schema = if hand_made {
                        spec.resolve(schema)
                    } else {
                        schema
                    };
                    let ty = typed.then(|| {
                        types.ty(
                            schema,
                            &format!("{}Body", op.name),
                            &format!("Body of `{}`.", op.id),
                        )
                    });
                    op.body = Some(Body { required, ty });
                }
                None if typed => {
                    let kinds: Vec<&String> =
                        content.map(|c| c.keys().collect()).unwrap_or_default();
                    return Err(format!("{}: a body of {kinds:?}: no rule for it; skip the operation in overrides.json with a reason", op.id));
                }
                None => op.body = Some(Body { required, ty: None }),
            }
        }
    }

    types.box_cycles();
    for op in &ops {
        let mut used = Vec::new();
        for p in &op.params {
            used.extend(p.ty.clone());
        }
        match &op.output {
            Output::Whole(Some(t)) | Output::One(_, Some(t)) | Output::Page(_, Some(t)) => {
                used.push(t.clone())
            }
            _ => {}
        }
        for t in used {
            types.mark(&t, &op.module, false);
        }
        if let Some(Body { ty: Some(t), .. }) = &op.body {
            types.mark(t, &op.module, true);
        }
    }
    types.compute_checks();
    for d in types.defs.iter().filter(|d| d.request) {
        if let crate::model::Def::Struct(fs) = &d.def {
            if let Some(f) = fs.iter().find(|f| matches!(&f.ty, Ty::External(_))) {
                return Err(format!(
                    "{}.{}: a hand-made model inside a request body: no rule for it (its required fields are plain)",
                    d.name, f.json
                ));
            }
        }
    }
    for k in ov.fields.keys() {
        if !types.used_fields.contains(k) {
            return Err(format!(
                "overrides.json: fields.{k} names no property of a generated type"
            ));
        }
    }
    Ok((ops, types))
}

/// The success response of an operation.
fn success<'s>(spec: &'s Spec, ov: &Overrides, op: &'s Value) -> Result<Shape<'s>, String> {
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        return Ok(Shape::Empty);
    };
    let mut codes: Vec<&String> = responses.keys().collect();
    codes.sort();
    let mut media = BTreeSet::new();
    for code in &codes {
        let error = code.starts_with('4')
            || code.starts_with('5')
            || ov.error_responses.ignore.contains(code);
        if !code.starts_with('2') {
            if error {
                continue;
            }
            return Err(format!("response {code}: no rule for it (add it to error_responses.ignore if it is an error)"));
        }
        let r = spec.resolve(&responses[code.as_str()]);
        let Some(content) = r.get("content").and_then(Value::as_object) else {
            continue;
        };
        if let Some(media) = content.get("application/json") {
            return Ok(Shape::Json(media.get("schema").unwrap_or(&Value::Null)));
        }
        media.extend(content.keys().map(String::as_str));
    }
    Ok(if media.is_empty() {
        Shape::Empty
    } else {
        Shape::Bytes(media.into_iter().collect::<Vec<_>>().join(", "))
    })
}

fn envelope<'s>(
    spec: &'s Spec,
    types: &Types<'s>,
    schema: &'s Value,
    method: &str,
) -> Envelope<'s> {
    let s = spec.resolve(schema);
    if s.get("oneOf").is_some() || s.get("anyOf").is_some() {
        return Envelope::Whole(schema);
    }
    let (props, _) = types.collect(schema);
    let is_array = |v: &Value| {
        let v = spec.resolve(v);
        str_of(v, "type") == Some("array") || v.get("items").is_some()
    };
    let paged = props.contains_key("links") || props.contains_key("meta");
    let arrays: Vec<(&String, &&Value)> = props
        .iter()
        .filter(|(k, v)| k.as_str() != "links" && k.as_str() != "meta" && is_array(v))
        .collect();
    // Only a GET is a listing: the paginator follows `next` with GETs.
    if paged && arrays.len() == 1 && method == "GET" {
        let (k, v) = arrays[0];
        let items = spec.resolve(v).get("items").unwrap_or(&Value::Null);
        return Envelope::Page(k.clone(), items);
    }
    if props.len() == 1 {
        if let Some((k, v)) = props.iter().next() {
            // A value that may be null is an optional field of the whole
            // body: the value itself cannot be null.
            let nullable = spec.resolve(v).get("nullable") == Some(&Value::Bool(true));
            if k != "links" && k != "meta" && !nullable {
                return Envelope::One(k.clone(), v);
            }
        }
    }
    Envelope::Whole(schema)
}

/// The Rust type of a parameter.
fn param_ty<'s>(
    spec: &'s Spec,
    types: &mut Types<'s>,
    schema: &'s Value,
    name: &str,
    doc: &str,
) -> Ty {
    let s = spec.resolve(schema);
    if s.get("oneOf").is_some() || s.get("anyOf").is_some() {
        // An id or a slug, say: any of them is a string.
        return Ty::Str;
    }
    if s.get("enum").is_some() && matches!(str_of(s, "type"), None | Some("string")) {
        return types.ty(schema, name, doc);
    }
    match str_of(s, "type") {
        Some("integer") => integer(s),
        Some("number") => Ty::Number,
        Some("boolean") => Ty::Bool,
        Some("array") => {
            let items = s.get("items").unwrap_or(&Value::Null);
            Ty::Vec(Box::new(param_ty(
                spec,
                types,
                items,
                &format!("{name}Item"),
                doc,
            )))
        }
        _ => match str_of(s, "format") {
            Some("ipv4" | "ipv6") => Ty::Ip,
            Some("date-time") => Ty::Time,
            _ => Ty::Str,
        },
    }
}

/// What a parameter's value is.
fn pkind(spec: &Spec, schema: &Value) -> PKind {
    let s = spec.resolve(schema);
    if s.get("oneOf").is_some() || s.get("anyOf").is_some() {
        return PKind::Str {
            values: Vec::new(),
            format: None,
        };
    }
    let bound = |v: Option<f64>| {
        v.filter(|x| x.fract() == 0.0 && x.abs() < 9.0e15)
            .map(|x| x as i64)
    };
    match str_of(s, "type") {
        Some("integer") => PKind::Integer {
            min: bound(minimum(s)),
            max: bound(maximum(s)),
        },
        Some("number") => PKind::Number,
        Some("boolean") => PKind::Boolean,
        Some("array") => PKind::Array(Box::new(pkind(
            spec,
            s.get("items").unwrap_or(&Value::Null),
        ))),
        _ => PKind::Str {
            values: arr_of(s, "enum")
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            format: str_of(s, "format").map(str::to_owned),
        },
    }
}

/// Operations per module: generated, hand-made, skipped.
pub fn counts(ops: &[Op]) -> BTreeMap<(String, String), (usize, usize, usize)> {
    let mut out: BTreeMap<(String, String), (usize, usize, usize)> = BTreeMap::new();
    for op in ops {
        let e = out.entry((op.module.clone(), op.tag.clone())).or_default();
        if op.handmade.is_some() {
            e.1 += 1;
        } else if op.skipped.is_some() {
            e.2 += 1;
        } else {
            e.0 += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ov() -> Overrides {
        Overrides::parse(
            r#"{"error_responses": {"ignore": ["default"], "reason": "r"},
                "required_in_responses": {"reason": "r"},
                "default_features": {"tags": [], "reason": "r"},
                "handmade": {"things_get": {"rust": ["GetThing"], "reason": "r"}}}"#,
        )
        .unwrap()
    }

    fn spec() -> Spec {
        let thing =
            json!({"type": "object", "properties": {"id": {"type": "integer", "minimum": 1}}});
        Spec::parse(
            &json!({
                "paths": {
                    "/v2/things": {
                        "get": {"operationId": "things_list", "tags": ["Things"],
                            "parameters": [{"name": "per_page", "in": "query", "schema": {"type": "integer"}},
                                           {"name": "page", "in": "query", "schema": {"type": "integer"}},
                                           {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}}],
                            "responses": {"200": {"content": {"application/json": {"schema": {"allOf": [
                                {"properties": {"things": {"type": "array", "items": {"$ref": "#/components/schemas/thing"}}}},
                                {"properties": {"links": {"type": "object"}, "meta": {"type": "object"}}}]}}}},
                                "default": {"description": "error"}}},
                        "post": {"operationId": "things_create", "tags": ["Things"],
                            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/thing"}}}},
                            "responses": {"201": {"content": {"application/json": {"schema": {"properties": {"thing": {"$ref": "#/components/schemas/thing"}}}}}}}}
                    },
                    "/v2/things/{thing_id}": {
                        "get": {"operationId": "things_get", "tags": ["Things"],
                            "parameters": [{"name": "thing_id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}],
                            "responses": {"200": {"content": {"application/json": {"schema": {"properties": {"thing": {"$ref": "#/components/schemas/thing"}}}}}}}},
                        "delete": {"operationId": "things_delete", "tags": ["Things"],
                            "parameters": [{"name": "thing_id", "in": "path", "required": true, "schema": {"type": "string"}}],
                            "responses": {"204": {"description": "gone"}}}
                    },
                    "/v2/things/{thing_id}/status": {
                        "get": {"operationId": "things_status", "tags": ["Things"],
                            "parameters": [{"name": "thing_id", "in": "path", "schema": {"type": "integer"}}],
                            "responses": {"200": {"content": {"application/json": {"schema": {"properties": {
                                "state": {"type": "string"}, "since": {"type": "string", "format": "date-time"}}}}}}}}
                    }
                },
                "components": {"schemas": {"thing": thing}}
            })
            .to_string(),
        )
        .unwrap()
    }

    #[test]
    fn listings_pages_and_envelopes() {
        let s = spec();
        let o = ov();
        let (ops, types) = build(&s, &o).unwrap();
        let by = |id: &str| ops.iter().find(|o| o.id == id).unwrap();
        let list = by("things_list");
        assert_eq!(list.list_key(), Some("things"));
        assert_eq!(
            list.params
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>(),
            ["kind"],
            "page and per_page are the paginator's"
        );
        assert!(
            matches!(&list.params[0].ty, Some(Ty::Named(i)) if types.defs[*i].name == "ThingsListKind")
        );
        assert!(matches!(&by("things_create").output, Output::One(k, Some(_)) if k == "thing"));
        assert!(by("things_create")
            .body
            .as_ref()
            .is_some_and(|b| b.required));
        assert!(matches!(by("things_delete").output, Output::Empty));
        assert!(
            matches!(&by("things_status").output, Output::Whole(Some(Ty::Named(i))) if types.defs[*i].name == "ThingsStatusResponse")
        );
        assert_eq!(
            by("things_status").params[0].ty,
            Some(Ty::I64),
            "no minimum: signed"
        );
        assert_eq!(by("things_delete").params[0].ty, Some(Ty::Str));
    }

    #[test]
    fn hand_made_operations_are_listed_but_not_typed() {
        let s = spec();
        let o = ov();
        let (ops, _) = build(&s, &o).unwrap();
        let get = ops.iter().find(|o| o.id == "things_get").unwrap();
        assert!(!get.generated());
        assert!(get.name.is_empty());
        assert!(matches!(&get.output, Output::One(k, None) if k == "thing"));
        assert_eq!(
            get.params[0].kind,
            PKind::Integer {
                min: Some(1),
                max: None
            }
        );
        assert_eq!(counts(&ops)[&("things".into(), "Things".into())], (4, 1, 0));
    }
}
