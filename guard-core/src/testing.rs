//! Layers that misbehave on purpose, to prove the runner's isolation. Compiled
//! only with the `test-layers` feature, and the CLI offers them only when
//! `GUARD_TEST_LAYERS=1` is also set.

use crate::{Context, Finding, Layer, LayerError, LayerInfo, Location, Rule, Severity};
use std::sync::Arc;
use std::time::Duration;

static RULES: &[Rule] = &[
    Rule {
        id: "TEST-FILE-001",
        severity: Severity::High,
        title: "Test finding in a file",
        rationale: "Raised by the test-findings layer on the first line of each file it sees.",
        remediation: "None; this is a test rule.",
        tags: &["CWE-20"],
        references: &[],
    },
    Rule {
        id: "TEST-RES-001",
        severity: Severity::Low,
        title: "Test finding about a resource",
        rationale: "Raised once by the test-findings layer without a file location.",
        remediation: "None; this is a test rule.",
        tags: &[],
        references: &[],
    },
];

#[derive(Clone, Copy)]
enum Behaviour {
    Findings,
    Panic,
    Hang,
    Abort,
    Slow,
    Error,
    ReadAll,
    Skip,
    Change,
    Noop,
}

struct TestLayer {
    id: &'static str,
    behaviour: Behaviour,
}

impl Layer for TestLayer {
    fn id(&self) -> &'static str {
        self.id
    }

    fn info(&self) -> LayerInfo {
        LayerInfo {
            id: self.id,
            name: "test layer",
            description: "misbehaves on purpose to prove isolation",
            rules: RULES,
        }
    }

    fn applies(&self, _ctx: &Context) -> Result<(), String> {
        match self.behaviour {
            Behaviour::Skip => Err("nothing for test-skip here".into()),
            _ => Ok(()),
        }
    }

    fn run(&self, ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        match self.behaviour {
            Behaviour::Findings => {
                let mut out: Vec<Finding> = ctx
                    .files()
                    .files
                    .iter()
                    .filter(|f| f.file_name() != "guard.toml")
                    .map(|f| {
                        Finding::new(&RULES[0], format!("test finding in {}", f.rel_path))
                            .at(Location::line(&f.rel_path, 1))
                    })
                    .collect();
                out.push(
                    Finding::new(&RULES[1], "test finding about a resource")
                        .resource("test.resource"),
                );
                Ok(out)
            }
            Behaviour::Panic => panic!("test-panic layer panicked on purpose"),
            Behaviour::Hang => loop {
                // Never checks the deadline: only the runner can stop it.
                std::thread::sleep(Duration::from_millis(20));
            },
            Behaviour::Abort => std::process::abort(),
            Behaviour::Slow => loop {
                ctx.check()?;
                std::thread::sleep(Duration::from_millis(5));
            },
            Behaviour::Error => Err(LayerError::input(
                "fixture.bin",
                "byte 12: expected a plan object",
            )),
            Behaviour::ReadAll => {
                for f in &ctx.files().files {
                    ctx.read_text(f)?;
                }
                Ok(Vec::new())
            }
            Behaviour::Change => Ok(ctx
                .change()
                .map(|c| {
                    c.files
                        .iter()
                        .flat_map(|f| f.added_lines().map(move |l| (f.path(), l)))
                        .map(|(p, l)| {
                            Finding::new(&RULES[0], format!("added line {l} of {p}"))
                                .at(Location::line(p, l))
                        })
                        .collect()
                })
                .unwrap_or_default()),
            Behaviour::Skip | Behaviour::Noop => Ok(Vec::new()),
        }
    }
}

/// Every test layer.
pub fn test_layers() -> Vec<Arc<dyn Layer>> {
    use Behaviour::*;
    let table: [(&'static str, Behaviour); 15] = [
        ("test-findings", Findings),
        ("test-panic", Panic),
        ("test-hang", Hang),
        ("test-abort", Abort),
        ("test-slow", Slow),
        ("test-error", Error),
        ("test-read", ReadAll),
        ("test-skip", Skip),
        ("test-change", Change),
        ("test-noop-1", Noop),
        ("test-noop-2", Noop),
        ("test-noop-3", Noop),
        ("test-noop-4", Noop),
        ("test-noop-5", Noop),
        ("test-noop-6", Noop),
    ];
    table
        .into_iter()
        .map(|(id, behaviour)| Arc::new(TestLayer { id, behaviour }) as Arc<dyn Layer>)
        .collect()
}
