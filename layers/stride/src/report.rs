//! Threat reports: Markdown with a Mermaid data-flow diagram, and a
//! self-contained HTML page with an SVG diagram laid out by `layout-rs`
//! (trust boundaries drawn as dashed boxes around their elements after
//! layout, since the layout engine has no nested graphs). Threats are
//! grouped by element, then STRIDE category; mitigation status comes from
//! `verify` when it ran.

use crate::model::{ElementKind, Model};
use crate::rules::{Stride, Threat};
use crate::verify::{Status, Verification};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Mermaid node ids must not be keywords or contain punctuation: use
/// synthetic ids in model order.
fn mermaid_label(s: &str) -> String {
    s.replace('"', "#quot;").replace('\n', " ")
}

pub fn mermaid(m: &Model) -> String {
    let mut out = String::from("flowchart LR\n");
    let ids: BTreeMap<&str, String> = m
        .elements
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), format!("n{i}")))
        .collect();
    let node = |e: &crate::model::Element| {
        let id = &ids[e.id.as_str()];
        let l = mermaid_label(&e.name);
        match e.kind {
            ElementKind::External => format!("{id}[\"{l}\"]"),
            ElementKind::Process => format!("{id}((\"{l}\"))"),
            ElementKind::Store => format!("{id}[(\"{l}\")]"),
        }
    };
    // Boundaries, nested, each with its direct elements.
    fn emit(
        m: &Model,
        parent: Option<&str>,
        depth: usize,
        out: &mut String,
        node: &dyn Fn(&crate::model::Element) -> String,
    ) {
        if depth > 32 {
            return;
        }
        for (bi, b) in m.boundaries.iter().enumerate() {
            if b.parent.as_deref() != parent {
                continue;
            }
            let pad = "  ".repeat(depth + 1);
            let _ = writeln!(out, "{pad}subgraph b{bi} [\"{}\"]", mermaid_label(&b.name));
            for e in m
                .elements
                .iter()
                .filter(|e| e.boundary.as_deref() == Some(b.id.as_str()))
            {
                let _ = writeln!(out, "{pad}  {}", node(e));
            }
            emit(m, Some(&b.id), depth + 1, out, node);
            let _ = writeln!(out, "{pad}end");
        }
    }
    emit(m, None, 0, &mut out, &node);
    for e in m.elements.iter().filter(|e| e.boundary.is_none()) {
        let _ = writeln!(out, "  {}", node(e));
    }
    let mut crossing = Vec::new();
    for (i, f) in m.flows.iter().enumerate() {
        let (Some(a), Some(b)) = (ids.get(f.from.as_str()), ids.get(f.to.as_str())) else {
            continue;
        };
        let label = mermaid_label(&format!(
            "{}{}",
            f.name,
            if f.protocol.is_empty() {
                String::new()
            } else {
                format!(" ({})", f.protocol)
            }
        ));
        let _ = writeln!(out, "  {a} -->|\"{label}\"| {b}");
        if !f.crosses.is_empty() {
            crossing.push(i);
        }
    }
    if !crossing.is_empty() {
        let list: Vec<String> = crossing.iter().map(usize::to_string).collect();
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:#d33,stroke-width:2px",
            list.join(",")
        );
    }
    out
}

fn grouped(threats: &[Threat]) -> BTreeMap<&str, BTreeMap<Stride, Vec<&Threat>>> {
    let mut g: BTreeMap<&str, BTreeMap<Stride, Vec<&Threat>>> = BTreeMap::new();
    for t in threats {
        g.entry(t.group.as_str())
            .or_default()
            .entry(t.rule.stride)
            .or_default()
            .push(t);
    }
    g
}

fn status_of(t: &Threat) -> String {
    match &t.tracked {
        Some((s, _)) => s.as_str().to_string(),
        None => "open".into(),
    }
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(m: &Model, threats: &[Threat], v: Option<&Verification>) -> String {
    let mut out = String::new();
    let title = if m.title.is_empty() {
        m.file.as_str()
    } else {
        m.title.as_str()
    };
    let _ = writeln!(out, "# Threat model: {}\n", md_cell(title));
    let open = threats
        .iter()
        .filter(|t| !t.tracked.as_ref().is_some_and(|(s, _)| s.closes()))
        .count();
    let _ = writeln!(
        out,
        "Model `{}` ({}): {} elements, {} flows, {} trust boundaries. {} threats, {} open.\n",
        m.file,
        m.format.as_str(),
        m.elements.len(),
        m.flows.len(),
        m.boundaries.len(),
        threats.len(),
        open
    );
    let _ = writeln!(
        out,
        "## Data flow diagram\n\n```mermaid\n{}```\n",
        mermaid(m)
    );
    let _ = writeln!(out, "## Threats by element\n");
    for (group, by) in grouped(threats) {
        let name = m.element(group).map_or(group.to_string(), |e| {
            format!("{} ({})", e.name, e.kind.as_str())
        });
        let _ = writeln!(out, "### {}\n", md_cell(&name));
        let _ = writeln!(out, "| id | STRIDE | rule | severity | on | threat | mitigations | status |\n|---|---|---|---|---|---|---|---|");
        for (stride, ts) in by {
            for t in ts {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} | {} |",
                    t.id,
                    stride.as_str(),
                    t.rule.id,
                    t.severity.as_str(),
                    md_cell(&t.name),
                    md_cell(&t.message),
                    t.rule.mitigations.join(", "),
                    status_of(t)
                );
            }
        }
        out.push('\n');
    }
    if let Some(v) = v {
        let _ = writeln!(
            out,
            "## Mitigations\n\n| mitigation | status | evidence | threats |\n|---|---|---|---|"
        );
        let cell = |st: &Status| match st {
            Status::Implemented(e) => e
                .iter()
                .take(3)
                .map(|e| format!("`{}:{}` {}", e.path, e.line, md_cell(&e.what)))
                .collect::<Vec<_>>()
                .join("<br>"),
            Status::Unknown(why) => md_cell(why),
            Status::Missing => "not found".into(),
        };
        for ms in &v.mitigations {
            let ev = if ms.per_element() {
                "per element below".to_string()
            } else {
                cell(&ms.status)
            };
            let _ = writeln!(
                out,
                "| {} {} | {} | {} | {} |",
                ms.mitigation.id,
                md_cell(ms.mitigation.title),
                ms.summary(),
                ev,
                ms.threats.len()
            );
            if ms.per_element() {
                for p in &ms.parts {
                    let at = match &p.element {
                        Some(e) => format!("at `{}`", md_cell(e)),
                        None => "repository-wide".into(),
                    };
                    let _ = writeln!(
                        out,
                        "| &nbsp;&nbsp;{} {at} | {} | {} | {} |",
                        ms.mitigation.id,
                        p.status.word(),
                        cell(&p.status),
                        p.threats.len()
                    );
                }
            }
        }
        for st in &v.stale {
            let _ = writeln!(
                out,
                "\n- stale scope: element `{}` `{}` pattern `{}` matches nothing",
                md_cell(&st.element),
                st.key,
                md_cell(&st.pattern)
            );
        }
        for p in &v.problems {
            let _ = writeln!(
                out,
                "\n- annotation `{}:{}`: {}",
                md_cell(&p.path),
                p.line,
                md_cell(&p.message)
            );
        }
        out.push('\n');
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The data-flow diagram as SVG. Layout errors (the engine panics on some
/// degenerate graphs) give a short note instead of a diagram.
pub fn svg(m: &Model) -> String {
    let m2 = m.clone();
    std::panic::catch_unwind(move || svg_inner(&m2))
        .unwrap_or_else(|_| "<p>(the diagram could not be laid out for this model)</p>".to_string())
}

fn svg_inner(m: &Model) -> String {
    use layout::backends::svg::SVGWriter;
    use layout::core::base::Orientation;
    use layout::core::geometry::Point;
    use layout::core::style::StyleAttr;
    use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
    use layout::topo::layout::VisualGraph;
    if m.elements.is_empty() {
        return "<p>(no elements)</p>".into();
    }
    let mut vg = VisualGraph::new(Orientation::LeftToRight);
    let mut handles = BTreeMap::new();
    for e in &m.elements {
        let label: String = e.name.chars().take(40).collect();
        let shape = match e.kind {
            ElementKind::Process => ShapeKind::new_circle(&label),
            _ => ShapeKind::new_box(&label),
        };
        let w = (label.chars().count() as f64 * 8.0).clamp(60.0, 320.0);
        let h = vg.add_node(Element::create(
            shape,
            StyleAttr::simple(),
            Orientation::LeftToRight,
            Point::new(w, 50.0),
        ));
        handles.insert(e.id.clone(), h);
    }
    for f in &m.flows {
        if let (Some(a), Some(b)) = (handles.get(&f.from), handles.get(&f.to)) {
            if a != b {
                let label: String = f.name.chars().take(30).collect();
                vg.add_edge(Arrow::simple(&label), *a, *b);
            }
        }
    }
    let mut w = SVGWriter::new();
    vg.do_it(false, false, false, &mut w);
    let mut svg = w.finalize();
    // Boundary boxes around the laid-out elements they hold (nested ones
    // included), outermost first.
    let mut boxes = String::new();
    let chains: Vec<Vec<String>> = m
        .elements
        .iter()
        .map(|e| m.chain(e.boundary.as_deref()))
        .collect();
    for b in &m.boundaries {
        let mut lo = (f64::MAX, f64::MAX);
        let mut hi = (f64::MIN, f64::MIN);
        for (e, chain) in m.elements.iter().zip(&chains) {
            if !chain.contains(&b.id) {
                continue;
            }
            let Some(h) = handles.get(&e.id) else {
                continue;
            };
            let (p1, p2) = vg.pos(*h).bbox(false);
            lo = (lo.0.min(p1.x), lo.1.min(p1.y));
            hi = (hi.0.max(p2.x), hi.1.max(p2.y));
        }
        if lo.0 <= hi.0 {
            let depth = m.chain(Some(&b.id)).len() as f64;
            let pad = 14.0 + 6.0 / depth;
            let _ = writeln!(
                boxes,
                "<g class=\"boundary\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#d33\" stroke-dasharray=\"6 4\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#d33\">{}</text></g>",
                lo.0 - pad,
                lo.1 - pad,
                hi.0 - lo.0 + 2.0 * pad,
                hi.1 - lo.1 + 2.0 * pad,
                lo.0 - pad + 3.0,
                lo.1 - pad + 11.0,
                esc(&b.name)
            );
        }
    }
    if let Some(pos) = svg.rfind("</svg>") {
        svg.insert_str(pos, &boxes);
    }
    // Drop the XML prolog so the SVG can sit inside HTML.
    match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    }
}

pub fn html(m: &Model, threats: &[Threat], v: Option<&Verification>) -> String {
    let mut out = String::new();
    let title = if m.title.is_empty() {
        m.file.as_str()
    } else {
        m.title.as_str()
    };
    let _ = write!(
        out,
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Threat model: {t}</title>\n<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;margin-bottom:1.5em}}td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top}}.open{{color:#b00}}.critical,.high{{font-weight:bold}}</style></head><body>\n<h1>Threat model: {t}</h1>\n<p>Model <code>{f}</code> ({fmt}): {ne} elements, {nf} flows, {nb} trust boundaries, {nt} threats.</p>\n<h2>Data flow diagram</h2>\n",
        t = esc(title),
        f = esc(&m.file),
        fmt = m.format.as_str(),
        ne = m.elements.len(),
        nf = m.flows.len(),
        nb = m.boundaries.len(),
        nt = threats.len()
    );
    out.push_str(&svg(m));
    out.push_str("\n<h2>Threats by element</h2>\n");
    for (group, by) in grouped(threats) {
        let name = m.element(group).map_or(group.to_string(), |e| {
            format!("{} ({})", e.name, e.kind.as_str())
        });
        let _ = writeln!(out, "<h3>{}</h3>\n<table><tr><th>id</th><th>STRIDE</th><th>rule</th><th>severity</th><th>on</th><th>threat</th><th>mitigations</th><th>status</th></tr>", esc(&name));
        for (stride, ts) in by {
            for t in ts {
                let st = status_of(t);
                let _ = writeln!(
                    out,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>",
                    t.id,
                    stride.as_str(),
                    t.rule.id,
                    t.severity.as_str(),
                    t.severity.as_str(),
                    esc(&t.name),
                    esc(&t.message),
                    t.rule.mitigations.join(", "),
                    st,
                    st
                );
            }
        }
        out.push_str("</table>\n");
    }
    if let Some(v) = v {
        out.push_str("<h2>Mitigations</h2>\n<table><tr><th>mitigation</th><th>status</th><th>evidence</th><th>threats</th></tr>\n");
        let cell = |st: &Status| match st {
            Status::Implemented(e) => e
                .iter()
                .take(3)
                .map(|e| format!("<code>{}:{}</code> {}", esc(&e.path), e.line, esc(&e.what)))
                .collect::<Vec<_>>()
                .join("<br>"),
            Status::Unknown(why) => esc(why),
            Status::Missing => "not found".into(),
        };
        for ms in &v.mitigations {
            let ev = if ms.per_element() {
                "per element below".to_string()
            } else {
                cell(&ms.status)
            };
            let _ = writeln!(
                out,
                "<tr><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                ms.mitigation.id,
                esc(ms.mitigation.title),
                ms.summary(),
                ev,
                ms.threats.len()
            );
            if ms.per_element() {
                for p in &ms.parts {
                    let at = match &p.element {
                        Some(e) => format!("at <code>{}</code>", esc(e)),
                        None => "repository-wide".into(),
                    };
                    let _ = writeln!(
                        out,
                        "<tr class=\"part\"><td>&nbsp;&nbsp;{} {at}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        ms.mitigation.id,
                        p.status.word(),
                        cell(&p.status),
                        p.threats.len()
                    );
                }
            }
        }
        out.push_str("</table>\n");
        for st in &v.stale {
            let _ = writeln!(
                out,
                "<p class=\"stale\">stale scope: element <code>{}</code> <code>{}</code> pattern <code>{}</code> matches nothing</p>",
                esc(&st.element),
                st.key,
                esc(&st.pattern)
            );
        }
        for p in &v.problems {
            let _ = writeln!(
                out,
                "<p class=\"problem\">annotation <code>{}:{}</code>: {}</p>",
                esc(&p.path),
                p.line,
                esc(&p.message)
            );
        }
    }
    out.push_str("</body></html>\n");
    out
}
