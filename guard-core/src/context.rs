//! What a layer is given: the target, the change under review, its own config
//! table, named inputs, the shared file walk, a deadline and a cancel flag.

use crate::diff::ChangeSet;
use crate::report::{LayerOutcome, PartRun};
use crate::walk::{self, FileSet, InputError, SkippedFile, SourceFile, TextError, WalkOptions};
use crate::{LayerConfig, LayerError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Inputs named on the command line, by kind: `plan`, `capture`, `model`, ...
pub type Inputs = BTreeMap<String, Vec<PathBuf>>;

#[derive(Debug, Clone)]
struct Shared {
    root: PathBuf,
    change: Option<ChangeSet>,
    inputs: Inputs,
    walk: WalkOptions,
    files: OnceLock<FileSet>,
    /// What [`Context::read_text`] could not read, for the report.
    read_problems: Arc<Mutex<ReadProblems>>,
    /// Outcomes of layers' independent parts, by layer id.
    parts: Arc<Mutex<BTreeMap<String, Vec<PartRun>>>>,
}

#[derive(Debug, Default)]
struct ReadProblems {
    errors: Vec<InputError>,
    skipped: Vec<SkippedFile>,
}

/// Cheap to clone; clones share the file walk.
#[derive(Debug, Clone)]
pub struct Context {
    shared: Arc<Shared>,
    config: LayerConfig,
    deadline: Option<Instant>,
    cancel: Arc<AtomicBool>,
}

impl Context {
    /// A context for `root` with no change, no config and no deadline.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Context {
            shared: Arc::new(Shared {
                root: root.into(),
                change: None,
                inputs: Inputs::new(),
                walk: WalkOptions::default(),
                files: OnceLock::new(),
                read_problems: Arc::default(),
                parts: Arc::default(),
            }),
            config: LayerConfig::default(),
            deadline: None,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    /// With the change under review.
    pub fn with_change(mut self, change: ChangeSet) -> Self {
        Arc::make_mut(&mut self.shared).change = Some(change);
        self
    }

    /// With one more input of `kind`.
    pub fn with_input(mut self, kind: &str, path: impl Into<PathBuf>) -> Self {
        Arc::make_mut(&mut self.shared)
            .inputs
            .entry(kind.to_string())
            .or_default()
            .push(path.into());
        self
    }

    /// With these inputs (replacing any).
    pub fn with_inputs(mut self, inputs: Inputs) -> Self {
        Arc::make_mut(&mut self.shared).inputs = inputs;
        self
    }

    /// With these walk excludes and size limit.
    pub fn with_walk_options(mut self, opts: WalkOptions) -> Self {
        let shared = Arc::make_mut(&mut self.shared);
        shared.walk = opts;
        shared.files = OnceLock::new();
        self
    }

    /// With this layer config table.
    pub fn with_config(mut self, config: LayerConfig) -> Self {
        self.config = config;
        self
    }

    /// With a deadline, after which [`Context::check`] fails.
    pub fn with_deadline(mut self, deadline: Instant) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// A context for one layer: shares the walk, has its own config, deadline
    /// and cancel flag.
    pub fn for_layer(&self, config: LayerConfig, deadline: Option<Instant>) -> Self {
        Context {
            shared: Arc::clone(&self.shared),
            config,
            deadline,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The scanned root, as given.
    pub fn root(&self) -> &Path {
        &self.shared.root
    }

    /// The change under review, if any.
    pub fn change(&self) -> Option<&ChangeSet> {
        self.shared.change.as_ref()
    }

    /// Paths named for `kind` (e.g. `plan`), in command-line order.
    pub fn inputs(&self, kind: &str) -> &[PathBuf] {
        self.shared
            .inputs
            .get(kind)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every input, by kind.
    pub fn all_inputs(&self) -> &Inputs {
        &self.shared.inputs
    }

    /// The walk's excludes and size limit.
    pub fn walk_options(&self) -> &WalkOptions {
        &self.shared.walk
    }

    /// This layer's `[layers.<id>]` table.
    pub fn config(&self) -> &LayerConfig {
        &self.config
    }

    /// A path written in this layer's `[layers.<id>]` table, resolved against
    /// the folder of the guard.toml it is written in.
    pub fn config_path(&self, written: &Path) -> PathBuf {
        self.config.resolve_path(written)
    }

    /// `path` as findings name files: relative to the root when it lies
    /// under it (compared canonically, so `.` and absolute paths agree),
    /// else as given. Forward slashes.
    pub fn display_path(&self, path: &Path) -> String {
        let rel = path
            .strip_prefix(self.root())
            .ok()
            .map(Path::to_path_buf)
            .or_else(|| {
                let root = self.root().canonicalize().ok()?;
                let full = path.canonicalize().ok()?;
                full.strip_prefix(&root).ok().map(Path::to_path_buf)
            });
        let shown = match rel {
            Some(r) if !r.as_os_str().is_empty() => r,
            _ => path.to_path_buf(),
        };
        shown.to_string_lossy().replace('\\', "/")
    }

    /// The source tree, walked once per run and shared by every layer.
    pub fn files(&self) -> &FileSet {
        self.shared
            .files
            .get_or_init(|| walk::walk(&self.shared.root, &self.shared.walk))
    }

    /// The walk if some layer already asked for it.
    pub fn files_if_walked(&self) -> Option<&FileSet> {
        self.shared.files.get()
    }

    /// A file's text (UTF-8, or UTF-16 with a BOM); binary or mis-encoded
    /// files give an error naming the file and place.
    ///
    /// The report hears of every failure, so a layer need not turn it into a
    /// finding: a file that cannot be read is an input error (exit 2), like an
    /// unreadable directory; a binary or mis-encoded file is listed as skipped
    /// with the reason.
    pub fn read_text(&self, file: &SourceFile) -> Result<String, TextError> {
        let result = std::fs::read(&file.abs_path)
            .map_err(|e| TextError::Io {
                path: file.rel_path.clone(),
                message: format!("cannot read: {e}"),
            })
            .and_then(|bytes| walk::decode_text(&file.rel_path, &bytes));
        match &result {
            Ok(_) => tracing::debug!("read {} ({} bytes)", file.rel_path, file.size),
            Err(e) => {
                let mut problems = self
                    .shared
                    .read_problems
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let reason = e.reason();
                tracing::debug!("not read: {}: {reason}", file.rel_path);
                match e {
                    TextError::Io { .. } => problems.errors.push(InputError {
                        path: file.rel_path.clone(),
                        message: reason,
                    }),
                    _ => problems.skipped.push(SkippedFile {
                        path: file.rel_path.clone(),
                        reason,
                    }),
                }
            }
        }
        result
    }

    /// Adds problems met elsewhere for this run (a worker process's walk and
    /// reads) to those [`Context::read_problems`] returns.
    pub fn record_problems(&self, errors: Vec<InputError>, skipped: Vec<SkippedFile>) {
        let mut problems = self
            .shared
            .read_problems
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        problems.errors.extend(errors);
        problems.skipped.extend(skipped);
    }

    /// Files [`Context::read_text`] could not read (input errors) or passed
    /// over (binary, not text), in the order met.
    pub fn read_problems(&self) -> (Vec<InputError>, Vec<SkippedFile>) {
        let problems = self
            .shared
            .read_problems
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (problems.errors.clone(), problems.skipped.clone())
    }

    /// Records the outcome of one independent part of this layer (a reviewer
    /// of the review layer); the report shows it next to the layer's outcome.
    /// A part recorded twice keeps its last outcome.
    pub fn record_part_outcome(
        &self,
        name: &str,
        outcome: LayerOutcome,
        duration: Duration,
        findings: usize,
    ) {
        self.record_parts(
            &self.config.layer,
            vec![PartRun {
                name: name.to_string(),
                outcome,
                duration_ms: (duration.as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
                findings,
                metrics: Default::default(),
            }],
        );
    }

    /// Adds part outcomes of layer `layer` (a worker process's, for one).
    pub fn record_parts(&self, layer: &str, parts: Vec<PartRun>) {
        let mut all = self
            .shared
            .parts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let list = all.entry(layer.to_string()).or_default();
        for p in parts {
            list.retain(|q| q.name != p.name);
            list.push(p);
        }
    }

    /// The part outcomes recorded for layer `layer`, in the order recorded.
    pub fn part_outcomes(&self, layer: &str) -> Vec<PartRun> {
        self.shared
            .parts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(layer)
            .cloned()
            .unwrap_or_default()
    }

    /// When the layer must stop.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Ask the layer to stop; it sees this at its next [`Context::check`].
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether the run was cancelled or the deadline passed.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed) || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// `Err(Cancelled)` once the deadline passed or the run was cancelled;
    /// call it in long loops.
    pub fn check(&self) -> Result<(), LayerError> {
        if self.is_cancelled() {
            Err(LayerError::Cancelled)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn deadline_and_cancel() {
        let ctx = Context::new(".");
        assert!(ctx.check().is_ok());
        let layer_ctx = ctx.for_layer(LayerConfig::default(), Some(Instant::now()));
        std::thread::sleep(Duration::from_millis(1));
        assert!(matches!(layer_ctx.check(), Err(LayerError::Cancelled)));
        let other = ctx.for_layer(LayerConfig::default(), None);
        other.cancel();
        assert!(other.is_cancelled());
        assert!(!ctx.is_cancelled());
    }

    #[test]
    fn part_outcomes_are_kept_per_layer() {
        let cfg = LayerConfig {
            layer: "review".into(),
            ..LayerConfig::default()
        };
        let root = Context::new(".");
        let layer_ctx = root.for_layer(cfg, None);
        layer_ctx.record_part_outcome("bug", LayerOutcome::Completed, Duration::ZERO, 2);
        layer_ctx.record_part_outcome(
            "quality",
            LayerOutcome::Panicked {
                message: "boom".into(),
            },
            Duration::from_millis(3),
            0,
        );
        let parts = root.part_outcomes("review");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "bug");
        assert_eq!(parts[0].findings, 2);
        assert_eq!(parts[1].outcome.label(), "panicked");
        assert!(root.part_outcomes("owasp").is_empty());
    }

    #[test]
    fn inputs_by_kind() {
        let ctx = Context::new(".")
            .with_input("plan", "a.json")
            .with_input("plan", "b.json");
        assert_eq!(ctx.inputs("plan").len(), 2);
        assert!(ctx.inputs("capture").is_empty());
    }
}
