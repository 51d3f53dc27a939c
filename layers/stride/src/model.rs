//! The one internal model every reader produces: elements (external
//! entities, processes, data stores), data flows, trust boundaries, data
//! assets, and the model's own risk tracking. Every item keeps the line it
//! was read from.

use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementKind {
    External,
    Process,
    Store,
}

impl ElementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::External => "external entity",
            ElementKind::Process => "process",
            ElementKind::Store => "data store",
        }
    }
}

/// Which format the model was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Guard,
    Threagile,
    ThreatDragon,
    Pytm,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Guard => "guard",
            Format::Threagile => "threagile",
            Format::ThreatDragon => "threat-dragon",
            Format::Pytm => "pytm",
        }
    }
}

/// Sensitivity on one ordered scale: 0 public .. 4 strictly confidential /
/// mission critical.
pub type Level = u8;

/// Authentication on a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Authn {
    Unknown,
    None,
    Credentials,
    SessionId,
    Token,
    ClientCertificate,
    TwoFactor,
    Externalized,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authz {
    Unknown,
    None,
    TechnicalUser,
    EndUser,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ElementAttrs {
    /// Reachable from or located on the internet.
    pub internet: bool,
    /// Encrypted at rest; `None` when the model does not say.
    pub encrypted_at_rest: Option<bool>,
    pub multi_tenant: bool,
    pub used_by_human: bool,
    /// A store that keeps logs / audit records.
    pub is_log_store: bool,
    /// Administration or devops interface.
    pub admin: bool,
    pub web_app: bool,
    /// Custom-developed code runs here.
    pub custom_code: bool,
    /// Accepted data formats: json, xml, serialization, file, csv, yaml.
    pub accepts: BTreeSet<String>,
    /// Technology names (`web-server`, `database`, `vault`, `ci-cd`, ...).
    pub technologies: BTreeSet<String>,
    /// Keeps secrets in its configuration (or the model says it reads
    /// secrets from config or the environment).
    pub secrets_in_config: bool,
    /// Receives code or updates it runs (a client, an agent, a CI runner).
    pub installs_updates: bool,
    pub redundant: bool,
    pub container: bool,
    pub confidentiality: Level,
    pub integrity: Level,
    pub availability: Level,
    /// Mitigations the model claims (by guard mitigation id), e.g. from pytm
    /// controls or guard `controls:`.
    pub controls: BTreeSet<String>,
    pub tags: BTreeSet<String>,
    /// Where the element's code and infrastructure live (guard models only;
    /// see [`crate::scope`]).
    pub scope: ElementScope,
}

/// Paths or globs of the element's code, and Terraform addresses of its
/// infrastructure, as the model gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ElementScope {
    pub code: Vec<String>,
    pub resources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub id: String,
    pub name: String,
    pub kind: ElementKind,
    /// Innermost trust boundary holding the element.
    pub boundary: Option<String>,
    pub line: u32,
    pub out_of_scope: bool,
    pub attrs: ElementAttrs,
    pub data_processed: BTreeSet<String>,
    pub data_stored: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// Stable id: the format's own id, else `source>slug(name)`.
    pub id: String,
    pub name: String,
    pub from: String,
    pub to: String,
    pub protocol: String,
    /// Encrypted in transit; `None` when the model does not say.
    pub encrypted: Option<bool>,
    pub authn: Authn,
    pub authz: Authz,
    pub vpn: bool,
    pub readonly: bool,
    pub data: BTreeSet<String>,
    /// Trust boundaries the flow crosses (computed).
    pub crosses: Vec<String>,
    pub line: u32,
    pub out_of_scope: bool,
    pub controls: BTreeSet<String>,
    pub tags: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    pub id: String,
    pub name: String,
    /// network, execution, logical ...
    pub kind: String,
    pub parent: Option<String>,
    pub line: u32,
}

/// A runtime (host, VM, cluster) several elements share.
#[derive(Debug, Clone, PartialEq)]
pub struct Runtime {
    pub id: String,
    pub name: String,
    pub elements: Vec<String>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataAsset {
    pub id: String,
    pub name: String,
    pub confidentiality: Level,
    pub integrity: Level,
    pub availability: Level,
    pub credentials: bool,
    pub pii: bool,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackStatus {
    Unchecked,
    InDiscussion,
    InProgress,
    Accepted,
    Mitigated,
    FalsePositive,
}

impl TrackStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TrackStatus::Unchecked => "unchecked",
            TrackStatus::InDiscussion => "in-discussion",
            TrackStatus::InProgress => "in-progress",
            TrackStatus::Accepted => "accepted",
            TrackStatus::Mitigated => "mitigated",
            TrackStatus::FalsePositive => "false-positive",
        }
    }

    /// Statuses that close a threat (it is reported as tracked, not open).
    pub fn closes(self) -> bool {
        matches!(
            self,
            TrackStatus::Accepted | TrackStatus::Mitigated | TrackStatus::FalsePositive
        )
    }

    pub fn parse(s: &str) -> Option<TrackStatus> {
        Some(match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "unchecked" | "open" => TrackStatus::Unchecked,
            "in-discussion" => TrackStatus::InDiscussion,
            "in-progress" => TrackStatus::InProgress,
            "accepted" | "transferred" => TrackStatus::Accepted,
            "mitigated" | "eliminated" | "avoided" => TrackStatus::Mitigated,
            "false-positive" | "notapplicable" | "not-applicable" => TrackStatus::FalsePositive,
            _ => return None,
        })
    }
}

/// One risk-tracking entry: a key (threat id, `RULE@element`, a Threagile
/// synthetic risk id, `*` wildcards allowed) and its status.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracking {
    pub key: String,
    pub status: TrackStatus,
    pub justification: String,
    pub line: u32,
}

/// A non-fatal remark about the model (an unknown key in a third-party
/// format, an approximation made while reading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub title: String,
    pub format: Format,
    /// The file as findings name it.
    pub file: String,
    pub elements: Vec<Element>,
    pub flows: Vec<Flow>,
    pub boundaries: Vec<Boundary>,
    pub data: Vec<DataAsset>,
    pub runtimes: Vec<Runtime>,
    pub tracking: Vec<Tracking>,
    pub warnings: Vec<Warning>,
    /// Element id -> position in `elements`, built by [`Model::reindex`]
    /// (lookups fall back to a scan when it is stale).
    pub index: HashMap<String, usize>,
    /// What only Threagile models carry and only the Threagile rule
    /// family reads (technology attributes, data quantities, link data
    /// directions, boundary and runtime tags).
    pub threagile: Option<Box<ThreagileInfo>>,
    /// What only pytm exports carry and only the pytm rule family reads
    /// (element classes, every control as the model states it).
    pub pytm: Option<Box<PytmInfo>>,
}

/// One pytm element or flow as exported: its class, its scalar
/// attributes and its controls, with their JSON values (pytm exports every
/// attribute and control, so `x is False` and `not x` can be told apart
/// from an attribute the model lacks).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PytmItem {
    /// `Process`, `Server`, `Lambda`, `Datastore`, `Actor`, ... or
    /// `Dataflow`.
    pub class: String,
    /// Top-level booleans, strings and numbers (`usesVPN`, `protocol`,
    /// `environment`, `maxClassification`, ...).
    pub fields: BTreeMap<String, serde_json::Value>,
    pub controls: BTreeMap<String, serde_json::Value>,
    /// Flows: `isResponse`; `tlsVersion` below the sink's `minTLSVersion`.
    pub is_response: bool,
    pub tls_below_sink_min: bool,
}

/// A pytm `Data` object's fields the threat conditions read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PytmData {
    /// `JSON`, `XML`, ... as written.
    pub format: String,
    /// pytm's order: UNKNOWN 0, PUBLIC 1, RESTRICTED 2, SENSITIVE 3,
    /// SECRET 4, TOP_SECRET 5.
    pub classification: u8,
    pub is_credentials: bool,
    pub is_pii: bool,
    /// `Lifetime.*` name without the prefix.
    pub credentials_life: String,
    pub is_stored: bool,
    pub is_dest_encrypted_at_rest: bool,
    pub is_source_encrypted_at_rest: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PytmInfo {
    /// By element id.
    pub elements: BTreeMap<String, PytmItem>,
    /// By flow id.
    pub flows: BTreeMap<String, PytmItem>,
    /// Threat ids an element's assumptions exclude, by element id.
    pub excluded: BTreeMap<String, BTreeSet<String>>,
    /// By data id.
    pub data: BTreeMap<String, PytmData>,
}

/// A Threagile technical asset's fields beyond the common model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TgAsset {
    /// `usage: devops`.
    pub devops: bool,
    /// physical, virtual, container, serverless.
    pub machine: String,
    /// The `encryption` value (none, transparent, ...).
    pub encryption: String,
    /// The asset's own confidentiality, integrity, availability (before
    /// its data raise them).
    pub own: (Level, Level, Level),
    /// Stored data first, then processed data (Threagile counts stored
    /// data as processed), without link data.
    pub processed: Vec<String>,
    pub stored: Vec<String>,
    pub formats: BTreeSet<String>,
    /// Canonical technology names (aliases resolved).
    pub techs: BTreeSet<String>,
    /// Union of the technologies' attributes (Threagile's
    /// technologies.yaml), plus each technology's own name.
    pub attrs: BTreeSet<&'static str>,
    /// No technology, or `unknown-technology`.
    pub unknown_tech: bool,
    pub tags: BTreeSet<String>,
}

/// A Threagile communication link's data by direction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TgLink {
    pub sent: Vec<String>,
    pub received: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThreagileInfo {
    pub assets: BTreeMap<String, TgAsset>,
    /// By flow id.
    pub links: BTreeMap<String, TgLink>,
    /// Data asset id -> quantity factor (very-few 1, few 2, many 3, very-many 5).
    pub quantity: BTreeMap<String, u8>,
    pub boundary_tags: BTreeMap<String, BTreeSet<String>>,
    pub runtime_tags: BTreeMap<String, BTreeSet<String>>,
}

impl Model {
    pub fn new(format: Format, file: &str) -> Model {
        Model {
            title: String::new(),
            format,
            file: file.to_string(),
            elements: Vec::new(),
            flows: Vec::new(),
            boundaries: Vec::new(),
            data: Vec::new(),
            runtimes: Vec::new(),
            tracking: Vec::new(),
            warnings: Vec::new(),
            index: HashMap::new(),
            threagile: None,
            pytm: None,
        }
    }

    pub fn element(&self, id: &str) -> Option<&Element> {
        if let Some(e) = self.index.get(id).and_then(|&i| self.elements.get(i)) {
            if e.id == id {
                return Some(e);
            }
        }
        self.elements.iter().find(|e| e.id == id)
    }

    /// Rebuilds the element index (after elements were added or moved).
    pub fn reindex(&mut self) {
        self.index = self
            .elements
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
    }

    pub fn data_asset(&self, id: &str) -> Option<&DataAsset> {
        self.data.iter().find(|d| d.id == id)
    }

    /// The chain of boundaries holding `boundary`, innermost first.
    pub fn chain(&self, boundary: Option<&str>) -> Vec<String> {
        chain_in(&self.boundary_parents(), boundary)
    }

    /// Boundary id -> the boundary it lies in.
    fn boundary_parents(&self) -> HashMap<&str, Option<&str>> {
        self.boundaries
            .iter()
            .map(|b| (b.id.as_str(), b.parent.as_deref()))
            .collect()
    }

    /// Fills each flow's `crosses` from the boundary nesting: a flow crosses
    /// every boundary that holds exactly one of its ends. Readers that work
    /// from geometry (Threat Dragon) set `crosses` themselves.
    pub fn compute_crossings(&mut self) {
        let parents = self.boundary_parents();
        // Elements share few boundaries: one chain per boundary.
        let mut distinct: Vec<Vec<String>> = Vec::new();
        let mut slot_of: HashMap<Option<&str>, usize> = HashMap::new();
        let mut chain_of: HashMap<&str, usize> = HashMap::with_capacity(self.elements.len());
        for e in &self.elements {
            let key = e.boundary.as_deref();
            let slot = *slot_of.entry(key).or_insert_with(|| {
                distinct.push(chain_in(&parents, key));
                distinct.len() - 1
            });
            chain_of.insert(e.id.as_str(), slot);
        }
        let empty = Vec::new();
        let crossings: Vec<Vec<String>> = self
            .flows
            .iter()
            .map(|f| {
                let slot = |id: &str| chain_of.get(id).copied();
                let (sa, sb) = (slot(&f.from), slot(&f.to));
                if sa == sb {
                    return Vec::new();
                }
                let a = sa.map_or(&empty, |i| &distinct[i]);
                let b = sb.map_or(&empty, |i| &distinct[i]);
                let mut crosses: Vec<String> = a
                    .iter()
                    .filter(|x| !b.contains(x))
                    .chain(b.iter().filter(|x| !a.contains(x)))
                    .cloned()
                    .collect();
                crosses.sort();
                crosses.dedup();
                crosses
            })
            .collect();
        for (f, c) in self.flows.iter_mut().zip(crossings) {
            f.crosses = c;
        }
    }

    /// Raises each element's CIA to the highest of the data it processes or
    /// stores, and counts data on a flow as processed by both ends (as
    /// Threagile does).
    pub fn propagate_data(&mut self) {
        let mut extra: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for f in &self.flows {
            for end in [&f.from, &f.to] {
                extra
                    .entry(end.clone())
                    .or_default()
                    .extend(f.data.iter().cloned());
            }
        }
        let data: BTreeMap<String, (Level, Level, Level)> = self
            .data
            .iter()
            .map(|d| {
                (
                    d.id.clone(),
                    (d.confidentiality, d.integrity, d.availability),
                )
            })
            .collect();
        for e in &mut self.elements {
            let stored: Vec<String> = e.data_stored.iter().cloned().collect();
            e.data_processed.extend(stored);
            if let Some(x) = extra.get(&e.id) {
                e.data_processed.extend(x.iter().cloned());
            }
            for d in &e.data_processed {
                if let Some((c, i, a)) = data.get(d) {
                    e.attrs.confidentiality = e.attrs.confidentiality.max(*c);
                    e.attrs.integrity = e.attrs.integrity.max(*i);
                    e.attrs.availability = e.attrs.availability.max(*a);
                }
            }
        }
    }

    /// Highest confidentiality of the data on `flow`.
    pub fn flow_confidentiality(&self, flow: &Flow) -> Level {
        flow.data
            .iter()
            .filter_map(|d| self.data_asset(d))
            .map(|d| d.confidentiality)
            .max()
            .unwrap_or(0)
    }

    pub fn flow_carries_credentials(&self, flow: &Flow) -> bool {
        flow.data
            .iter()
            .filter_map(|d| self.data_asset(d))
            .any(|d| d.credentials)
    }
}

/// The chain of boundaries holding `boundary`, innermost first, given each
/// boundary's parent (a cycle or a chain deeper than 64 ends it).
fn chain_in(parents: &HashMap<&str, Option<&str>>, boundary: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = boundary;
    while let Some(id) = cur {
        if out.iter().any(|o| o == id) || out.len() > 64 {
            break;
        }
        out.push(id.to_string());
        cur = parents.get(id).copied().flatten();
    }
    out
}

/// Lowercase, runs of other characters folded to `-`, trimmed (Threagile's
/// slug for derived link ids).
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_like_threagile() {
        assert_eq!(slug("Web Application Traffic"), "web-application-traffic");
        assert_eq!(slug("  DB (read/write) "), "db-read-write");
    }

    #[test]
    fn track_status_words() {
        assert_eq!(
            TrackStatus::parse("false-positive"),
            Some(TrackStatus::FalsePositive)
        );
        assert_eq!(
            TrackStatus::parse("Mitigated"),
            Some(TrackStatus::Mitigated)
        );
        assert_eq!(TrackStatus::parse("bogus"), None);
        assert!(TrackStatus::Accepted.closes());
        assert!(!TrackStatus::InProgress.closes());
    }
}
