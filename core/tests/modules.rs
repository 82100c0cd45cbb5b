//! The core's module graph has no cycle: each module imports only modules
//! of the layers below it (see the crate docs).
//!
//! The graph is read from the source: every `crate::`, `$crate::`, `super::`
//! and `self::` path outside comments and `#[cfg(test)]` blocks is an edge
//! from the file's module to the deepest module the path names. A parent's
//! `pub use child::...` is an edge to the child, so a child that reaches an
//! item through its parent's re-export (`super::Item`, `crate::Item`) closes
//! a cycle: name the module that defines the item instead. (`super::`
//! inside an inline module is read as the file's parent: inline modules
//! name what they use from the crate root.)
//!
//! `cargo test -p doapi-core --test modules -- --nocapture` prints the
//! graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).expect("a file under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("a readable directory")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments, string literals' contents and the
/// `#[cfg(test)]` module at its end.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod ") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// Every path the code names from the crate: `crate::a::b`, `super::c`,
/// and each leaf of a use tree such as `crate::{a::X, b::{Y, Z}}`, as
/// absolute module paths (unresolved).
fn paths(code: &str, here: &Module, children: &BTreeSet<Module>) -> Vec<Vec<String>> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let at_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
        let start = ["$crate::", "crate::", "super::", "self::"]
            .into_iter()
            .find(|p| rest.starts_with(p) && (at_word || p.starts_with('$')));
        let Some(prefix) = start else {
            // A path into a child module: `child::Item`.
            if at_word && (chars[i].is_alphabetic() || chars[i] == '_') {
                let end = (i..chars.len())
                    .find(|&j| !(chars[j].is_alphanumeric() || chars[j] == '_'))
                    .unwrap_or(chars.len());
                let word: String = chars[i..end].iter().collect();
                let mut child = here.clone();
                child.push(word);
                let before_is_path = i >= 2 && chars[i - 1] == ':' && chars[i - 2] == ':';
                let path_follows = chars.get(end) == Some(&':') && chars.get(end + 1) == Some(&':');
                if !before_is_path && path_follows && children.contains(&child) {
                    i = tree(&chars, i, here.clone(), &mut found);
                    continue;
                }
                i = end;
                continue;
            }
            i += 1;
            continue;
        };
        let base: Vec<String> = match prefix {
            "super::" => here[..here.len().saturating_sub(1)].to_vec(),
            "self::" => here.clone(),
            _ => Vec::new(),
        };
        i += prefix.len();
        i = tree(&chars, i, base, &mut found);
    }
    found
}

/// Reads a use tree at `i` under `base`; pushes its leaves; returns where
/// it ends.
fn tree(
    chars: &[char],
    mut i: usize,
    mut base: Vec<String>,
    found: &mut Vec<Vec<String>>,
) -> usize {
    loop {
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        if chars.get(i) == Some(&'{') {
            i += 1;
            loop {
                i = tree(chars, i, base.clone(), found);
                while chars.get(i).is_some_and(|c| c.is_whitespace() || *c == ',') {
                    i += 1;
                }
                if chars.get(i) == Some(&'}') || i >= chars.len() {
                    return i + 1;
                }
            }
        }
        let start = i;
        while chars
            .get(i)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_')
        {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        match word.as_str() {
            "" | "self" => {}
            "super" => {
                base.pop();
            }
            w => base.push(w.to_owned()),
        }
        if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
            i += 2;
            continue;
        }
        found.push(base);
        return i;
    }
}

struct Graph {
    modules: BTreeSet<Module>,
    edges: BTreeMap<Module, BTreeSet<Module>>,
}

fn graph() -> Graph {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for file in &files {
        let here = module_of(&src, file);
        let text = std::fs::read_to_string(file).expect("a readable file");
        let targets = edges.entry(here.clone()).or_default();
        for path in paths(&code(&text), &here, &modules) {
            // The deepest module the path names.
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|m| modules.contains(m))
                .unwrap_or_default();
            if target != here {
                targets.insert(target);
            }
        }
    }
    Graph { modules, edges }
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "crate".to_owned()
    } else {
        m.join("::")
    }
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(g: &Graph) -> Vec<Vec<Module>> {
    struct State<'g> {
        g: &'g Graph,
        index: BTreeMap<&'g Module, usize>,
        low: BTreeMap<&'g Module, usize>,
        stack: Vec<&'g Module>,
        on_stack: BTreeSet<&'g Module>,
        next: usize,
        out: Vec<Vec<Module>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g Module) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        let g = s.g;
        for w in g.edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for m in &g.modules {
        if !s.index.contains_key(m) {
            visit(&mut s, m);
        }
    }
    s.out
}

#[test]
fn the_module_graph_has_no_cycle() {
    let g = graph();
    let edge_count: usize = g.edges.values().map(BTreeSet::len).sum();
    println!("{} modules, {edge_count} edges", g.modules.len());
    for (from, to) in &g.edges {
        let to: Vec<String> = to.iter().map(name).collect();
        println!("{} -> {}", name(from), to.join(", "));
    }
    let cycles = cycles(&g);
    let shown: Vec<String> = cycles
        .iter()
        .map(|c| c.iter().map(name).collect::<Vec<_>>().join(" <-> "))
        .collect();
    assert!(
        cycles.is_empty(),
        "modules that import each other (directly or around a loop): {shown:#?}"
    );
}

#[test]
fn the_reader_finds_the_edges_it_should() {
    let here: Module = vec!["wait".into(), "targets".into()];
    let code = code(
        "use crate::{error::Error, models::{Action, Droplet}};\n\
         use super::state::WaitStates; // crate::ignored::in_comment\n\
         fn f() -> $crate::machine::Answer { let s = \"crate::in_string\"; }\n\
         #[cfg(test)]\nmod tests { use crate::testing::Harness; }\n",
    );
    let known: BTreeSet<Module> = [
        here.clone(),
        vec!["wait".into(), "targets".into(), "plan".into()],
    ]
    .into();
    let code = format!("{code}\nfn g() {{ plan::cost(); other::thing(); }}");
    let got: BTreeSet<String> = paths(&code, &here, &known).iter().map(name).collect();
    let want: BTreeSet<String> = [
        "error::Error",
        "models::Action",
        "models::Droplet",
        "wait::state::WaitStates",
        "machine::Answer",
        "wait::targets::plan::cost",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(got, want);
    let two = vec![vec!["a".to_owned()], vec!["b".to_owned()]];
    let g = Graph {
        modules: two.iter().cloned().collect(),
        edges: [
            (two[0].clone(), [two[1].clone()].into()),
            (two[1].clone(), [two[0].clone()].into()),
        ]
        .into(),
    };
    assert_eq!(cycles(&g), vec![two]);
}
