//! Plugins: which the user named (`--plugin`, `GUARD_PLUGIN_PATH`, guard.toml
//! `[plugins]`), whether a guard.toml may name them, describing them in
//! workers, and the hidden worker side of `guard __layer --plugin-spec`.

use crate::registry::all_layers;
use anyhow::{bail, Result};
use guard_core::runner::{worker_main, WorkerResponse};
use guard_core::{Layer, LayerInfo, LayerOutcome, LoadedConfig};
use guard_plugin::host::{Candidate, PluginLayer, PluginSpec, DEFAULT_MEMORY_MB};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The plugin flags of the command line.
#[derive(Debug, Default, Clone)]
pub struct PluginFlags {
    pub paths: Vec<PathBuf>,
    pub allow_repo: bool,
}

static FLAGS: OnceLock<PluginFlags> = OnceLock::new();

pub fn set_flags(flags: PluginFlags) {
    let _ = FLAGS.set(flags);
}

/// The environment variable naming plugin libraries (`:`-separated).
pub const PLUGIN_PATH_ENV: &str = "GUARD_PLUGIN_PATH";

/// The folder of the repository `scan_root` lies in (the nearest folder
/// holding `.git`), else `scan_root` itself.
fn repo_root(scan_root: &Path) -> PathBuf {
    let start = scan_root
        .canonicalize()
        .unwrap_or_else(|_| scan_root.to_path_buf());
    let start = if start.is_file() {
        start.parent().map(Path::to_path_buf).unwrap_or(start)
    } else {
        start
    };
    let mut dir = Some(start.as_path());
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return d.to_path_buf();
        }
        dir = d.parent();
    }
    start
}

/// The plugins the user named, described and checked, for a run over
/// `scan_root` with `config`. Plugins that cannot be described become layers
/// whose run fails with the reason, so the built-in layers still report.
pub fn load(config: &LoadedConfig, scan_root: &Path) -> Result<Vec<Arc<PluginLayer>>> {
    let flags = FLAGS.get().cloned().unwrap_or_default();
    let mut candidates = Vec::new();
    for p in &flags.paths {
        candidates.push(Candidate::Library {
            path: p.clone(),
            source: "--plugin".into(),
        });
    }
    if let Some(list) = std::env::var_os(PLUGIN_PATH_ENV) {
        for p in std::env::split_paths(&list) {
            if !p.as_os_str().is_empty() {
                candidates.push(Candidate::Library {
                    path: p,
                    source: PLUGIN_PATH_ENV.into(),
                });
            }
        }
    }
    let pc = &config.config.plugins;
    if !pc.paths.is_empty() || !pc.process.is_empty() {
        let Some(file) = &config.path else {
            bail!("[plugins] given without a config file");
        };
        let file_abs = file.canonicalize().unwrap_or_else(|_| file.clone());
        let repo = repo_root(scan_root);
        if file_abs.starts_with(&repo) && !flags.allow_repo {
            bail!(
                "{}: names plugins in [plugins], but this guard.toml is inside the scanned \
                 repository ({}). Loading a plugin runs its code, so a repository must not be \
                 able to make guard run code on your machine. If you trust this repository, \
                 pass --allow-repo-plugins; or name the plugin yourself with --plugin PATH or {PLUGIN_PATH_ENV}.",
                file.display(),
                repo.display()
            );
        }
        let dir = file_abs
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let source = format!("{}", file.display());
        for p in &pc.paths {
            candidates.push(Candidate::Library {
                path: dir.join(p),
                source: source.clone(),
            });
        }
        for proc in &pc.process {
            candidates.push(Candidate::Process {
                name: proc.name.clone(),
                command: proc.command.clone(),
                dir: dir.clone(),
                source: source.clone(),
            });
        }
    }
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let memory_mb = match pc.memory_mb {
        Some(0) => bail!(
            "{}: [plugins] memory_mb must be at least 1",
            config.display_path()
        ),
        Some(m) => m,
        None => DEFAULT_MEMORY_MB,
    };
    let exe = std::env::current_exe().map_err(|e| {
        anyhow::anyhow!("cannot find the guard program to start plugin workers: {e}")
    })?;
    let worker = (exe, vec!["__layer".to_string()]);
    let mut taken: Vec<LayerInfo> = all_layers().iter().map(|l| l.info()).collect();
    let mut out = Vec::new();
    for c in &candidates {
        let spec = PluginSpec::prepare(c, memory_mb)?;
        let layer = match spec.describe(&worker) {
            Ok(info) => {
                guard_plugin::host::validate(&spec.display(), &info, &taken)?;
                PluginLayer::described(spec, info)
            }
            Err(reason) => {
                let shown = spec.display();
                let reason = if reason.starts_with("plugin ") {
                    reason
                } else {
                    format!("plugin {shown}: {reason}")
                };
                let layer = PluginLayer::broken(spec, reason.clone());
                if taken.iter().any(|l| l.id == layer.id()) {
                    bail!(
                        "{reason}; and its name `{}` is already a layer's",
                        layer.id()
                    );
                }
                tracing::warn!("{reason}");
                layer
            }
        };
        tracing::debug!("plugin {}: layer {}", layer.record().source, layer.id());
        taken.push(layer.info());
        out.push(Arc::new(layer));
    }
    Ok(out)
}

/// Compiled-in layers plus the plugins named for `scan_root`.
pub fn with_plugins(plugins: &[Arc<PluginLayer>]) -> Vec<Arc<dyn Layer>> {
    let mut layers = all_layers();
    layers.extend(plugins.iter().map(|p| Arc::clone(p) as Arc<dyn Layer>));
    layers
}

/// `guard __layer [--plugin-spec JSON [--describe]] ID`: the worker. With a
/// spec it loads the plugin here, in this process, and nowhere else.
pub fn worker(layer: &str, spec: Option<&str>, describe: bool) -> i32 {
    let Some(spec) = spec else {
        return worker_main(&all_layers(), layer);
    };
    let spec: PluginSpec = match serde_json::from_str(spec) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("guard worker: bad plugin spec: {e}");
            return 2;
        }
    };
    if describe {
        return match PluginLayer::describe_in_worker(&spec) {
            Ok(info) => match serde_json::to_string(&info) {
                Ok(text) => {
                    println!("{text}");
                    0
                }
                Err(e) => {
                    eprintln!("guard worker: {e}");
                    2
                }
            },
            Err(e) => {
                eprintln!("{e}");
                2
            }
        };
    }
    match PluginLayer::for_worker(spec) {
        Ok(plugin) => worker_main(&[Arc::new(plugin) as Arc<dyn Layer>], layer),
        Err(e) => {
            // Answer with a proper outcome so the report says what happened.
            let resp = WorkerResponse {
                outcome: LayerOutcome::Failed {
                    message: e.to_string(),
                },
                findings: Vec::new(),
                input_errors: Vec::new(),
                skipped: Vec::new(),
                parts: Vec::new(),
            };
            match serde_json::to_string(&resp) {
                Ok(text) => {
                    println!("{text}");
                    0
                }
                Err(_) => 2,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_root_is_the_folder_with_git() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(dir.path().join("src/deep")).unwrap();
        let root = repo_root(&dir.path().join("src/deep"));
        assert_eq!(root, dir.path().canonicalize().unwrap());
        let other = tempfile::tempdir().unwrap();
        assert_eq!(
            repo_root(other.path()),
            other.path().canonicalize().unwrap()
        );
    }
}
