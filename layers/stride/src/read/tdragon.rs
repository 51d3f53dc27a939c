//! OWASP Threat Dragon v1 (`diagramJson.cells`) and v2 (`cells`) models.
//!
//! Trust boundaries are shapes, so crossings come from geometry:
//! - a boundary box holds the nodes whose rectangle lies inside it; a flow
//!   crosses the box when exactly one of its ends is inside;
//! - a boundary curve is a polyline (source, vertices, target); a flow
//!   crosses it when the flow's polyline (source centre, vertices, target
//!   centre) meets it an odd number of times.
//!
//! Threats already in the file with a closed status (Mitigated,
//! NotApplicable, Accepted, Transferred, ...) mark guard's threats of the
//! same STRIDE category on that cell as tracked.

use super::ModelError;
use crate::model::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pt {
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x
            && o.y >= self.y
            && o.x + o.w <= self.x + self.w
            && o.y + o.h <= self.y + self.h
    }
    fn centre(&self) -> Pt {
        Pt {
            x: self.x + self.w / 2.0,
            y: self.y + self.h / 2.0,
        }
    }
    fn area(&self) -> f64 {
        self.w * self.h
    }
}

fn cross(o: Pt, a: Pt, b: Pt) -> f64 {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

/// Intersection of segments `p1p2` and `q1q2`, each taken half-open on
/// its side test, so a polyline vertex lying exactly on the other line is
/// counted once, not twice.
pub fn segments_intersect(p1: Pt, p2: Pt, q1: Pt, q2: Pt) -> bool {
    let d1 = cross(q1, q2, p1);
    let d2 = cross(q1, q2, p2);
    let d3 = cross(p1, p2, q1);
    let d4 = cross(p1, p2, q2);
    (d1 > 0.0) != (d2 > 0.0) && (d3 > 0.0) != (d4 > 0.0)
}

/// How many times polyline `a` meets polyline `b`.
pub fn polyline_crossings(a: &[Pt], b: &[Pt]) -> usize {
    let mut n = 0;
    for sa in a.windows(2) {
        for sb in b.windows(2) {
            if segments_intersect(sa[0], sa[1], sb[0], sb[1]) {
                n += 1;
            }
        }
    }
    n
}

fn num(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64)
}

fn point(v: &Value) -> Option<Pt> {
    Some(Pt {
        x: num(v, "x")?,
        y: num(v, "y")?,
    })
}

fn rect(cell: &Value) -> Option<Rect> {
    let p = cell.get("position")?;
    let s = cell.get("size")?;
    Some(Rect {
        x: num(p, "x")?,
        y: num(p, "y")?,
        w: num(s, "width")?,
        h: num(s, "height")?,
    })
}

fn text(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).unwrap_or("").trim().to_string()
}

/// STRIDE letter of a Threat Dragon threat type (English names, the
/// `modelType` field, and the words other locales use for tampering).
fn stride_letter(t: &str) -> Option<char> {
    let t = t.to_ascii_lowercase();
    Some(match t.as_str() {
        "spoofing" | "usurpation" | "suplantación" => 'S',
        "tampering" | "manipulation" | "falsification" | "manipulación" => 'T',
        "repudiation" | "répudiation" | "repudio" => 'R',
        "information disclosure" | "divulgation d'informations" => 'I',
        "denial of service" | "déni de service" => 'D',
        "elevation of privilege" | "élévation de privilèges" => 'E',
        _ => return None,
    })
}

struct Node {
    rect: Option<Rect>,
}

pub fn read(v: &Value, file: &str) -> Result<Model, ModelError> {
    let mut m = Model::new(Format::ThreatDragon, file);
    m.title = text(v.pointer("/summary/title"));
    let diagrams = v
        .pointer("/detail/diagrams")
        .and_then(Value::as_array)
        .ok_or_else(|| ModelError::file(file, "/detail/diagrams: expected a list of diagrams"))?;
    for (di, d) in diagrams.iter().enumerate() {
        let (cells, base) = if let Some(c) = d.get("cells").and_then(Value::as_array) {
            (c, format!("/detail/diagrams/{di}/cells"))
        } else if let Some(c) = d.pointer("/diagramJson/cells").and_then(Value::as_array) {
            (c, format!("/detail/diagrams/{di}/diagramJson/cells"))
        } else {
            return Err(ModelError::file(
                file,
                format!("/detail/diagrams/{di}: expected `cells` (v2) or `diagramJson.cells` (v1)"),
            ));
        };
        read_diagram(&mut m, cells, &base, file)?;
    }
    Ok(m)
}

fn kind_of(cell: &Value) -> &str {
    let shape = cell.get("shape").and_then(Value::as_str).unwrap_or("");
    let ty = cell
        .pointer("/data/type")
        .or_else(|| cell.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("");
    match (shape, ty) {
        ("actor", _) | (_, "tm.Actor") => "actor",
        ("process", _) | (_, "tm.Process") => "process",
        ("store", _) | (_, "tm.Store") => "store",
        ("flow", _) | (_, "tm.Flow") => "flow",
        ("trust-boundary-box", _) | (_, "tm.BoundaryBox") => "box",
        ("trust-boundary-curve", _) | (_, "tm.Boundary") => "curve",
        _ => "other",
    }
}

/// Properties live under `data` in v2 and on the cell in v1.
fn props(cell: &Value) -> &Value {
    cell.get("data").filter(|d| d.is_object()).unwrap_or(cell)
}

fn flag(cell: &Value, key: &str) -> bool {
    props(cell)
        .get(key)
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn name_of(cell: &Value) -> String {
    let n = text(props(cell).get("name"));
    if !n.is_empty() {
        return n;
    }
    let n = text(cell.pointer("/attrs/text/text"));
    if !n.is_empty() {
        return n;
    }
    text(cell.pointer("/labels/0/attrs/text/text"))
}

fn read_diagram(m: &mut Model, cells: &[Value], base: &str, file: &str) -> Result<(), ModelError> {
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    let mut boxes: Vec<(String, Rect)> = Vec::new();
    let mut curves: Vec<(String, Vec<Pt>)> = Vec::new();
    let mut closed: Vec<(String, char, bool)> = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        let at = format!("{base}/{i}");
        let id = text(c.get("id"));
        let kind = kind_of(c);
        if kind == "other" {
            continue;
        }
        if id.is_empty() {
            return Err(ModelError::file(
                file,
                format!("{at}: cell without an `id`"),
            ));
        }
        let name = name_of(c);
        for t in props(c)
            .get("threats")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let ty = text(t.get("type"));
            let model_ty = text(t.get("modelType"));
            let letter = stride_letter(&ty).or_else(|| {
                if model_ty.eq_ignore_ascii_case("STRIDE") {
                    None
                } else {
                    stride_letter(&model_ty)
                }
            });
            let status = text(t.get("status"));
            match letter {
                Some(l) => {
                    let is_closed = TrackStatus::parse(&status).is_some_and(TrackStatus::closes);
                    closed.push((id.clone(), l, is_closed));
                }
                None if !ty.is_empty() => m.warnings.push(Warning {
                    line: 0,
                    message: format!("{at}: threat type `{ty}` is not a STRIDE category; its status is not applied"),
                }),
                None => {}
            }
        }
        match kind {
            "actor" | "process" | "store" => {
                let r = rect(c);
                if r.is_none() {
                    m.warnings.push(Warning {
                        line: 0,
                        message: format!(
                            "{at}: `{name}` has no position or size; boundary membership unknown"
                        ),
                    });
                }
                let k = match kind {
                    "actor" => ElementKind::External,
                    "store" => ElementKind::Store,
                    _ => ElementKind::Process,
                };
                let p = props(c);
                let mut attrs = ElementAttrs {
                    internet: flag(c, "isPublicNetwork"),
                    is_log_store: flag(c, "isALog"),
                    web_app: flag(c, "isWebApplication"),
                    custom_code: k == ElementKind::Process,
                    secrets_in_config: false,
                    ..ElementAttrs::default()
                };
                if k == ElementKind::Store {
                    attrs.encrypted_at_rest = Some(flag(c, "isEncrypted"));
                    if flag(c, "storesCredentials") {
                        attrs.confidentiality = 4;
                    }
                }
                if flag(c, "handlesCardPayment") {
                    attrs.confidentiality = attrs.confidentiality.max(3);
                }
                if text(p.get("privilegeLevel"))
                    .to_ascii_lowercase()
                    .contains("admin")
                {
                    attrs.admin = true;
                }
                if flag(c, "isSigned") {
                    attrs.controls.insert("MIT-LOG-INTEGRITY".into());
                }
                m.elements.push(Element {
                    id: id.clone(),
                    name: if name.is_empty() {
                        id.clone()
                    } else {
                        name.replace('\n', " ")
                    },
                    kind: k,
                    boundary: None,
                    line: 0,
                    out_of_scope: flag(c, "outOfScope"),
                    attrs,
                    data_processed: BTreeSet::new(),
                    data_stored: BTreeSet::new(),
                });
                nodes.insert(id, Node { rect: r });
            }
            "box" => match rect(c) {
                Some(r) => {
                    m.boundaries.push(Boundary {
                        id: id.clone(),
                        name: if name.is_empty() {
                            format!("boundary {}", &id[..id.len().min(8)])
                        } else {
                            name
                        },
                        kind: "box".into(),
                        parent: None,
                        line: 0,
                    });
                    boxes.push((id, r));
                }
                None => {
                    return Err(ModelError::file(
                        file,
                        format!("{at}: trust boundary box without `position` and `size`"),
                    ))
                }
            },
            "curve" => {
                let mut pts = Vec::new();
                if let Some(p) = c.get("source").and_then(point) {
                    pts.push(p);
                }
                for v in c
                    .get("vertices")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(p) = point(v) {
                        pts.push(p);
                    }
                }
                if let Some(p) = c.get("target").and_then(point) {
                    pts.push(p);
                }
                if pts.len() < 2 {
                    return Err(ModelError::file(
                        file,
                        format!("{at}: trust boundary curve needs `source` and `target` points"),
                    ));
                }
                m.boundaries.push(Boundary {
                    id: id.clone(),
                    name: if name.is_empty() {
                        format!("boundary {}", &id[..id.len().min(8)])
                    } else {
                        name
                    },
                    kind: "curve".into(),
                    parent: None,
                    line: 0,
                });
                curves.push((id, pts));
            }
            _ => {}
        }
    }
    // Box nesting and membership: innermost (smallest) containing box.
    for (bid, br) in &boxes {
        let parent = boxes
            .iter()
            .filter(|(oid, or)| oid != bid && or.contains(br) && or.area() > br.area())
            .min_by(|a, b| a.1.area().total_cmp(&b.1.area()))
            .map(|(oid, _)| oid.clone());
        if let Some(b) = m.boundaries.iter_mut().find(|b| &b.id == bid) {
            b.parent = parent;
        }
    }
    for e in &mut m.elements {
        let Some(n) = nodes.get(&e.id) else { continue };
        let Some(r) = n.rect else { continue };
        e.boundary = boxes
            .iter()
            .filter(|(_, b)| b.contains(&r))
            .min_by(|a, b| a.1.area().total_cmp(&b.1.area()))
            .map(|(id, _)| id.clone());
    }
    // Flows.
    for (i, c) in cells.iter().enumerate() {
        if kind_of(c) != "flow" {
            continue;
        }
        let at = format!("{base}/{i}");
        let id = text(c.get("id"));
        let src = text(
            c.pointer("/source/cell")
                .or_else(|| c.pointer("/source/id")),
        );
        let dst = text(
            c.pointer("/target/cell")
                .or_else(|| c.pointer("/target/id")),
        );
        let name = name_of(c).replace('\n', " ");
        if src.is_empty() || dst.is_empty() {
            m.warnings.push(Warning {
                line: 0,
                message: format!(
                    "{at}: flow `{name}` has a loose end (not attached to an element); skipped"
                ),
            });
            continue;
        }
        for (end, which) in [(&src, "source"), (&dst, "target")] {
            if !nodes.contains_key(end.as_str()) {
                return Err(ModelError::file(file, format!("{at}: flow `{name}` ({id}): {which} `{end}` is not the id of any actor, process or store")));
            }
        }
        let mut line: Vec<Pt> = Vec::new();
        let cs = nodes.get(&src).and_then(|n| n.rect).map(|r| r.centre());
        let cd = nodes.get(&dst).and_then(|n| n.rect).map(|r| r.centre());
        if let Some(p) = cs {
            line.push(p);
        }
        for v in c
            .get("vertices")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(p) = point(v) {
                line.push(p);
            }
        }
        if let Some(p) = cd {
            line.push(p);
        }
        let mut crosses = Vec::new();
        let rs = nodes.get(&src).and_then(|n| n.rect);
        let rd = nodes.get(&dst).and_then(|n| n.rect);
        for (bid, br) in &boxes {
            if let (Some(a), Some(b)) = (rs, rd) {
                if br.contains(&a) != br.contains(&b) {
                    crosses.push(bid.clone());
                }
            }
        }
        if cs.is_some() && cd.is_some() {
            for (bid, pts) in &curves {
                let n = polyline_crossings(&line, pts);
                if n % 2 == 1 {
                    crosses.push(bid.clone());
                }
            }
        }
        crosses.sort();
        let protocol = text(props(c).get("protocol")).to_ascii_lowercase();
        let encrypted = flag(c, "isEncrypted")
            || super::guard::protocol_encrypted(&protocol)
            || protocol.contains("https")
            || protocol == "http/s";
        let mut tags = BTreeSet::new();
        if flag(c, "isPublicNetwork") {
            tags.insert("public-network".to_string());
        }
        let flow = Flow {
            id: id.clone(),
            name: if name.is_empty() {
                format!("flow {}", &id[..id.len().min(8)])
            } else {
                name
            },
            from: src.clone(),
            to: dst.clone(),
            protocol,
            encrypted: Some(encrypted),
            authn: Authn::Unknown,
            authz: Authz::Unknown,
            vpn: false,
            readonly: false,
            data: BTreeSet::new(),
            crosses,
            line: 0,
            out_of_scope: flag(c, "outOfScope"),
            controls: BTreeSet::new(),
            tags,
        };
        if flag(c, "isBidirectional") {
            let mut back = flow.clone();
            back.id = format!("{id}<");
            back.from = dst;
            back.to = src;
            m.flows.push(flow);
            m.flows.push(back);
        } else {
            m.flows.push(flow);
        }
    }
    // Closed threats of a category with no open one on the same cell.
    let mut by: BTreeMap<(String, char), bool> = BTreeMap::new();
    for (cell, l, is_closed) in closed {
        let e = by.entry((cell, l)).or_insert(true);
        *e = *e && is_closed;
    }
    for ((cell, l), all_closed) in by {
        if all_closed {
            for key in [
                format!("STRIDE-{l}-*@{cell}"),
                format!("STRIDE-{l}-*@{cell}<"),
            ] {
                m.tracking.push(Tracking {
                    key,
                    status: TrackStatus::Mitigated,
                    justification: "closed in the Threat Dragon model".into(),
                    line: 0,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> Pt {
        Pt { x, y }
    }

    #[test]
    fn crossing_counts() {
        let flow = [p(0.0, 0.0), p(10.0, 0.0)];
        let wall = [p(5.0, -5.0), p(5.0, 5.0)];
        assert_eq!(polyline_crossings(&flow, &wall), 1);
        let out_and_back = [p(0.0, 0.0), p(10.0, 0.0), p(10.0, 1.0), p(0.0, 1.0)];
        assert_eq!(polyline_crossings(&out_and_back, &wall), 2);
        let miss = [p(6.0, -5.0), p(6.0, -1.0)];
        assert_eq!(polyline_crossings(&flow, &miss), 0);
        // A wall vertex exactly on the flow is counted once.
        let bent = [p(5.0, -5.0), p(5.0, 0.0), p(5.0, 5.0)];
        assert_eq!(polyline_crossings(&flow, &bent), 1);
    }

    #[test]
    fn box_containment() {
        let b = Rect {
            x: 0.0,
            y: 0.0,
            w: 100.0,
            h: 100.0,
        };
        assert!(b.contains(&Rect {
            x: 10.0,
            y: 10.0,
            w: 20.0,
            h: 20.0
        }));
        assert!(!b.contains(&Rect {
            x: 90.0,
            y: 10.0,
            w: 20.0,
            h: 20.0
        }));
    }
}
