//! `guard stride MODEL`, `guard stride verify MODEL [PATH]`,
//! `guard stride init [PATH]`, `guard stride diff OLD NEW`,
//! `guard stride MODEL --diff A..B`.

use crate::args::{Format, IsolationArg, ReportArgs};
use anyhow::{bail, Context as _, Result};
use clap::{Args, Subcommand, ValueEnum};
use guard_stride::{read, report, rules, verify};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrideFormat {
    Text,
    Json,
    Sarif,
    /// Threat model report with a Mermaid data-flow diagram.
    Markdown,
    /// Self-contained HTML page with an SVG data-flow diagram.
    Html,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct StrideArgs {
    #[command(subcommand)]
    pub command: Option<StrideCommand>,
    /// The system model: Threagile YAML, Threat Dragon JSON, pytm --json export or guard YAML.
    pub model: Option<PathBuf>,
    /// Compare the model's threats at two git revisions, e.g. main..HEAD.
    #[arg(long, value_name = "A..B")]
    pub diff: Option<String>,
    #[command(flatten)]
    pub out: StrideOut,
}

#[derive(Debug, Clone, Args)]
pub struct StrideOut {
    #[arg(long, value_enum, default_value_t = StrideFormat::Text)]
    pub format: StrideFormat,
    /// Lowest severity that makes the exit code 1 [default: high, or guard.toml].
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<guard_core::Severity>,
    /// Report only findings whose fingerprints are not in this baseline.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Config file [default: nearest guard.toml from the current directory upwards].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl StrideOut {
    fn report_args(&self) -> Result<ReportArgs> {
        let format = match self.format {
            StrideFormat::Text => Format::Text,
            StrideFormat::Json => Format::Json,
            StrideFormat::Sarif => Format::Sarif,
            StrideFormat::Markdown => Format::Markdown,
            StrideFormat::Html => bail!("--format html is not available here"),
        };
        Ok(ReportArgs {
            format,
            fail_on: self.fail_on,
            baseline: self.baseline.clone(),
            write_baseline: None,
            config: self.config.clone(),
            isolation: IsolationArg::Thread,
            timeout: None,
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum StrideCommand {
    /// Look for evidence of each mitigation in the code and infrastructure under PATH.
    Verify {
        model: PathBuf,
        #[arg(default_value = ".")]
        path: PathBuf,
        #[command(flatten)]
        out: StrideOut,
    },
    /// Draft a guard YAML model from Terraform, the egress allowlist and HTTP routes.
    Init {
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Write the draft to FILE instead of stdout (never overwrites).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// guard.toml whose [layers.network] gives the egress allowlist [default: PATH/guard.toml].
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// List threats that appear and disappear between two versions of a model.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = StrideFormat::Text)]
        format: StrideFormat,
    },
}

fn load(path: &Path) -> Result<guard_stride::model::Model> {
    let shown = path.display().to_string();
    read::load(path, &shown).map_err(|e| anyhow::anyhow!("{e}"))
}

pub fn run(args: StrideArgs, color: bool, quiet: bool) -> Result<u8> {
    match args.command {
        Some(StrideCommand::Verify { model, path, out }) => verify_cmd(&model, &path, &out),
        Some(StrideCommand::Init {
            path,
            output,
            config,
        }) => init_cmd(&path, output.as_deref(), config.as_deref()),
        Some(StrideCommand::Diff { old, new, format }) => {
            let a = load(&old)?;
            let b = load(&new)?;
            print_diff(
                &a,
                &b,
                &old.display().to_string(),
                &new.display().to_string(),
                format,
            )
        }
        None => {
            let Some(model) = args.model else {
                bail!("guard stride: name a MODEL file (or use verify, init, diff)");
            };
            if !model.is_file() {
                bail!("{}: no such file", model.display());
            }
            if let Some(range) = &args.diff {
                return git_diff(&model, range, args.out.format);
            }
            match args.out.format {
                StrideFormat::Markdown | StrideFormat::Html => {
                    let m = load(&model)?;
                    let threats = rules::analyse(&m);
                    let text = if args.out.format == StrideFormat::Html {
                        report::html(&m, &threats, None)
                    } else {
                        report::markdown(&m, &threats, None)
                    };
                    crate::out::print(&text)?;
                    Ok(0)
                }
                // A broken model is the layer's input error: reported with its
                // place, exit 2.
                _ => crate::run::run_layer(
                    guard_stride::LAYER_ID,
                    PathBuf::from("."),
                    vec![(guard_stride::INPUT_KIND.to_string(), model)],
                    args.out.report_args()?,
                    color,
                    quiet,
                ),
            }
        }
    }
}

fn verify_cmd(model_path: &Path, root: &Path, out: &StrideOut) -> Result<u8> {
    let started = Instant::now();
    let m = load(model_path)?;
    let threats = rules::analyse(&m);
    let v = verify::verify(&m, &threats, root, &|| false)?;
    for s in &v.skipped {
        tracing::warn!("not analysed: {s}");
    }
    // Missing mitigations, stale scopes and unusable annotations all fail.
    let failing = v.missing() + v.stale.len() + v.problems.len();
    match out.format {
        StrideFormat::Markdown => crate::out::print(&report::markdown(&m, &threats, Some(&v)))?,
        StrideFormat::Html => crate::out::print(&report::html(&m, &threats, Some(&v)))?,
        StrideFormat::Json => {
            crate::out::print(&(serde_json::to_string_pretty(&verify_json(&m, &v))? + "\n"))?
        }
        StrideFormat::Sarif => {
            let findings = verify::findings(&m, &v);
            let rep = out.report_args()?;
            let report = crate::run::report_findings(
                guard_stride::LAYER_ID,
                findings,
                started.elapsed(),
                &rep,
            )?;
            let infos = vec![guard_core::Layer::info(&guard_stride::layer())];
            return crate::run::emit(&report, &infos, &rep, false, "");
        }
        StrideFormat::Text => crate::out::print(&verify_text(&m, &v, root))?,
    }
    Ok(u8::from(failing > 0))
}

fn evidence_json(st: &verify::Status) -> (Vec<serde_json::Value>, Option<String>) {
    match st {
        verify::Status::Implemented(ev) => (
            ev.iter()
                .map(|e| {
                    let mut j = serde_json::json!({"path": e.path, "line": e.line, "what": e.what});
                    if !e.resources.is_empty() {
                        j["resources"] = e.resources.clone().into();
                    }
                    if let Some(el) = &e.element {
                        j["element"] = el.clone().into();
                    }
                    j
                })
                .collect(),
            None,
        ),
        verify::Status::Unknown(w) => (vec![], Some(w.clone())),
        verify::Status::Missing => (vec![], None),
    }
}

fn verify_json(m: &guard_stride::model::Model, v: &verify::Verification) -> serde_json::Value {
    let items: Vec<serde_json::Value> = v
        .mitigations
        .iter()
        .map(|x| {
            let (evidence, why) = evidence_json(&x.status);
            // Per scoped element; the threats judged on the whole
            // repository are the part whose element is null.
            let elements: Vec<serde_json::Value> = if x.per_element() {
                x.parts
                    .iter()
                    .map(|p| {
                        let (evidence, why) = evidence_json(&p.status);
                        serde_json::json!({
                            "element": p.element,
                            "scope": p.scope,
                            "status": p.status.word(),
                            "evidence": evidence,
                            "reason": why,
                            "threats": p.threats,
                        })
                    })
                    .collect()
            } else {
                Vec::new()
            };
            serde_json::json!({
                "mitigation": x.mitigation.id,
                "title": x.mitigation.title,
                "status": x.summary(),
                "evidence": evidence,
                "reason": why,
                "threats": x.threats,
                "elements": elements,
            })
        })
        .collect();
    let stale: Vec<serde_json::Value> = v
        .stale
        .iter()
        .map(|s| serde_json::json!({"element": s.element, "line": s.line, "key": s.key, "pattern": s.pattern}))
        .collect();
    let problems: Vec<serde_json::Value> = v
        .problems
        .iter()
        .map(|p| serde_json::json!({"path": p.path, "line": p.line, "message": p.message}))
        .collect();
    serde_json::json!({
        "model": m.file,
        "code_files": v.code_files,
        "infra_files": v.infra_files,
        "mitigations": items,
        "stale_scopes": stale,
        "annotation_problems": problems,
    })
}

fn status_detail(st: &verify::Status, evidence: &str) -> String {
    match st {
        verify::Status::Implemented(ev) => ev
            .iter()
            .take(3)
            .map(|e| format!("{}:{} ({})", e.path, e.line, e.what))
            .collect::<Vec<_>>()
            .join("; "),
        verify::Status::Unknown(w) => w.clone(),
        verify::Status::Missing => format!("no evidence found ({evidence})"),
    }
}

fn verify_text(m: &guard_stride::model::Model, v: &verify::Verification, root: &Path) -> String {
    let mut text = format!(
        "{}: {} mitigation(s) checked against {} code and {} Terraform file(s) under {}\n",
        m.file,
        v.mitigations.len(),
        v.code_files,
        v.infra_files,
        root.display()
    );
    for x in &v.mitigations {
        text.push_str(&format!(
            "  {:<11} {:<26} {} [{} threat(s)]\n",
            x.summary(),
            x.mitigation.id,
            x.mitigation.title,
            x.threats.len()
        ));
        if x.per_element() {
            for p in &x.parts {
                let at = match &p.element {
                    Some(e) => format!("at {e}"),
                    None => "repository-wide".to_string(),
                };
                let detail = match (&p.status, &p.element) {
                    (verify::Status::Missing, Some(_)) => {
                        format!("no evidence in {} ({})", p.scope, x.mitigation.evidence)
                    }
                    (st, _) => status_detail(st, x.mitigation.evidence),
                };
                text.push_str(&format!("      {:<11} {at}: {detail}\n", p.status.word()));
            }
        } else {
            text.push_str(&format!(
                "      {}\n",
                status_detail(&x.status, x.mitigation.evidence)
            ));
        }
    }
    for s in &v.stale {
        text.push_str(&format!(
            "  stale       {}:{}: element `{}`: `{}` pattern `{}` matches nothing under {}\n",
            m.file,
            s.line,
            s.element,
            s.key,
            s.pattern,
            root.display()
        ));
    }
    for p in &v.problems {
        text.push_str(&format!(
            "  annotation  {}:{}: {}\n",
            p.path, p.line, p.message
        ));
    }
    text
}

fn init_cmd(root: &Path, output: Option<&Path>, config: Option<&Path>) -> Result<u8> {
    let g = guard_stride::init::draft(root, config)?;
    let text = guard_stride::init::to_yaml(&g);
    // The draft must read back as a valid model.
    read::guard::read(&text, "draft")
        .map_err(|e| anyhow::anyhow!("internal: the drafted model does not read back: {e}"))?;
    match output {
        Some(p) => {
            if p.exists() {
                bail!("{}: already exists; not overwritten", p.display());
            }
            std::fs::write(p, &text).with_context(|| format!("{}: cannot write", p.display()))?;
            eprintln!(
                "wrote {} ({} elements, {} flows, {} boundaries); review it before use",
                p.display(),
                g.elements.len(),
                g.flows.len(),
                g.boundaries.len()
            );
        }
        None => crate::out::print(&text)?,
    }
    Ok(0)
}

fn print_diff(
    a: &guard_stride::model::Model,
    b: &guard_stride::model::Model,
    old: &str,
    new: &str,
    format: StrideFormat,
) -> Result<u8> {
    let ta = rules::analyse(a);
    let tb = rules::analyse(b);
    let d = guard_stride::diff::diff(&ta, &tb);
    match format {
        StrideFormat::Json => crate::out::print(
            &(serde_json::to_string_pretty(&guard_stride::diff::render_json(&d))? + "\n"),
        )?,
        StrideFormat::Text => crate::out::print(&guard_stride::diff::render_text(&d, old, new))?,
        other => bail!("guard stride diff: --format {other:?} is not supported (text or json)"),
    }
    Ok(0)
}

/// Model files as they are at a git revision: every file (the model and
/// each Threagile include) is read with `git cat-file blob REV:path`, the path taken
/// relative to the repository's root.
struct AtRevision {
    /// The repository's top-level folder (canonical).
    top: PathBuf,
    rev: String,
}

impl AtRevision {
    fn new(dir: &Path, rev: &str) -> Result<Self> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["rev-parse", "--show-toplevel"])
            .output()
            .context("cannot run git")?;
        if !out.status.success() {
            bail!(
                "{}: not in a git repository: {}",
                dir.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let top = String::from_utf8(out.stdout).context("git: repository path is not UTF-8")?;
        let top = PathBuf::from(top.trim_end_matches(['\n', '\r']));
        let top = top
            .canonicalize()
            .with_context(|| format!("{}: cannot resolve", top.display()))?;
        Ok(AtRevision {
            top,
            rev: rev.to_string(),
        })
    }

    /// `path`'s place in the repository, `/`-separated.
    fn in_repo(&self, path: &Path) -> Result<String, String> {
        let rel = path.strip_prefix(&self.top).map_err(|_| {
            format!(
                "{} lies outside the git repository {}",
                path.display(),
                self.top.display()
            )
        })?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Ok(parts.join("/"))
    }
}

/// `path` made absolute with `.` and `..` resolved by name: a revision's
/// files are not on disk to resolve links in.
fn lexical(path: &Path) -> std::io::Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    Ok(read::lexical(&abs))
}

impl read::FileSource for AtRevision {
    fn canonical(&self, path: &Path) -> std::io::Result<PathBuf> {
        lexical(path)
    }

    fn read_text(&self, path: &Path) -> Result<String, String> {
        use std::io::Read as _;
        let rel = self.in_repo(path)?;
        let mut child = std::process::Command::new("git")
            .arg("-C")
            .arg(&self.top)
            // A blob only: a directory at the path is an error, not a listing.
            .args(["cat-file", "blob"])
            .arg(format!("{}:{rel}", self.rev))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        // Read one byte past the limit, so an oversized blob is refused
        // without being held whole.
        let mut bytes = Vec::new();
        if let Some(out) = child.stdout.take() {
            out.take(guard_stride::yaml::MAX_MODEL_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("git cat-file blob {}:{rel}: {e}", self.rev))?;
        }
        if bytes.len() as u64 > guard_stride::yaml::MAX_MODEL_BYTES {
            let _ = child.kill();
        }
        let out = child
            .wait_with_output()
            .map_err(|e| format!("git cat-file blob {}:{rel}: {e}", self.rev))?;
        if !out.status.success() && bytes.len() as u64 <= guard_stride::yaml::MAX_MODEL_BYTES {
            return Err(format!(
                "`{rel}` cannot be read at revision {}: {}",
                self.rev,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        read::text_of(bytes)
    }
}

fn git_diff(model: &Path, range: &str, format: StrideFormat) -> Result<u8> {
    let Some((a, b)) = range.split_once("..") else {
        bail!("--diff expects A..B, got `{range}`");
    };
    let (a, b) = (a.trim_start_matches('.'), b.trim_start_matches('.'));
    if a.is_empty() || b.is_empty() || a.starts_with('-') || b.starts_with('-') {
        bail!("--diff expects A..B, got `{range}`");
    }
    let abs = model
        .canonicalize()
        .with_context(|| format!("{}: cannot resolve", model.display()))?;
    let dir = abs.parent().unwrap_or(Path::new("/"));
    let mut models = Vec::new();
    for rev in [a, b] {
        let src = AtRevision::new(dir, rev)?;
        let shown = format!("{}@{rev}", model.display());
        models.push(read::load_from(&abs, &shown, &src).map_err(|e| anyhow::anyhow!("{e}"))?);
    }
    let mb = models.pop().context("no model")?;
    let ma = models.pop().context("no model")?;
    print_diff(
        &ma,
        &mb,
        &format!("{}@{a}", model.display()),
        &format!("{}@{b}", model.display()),
        format,
    )
}
