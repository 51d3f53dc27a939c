//! The loading side: which plugins a run may load, checking and hashing
//! them, describing them in a worker, and the [`PluginLayer`] that stands for
//! a plugin among the built-in layers.
//!
//! A plugin's code runs only in a worker process: the host side of a
//! [`PluginLayer`] asks for [`Layer::requires_process`] and carries a
//! [`PluginSpec`] to the worker in [`Layer::worker_args`]; the worker
//! re-checks the file, compares its hash, puts a memory limit on itself and
//! only then loads it ([`PluginLayer::for_worker`]).

pub mod child;
pub mod dylib;
pub mod trust;

use crate::protocol::{
    ErrorKind, PluginInfo, Request, Response, RunRequest, ABI_VERSION, MAX_RESPONSE_BYTES,
};
use guard_core::layer::ANNOUNCED_LAYERS;
use guard_core::{Context, Finding, Layer, LayerError, LayerInfo, PluginRecord, Rule};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How long describing a plugin may take.
pub const DESCRIBE_TIMEOUT: Duration = Duration::from_secs(10);

/// Address-space limit of a plugin worker when guard.toml sets none.
pub const DEFAULT_MEMORY_MB: u64 = 2048;

/// Why a plugin cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    /// The file failed a trust check.
    #[error("plugin {path}: refused: {reason}")]
    Refused {
        /// The plugin as named.
        path: String,
        /// Which check failed.
        reason: String,
    },
    /// The library could not be loaded or lacks an export.
    #[error("plugin {path}: {message}")]
    Load {
        /// The library.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The plugin was built for another ABI version.
    #[error("plugin {path}: built for plugin ABI version {plugin}, but this guard speaks version {host}; rebuild it against guard-plugin with ABI {host}")]
    AbiMismatch {
        /// The plugin.
        path: String,
        /// Its version.
        plugin: u32,
        /// Ours.
        host: u32,
    },
    /// The plugin answered something else than the protocol allows.
    #[error("plugin {plugin}: {message}")]
    Protocol {
        /// The plugin.
        plugin: String,
        /// What was wrong.
        message: String,
    },
    /// The plugin's id or rule ids collide with built-in ones or each other.
    #[error("plugin {plugin}: {message}")]
    Namespace {
        /// The plugin.
        plugin: String,
        /// The collision.
        message: String,
    },
}

/// A plugin named by the user, before any check.
#[derive(Debug, Clone)]
pub enum Candidate {
    /// A shared library exporting the plugin ABI.
    Library {
        /// As written (relative paths already joined to their base).
        path: PathBuf,
        /// Where it was named, for the report.
        source: String,
    },
    /// A command speaking the JSON protocol on stdin and stdout.
    Process {
        /// Its name in guard.toml.
        name: String,
        /// Program and arguments as written.
        command: Vec<String>,
        /// The folder relative paths are resolved against.
        dir: PathBuf,
        /// Where it was named.
        source: String,
    },
}

/// A file a plugin runs, with the digest it had when checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashedFile {
    /// Canonical path.
    pub path: PathBuf,
    /// Hex SHA-256.
    pub sha256: String,
}

/// Everything a worker needs to run a plugin; travels as JSON in
/// [`Layer::worker_args`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PluginSpec {
    /// What to load or start.
    pub target: Target,
    /// Where the plugin was named.
    pub source: String,
    /// Address-space limit of the worker, in MiB.
    pub memory_mb: u64,
    /// The plugin's description, once known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<PluginInfo>,
}

/// What a plugin is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// A shared library.
    Dynamic {
        /// The checked file.
        file: HashedFile,
    },
    /// A command.
    Process {
        /// Its name in guard.toml.
        name: String,
        /// Program (looked up on `PATH` unless it is a path) and arguments,
        /// with file arguments made absolute.
        command: Vec<String>,
        /// The files among them that were checked and hashed.
        files: Vec<HashedFile>,
    },
}

impl PluginSpec {
    /// Checks the candidate's files (owner, mode, folders) and hashes them.
    pub fn prepare(candidate: &Candidate, memory_mb: u64) -> Result<PluginSpec, PluginError> {
        match candidate {
            Candidate::Library { path, source } => {
                let v = trust::verify(path)?;
                Ok(PluginSpec {
                    target: Target::Dynamic {
                        file: HashedFile {
                            path: v.canonical,
                            sha256: v.sha256,
                        },
                    },
                    source: source.clone(),
                    memory_mb,
                    info: None,
                })
            }
            Candidate::Process {
                name,
                command,
                dir,
                source,
            } => {
                let Some(program) = command.first() else {
                    return Err(PluginError::Refused {
                        path: name.clone(),
                        reason: "`command` is empty; write e.g. [\"python3\", \"my_layer.py\"]"
                            .into(),
                    });
                };
                let mut files = Vec::new();
                let mut resolved = Vec::with_capacity(command.len());
                for (i, arg) in command.iter().enumerate() {
                    let is_path_program = i == 0 && program.contains('/');
                    let candidate_file = dir.join(arg);
                    let names_file = is_path_program
                        || (i > 0 && !arg.starts_with('-') && candidate_file.is_file());
                    if names_file {
                        let v = trust::verify(&candidate_file)?;
                        resolved.push(v.canonical.display().to_string());
                        files.push(HashedFile {
                            path: v.canonical,
                            sha256: v.sha256,
                        });
                    } else {
                        resolved.push(arg.clone());
                    }
                }
                Ok(PluginSpec {
                    target: Target::Process {
                        name: name.clone(),
                        command: resolved,
                        files,
                    },
                    source: source.clone(),
                    memory_mb,
                    info: None,
                })
            }
        }
    }

    /// How messages name the plugin.
    pub fn display(&self) -> String {
        match &self.target {
            Target::Dynamic { file } => file.path.display().to_string(),
            Target::Process { name, .. } => name.clone(),
        }
    }

    /// A layer id for a plugin that could not describe itself: its file or
    /// config name, lower-cased, `lib` prefix and extension dropped.
    pub fn fallback_id(&self) -> String {
        let raw = match &self.target {
            Target::Dynamic { file } => {
                let stem = file
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                stem.strip_prefix("lib").map(str::to_string).unwrap_or(stem)
            }
            Target::Process { name, .. } => name.clone(),
        };
        let id: String = raw
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        if id.is_empty() {
            "plugin".into()
        } else {
            id
        }
    }

    /// Describes the plugin in a worker process (`program args... --plugin-spec
    /// JSON --describe -`), under [`DESCRIBE_TIMEOUT`] and without credentials
    /// in the environment.
    pub fn describe(&self, worker: &(PathBuf, Vec<String>)) -> Result<PluginInfo, String> {
        let spec = serde_json::to_string(self).map_err(|e| format!("cannot encode: {e}"))?;
        let mut cmd = Command::new(&worker.0);
        cmd.args(&worker.1)
            .args(["--plugin-spec", &spec, "--describe", "-"]);
        guard_core::runner::scrub_env(&mut cmd);
        let out = child::run(
            &mut cmd,
            Vec::new(),
            DESCRIBE_TIMEOUT,
            MAX_RESPONSE_BYTES,
            true,
        )
        .map_err(|e| format!("describing it: {e}"))?;
        if !out.status.success() {
            return Err(exit_message("describing it", &out));
        }
        serde_json::from_slice::<PluginInfo>(&out.stdout)
            .map_err(|e| format!("describing it: unreadable answer: {e}"))
    }
}

fn exit_message(doing: &str, out: &child::ChildOutput) -> String {
    let how = status_text(&out.status);
    match child::last_line(&out.stderr) {
        // The worker's own error names the plugin and what was wrong.
        Some(line) if out.status.code() == Some(2) => line,
        Some(line) => format!("{doing}: the worker {how}: {line}"),
        None => format!("{doing}: the worker {how}"),
    }
}

fn status_text(status: &std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let name = match sig {
                libc::SIGABRT => "SIGABRT",
                libc::SIGSEGV => "SIGSEGV",
                libc::SIGKILL => "SIGKILL",
                libc::SIGBUS => "SIGBUS",
                libc::SIGTERM => "SIGTERM",
                _ => "a signal",
            };
            return format!("was killed by signal {sig} ({name})");
        }
    }
    match status.code() {
        Some(c) => format!("exited with code {c}"),
        None => "ended".into(),
    }
}

/// Checks a described plugin against the layers and rules already taken:
/// its id must be new, its rule prefix must not cover a built-in rule, and
/// each rule id must carry the prefix and be new.
pub fn validate(plugin: &str, info: &PluginInfo, taken: &[LayerInfo]) -> Result<(), PluginError> {
    let err = |message: String| PluginError::Namespace {
        plugin: plugin.to_string(),
        message,
    };
    if info.abi_version != ABI_VERSION {
        return Err(PluginError::AbiMismatch {
            path: plugin.to_string(),
            plugin: info.abi_version,
            host: ABI_VERSION,
        });
    }
    let id = info.id.as_str();
    if id.is_empty()
        || id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(err(format!(
            "layer id `{id}` is not 1-64 lower-case letters, digits or `-`"
        )));
    }
    if ANNOUNCED_LAYERS.contains(&id) || taken.iter().any(|l| l.id == id) {
        return Err(err(format!("layer id `{id}` is already taken")));
    }
    let prefix = info.effective_rule_prefix();
    if prefix.len() < 3 || !prefix.ends_with('-') {
        return Err(err(format!(
            "rule prefix `{prefix}` must be at least 3 characters and end with `-`"
        )));
    }
    let upper = prefix.to_ascii_uppercase();
    if let Some(r) = taken
        .iter()
        .flat_map(|l| l.rules.iter())
        .find(|r| r.id.to_ascii_uppercase().starts_with(&upper))
    {
        return Err(err(format!(
            "rule prefix `{prefix}` covers rule {} of another layer; choose a prefix of your own",
            r.id
        )));
    }
    let mut seen: Vec<String> = Vec::new();
    for r in &info.rules {
        if !r.id.starts_with(&prefix) {
            return Err(err(format!(
                "rule id `{}` does not start with the plugin's prefix `{prefix}`",
                r.id
            )));
        }
        if r.id.len() == prefix.len() {
            return Err(err(format!("rule id `{}` is only the prefix", r.id)));
        }
        let up = r.id.to_ascii_uppercase();
        if seen.contains(&up) {
            return Err(err(format!("rule id `{}` is declared twice", r.id)));
        }
        if let Some(l) = taken
            .iter()
            .find(|l| l.rules.iter().any(|b| b.id.eq_ignore_ascii_case(&r.id)))
        {
            return Err(err(format!(
                "rule id `{}` is already a rule of layer {}",
                r.id, l.id
            )));
        }
        seen.push(up);
    }
    Ok(())
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// The `'static` metadata the [`Layer`] trait asks for. Leaked: a process
/// loads a bounded number of plugins, once.
fn leak_info(info: &PluginInfo) -> LayerInfo {
    let rules: Vec<Rule> = info
        .rules
        .iter()
        .map(|r| Rule {
            id: leak(&r.id),
            severity: r.severity,
            title: leak(&r.title),
            rationale: leak(&r.rationale),
            remediation: leak(&r.remediation),
            tags: Box::leak(
                r.tags
                    .iter()
                    .map(|t| leak(t))
                    .collect::<Vec<_>>()
                    .into_boxed_slice(),
            ),
            references: Box::leak(
                r.references
                    .iter()
                    .map(|t| leak(t))
                    .collect::<Vec<_>>()
                    .into_boxed_slice(),
            ),
        })
        .collect();
    LayerInfo {
        id: leak(&info.id),
        name: leak(&info.name),
        description: leak(&info.description),
        rules: Box::leak(rules.into_boxed_slice()),
    }
}

enum State {
    /// In the guard process: runs only through a worker.
    Host,
    /// Could not be described; running it reports why.
    Broken(String),
    /// In the worker, loaded.
    Loaded(dylib::Library),
    /// In the worker, a command to start.
    Process,
}

/// A plugin as a [`Layer`].
pub struct PluginLayer {
    spec: PluginSpec,
    info: LayerInfo,
    state: State,
}

impl std::fmt::Debug for PluginLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginLayer")
            .field("id", &self.info.id)
            .field("spec", &self.spec)
            .finish()
    }
}

impl PluginLayer {
    /// The host's stand-in for a described and validated plugin.
    pub fn described(mut spec: PluginSpec, info: PluginInfo) -> PluginLayer {
        let layer_info = leak_info(&info);
        spec.info = Some(info);
        PluginLayer {
            spec,
            info: layer_info,
            state: State::Host,
        }
    }

    /// A plugin that could not be described: it runs as a failure carrying
    /// `reason`, so the other layers still report.
    pub fn broken(spec: PluginSpec, reason: String) -> PluginLayer {
        let id = spec.fallback_id();
        let info = LayerInfo {
            id: leak(&id),
            name: leak(&id),
            description: leak(&format!("plugin that could not be loaded: {reason}")),
            rules: &[],
        };
        PluginLayer {
            spec,
            info,
            state: State::Broken(reason),
        }
    }

    /// Whether the plugin could not be described.
    pub fn broken_reason(&self) -> Option<&str> {
        match &self.state {
            State::Broken(r) => Some(r),
            _ => None,
        }
    }

    /// In a worker: limits memory, checks the files again against their
    /// digests, and loads the library. Call before anything else of the plugin.
    pub fn for_worker(spec: PluginSpec) -> Result<PluginLayer, PluginError> {
        let state = Self::load_in_worker(&spec)?;
        let Some(info) = spec.info.clone() else {
            return Err(PluginError::Protocol {
                plugin: spec.display(),
                message: "the worker was not given the plugin's description".into(),
            });
        };
        Ok(PluginLayer {
            info: leak_info(&info),
            spec,
            state,
        })
    }

    /// In a worker: the plugin's own description.
    pub fn describe_in_worker(spec: &PluginSpec) -> Result<PluginInfo, PluginError> {
        let state = Self::load_in_worker(spec)?;
        let request = serde_json::to_vec(&Request::Describe {
            abi_version: ABI_VERSION,
        })
        .map_err(|e| protocol(spec, format!("cannot encode the request: {e}")))?;
        let bytes = match &state {
            State::Loaded(lib) => lib.call(&request)?,
            _ => run_command(spec, request, DESCRIBE_TIMEOUT, None).map_err(|e| match e {
                LayerError::Cancelled => protocol(
                    spec,
                    format!(
                        "no description within {} s; killed",
                        DESCRIBE_TIMEOUT.as_secs()
                    ),
                ),
                e => protocol(spec, e.to_string()),
            })?,
        };
        match parse_response(&bytes).map_err(|e| protocol(spec, e))? {
            Response::Info(info) => {
                if info.abi_version != ABI_VERSION {
                    return Err(PluginError::AbiMismatch {
                        path: spec.display(),
                        plugin: info.abi_version,
                        host: ABI_VERSION,
                    });
                }
                Ok(info)
            }
            Response::Error { kind, message } => Err(protocol(
                spec,
                format!("describing itself failed ({kind:?}): {message}"),
            )),
            Response::Findings { .. } => Err(protocol(
                spec,
                "answered a describe request with findings".into(),
            )),
        }
    }

    fn load_in_worker(spec: &PluginSpec) -> Result<State, PluginError> {
        child::limit_memory(spec.memory_mb.saturating_mul(1024 * 1024)).map_err(|e| {
            PluginError::Load {
                path: spec.display(),
                message: e,
            }
        })?;
        let recheck = |f: &HashedFile| -> Result<trust::Verified, PluginError> {
            let v = trust::verify(&f.path)?;
            if v.sha256 != f.sha256 {
                return Err(PluginError::Refused {
                    path: f.path.display().to_string(),
                    reason: format!(
                        "changed since it was checked (SHA-256 {} now, {} before)",
                        v.sha256, f.sha256
                    ),
                });
            }
            Ok(v)
        };
        match &spec.target {
            Target::Dynamic { file } => {
                let v = recheck(file)?;
                Ok(State::Loaded(dylib::Library::open(&v)?))
            }
            Target::Process { files, .. } => {
                for f in files {
                    recheck(f)?;
                }
                Ok(State::Process)
            }
        }
    }

    /// What the report records of this plugin.
    pub fn record(&self) -> PluginRecord {
        let (kind, path, sha256, command) = match &self.spec.target {
            Target::Dynamic { file } => (
                "dynamic",
                Some(file.path.display().to_string()),
                Some(file.sha256.clone()),
                Vec::new(),
            ),
            Target::Process { command, files, .. } => (
                "process",
                files.first().map(|f| f.path.display().to_string()),
                files.first().map(|f| f.sha256.clone()),
                command.clone(),
            ),
        };
        PluginRecord {
            id: self.info.id.to_string(),
            kind: kind.into(),
            path,
            sha256,
            command,
            source: self.spec.source.clone(),
        }
    }

    fn request(&self, ctx: &Context) -> Result<Vec<u8>, LayerError> {
        let table: toml::Table = ctx.config().parse()?;
        let config_table = serde_json::to_value(&table)
            .map_err(|e| LayerError::Other(format!("cannot encode the config table: {e}")))?;
        let process = matches!(self.state, State::Process);
        let root = if process {
            ctx.root()
                .canonicalize()
                .unwrap_or_else(|_| ctx.root().to_path_buf())
        } else {
            ctx.root().to_path_buf()
        };
        let files = process.then(|| {
            ctx.files()
                .files
                .iter()
                .map(|f| f.rel_path.clone())
                .collect::<Vec<_>>()
        });
        let timeout_ms = ctx
            .deadline()
            .map(|d| d.saturating_duration_since(Instant::now()).as_millis() as u64)
            .unwrap_or(300_000);
        let req = Request::Run(Box::new(RunRequest {
            abi_version: ABI_VERSION,
            root,
            change: ctx.change().cloned(),
            inputs: ctx.all_inputs().clone(),
            walk: ctx.walk_options().clone(),
            config: ctx.config().clone(),
            config_table,
            timeout_ms,
            files,
        }));
        serde_json::to_vec(&req)
            .map_err(|e| LayerError::Other(format!("cannot encode the request: {e}")))
    }

    /// Findings must be of declared rules: a plugin cannot report under
    /// another layer's rule id.
    fn check_findings(&self, findings: &[Finding]) -> Result<(), LayerError> {
        for f in findings {
            if self.info.rule(&f.rule_id).is_none() {
                return Err(LayerError::Other(format!(
                    "plugin reported rule `{}`, which it did not declare (declared: {})",
                    f.rule_id,
                    self.info
                        .rules
                        .iter()
                        .map(|r| r.id)
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        Ok(())
    }
}

fn protocol(spec: &PluginSpec, message: String) -> PluginError {
    PluginError::Protocol {
        plugin: spec.display(),
        message,
    }
}

fn parse_response(bytes: &[u8]) -> Result<Response, String> {
    serde_json::from_slice(bytes).map_err(|e| {
        let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(80)])
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        format!("invalid response: {e} (it began `{head}`)")
    })
}

/// Starts a process plugin with `request` on stdin; its answer, or why none
/// (`Cancelled` when it overran `timeout`).
fn run_command(
    spec: &PluginSpec,
    request: Vec<u8>,
    timeout: Duration,
    cwd: Option<&Path>,
) -> Result<Vec<u8>, LayerError> {
    let Target::Process { command, .. } = &spec.target else {
        return Err(LayerError::Other("not a process plugin".into()));
    };
    let Some((program, args)) = command.split_first() else {
        return Err(LayerError::Other("empty command".into()));
    };
    let mut cmd = Command::new(program);
    cmd.args(args);
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    // In the worker's process group: whoever stops the worker stops this too.
    let out = match child::run(&mut cmd, request, timeout, MAX_RESPONSE_BYTES, false) {
        Ok(out) => out,
        Err(child::ChildError::TimedOut(_)) => return Err(LayerError::Cancelled),
        Err(e) => return Err(LayerError::Other(e.to_string())),
    };
    if out.stdout_truncated {
        return Err(LayerError::Other(format!(
            "response over the limit of {MAX_RESPONSE_BYTES} bytes"
        )));
    }
    if out.stdout.is_empty() || !out.status.success() {
        let how = status_text(&out.status);
        return Err(LayerError::Other(match child::last_line(&out.stderr) {
            Some(line) => format!("`{program}` {how} without an answer: {line}"),
            None => format!("`{program}` {how} without an answer"),
        }));
    }
    Ok(out.stdout)
}

impl Layer for PluginLayer {
    fn id(&self) -> &'static str {
        self.info.id
    }

    fn info(&self) -> LayerInfo {
        self.info
    }

    fn requires_process(&self) -> bool {
        matches!(self.state, State::Host)
    }

    fn worker_args(&self) -> Vec<String> {
        match serde_json::to_string(&self.spec) {
            Ok(json) => vec!["--plugin-spec".into(), json],
            Err(_) => Vec::new(),
        }
    }

    fn run(&self, ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        let bytes = match &self.state {
            State::Host => {
                return Err(LayerError::Other(
                    "a plugin runs only in a worker process".into(),
                ))
            }
            State::Broken(reason) => return Err(LayerError::Other(reason.clone())),
            State::Loaded(lib) => lib
                .call(&self.request(ctx)?)
                .map_err(|e| LayerError::Other(e.to_string()))?,
            State::Process => {
                let left = ctx
                    .deadline()
                    .map(|d| d.saturating_duration_since(Instant::now()))
                    .unwrap_or(Duration::from_secs(300));
                let root = ctx.root().to_path_buf();
                run_command(&self.spec, self.request(ctx)?, left, Some(&root))?
            }
        };
        match parse_response(&bytes).map_err(LayerError::Other)? {
            Response::Findings {
                findings,
                input_errors,
                skipped,
            } => {
                self.check_findings(&findings)?;
                ctx.record_problems(input_errors, skipped);
                Ok(findings)
            }
            Response::Error { kind, message } => match kind {
                ErrorKind::Panicked => {
                    // Reported as the layer's `panicked` outcome by the runner.
                    std::panic::resume_unwind(Box::new(format!("plugin panicked: {message}")))
                }
                ErrorKind::Cancelled => Err(LayerError::Cancelled),
                ErrorKind::Failed => Err(LayerError::Other(message)),
                ErrorKind::BadRequest => Err(LayerError::Other(format!(
                    "plugin did not understand the request: {message}"
                ))),
            },
            Response::Info(_) => Err(LayerError::Other(
                "plugin answered a run request with its description".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::RuleInfo;
    use guard_core::Severity;

    fn info(id: &str, prefix: Option<&str>, rules: &[&str]) -> PluginInfo {
        PluginInfo {
            abi_version: ABI_VERSION,
            id: id.into(),
            name: id.into(),
            description: String::new(),
            rule_prefix: prefix.map(str::to_string),
            rules: rules
                .iter()
                .map(|r| RuleInfo {
                    id: r.to_string(),
                    severity: Severity::Low,
                    title: "t".into(),
                    rationale: String::new(),
                    remediation: String::new(),
                    tags: vec![],
                    references: vec![],
                })
                .collect(),
        }
    }

    static BUILTIN_RULES: &[Rule] = &[Rule {
        id: "INFRA-IAM-001",
        severity: Severity::High,
        title: "t",
        rationale: "",
        remediation: "",
        tags: &[],
        references: &[],
    }];

    fn builtin() -> Vec<LayerInfo> {
        vec![LayerInfo {
            id: "infra",
            name: "Infra",
            description: "",
            rules: BUILTIN_RULES,
        }]
    }

    #[test]
    fn namespaced_rules_pass() {
        validate("p", &info("acme", None, &["PLUGIN-ACME-001"]), &builtin()).unwrap();
        validate("p", &info("acme", Some("ACME-"), &["ACME-1"]), &builtin()).unwrap();
    }

    #[test]
    fn collisions_are_refused() {
        let cases = [
            (info("infra", None, &[]), "already taken"),
            (info("owasp", None, &[]), "already taken"),
            (info("Bad_Id", None, &[]), "lower-case"),
            (info("acme", None, &["ACME-001"]), "does not start with"),
            (
                info("acme", Some("INFRA-"), &["INFRA-IAM-001"]),
                "covers rule INFRA-IAM-001",
            ),
            (
                info("acme", Some("INFRA-IAM-00"), &["INFRA-IAM-009"]),
                "end with `-`",
            ),
            (
                info("acme", None, &["PLUGIN-ACME-1", "plugin-acme-1"]),
                "does not start",
            ),
            (
                info("acme", None, &["PLUGIN-ACME-1", "PLUGIN-ACME-1"]),
                "declared twice",
            ),
        ];
        for (i, want) in cases {
            let e = validate("p", &i, &builtin()).unwrap_err().to_string();
            assert!(e.contains(want), "{e} (wanted {want})");
        }
        let mut wrong = info("acme", None, &[]);
        wrong.abi_version = 999;
        let e = validate("p", &wrong, &builtin()).unwrap_err().to_string();
        assert!(
            e.contains("version 999") && e.contains("speaks version 1"),
            "{e}"
        );
    }

    #[test]
    fn fallback_ids_come_from_file_names() {
        let spec = PluginSpec {
            target: Target::Dynamic {
                file: HashedFile {
                    path: PathBuf::from("/x/libguard_test_abort.so"),
                    sha256: String::new(),
                },
            },
            source: "--plugin".into(),
            memory_mb: 1,
            info: None,
        };
        assert_eq!(spec.fallback_id(), "guard-test-abort");
        let layer = PluginLayer::broken(spec, "crashed".into());
        assert!(!layer.requires_process());
        let e = layer.run(&Context::new(".")).unwrap_err().to_string();
        assert_eq!(e, "crashed");
    }

    #[test]
    fn host_side_never_runs_a_plugin_in_process() {
        let spec = PluginSpec {
            target: Target::Dynamic {
                file: HashedFile {
                    path: PathBuf::from("/x/libacme.so"),
                    sha256: String::new(),
                },
            },
            source: "--plugin".into(),
            memory_mb: 1,
            info: None,
        };
        let layer = PluginLayer::described(spec, info("acme", None, &["PLUGIN-ACME-1"]));
        assert!(layer.requires_process());
        assert_eq!(layer.worker_args()[0], "--plugin-spec");
        assert!(layer.run(&Context::new(".")).is_err());
        assert_eq!(layer.record().kind, "dynamic");
    }
}
