//! `guard layers`, `guard rules`, `guard explain`, `guard schema`.

use crate::args::ListFormat;
use crate::out;
use anyhow::{bail, Result};
use guard_core::output::{paint_bold, paint_severity};
use guard_core::schema::{schema_text, SCHEMA_NAMES};
use guard_core::LayerInfo;
use std::fmt::Write as _;
use std::path::Path;

/// Compiled-in layers and the plugins named on the command line, in
/// `GUARD_PLUGIN_PATH` or in the guard.toml found from here. A plugin that
/// cannot be described is an error here.
fn infos() -> Result<Vec<LayerInfo>> {
    let config = guard_core::LoadedConfig::discover(None, Path::new("."))?;
    let plugins = crate::plugins::load(&config, Path::new("."))?;
    if let Some(reason) = plugins.iter().find_map(|p| p.broken_reason()) {
        bail!("{reason}");
    }
    Ok(crate::plugins::with_plugins(&plugins)
        .iter()
        .map(|l| l.info())
        .collect())
}

pub fn layers(format: ListFormat) -> Result<u8> {
    let infos = infos()?;
    match format {
        ListFormat::Json => out::println(&serde_json::to_string_pretty(&infos)?)?,
        ListFormat::Text if infos.is_empty() => {
            out::println("No layers are compiled into this build.")?
        }
        ListFormat::Text => {
            let mut text = String::new();
            for i in &infos {
                let _ = writeln!(
                    text,
                    "{:<14} {:>3} rules  {}",
                    i.id,
                    i.rules.len(),
                    i.description
                );
            }
            out::print(&text)?;
        }
    }
    Ok(0)
}

pub fn rules(layer: Option<&str>, format: ListFormat, color: bool) -> Result<u8> {
    let infos = infos()?;
    let selected: Vec<&LayerInfo> = match layer {
        Some(id) => {
            let found: Vec<_> = infos.iter().filter(|i| i.id == id).collect();
            if found.is_empty() {
                let ids: Vec<&str> = infos.iter().map(|i| i.id).collect();
                bail!("{}", guard_core::layer::unknown_layer_message(id, &ids));
            }
            found
        }
        None => infos.iter().collect(),
    };
    match format {
        ListFormat::Json => {
            let rules: Vec<_> = selected.iter().flat_map(|i| i.rules.iter()).collect();
            out::println(&serde_json::to_string_pretty(&rules)?)?;
        }
        ListFormat::Text => {
            let mut text = String::new();
            for i in selected {
                let _ = writeln!(text, "{} — {}", paint_bold(i.id, color), i.name);
                for r in i.rules {
                    let _ = writeln!(
                        text,
                        "  {} {} {}",
                        paint_bold(&format!("{:<18}", r.id), color),
                        paint_severity(r.severity, &format!("{:<8}", r.severity.as_str()), color),
                        r.title
                    );
                }
            }
            out::print(&text)?;
        }
    }
    Ok(0)
}

pub fn explain(rule_id: &str, color: bool) -> Result<u8> {
    let infos = infos()?;
    let Some((layer, rule)) = infos.iter().find_map(|i| i.rule(rule_id).map(|r| (i, r))) else {
        bail!("unknown rule `{rule_id}`; `guard rules` lists them");
    };
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{} ({}, layer {})",
        paint_bold(rule.id, color),
        paint_severity(rule.severity, rule.severity.as_str(), color),
        layer.id
    );
    let _ = writeln!(text, "{}\n", rule.title);
    let _ = writeln!(text, "{} {}\n", paint_bold("Why:", color), rule.rationale);
    let _ = writeln!(text, "{} {}", paint_bold("Fix:", color), rule.remediation);
    if !rule.tags.is_empty() {
        let _ = writeln!(
            text,
            "\n{} {}",
            paint_bold("Tags:", color),
            rule.tags.join(", ")
        );
    }
    for r in rule.references {
        let _ = writeln!(text, "{} {r}", paint_bold("See:", color));
    }
    out::print(&text)?;
    Ok(0)
}

/// Schemas of layer documents, beside guard-core's.
const LAYER_SCHEMAS: &[&str] = &["stride-model"];

fn layer_schema_text(name: &str) -> Option<String> {
    match name {
        "stride-model" => serde_json::to_string_pretty(&guard_stride::read::guard::schema())
            .ok()
            .map(|s| s + "\n"),
        _ => None,
    }
}

pub fn schema(name: Option<&str>) -> Result<u8> {
    let all: Vec<&str> = SCHEMA_NAMES.iter().chain(LAYER_SCHEMAS).copied().collect();
    match name {
        None => {
            out::print(&all.iter().map(|n| format!("{n}\n")).collect::<String>())?;
        }
        Some(n) => match schema_text(n).or_else(|| layer_schema_text(n)) {
            Some(text) => out::print(&text)?,
            None => bail!("unknown schema `{n}` (known: {})", all.join(", ")),
        },
    }
    Ok(0)
}
