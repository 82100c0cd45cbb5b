//! From the spec's schemas to Rust types: the rules of type mapping.
//!
//! - A component schema that is an object, an `allOf`, a string enum or a
//!   `oneOf`/`anyOf` of two or more types is a named type; any other
//!   component (a string, an array, a map) is used as the type it is.
//! - An inline object or string enum is a named type too, named after its
//!   parent and field (`Droplet` + `networks` → `DropletNetworks`, array
//!   items add `Item`, map values `Value`); identical inline types are one.
//! - `allOf` merges the properties and `required` of its parts into one
//!   struct; a `oneOf`/`anyOf` inside an `allOf` adds its variants'
//!   properties; a `oneOf`/`anyOf` whose variants only list `required`
//!   keys is a constraint, not a type.
//! - Scalars: `string` is `String` (`date-time` is
//!   `chrono::DateTime<Utc>`), `integer` is `u64` when its `minimum` is at
//!   least 0 and `i64` otherwise, `number` is `serde_json::Number`,
//!   `boolean` is `bool`; an object without properties is
//!   `serde_json::Map` (or a `BTreeMap` of a typed `additionalProperties`);
//!   a schema without a type is `serde_json::Value`.
//! - A `oneOf`/`anyOf` is an enum of its variants, one per Rust type.
//! - A struct that contains itself by value boxes the field that closes
//!   the cycle.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::names;
use crate::overrides::Overrides;
use crate::spec::{self, arr_of, str_of, Spec};

/// A Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    /// `String`.
    Str,
    /// `u64`.
    U64,
    /// `i64`.
    I64,
    /// `bool`.
    Bool,
    /// `serde_json::Number`.
    Number,
    /// `chrono::DateTime<chrono::Utc>`.
    Time,
    /// `std::net::IpAddr` (parameters only).
    Ip,
    /// `serde_json::Value`.
    Value,
    /// `serde_json::Map<String, serde_json::Value>`.
    Object,
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// `Box<T>`.
    Boxed(Box<Ty>),
    /// A generated type, by index.
    Named(usize),
    /// A hand-made model, by its name in `crate::models`.
    External(String),
}

impl Ty {
    /// Calls `f` with every generated type this one names.
    pub fn each_named(&self, f: &mut impl FnMut(usize)) {
        match self {
            Ty::Vec(t) | Ty::Map(t) | Ty::Boxed(t) => t.each_named(f),
            Ty::Named(i) => f(*i),
            _ => {}
        }
    }
}

/// The JSON kind a union variant takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JKind {
    /// An object.
    Object,
    /// An array.
    Array,
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// Anything.
    Any,
}

/// When a value can be a variant (see `models::json::Variant`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Its kind.
    pub kind: JKind,
    /// Keys it must have.
    pub required: Vec<String>,
    /// Keys whose values are fixed.
    pub values: Vec<(String, Vec<String>)>,
    /// The keys it knows.
    pub known: Vec<String>,
    /// A free-form object (no properties): tried after the others.
    pub free: bool,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The JSON key.
    pub json: String,
    /// The Rust field name.
    pub ident: String,
    /// Its type (always wrapped in `Option`).
    pub ty: Ty,
    /// Required by the spec (and not overridden).
    pub required: bool,
    /// Read-only: sent by the service, never by the client.
    pub read_only: bool,
}

/// A union variant.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The variant name.
    pub ident: String,
    /// Its type.
    pub ty: Ty,
    /// When a value can be it.
    pub rule: Rule,
    /// The schema, when it is a component.
    pub schema: Option<String>,
}

/// What a generated type is.
#[derive(Debug, Clone)]
pub enum Def {
    /// Not built yet.
    Pending,
    /// A struct of optional fields.
    Struct(Vec<Field>),
    /// A string enum.
    Enum(Vec<String>),
    /// A `oneOf`/`anyOf`.
    Union(Vec<Variant>),
    /// Another name for a type (a union whose variants are one type).
    Alias(Ty),
}

/// A generated type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Its Rust name.
    pub name: String,
    /// Its doc line.
    pub doc: String,
    /// What it is.
    pub def: Def,
    /// The component schema, if it is one.
    pub component: Option<String>,
    /// The features of the operations that use it.
    pub groups: BTreeSet<String>,
    /// Whether a request body contains it.
    pub request: bool,
    /// Whether it has required fields to check before sending (itself or
    /// inside).
    pub check: bool,
}

/// A union the decoder cannot always tell apart, as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    /// The union's Rust name.
    pub union: String,
    /// The variants concerned.
    pub variants: Vec<String>,
    /// Why.
    pub what: String,
}

/// Every generated type, built on demand from the schemas the operations
/// reach.
pub struct Types<'s> {
    spec: &'s Spec,
    ov: &'s Overrides,
    /// The types, in the order they were found.
    pub defs: Vec<TypeDef>,
    memo: BTreeMap<String, Ty>,
    inline: BTreeMap<String, usize>,
    /// Names in use (operations first).
    pub taken: BTreeSet<String>,
    building: BTreeSet<String>,
    /// The unions the decoder cannot always tell apart.
    pub ambiguities: Vec<Ambiguity>,
    /// Overrides of fields that were used.
    pub used_fields: BTreeSet<String>,
}

/// Whether a schema only constrains which keys are present (`{required:
/// [...]}` in a `oneOf`/`anyOf`), without a type of its own.
fn constraint_only(v: &Value) -> bool {
    const TYPING: &[&str] = &[
        "type",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "enum",
        "$ref",
        "additionalProperties",
    ];
    v.get("required").is_some() && !TYPING.iter().any(|k| v.get(*k).is_some())
}

/// The string values of a string enum, or `None`.
fn string_enum(s: &Value) -> Option<Vec<String>> {
    let values = s.get("enum")?.as_array()?;
    if !matches!(str_of(s, "type"), None | Some("string")) {
        return None;
    }
    let mut out = Vec::new();
    for v in values {
        match v {
            Value::String(x) => {
                if !out.contains(x) {
                    out.push(x.clone());
                }
            }
            Value::Null => {}
            _ => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The `minimum` of a schema, if any.
pub fn minimum(s: &Value) -> Option<f64> {
    s.get("minimum").and_then(Value::as_f64)
}

/// The `maximum` of a schema, if any.
pub fn maximum(s: &Value) -> Option<f64> {
    s.get("maximum").and_then(Value::as_f64)
}

/// The integer type of an integer schema: `u64` when its minimum is at
/// least 0; else `i64`, unless the spec itself gives a value beyond
/// `i64::MAX` (a `maximum`, `default` or `example`): then
/// `serde_json::Number`.
pub fn integer(s: &Value) -> Ty {
    if minimum(s).is_some_and(|m| m >= 0.0) {
        return Ty::U64;
    }
    let beyond = ["maximum", "default", "example"]
        .iter()
        .filter_map(|k| s.get(*k))
        .any(|v| {
            v.as_u64().is_some_and(|x| x > i64::MAX as u64)
                || v.as_f64().is_some_and(|x| x >= 9.223_372_036_854_776e18)
        });
    // Beyond i64 and possibly negative (no minimum, or a negative one):
    // no integer type holds both.
    if beyond {
        Ty::Number
    } else {
        Ty::I64
    }
}

impl<'s> Types<'s> {
    /// No types yet.
    pub fn new(spec: &'s Spec, ov: &'s Overrides) -> Self {
        Types {
            spec,
            ov,
            defs: Vec::new(),
            memo: BTreeMap::new(),
            inline: BTreeMap::new(),
            taken: BTreeSet::new(),
            building: BTreeSet::new(),
            ambiguities: Vec::new(),
            used_fields: BTreeSet::new(),
        }
    }

    /// The real variants of a `oneOf`/`anyOf` (not constraints), if the
    /// schema is one.
    fn variants<'v>(&self, s: &'v Value) -> Option<Vec<&'v Value>> {
        for key in ["oneOf", "anyOf"] {
            let all = arr_of(s, key);
            if !all.is_empty() {
                let real: Vec<&Value> = all.iter().filter(|v| !constraint_only(v)).collect();
                return (!real.is_empty()).then_some(real);
            }
        }
        None
    }

    /// The parts of an `allOf` that say something about the value: not
    /// those that only annotate (`{"type": "object", "description": ..}`),
    /// and not those that only add `required` keys to a hand-made model.
    fn all_of<'v>(&self, s: &'v Value) -> Vec<&'v Value> {
        const TYPING: &[&str] = &[
            "$ref",
            "properties",
            "allOf",
            "oneOf",
            "anyOf",
            "items",
            "additionalProperties",
            "enum",
        ];
        let parts = arr_of(s, "allOf");
        let typed: Vec<&Value> = parts
            .iter()
            .filter(|p| TYPING.iter().any(|k| p.get(*k).is_some()))
            .collect();
        let hand_made = typed.len() == 1
            && spec::schema_ref(typed[0])
                .is_some_and(|r| self.ov.models.contains_key(r) || self.ov.twins.contains_key(r));
        if hand_made {
            return typed;
        }
        parts
            .iter()
            .filter(|p| {
                TYPING.iter().any(|k| p.get(*k).is_some()) || !arr_of(p, "required").is_empty()
            })
            .collect()
    }

    /// Whether a schema has properties of its own or through `allOf`.
    fn is_struct(&self, s: &Value) -> bool {
        let own = s
            .get("properties")
            .is_some_and(|p| p.as_object().is_some_and(|m| !m.is_empty()));
        own || self.all_of(s).len() > 1
            || (!self.all_of(s).is_empty() && s.get("properties").is_some())
    }

    /// The type of a schema; `name` and `doc` are for an inline type it
    /// defines.
    pub fn ty(&mut self, s: &'s Value, name: &str, doc: &str) -> Ty {
        if let Some(r) = spec::schema_ref(s) {
            return self.component(r);
        }
        if s.get("$ref").is_some() {
            return self.ty(self.spec.resolve(s), name, doc);
        }
        let all = self.all_of(s);
        if all.len() == 1 && !self.is_struct(s) && self.variants(s).is_none() {
            return self.ty(all[0], name, doc);
        }
        if !self.is_struct(s) {
            if let Some(vs) = self.variants(s) {
                return self.union(s, vs, name, doc, None);
            }
        }
        if let Some(values) = string_enum(s) {
            return self.inline_def(Def::Enum(values), name, doc);
        }
        if self.is_struct(s) {
            let fields = self.fields(s, name, None);
            return self.inline_def(Def::Struct(fields), name, doc);
        }
        self.scalar(s, name, doc)
    }

    fn scalar(&mut self, s: &'s Value, name: &str, doc: &str) -> Ty {
        match str_of(s, "type") {
            Some("string") => match str_of(s, "format") {
                Some("date-time") => Ty::Time,
                _ => Ty::Str,
            },
            Some("integer") => integer(s),
            Some("number") => Ty::Number,
            Some("boolean") => Ty::Bool,
            Some("array") => self.array(s, name, doc),
            Some("object") => match s.get("additionalProperties") {
                Some(ap) if ap.is_object() && ap.as_object().is_some_and(|m| !m.is_empty()) => {
                    Ty::Map(Box::new(self.ty(ap, &format!("{name}Value"), doc)))
                }
                _ => Ty::Object,
            },
            _ if s.get("items").is_some() => self.array(s, name, doc),
            _ => Ty::Value,
        }
    }

    fn array(&mut self, s: &'s Value, name: &str, doc: &str) -> Ty {
        match s.get("items") {
            Some(items) => Ty::Vec(Box::new(self.ty(items, &format!("{name}Item"), doc))),
            None => Ty::Vec(Box::new(Ty::Value)),
        }
    }

    /// The type of a component schema.
    pub fn component(&mut self, name: &str) -> Ty {
        if let Some(m) = self.ov.models.get(name) {
            return Ty::External(m.rust.clone());
        }
        if let Some(t) = self.ov.twins.get(name) {
            return self.component(&t.same_as);
        }
        if let Some(t) = self.memo.get(name) {
            return t.clone();
        }
        let spec = self.spec;
        let Some(s) = spec.schemas().get(name) else {
            return Ty::Value;
        };
        let tyname = names::type_name(name);
        let doc = format!("The spec's `{name}` schema.");
        let is_union = !self.is_struct(s) && self.variants(s).is_some_and(|v| v.len() > 1);
        let named = self.is_struct(s) || is_union || string_enum(s).is_some();
        if !named {
            if !self.building.insert(name.to_owned()) {
                return Ty::Value;
            }
            let t = self.ty(s, &tyname, &doc);
            self.building.remove(name);
            self.memo.insert(name.to_owned(), t.clone());
            return t;
        }
        let idx = self.reserve(&tyname, doc, Some(name));
        self.memo.insert(name.to_owned(), Ty::Named(idx));
        let real = self.defs[idx].name.clone();
        let def = if let Some(values) = string_enum(s).filter(|_| !self.is_struct(s)) {
            Def::Enum(values)
        } else if is_union {
            let vs = self.variants(s).unwrap_or_default();
            self.union_def(s, vs, &real)
        } else {
            Def::Struct(self.fields(s, &real, Some(name)))
        };
        self.defs[idx].def = def;
        Ty::Named(idx)
    }

    fn reserve(&mut self, name: &str, doc: String, component: Option<&str>) -> usize {
        let name = names::unique(&mut self.taken, name);
        self.defs.push(TypeDef {
            name,
            doc,
            def: Def::Pending,
            component: component.map(str::to_owned),
            groups: BTreeSet::new(),
            request: false,
            check: false,
        });
        self.defs.len() - 1
    }

    /// An inline struct or enum: the same as an earlier identical one, or
    /// a new type.
    fn inline_def(&mut self, def: Def, name: &str, doc: &str) -> Ty {
        let key = self.key(&def);
        if let Some(&i) = self.inline.get(&key) {
            return Ty::Named(i);
        }
        let idx = self.reserve(name, doc.to_owned(), None);
        self.defs[idx].def = def;
        self.inline.insert(key, idx);
        Ty::Named(idx)
    }

    /// What makes two inline types the same.
    fn key(&self, def: &Def) -> String {
        match def {
            Def::Struct(fields) => {
                let mut k = String::from("struct");
                for f in fields {
                    k.push_str(&format!(
                        "|{}:{:?}:{}:{}",
                        f.json, f.ty, f.required, f.read_only
                    ));
                }
                k
            }
            Def::Enum(values) => format!("enum|{}", values.join("|")),
            Def::Union(vs) => {
                let mut k = String::from("union");
                for v in vs {
                    k.push_str(&format!("|{}:{:?}:{:?}", v.ident, v.ty, v.rule));
                }
                k
            }
            Def::Alias(t) => format!("alias|{t:?}"),
            Def::Pending => String::new(),
        }
    }

    /// The properties (merged through `allOf`) and required keys of an
    /// object schema.
    pub fn collect(&self, s: &'s Value) -> (BTreeMap<String, &'s Value>, BTreeSet<String>) {
        let mut props = BTreeMap::new();
        let mut req = BTreeSet::new();
        self.collect_into(s, &mut props, &mut req, 0);
        (props, req)
    }

    fn collect_into(
        &self,
        s: &'s Value,
        props: &mut BTreeMap<String, &'s Value>,
        req: &mut BTreeSet<String>,
        depth: usize,
    ) {
        if depth > 32 {
            return;
        }
        let s = self.spec.resolve(s);
        for part in self.all_of(s) {
            self.collect_into(part, props, req, depth + 1);
        }
        if let Some(p) = s.get("properties").and_then(Value::as_object) {
            for (k, v) in p {
                props.insert(k.clone(), v);
            }
        }
        for r in arr_of(s, "required") {
            if let Some(r) = r.as_str() {
                req.insert(r.to_owned());
            }
        }
        if depth > 0 || self.is_struct(s) {
            // The variants of a union inside a struct add their properties,
            // as optional ones.
            if let Some(vs) = self.variants(s) {
                for v in vs {
                    let mut ignored = BTreeSet::new();
                    self.collect_into(v, props, &mut ignored, depth + 1);
                }
            }
        }
    }

    fn read_only(&self, s: &Value) -> bool {
        let s = self.spec.resolve(s);
        spec::flag(s, "readOnly")
            || arr_of(s, "allOf")
                .iter()
                .any(|p| spec::flag(self.spec.resolve(p), "readOnly"))
    }

    fn fields(&mut self, s: &'s Value, tyname: &str, component: Option<&str>) -> Vec<Field> {
        let (props, req) = self.collect(s);
        let mut idents = BTreeSet::new();
        let mut fields = Vec::new();
        for (json, p) in props {
            let key = format!("{}.{}", component.unwrap_or(tyname), json);
            let fo = self.ov.fields.get(&key);
            if fo.is_some() {
                self.used_fields.insert(key.clone());
            }
            let ty = match fo.and_then(|f| f.r#type.as_deref()) {
                Some("string") => Ty::Str,
                Some("any") => Ty::Value,
                _ => {
                    let sub = format!("{tyname}{}", names::pascal(&json));
                    let doc = format!("`{json}` of `{tyname}`.");
                    self.ty(p, &sub, &doc)
                }
            };
            let required = req.contains(&json) && !fo.is_some_and(|f| f.optional);
            fields.push(Field {
                ident: names::unique(&mut idents, &names::field_ident(&json)),
                read_only: self.read_only(p),
                json,
                ty,
                required,
            });
        }
        fields
    }

    fn union(
        &mut self,
        s: &'s Value,
        vs: Vec<&'s Value>,
        name: &str,
        doc: &str,
        component: Option<&str>,
    ) -> Ty {
        let def = self.union_def(s, vs, name);
        match def {
            Def::Alias(t) => t,
            def => {
                let key = self.key(&def);
                if let Some(&i) = self.inline.get(&key) {
                    return Ty::Named(i);
                }
                let idx = self.reserve(name, doc.to_owned(), component);
                self.defs[idx].def = def;
                self.inline.insert(key, idx);
                Ty::Named(idx)
            }
        }
    }

    fn label(&self, v: &Value, rv: &Value) -> String {
        if let Some(r) = spec::schema_ref(v) {
            return names::type_name(r);
        }
        match self.kind(rv) {
            JKind::String => "String".into(),
            JKind::Integer => "Integer".into(),
            JKind::Number => "Number".into(),
            JKind::Boolean => "Boolean".into(),
            JKind::Array => "Array".into(),
            JKind::Any => "Any".into(),
            JKind::Object => {
                let (_, req) = self.collect(rv);
                req.iter()
                    .next()
                    .map(|r| names::pascal(r))
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| "Object".into())
            }
        }
    }

    fn kind(&self, rv: &Value) -> JKind {
        match str_of(rv, "type") {
            Some("object") => JKind::Object,
            Some("array") => JKind::Array,
            Some("string") => JKind::String,
            Some("integer") => JKind::Integer,
            Some("number") => JKind::Number,
            Some("boolean") => JKind::Boolean,
            _ if rv.get("properties").is_some() || rv.get("allOf").is_some() => JKind::Object,
            _ if rv.get("items").is_some() => JKind::Array,
            _ if string_enum(rv).is_some() => JKind::String,
            _ => JKind::Any,
        }
    }

    fn union_def(&mut self, s: &'s Value, vs: Vec<&'s Value>, name: &str) -> Def {
        let discr = s.get("discriminator");
        let mut out: Vec<Variant> = Vec::new();
        let mut idents = BTreeSet::new();
        let mut collapsed = Vec::new();
        for v in vs {
            let rv = self.spec.resolve(v);
            let label = self.label(v, rv);
            let ty = self.ty(
                v,
                &format!("{name}{label}"),
                &format!("A variant of `{name}`."),
            );
            if let Some(same) = out.iter().find(|o| o.ty == ty) {
                collapsed.push((same.ident.clone(), label));
                continue;
            }
            let rule = self.rule(v, rv, discr);
            out.push(Variant {
                ident: names::unique(&mut idents, &label),
                ty,
                rule,
                schema: spec::schema_ref(v).map(str::to_owned),
            });
        }
        for (a, b) in collapsed {
            self.ambiguities.push(Ambiguity {
                union: name.to_owned(),
                variants: vec![a, b],
                what: "two variants are the same Rust type: one variant".into(),
            });
        }
        if out.len() == 1 {
            return Def::Alias(out.remove(0).ty);
        }
        // The decoder tries the best fit first: the object variant that
        // leaves the fewest keys unknown. Variants it cannot tell apart
        // know the same keys and have no fixed value that differs.
        for i in 0..out.len() {
            for j in i + 1..out.len() {
                let (a, b) = (&out[i].rule, &out[j].rule);
                if a.kind == JKind::Object
                    && b.kind == JKind::Object
                    && !separated(a, b)
                    && a.known == b.known
                    && a.required == b.required
                {
                    self.ambiguities.push(Ambiguity {
                        union: name.to_owned(),
                        variants: vec![out[i].ident.clone(), out[j].ident.clone()],
                        what: "both variants know the same keys and require the same ones".into(),
                    });
                }
            }
        }
        Def::Union(out)
    }

    fn rule(&self, v: &Value, rv: &'s Value, discr: Option<&Value>) -> Rule {
        let kind = self.kind(rv);
        let mut rule = Rule {
            kind,
            required: Vec::new(),
            values: Vec::new(),
            known: Vec::new(),
            free: false,
        };
        if kind != JKind::Object {
            return rule;
        }
        let (props, req) = self.collect(rv);
        rule.known = props.keys().cloned().collect();
        rule.required = req.iter().cloned().collect();
        rule.free = props.is_empty();
        if let Some(d) = discr {
            if let Some(prop) = str_of(d, "propertyName") {
                let target = v.get("$ref").and_then(Value::as_str);
                let mut values: Vec<String> = d
                    .get("mapping")
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.iter()
                            .filter(|(_, t)| t.as_str() == target && target.is_some())
                            .map(|(k, _)| k.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                if values.is_empty() {
                    if let Some(r) = spec::schema_ref(v) {
                        values.push(r.to_owned());
                    }
                }
                if !rule.required.iter().any(|r| r == prop) {
                    rule.required.push(prop.to_owned());
                    rule.required.sort();
                }
                rule.values.push((prop.to_owned(), values));
                return rule;
            }
        }
        // A required property with a single allowed value is a tag.
        for r in &rule.required {
            if let Some(p) = props.get(r) {
                if let Some(values) = string_enum(self.spec.resolve(p)) {
                    if values.len() == 1 {
                        rule.values.push((r.clone(), values));
                    }
                }
            }
        }
        rule
    }

    /// Boxes the fields that make a type contain itself by value.
    pub fn box_cycles(&mut self) {
        let n = self.defs.len();
        let by_value = |t: &Ty| match t {
            Ty::Named(j) => Some(*j),
            _ => None,
        };
        let edges: Vec<Vec<usize>> = self
            .defs
            .iter()
            .map(|d| match &d.def {
                Def::Struct(fs) => fs.iter().filter_map(|f| by_value(&f.ty)).collect(),
                Def::Union(vs) => vs.iter().filter_map(|v| by_value(&v.ty)).collect(),
                Def::Alias(t) => by_value(t).into_iter().collect(),
                _ => Vec::new(),
            })
            .collect();
        let comp = sccs(n, &edges);
        for i in 0..n {
            let wrap = |t: &mut Ty| {
                if let Ty::Named(j) = t {
                    if comp[*j] == comp[i] {
                        *t = Ty::Boxed(Box::new(Ty::Named(*j)));
                    }
                }
            };
            match &mut self.defs[i].def {
                Def::Struct(fs) => fs.iter_mut().for_each(|f| wrap(&mut f.ty)),
                Def::Union(vs) => vs.iter_mut().for_each(|v| wrap(&mut v.ty)),
                _ => {}
            }
        }
    }

    /// Records that the operations of `group` use `ty` (in a request body
    /// when `request`).
    pub fn mark(&mut self, ty: &Ty, group: &str, request: bool) {
        let mut todo = Vec::new();
        ty.each_named(&mut |i| todo.push(i));
        while let Some(i) = todo.pop() {
            let d = &mut self.defs[i];
            let new_group = d.groups.insert(group.to_owned());
            let new_request = request && !d.request;
            if request {
                d.request = true;
            }
            if new_group || new_request {
                match &d.def {
                    Def::Struct(fs) => fs
                        .iter()
                        .for_each(|f| f.ty.each_named(&mut |j| todo.push(j))),
                    Def::Union(vs) => vs
                        .iter()
                        .for_each(|v| v.ty.each_named(&mut |j| todo.push(j))),
                    Def::Alias(t) => t.each_named(&mut |j| todo.push(j)),
                    _ => {}
                }
            }
        }
    }

    /// Works out which request types have required fields to check, in
    /// themselves or inside.
    pub fn compute_checks(&mut self) {
        loop {
            let mut changed = false;
            for i in 0..self.defs.len() {
                if !self.defs[i].request || self.defs[i].check {
                    continue;
                }
                let inner = |t: &Ty, defs: &[TypeDef]| {
                    let mut any = false;
                    t.each_named(&mut |j| any |= defs[j].check);
                    any
                };
                let check = match &self.defs[i].def {
                    Def::Struct(fs) => fs
                        .iter()
                        .any(|f| (f.required && !f.read_only) || inner(&f.ty, &self.defs)),
                    Def::Union(vs) => vs.iter().any(|v| inner(&v.ty, &self.defs)),
                    Def::Alias(t) => inner(t, &self.defs),
                    _ => false,
                };
                if check {
                    self.defs[i].check = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Whether a type has checks.
    pub fn has_check(&self, t: &Ty) -> bool {
        let mut any = false;
        t.each_named(&mut |j| any |= self.defs[j].check);
        any
    }
}

/// Whether no value can match both rules: a key both fix to disjoint
/// values, and both require.
fn separated(a: &Rule, b: &Rule) -> bool {
    a.values.iter().any(|(k, va)| {
        b.values.iter().any(|(kb, vb)| {
            k == kb
                && a.required.contains(k)
                && b.required.contains(k)
                && va.iter().all(|x| !vb.contains(x))
        })
    })
}

/// The strongly connected component of each node (Tarjan's algorithm,
/// iterative).
fn sccs(n: usize, edges: &[Vec<usize>]) -> Vec<usize> {
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut ncomp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*ei) {
                *ei += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(u, _)) = work.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = ncomp;
                    if w == v {
                        break;
                    }
                }
                ncomp += 1;
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overrides() -> Overrides {
        Overrides::parse(
            r#"{"error_responses": {"ignore": ["default"], "reason": "r"},
                "required_in_responses": {"reason": "r"},
                "default_features": {"tags": [], "reason": "r"},
                "models": {"droplet": {"rust": "Droplet", "reason": "r"}},
                "twins": {"fip": {"same_as": "rip", "reason": "r"}}}"#,
        )
        .unwrap()
    }

    fn spec(schemas: Value) -> Spec {
        Spec::parse(&json!({"paths": {}, "components": {"schemas": schemas}}).to_string()).unwrap()
    }

    fn fields(t: &Types<'_>, ty: &Ty) -> Vec<(String, Ty, bool)> {
        let Ty::Named(i) = ty else { panic!("{ty:?}") };
        match &t.defs[*i].def {
            Def::Struct(fs) => fs
                .iter()
                .map(|f| (f.json.clone(), f.ty.clone(), f.required))
                .collect(),
            d => panic!("{d:?}"),
        }
    }

    #[test]
    fn scalars_map_by_type_format_and_minimum() {
        let s = spec(json!({}));
        let o = overrides();
        let mut t = Types::new(&s, &o);
        let cases = [
            (json!({"type": "string"}), Ty::Str),
            (json!({"type": "string", "format": "date-time"}), Ty::Time),
            (json!({"type": "integer"}), Ty::I64),
            (json!({"type": "integer", "minimum": 0}), Ty::U64),
            (json!({"type": "integer", "minimum": -1}), Ty::I64),
            (json!({"type": "number"}), Ty::Number),
            (json!({"type": "boolean"}), Ty::Bool),
            (json!({"type": "object"}), Ty::Object),
            (json!({}), Ty::Value),
            (
                json!({"type": "array", "items": {"type": "string"}}),
                Ty::Vec(Box::new(Ty::Str)),
            ),
            (
                json!({"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}}),
                Ty::Map(Box::new(Ty::U64)),
            ),
            (
                json!({"type": "object", "additionalProperties": true}),
                Ty::Object,
            ),
            (json!({"type": "integer", "enum": [0, 1]}), Ty::I64),
            (
                json!({"type": "integer", "example": 9223372036854776000u64}),
                Ty::Number,
            ),
            (
                json!({"type": "integer", "minimum": 0, "example": 9223372036854776000u64}),
                Ty::U64,
            ),
            (
                json!({"type": "integer", "minimum": -1, "maximum": 9223372036854776000u64}),
                Ty::Number,
            ),
        ];
        for (schema, want) in cases {
            let v: &'static Value = Box::leak(Box::new(schema));
            assert_eq!(t.ty(v, "X", "doc"), want, "{v}");
        }
    }

    #[test]
    fn all_of_merges_properties_and_required() {
        let s = spec(json!({
            "base": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
            "full": {"allOf": [{"$ref": "#/components/schemas/base"},
                               {"properties": {"name": {"type": "string"}}, "required": ["name"]},
                               {"anyOf": [{"required": ["id"]}, {"required": ["name"]}]}]}
        }));
        let o = overrides();
        let mut t = Types::new(&s, &o);
        let full = t.component("full");
        assert_eq!(t.defs.iter().filter(|d| d.name == "Full").count(), 1);
        assert_eq!(
            fields(&t, &full),
            [("id".into(), Ty::I64, true), ("name".into(), Ty::Str, true)]
        );
        // `base` itself is only generated when something uses it.
        assert!(!t.defs.iter().any(|d| d.name == "Base"));
    }

    #[test]
    fn inline_types_are_named_from_parent_and_field_and_shared_when_equal() {
        let s = spec(json!({
            "droplet": {"type": "object"},
            "lb": {"type": "object", "properties": {
                "rules": {"type": "array", "items": {"type": "object", "properties": {"port": {"type": "integer"}}}},
                "other": {"type": "object", "properties": {"port": {"type": "integer"}}},
                "status": {"type": "string", "enum": ["new", "active"]},
                "owner": {"$ref": "#/components/schemas/droplet"}
            }}
        }));
        let o = overrides();
        let mut t = Types::new(&s, &o);
        let lb = t.component("lb");
        let f = fields(&t, &lb);
        let names: Vec<String> = f
            .iter()
            .map(|(_, ty, _)| match ty {
                Ty::Named(i) => t.defs[*i].name.clone(),
                Ty::Vec(inner) => match &**inner {
                    Ty::Named(i) => format!("Vec<{}>", t.defs[*i].name),
                    x => format!("{x:?}"),
                },
                x => format!("{x:?}"),
            })
            .collect();
        // Sorted by key: other, owner, rules, status. `other` comes first and
        // names the shape that `rules` items share.
        assert_eq!(
            names,
            [
                "LbOther",
                "External(\"Droplet\")",
                "Vec<LbOther>",
                "LbStatus"
            ]
        );
        assert!(
            matches!(&t.defs.iter().find(|d| d.name == "LbStatus").unwrap().def, Def::Enum(v) if v == &["new", "active"])
        );
    }

    #[test]
    fn unions_are_enums_of_distinct_types_with_rules() {
        let s = spec(json!({
            "assign": {"type": "object", "properties": {"type": {"type": "string"}, "droplet_id": {"type": "integer"}}, "required": ["type", "droplet_id"]},
            "unassign": {"type": "object", "properties": {"type": {"type": "string"}}, "required": ["type"]},
            "action": {"anyOf": [{"$ref": "#/components/schemas/unassign"}, {"$ref": "#/components/schemas/assign"}],
                       "discriminator": {"propertyName": "type", "mapping": {
                           "unassign": "#/components/schemas/unassign", "assign": "#/components/schemas/assign"}}},
            "id_or_slug": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "string"}]},
            "one": {"oneOf": [{"type": "string"}]}
        }));
        let o = overrides();
        let mut t = Types::new(&s, &o);
        let Ty::Named(a) = t.component("action") else {
            panic!()
        };
        let Def::Union(vs) = &t.defs[a].def else {
            panic!()
        };
        assert_eq!(
            vs.iter().map(|v| v.ident.as_str()).collect::<Vec<_>>(),
            ["Unassign", "Assign"]
        );
        assert_eq!(
            vs[1].rule.values,
            [("type".to_string(), vec!["assign".to_string()])]
        );
        assert_eq!(vs[1].rule.required, ["droplet_id", "type"]);
        let Ty::Named(u) = t.component("id_or_slug") else {
            panic!()
        };
        let Def::Union(vs) = &t.defs[u].def else {
            panic!()
        };
        assert_eq!(vs.len(), 2, "the second string variant is the first");
        assert_eq!(t.ambiguities.len(), 1);
        assert_eq!(t.component("one"), Ty::Str);
    }

    #[test]
    fn hand_made_models_and_twins_are_not_generated() {
        let s = spec(json!({
            "droplet": {"type": "object", "properties": {"id": {"type": "integer"}}},
            "rip": {"type": "object", "properties": {"ip": {"type": "string"}}},
            "fip": {"type": "object", "properties": {"ip": {"type": "string"}}}
        }));
        let o = overrides();
        let mut t = Types::new(&s, &o);
        assert_eq!(t.component("droplet"), Ty::External("Droplet".into()));
        assert_eq!(t.component("fip"), t.component("rip"));
        assert_eq!(t.defs.len(), 1);
    }

    #[test]
    fn cycles_by_value_are_boxed_and_lists_are_not() {
        let s = spec(json!({
            "node": {"type": "object", "properties": {
                "parent": {"$ref": "#/components/schemas/node"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/node"}}}}
        }));
        let o = overrides();
        let mut t = Types::new(&s, &o);
        let node = t.component("node");
        t.box_cycles();
        let f = fields(&t, &node);
        assert_eq!(f[0].1, Ty::Vec(Box::new(node.clone())));
        assert_eq!(f[1].1, Ty::Boxed(Box::new(node.clone())));
    }

    #[test]
    fn groups_and_checks_follow_the_types_used() {
        let s = spec(json!({
            "inner": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
            "outer": {"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/inner"},
                                                    "id": {"type": "integer", "readOnly": true}}, "required": ["id"]}
        }));
        let o = overrides();
        let mut t = Types::new(&s, &o);
        let outer = t.component("outer");
        t.mark(&outer, "a", true);
        t.mark(&outer, "b", false);
        t.compute_checks();
        for d in &t.defs {
            assert_eq!(
                d.groups.iter().map(String::as_str).collect::<Vec<_>>(),
                ["a", "b"]
            );
            assert!(
                d.request && d.check,
                "{}: `outer` is checked for its `inner`",
                d.name
            );
        }
    }
}
