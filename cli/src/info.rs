//! `guard layers`, `guard rules`, `guard explain`, `guard schema`.

use crate::args::ListFormat;
use crate::registry::all_layers;
use anyhow::{bail, Result};
use guard_core::schema::{schema_text, SCHEMA_NAMES};
use guard_core::LayerInfo;

fn infos() -> Vec<LayerInfo> {
    all_layers().iter().map(|l| l.info()).collect()
}

pub fn layers(format: ListFormat) -> Result<u8> {
    let infos = infos();
    match format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&infos)?),
        ListFormat::Text if infos.is_empty() => {
            println!("No layers are compiled into this build.")
        }
        ListFormat::Text => {
            for i in &infos {
                println!("{:<14} {:>3} rules  {}", i.id, i.rules.len(), i.description);
            }
        }
    }
    Ok(0)
}

pub fn rules(layer: Option<&str>, format: ListFormat) -> Result<u8> {
    let infos = infos();
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
            println!("{}", serde_json::to_string_pretty(&rules)?);
        }
        ListFormat::Text => {
            for i in selected {
                println!("{} — {}", i.id, i.name);
                for r in i.rules {
                    println!("  {:<18} {:<8} {}", r.id, r.severity.as_str(), r.title);
                }
            }
        }
    }
    Ok(0)
}

pub fn explain(rule_id: &str) -> Result<u8> {
    let infos = infos();
    let Some((layer, rule)) = infos.iter().find_map(|i| i.rule(rule_id).map(|r| (i, r))) else {
        bail!("unknown rule `{rule_id}`; `guard rules` lists them");
    };
    println!("{} ({}, layer {})", rule.id, rule.severity, layer.id);
    println!("{}\n", rule.title);
    println!("Why: {}\n", rule.rationale);
    println!("Fix: {}", rule.remediation);
    if !rule.tags.is_empty() {
        println!("\nTags: {}", rule.tags.join(", "));
    }
    for r in rule.references {
        println!("See: {r}");
    }
    Ok(0)
}

pub fn schema(name: Option<&str>) -> Result<u8> {
    match name {
        None => {
            for n in SCHEMA_NAMES {
                println!("{n}");
            }
        }
        Some(n) => match schema_text(n) {
            Some(text) => print!("{text}"),
            None => bail!("unknown schema `{n}` (known: {})", SCHEMA_NAMES.join(", ")),
        },
    }
    Ok(0)
}
