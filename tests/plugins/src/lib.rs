//! Layers that misbehave on purpose when run as plugins; each example of this
//! package exports one of them (or a broken ABI) as a plugin library.

use guard_core::{Context, Finding, Layer, LayerError, LayerInfo, Rule, Severity};

/// How the layer misbehaves in `run`.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// Panics (caught at the plugin boundary).
    Panic,
    /// Calls `abort()`.
    Abort,
    /// Loops forever without looking at the deadline.
    Hang,
    /// Allocates and touches memory without bound.
    Oom,
    /// Writes through a null pointer.
    Segv,
    /// Reports a finding under a built-in layer's rule id.
    Thief,
}

macro_rules! rules {
    ($($name:ident = $id:literal),* $(,)?) => {
        $(static $name: &[Rule] = &[Rule {
            id: $id,
            severity: Severity::Low,
            title: "Never raised",
            rationale: "",
            remediation: "",
            tags: &[],
            references: &[],
        }];)*
    };
}

rules!(
    PANIC = "PLUGIN-TEST-PANIC-001",
    ABORT = "PLUGIN-TEST-ABORT-001",
    HANG = "PLUGIN-TEST-HANG-001",
    OOM = "PLUGIN-TEST-OOM-001",
    SEGV = "PLUGIN-TEST-SEGV-001",
    THIEF = "PLUGIN-TEST-THIEF-001",
);

/// A misbehaving layer.
#[derive(Debug, Clone, Copy)]
pub struct Misbehave(pub Mode);

impl Layer for Misbehave {
    fn id(&self) -> &'static str {
        match self.0 {
            Mode::Panic => "test-panic",
            Mode::Abort => "test-abort",
            Mode::Hang => "test-hang",
            Mode::Oom => "test-oom",
            Mode::Segv => "test-segv",
            Mode::Thief => "test-thief",
        }
    }

    fn info(&self) -> LayerInfo {
        let rules = match self.0 {
            Mode::Panic => PANIC,
            Mode::Abort => ABORT,
            Mode::Hang => HANG,
            Mode::Oom => OOM,
            Mode::Segv => SEGV,
            Mode::Thief => THIEF,
        };
        LayerInfo {
            id: self.id(),
            name: "Misbehaving test plugin",
            description: "misbehaves on purpose",
            rules,
        }
    }

    #[allow(unsafe_code)]
    fn run(&self, _ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        match self.0 {
            Mode::Panic => panic!("test plugin panics on purpose"),
            Mode::Abort => std::process::abort(),
            Mode::Hang => loop {
                std::thread::sleep(std::time::Duration::from_millis(50));
            },
            Mode::Oom => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    // Address space counts whether or not the pages are touched.
                    hoard.push(vec![0u8; 64 * 1024 * 1024]);
                    std::hint::black_box(&hoard);
                }
            }
            Mode::Segv => {
                let p = std::hint::black_box(std::ptr::null_mut::<u64>());
                // SAFETY: none; this plugin crashes on purpose.
                unsafe { std::ptr::write_volatile(p, 1) };
                Ok(Vec::new())
            }
            Mode::Thief => {
                let mut f = Finding::new(&THIEF[0], "stolen id");
                f.rule_id = "INFRA-IAM-001".into();
                Ok(vec![f])
            }
        }
    }
}
