//! The source-code engine: tree-sitter parsing, a per-function IR, and a
//! small abstract interpreter that tracks constants and taint.
//!
//! This is a library API shared by the owasp rules and other layers:
//!
//! ```
//! use guard_owasp::engine::{analyze, Lang, Tables, Limits};
//! let src = "from flask import request\nimport os\n@app.route('/x')\ndef f():\n    os.system('ls ' + request.args['d'])\n";
//! let a = analyze("app.py", Lang::Python, src, &Tables::builtin(), &Limits::default(), &|| false).unwrap();
//! assert_eq!(a.hits.len(), 1);
//! ```
//!
//! [`analyze`] gives taint hits (a tainted value reached a sink, with its
//! trace), every call with its folded constant arguments (for configuration
//! rules), and assignments of constants.

pub mod interp;
pub mod ir;
pub mod lower;
pub mod tables;

use interp::{Budget, Interp, Summary};
pub use ir::{Const, Span};
use std::collections::HashMap;
use std::time::{Duration, Instant};
pub use tables::Kinds;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Go,
    Java,
}

impl Lang {
    /// The language of a file, by extension. `.ts` is never parsed with the
    /// TSX grammar (`<T>x` casts would read as JSX).
    pub fn from_path(path: &str) -> Option<Lang> {
        let ext = path.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "py" | "pyw" => Lang::Python,
            "js" | "jsx" | "mjs" | "cjs" => Lang::JavaScript,
            "ts" | "mts" | "cts" => Lang::TypeScript,
            "tsx" => Lang::Tsx,
            "go" => Lang::Go,
            "java" => Lang::Java,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::JavaScript => "javascript",
            Lang::TypeScript => "typescript",
            Lang::Tsx => "tsx",
            Lang::Go => "go",
            Lang::Java => "java",
        }
    }

    fn grammar(self) -> tree_sitter::Language {
        match self {
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::Go => tree_sitter_go::LANGUAGE.into(),
            Lang::Java => tree_sitter_java::LANGUAGE.into(),
        }
    }
}

/// One step of a taint trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub span: Span,
    pub message: String,
}

/// A tainted value reached a sink.
#[derive(Debug, Clone, PartialEq)]
pub struct TaintHit {
    /// The sink's kind (one bit of [`tables::Kinds`]).
    pub kind: Kinds,
    /// What the sink is, for messages.
    pub sink: String,
    pub span: Span,
    /// Source -> steps -> sink.
    pub trace: Vec<Step>,
    /// While summarising a helper: the parameter the taint came from.
    pub param: Option<usize>,
    /// Index of the function it was found in.
    pub func: usize,
}

/// A configuration call made on an object: method and constant arguments.
pub type Fact = (String, Vec<Option<Const>>);

/// An entry of a map argument: key, constant value, constant elements.
pub type MapEntry = (String, Option<Const>, Option<Vec<Option<Const>>>);

#[derive(Debug, Clone, PartialEq)]
pub struct ArgInfo {
    pub name: Option<String>,
    pub konst: Option<Const>,
    pub tainted: bool,
    /// A map/object literal argument: key, constant value, constant elements.
    pub map: Vec<MapEntry>,
    /// A list argument: its constant elements.
    pub list: Vec<Option<Const>>,
    /// Configuration calls made on the argument object before this call.
    pub facts: Vec<Fact>,
    pub obj: Option<&'static str>,
    /// The argument's dotted text when it is a name or attribute (`yaml.SafeLoader`).
    pub path: Option<String>,
}

/// A call, with what is known of its arguments, for configuration rules.
#[derive(Debug, Clone, PartialEq)]
pub struct CallEvent {
    /// Dotted callee, import aliases resolved (`hashlib.md5`, `Cipher.getInstance`).
    pub path: String,
    pub method: String,
    pub is_new: bool,
    pub args: Vec<ArgInfo>,
    pub recv_obj: Option<&'static str>,
    pub recv_facts: Vec<Fact>,
    pub span: Span,
    pub func: usize,
}

impl CallEvent {
    /// Keyword argument by name.
    pub fn kwarg(&self, name: &str) -> Option<&ArgInfo> {
        self.args.iter().find(|a| a.name.as_deref() == Some(name))
    }

    /// n-th positional argument.
    pub fn pos(&self, n: usize) -> Option<&ArgInfo> {
        self.args.iter().filter(|a| a.name.is_none()).nth(n)
    }
}

/// An assignment, with the constant assigned if it folds.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignEvent {
    /// `DEBUG`, `app.config[SESSION_COOKIE_SECURE]`, `cookie.secure`.
    pub target: String,
    pub value: Option<Const>,
    /// The assigned expression's dotted text when it is a name or attribute.
    pub value_path: Option<String>,
    pub span: Span,
    pub func: usize,
}

/// What configuration rules need to know about a function.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionInfo {
    pub name: String,
    pub decorators: Vec<String>,
    pub span: Span,
    pub params: usize,
    /// No statements at all (`checkServerTrusted(...) {}`).
    pub empty_body: bool,
    /// Its only statement is `return true`.
    pub returns_true: bool,
}

/// Sources, sinks and sanitisers in use: the built-in tables plus what the
/// user declared.
#[derive(Debug, Clone)]
pub struct Tables {
    pub sources: Vec<tables::SourceSpec>,
    pub sinks: Vec<tables::SinkSpec>,
    pub sanitizers: Vec<tables::SanitizerSpec>,
}

impl Tables {
    pub fn builtin() -> Tables {
        Tables {
            sources: tables::sources(),
            sinks: tables::sinks(),
            sanitizers: tables::sanitizers(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Limits {
    /// Interpreter steps per file.
    pub max_steps: u64,
    /// Wall time per file.
    pub max_time: Duration,
    /// Helper functions summarised per file.
    pub max_summaries: usize,
    /// Also report flows from a function's text parameters to sinks, at low
    /// confidence (the caller may pass anything). Off by default: on the
    /// labelled corpus (`bench/owasp_eval.py`) it found no vulnerable file the
    /// request sources miss and raised two false alarms (helpers called only
    /// with constants), TPR-FPR 74.4 with it against 75.3 without.
    pub parameters_as_sources: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_steps: 3_000_000,
            max_time: Duration::from_secs(10),
            max_summaries: 400,
            parameters_as_sources: false,
        }
    }
}

/// Why a file was not analysed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("{path}:{line}: nesting deeper than {max} levels; file skipped")]
    TooDeep { path: String, line: u32, max: usize },
    #[error("{path}: analysis budget exceeded ({what}); file skipped")]
    Budget { path: String, what: &'static str },
    #[error("{path}: the {lang} parser gave up on this file")]
    Parse { path: String, lang: &'static str },
    #[error("cancelled")]
    Cancelled,
}

/// Everything the engine found in one file.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub hits: Vec<TaintHit>,
    pub calls: Vec<CallEvent>,
    pub assigns: Vec<AssignEvent>,
    /// Functions by index (index 0 is the module top level).
    pub functions: Vec<FunctionInfo>,
    /// Syntax errors were present (results are best effort).
    pub had_errors: bool,
}

/// Stack for the analysis thread: lowering and interpretation recurse over
/// the syntax (bounded by [`lower::MAX_DEPTH`]), so they get a stack of their
/// own whatever the caller's is.
const ANALYSIS_STACK: usize = 256 * 1024 * 1024;

/// Parses `src` once and interprets every function in it.
pub fn analyze(
    path: &str,
    lang: Lang,
    src: &str,
    tables: &Tables,
    limits: &Limits,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Analysis, EngineError> {
    std::thread::scope(|s| {
        let h = std::thread::Builder::new()
            .name("guard-owasp-analysis".into())
            .stack_size(ANALYSIS_STACK)
            .spawn_scoped(s, || {
                analyze_here(path, lang, src, tables, limits, cancelled)
            });
        match h {
            Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            // No thread to be had: analyse on this one.
            Err(_) => analyze_here(path, lang, src, tables, limits, cancelled),
        }
    })
}

fn analyze_here(
    path: &str,
    lang: Lang,
    src: &str,
    tables: &Tables,
    limits: &Limits,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Analysis, EngineError> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&lang.grammar())
        .map_err(|_| EngineError::Parse {
            path: path.into(),
            lang: lang.name(),
        })?;
    let tree = parser.parse(src, None).ok_or(EngineError::Parse {
        path: path.into(),
        lang: lang.name(),
    })?;
    let root = tree.root_node();
    let had_errors = root.has_error();
    let module = lower::lower(root, src.as_bytes(), lang).map_err(|e| EngineError::TooDeep {
        path: path.into(),
        line: e.line,
        max: lower::MAX_DEPTH,
    })?;
    drop(tree);
    let started = Instant::now();
    let mut budget = Budget {
        steps: 0,
        max_steps: limits.max_steps,
    };
    let over = |b: &Budget| -> Result<(), EngineError> {
        if cancelled() {
            return Err(EngineError::Cancelled);
        }
        if b.steps > b.max_steps {
            return Err(EngineError::Budget {
                path: path.into(),
                what: "steps",
            });
        }
        if started.elapsed() > limits.max_time {
            return Err(EngineError::Budget {
                path: path.into(),
                what: "time",
            });
        }
        Ok(())
    };
    let budget_err = |_| EngineError::Budget {
        path: path.into(),
        what: "steps",
    };

    let index = interp::TableIndex::new(tables);
    // Module scope first: its variables are the globals of every function.
    let no_summaries = HashMap::new();
    let empty = HashMap::new();
    let globals = {
        let mut it = Interp::new(
            &module,
            lang,
            tables,
            &no_summaries,
            &mut budget,
            0,
            &empty,
            true,
            &index,
        );
        it.report_events = false;
        let mut env = HashMap::new();
        it.run(&mut env).map_err(budget_err)?;
        env
    };
    over(&budget)?;

    // Helper summaries, two rounds so helpers calling helpers are seen.
    let mut summaries: HashMap<usize, Summary> = HashMap::new();
    // Only functions called by name in this file need a summary.
    let called = called_names(&module);
    let helpers: Vec<usize> = (1..module.functions.len())
        .filter(|&i| called.contains(module.functions[i].name.as_str()))
        .filter(|&i| !module.functions[i].params.is_empty() || !module.functions[i].body.is_empty())
        .take(limits.max_summaries)
        .collect();
    for _round in 0..2 {
        let mut next = HashMap::new();
        for &fi in &helpers {
            over(&budget)?;
            let f = &module.functions[fi];
            let mut sum = Summary::default();
            let mut consts: Vec<Option<Const>> = Vec::new();
            let n = f.params.len().min(12);
            for p in 0..n.max(1) {
                let mut it = Interp::new(
                    &module,
                    lang,
                    tables,
                    &summaries,
                    &mut budget,
                    fi,
                    &globals,
                    true,
                    &index,
                );
                let mut env = it.entry_env(if n == 0 { None } else { Some(p) });
                it.run(&mut env).map_err(budget_err)?;
                if n > 0 {
                    let kinds = it
                        .ret
                        .as_ref()
                        .and_then(|r| r.deep_taint())
                        .filter(|t| t.param == Some(p))
                        .map(|t| t.kinds)
                        .unwrap_or(0);
                    sum.ret.push(kinds);
                    sum.sinks.push(
                        it.hits
                            .iter()
                            .filter(|h| h.param == Some(p))
                            .cloned()
                            .collect(),
                    );
                }
                consts.extend(it.ret_consts.iter().cloned());
            }
            if !consts.is_empty() && consts.iter().all(|c| c.is_some() && *c == consts[0]) {
                sum.ret_const = consts[0].clone();
            }
            next.insert(fi, sum);
        }
        summaries = next;
    }

    // Every function (module scope included) in reporting mode.
    let mut out = Analysis {
        had_errors,
        functions: module
            .functions
            .iter()
            .map(|f| FunctionInfo {
                name: f.name.clone(),
                decorators: f.decorators.clone(),
                span: f.span,
                params: f.params.len(),
                empty_body: f.body.is_empty(),
                returns_true: matches!(
                    f.body.as_slice(),
                    [ir::Stmt::Return(Some(ir::Expr::Lit(Const::Bool(true))), _)]
                ),
            })
            .collect(),
        ..Default::default()
    };
    for fi in 0..module.functions.len() {
        over(&budget)?;
        let mut it = Interp::new(
            &module,
            lang,
            tables,
            &summaries,
            &mut budget,
            fi,
            &globals,
            false,
            &index,
        );
        it.weak_params = limits.parameters_as_sources;
        let mut env = it.entry_env(None);
        if fi == 0 {
            env.clear();
        }
        it.run(&mut env).map_err(budget_err)?;
        out.hits.extend(
            it.hits
                .into_iter()
                .filter(|h| h.param.is_none() || h.param == Some(interp::WEAK_PARAM)),
        );
        out.calls.extend(it.calls);
        out.assigns.extend(it.assigns);
    }
    // One finding per sink and kind: flows through several paths merge,
    // a flow from a real source first.
    out.hits
        .sort_by_key(|h| (h.span, h.kind, h.param.is_some()));
    out.hits
        .dedup_by(|a, b| a.span == b.span && a.kind == b.kind);
    Ok(out)
}

/// Names used as callees (`f(...)`, `x.f(...)`) anywhere in the module.
fn called_names(module: &ir::Module) -> std::collections::HashSet<&str> {
    use ir::{Expr, Stmt};
    let mut out = std::collections::HashSet::new();
    let mut stmts: Vec<&Stmt> = module
        .functions
        .iter()
        .flat_map(|f| f.body.iter())
        .collect();
    let mut exprs: Vec<&Expr> = Vec::new();
    while let Some(s) = stmts.pop() {
        match s {
            Stmt::Assign { target, value, .. } => {
                exprs.push(target);
                exprs.push(value);
            }
            Stmt::Expr(e, _) | Stmt::Return(Some(e), _) => exprs.push(e),
            Stmt::If { cond, then, els } => {
                exprs.push(cond);
                stmts.extend(then.iter().chain(els.iter()));
            }
            Stmt::Loop {
                var,
                iter,
                cond,
                body,
            } => {
                exprs.extend(var.iter().chain(iter.iter()).chain(cond.iter()));
                stmts.extend(body.iter());
            }
            Stmt::Switch { subject, cases } => {
                exprs.push(subject);
                for (labels, body) in cases {
                    exprs.extend(labels.iter());
                    stmts.extend(body.iter());
                }
            }
            Stmt::Try {
                body,
                handlers,
                finally,
            } => {
                stmts.extend(
                    body.iter()
                        .chain(handlers.iter().flatten())
                        .chain(finally.iter()),
                );
            }
            _ => {}
        }
    }
    while let Some(e) = exprs.pop() {
        match e {
            Expr::Call { callee, args, .. } => {
                match &**callee {
                    Expr::Name(n) => {
                        out.insert(n.as_str());
                    }
                    Expr::Attr(o, n) => {
                        out.insert(n.as_str());
                        exprs.push(o);
                    }
                    other => exprs.push(other),
                }
                exprs.extend(args.iter().map(|a| &a.value));
            }
            Expr::Attr(o, _) | Expr::Un(_, o) => exprs.push(o),
            Expr::Index(a, b) | Expr::Bin(_, a, b) => {
                exprs.push(a);
                exprs.push(b);
            }
            Expr::Cond(a, b, c) => exprs.extend([&**a, &**b, &**c]),
            Expr::Template(v) | Expr::List(v) | Expr::Opaque(v) => exprs.extend(v.iter()),
            Expr::Dict(v) => {
                for (k, x) in v {
                    exprs.push(k);
                    exprs.push(x);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests;
