//! Layer 2, stride: a STRIDE threat model derived from a system model, and
//! checks that its mitigations were built.
//!
//! Models are read as people already write them ([`read`]: Threagile YAML,
//! Threat Dragon v1/v2 JSON, pytm `--json` exports, guard's compact YAML)
//! into one [`model::Model`]; one rule table ([`rules`]) derives threats
//! with stable ids; [`verify`] looks for evidence of each mitigation in the
//! code and infrastructure through the owasp and infra layers' public APIs.
//!
//! Where the model comes from in `guard run`: every `--input
//! stride-model=FILE`, every path in `[layers.stride] models = [...]`, and
//! the convention files in the scanned root ([`CONVENTION_FILES`], plus any
//! `*.threagile.yaml`). A model that is named and cannot be read is an
//! error; no model at all skips the layer.

pub mod diff;
pub mod init;
pub mod mitigations;
pub mod model;
pub mod pytmrules;
pub mod read;
pub mod report;
pub mod rules;
pub mod scope;
pub mod tech;
pub mod tgrules;
pub mod verify;
pub mod yaml;
pub mod yaml_split;

use guard_core::{Context, Finding, InputKind, Layer, LayerError, LayerInfo, Location, Severity};
use model::Model;
use rules::{Subject, Threat};
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const LAYER_ID: &str = "stride";
pub const INPUT_KIND: &str = "stride-model";

/// Model files looked for in the scanned root (not below it).
pub const CONVENTION_FILES: &[&str] = &[
    "guard-model.yaml",
    "guard-model.yml",
    "threagile.yaml",
    "threagile.yml",
    "threat-model.json",
];

/// `[layers.stride]` in guard.toml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrideConfig {
    /// Model files, relative to the guard.toml they are written in.
    #[serde(default)]
    pub models: Vec<PathBuf>,
    /// Also look for evidence of each mitigation in the scanned tree and
    /// report missing ones (`STRIDE-MIT-001`).
    #[serde(default)]
    pub verify: bool,
}

pub struct StrideLayer;

pub fn layer() -> StrideLayer {
    StrideLayer
}

static INPUTS: &[InputKind] = &[InputKind {
    kind: INPUT_KIND,
    help: "a system model for the stride layer (Threagile YAML, Threat Dragon JSON, pytm --json, guard YAML)",
}];

impl Layer for StrideLayer {
    fn id(&self) -> &'static str {
        LAYER_ID
    }

    fn info(&self) -> LayerInfo {
        LayerInfo {
            id: LAYER_ID,
            name: "STRIDE threat model",
            description: "threats from a system model (Threagile, Threat Dragon, pytm, guard YAML) and checks that their mitigations were built",
            rules: rules::rules(),
        }
    }

    fn input_kinds(&self) -> &'static [InputKind] {
        INPUTS
    }

    fn check_config(&self, ctx: &Context) -> Result<(), guard_core::ConfigError> {
        ctx.config().parse::<StrideConfig>().map(|_| ())
    }

    fn applies(&self, ctx: &Context) -> Result<(), String> {
        match model_paths(ctx) {
            Ok(p) if p.is_empty() => Err(format!(
                "no system model: pass --input {INPUT_KIND}=FILE, list it in [layers.stride] models, or add one of {} to the root",
                CONVENTION_FILES.join(", ")
            )),
            _ => Ok(()),
        }
    }

    fn run(&self, ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        let cfg: StrideConfig = ctx.config().parse()?;
        let mut out = Vec::new();
        for path in model_paths(ctx)? {
            ctx.check()?;
            let shown = ctx.display_path(&path);
            let model = read::load(&path, &shown).map_err(|e| match e {
                read::ModelError::At {
                    file,
                    line,
                    message,
                } => LayerError::input(file, format!("line {line}: {message}")),
                read::ModelError::File { file, message } => LayerError::input(file, message),
            })?;
            let threats = rules::analyse(&model);
            out.extend(model_findings(&model));
            out.extend(threat_findings(&model, &threats));
            if cfg.verify {
                let v = verify::verify(&model, &threats, ctx.root(), &|| ctx.is_cancelled())
                    .map_err(|e| LayerError::Other(e.to_string()))?;
                out.extend(verify::findings(&model, &v));
            }
        }
        Ok(out)
    }
}

/// Threats as findings; a large model's are converted on two threads.
fn threat_findings(model: &Model, threats: &[Threat]) -> Vec<Finding> {
    const TWO_THREADS_FROM: usize = 8192;
    let convert =
        |ts: &[Threat]| -> Vec<Finding> { ts.iter().map(|t| threat_finding(model, t)).collect() };
    if threats.len() < TWO_THREADS_FROM {
        return convert(threats);
    }
    let (first, second) = threats.split_at(threats.len() / 2);
    std::thread::scope(|s| {
        let other = s.spawn(|| convert(second));
        let mut out = convert(first);
        match other.join() {
            Ok(rest) => out.extend(rest),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        out
    })
}

/// The models this run reads: named inputs, configured paths, convention
/// files in the root. Named ones must exist.
pub fn model_paths(ctx: &Context) -> Result<Vec<PathBuf>, LayerError> {
    let cfg: StrideConfig = ctx.config().parse()?;
    let mut out: Vec<PathBuf> = Vec::new();
    for p in ctx.inputs(INPUT_KIND) {
        out.push(p.clone());
    }
    for p in &cfg.models {
        let full = ctx.config_path(p);
        if !full.is_file() {
            return Err(LayerError::input(
                full.display().to_string(),
                "model named in [layers.stride] models cannot be read (no such file)",
            ));
        }
        out.push(full);
    }
    if out.is_empty() {
        out.extend(convention_models(ctx.root()));
    }
    out.dedup();
    Ok(out)
}

/// Convention model files directly in `root`, in a fixed order.
pub fn convention_models(root: &Path) -> Vec<PathBuf> {
    if root.is_file() {
        return Vec::new();
    }
    let mut out: Vec<PathBuf> = CONVENTION_FILES
        .iter()
        .map(|n| root.join(n))
        .filter(|p| p.is_file())
        .collect();
    if let Ok(rd) = std::fs::read_dir(root) {
        let mut extra: Vec<PathBuf> = rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.ends_with(".threagile.yaml") || n.ends_with(".threagile.yml")
                    })
            })
            .collect();
        extra.sort();
        out.extend(extra);
    }
    out
}

fn model_location(model: &Model, line: u32) -> Option<Location> {
    (line > 0).then(|| Location::line(model.file.clone(), line))
}

/// `STRIDE-MODEL-001` for each warning met while reading.
pub fn model_findings(model: &Model) -> Vec<Finding> {
    let rule = &rules::MODEL_RULES[0];
    model
        .warnings
        .iter()
        .map(|w| {
            let mut f = Finding::new(rule, w.message.clone())
                .artifact(model.file.clone())
                .fingerprint_key(&format!("{}\u{0}{}", model.file, w.message));
            if let Some(l) = model_location(model, w.line) {
                f = f.at(l);
            }
            f
        })
        .collect()
}

/// One threat as a finding. Tracked threats (accepted, mitigated, false
/// positive) are Info findings that say so.
pub fn threat_finding(model: &Model, t: &Threat) -> Finding {
    let rule = rules::core_rule(t.rule.id).unwrap_or(&rules::MODEL_RULES[0]);
    let what = match &t.subject {
        Subject::Element(_) => "element",
        Subject::Flow(_) => "flow",
        Subject::Model => "model",
    };
    let mut msg = format!(
        "{} [{} {}, {} on {what} `{}`; likelihood {}/4 x impact {}/4]",
        t.message,
        t.id,
        t.rule.stride.as_str(),
        t.rule.id,
        t.subject.key(),
        t.likelihood,
        t.impact
    );
    let mut sev = t.severity;
    let mut title = None;
    if let Some((status, why)) = &t.tracked {
        if status.closes() {
            sev = Severity::Info;
            title = Some(format!("{} ({})", t.rule.title, status.as_str()));
        }
        msg.push_str(&format!(
            " — tracked as {}{}",
            status.as_str(),
            if why.is_empty() {
                String::new()
            } else {
                format!(": {why}")
            }
        ));
    }
    let mut f = Finding::new(rule, msg)
        .severity(sev)
        .resource(format!("{what}:{}", t.subject.key()))
        .artifact(model.file.clone())
        .fingerprint_parts(&[&model.file, &t.id]);
    f.tags.reserve(3 + t.rule.mitigations.len());
    f = f.tag(format!("threat:{}", t.id));
    if let Some(title) = title {
        f.title = title;
    }
    for m in t.rule.mitigations {
        f = f.tag(format!("mitigation:{m}"));
    }
    if let Some((cat, _)) = t.rule.threagile {
        f = f.tag(format!("threagile:{cat}"));
    }
    if let Some((status, _)) = &t.tracked {
        f = f.tag(format!("tracked:{}", status.as_str()));
    }
    if let Some(l) = model_location(model, t.line) {
        f = f.at(l);
    }
    f
}
