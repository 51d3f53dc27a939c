//! The normalised model every rule runs over: resources (from HCL or a plan)
//! with their attribute values, plus what a plan says about the change.

use crate::value::Node;
use guard_core::Rule;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Managed,
    Data,
    /// A `module` block (its inputs as values).
    Module,
}

/// A resource as one source describes it.
#[derive(Debug, Clone)]
pub struct Resource {
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    /// Terraform address (`module.m.aws_s3_bucket.b[0]`).
    pub address: String,
    /// Line of the block in its file (0 for plans).
    pub line: u32,
    /// Attribute values (after the change, for plans).
    pub values: Node,
    pub change: Option<Change>,
    /// Attributes whose value is a reference to another object:
    /// `(attribute, "data.aws_iam_policy_document.x")`.
    pub refs: Vec<(String, String)>,
    /// Attributes the configuration sets (plans with a `configuration`
    /// block); `None` when unknown. Unknown values of attributes nobody set
    /// are provider-computed, not a blind spot.
    pub configured: Option<Vec<String>>,
    /// Values are the inputs of a well-known module standing in for this
    /// resource type (module defaults differ from provider defaults).
    pub via_module: bool,
}

/// What a plan says about one resource change.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub actions: Vec<String>,
    pub action_reason: Option<String>,
    pub replace_paths: Vec<String>,
    pub before: Option<Node>,
    pub after_unknown: Option<Node>,
}

impl Change {
    pub fn deletes(&self) -> bool {
        self.actions.iter().any(|a| a == "delete")
    }
    pub fn creates(&self) -> bool {
        self.actions.iter().any(|a| a == "create")
    }
    pub fn is_noop(&self) -> bool {
        self.actions.is_empty() || self.actions.iter().all(|a| a == "no-op")
    }
}

/// One rule match, before it becomes a `Finding`.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rule: &'static Rule,
    pub message: String,
    /// 0 when the source has no lines.
    pub line: u32,
    pub end: u32,
    /// The line inside `line..=end` that holds the problem; 0 when the span
    /// is the problem.
    pub focus: u32,
    /// Identifies "the same problem" in `before` and `after`: the attribute
    /// path plus whatever detail distinguishes two problems of one rule.
    pub key: String,
    pub severity: Option<guard_core::Severity>,
    /// The problem is a protective setting left out, judged by the
    /// provider's default (its own confidence; `unset = "ignore"` drops it).
    pub unset: bool,
}

impl Hit {
    pub fn new(
        rule: &'static Rule,
        line: u32,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> Hit {
        Hit {
            rule,
            message: message.into(),
            line,
            end: line,
            focus: 0,
            key: key.into(),
            severity: None,
            unset: false,
        }
    }

    /// Spans the finding over `node` (its first to last line).
    pub fn over(mut self, node: &Node) -> Hit {
        if node.line > 0 {
            self.line = node.line;
            self.end = node.end.max(node.line);
        }
        self
    }

    /// Marks `line` (inside the span) as the one that holds the problem.
    pub fn focus_on(mut self, line: u32) -> Hit {
        if line > self.line && line <= self.end {
            self.focus = line;
        }
        self
    }

    /// Marks the hit as judged from a default, not an explicit setting.
    pub fn unset(mut self) -> Hit {
        self.unset = true;
        self
    }

    pub fn severity(mut self, s: guard_core::Severity) -> Hit {
        self.severity = Some(s);
        self
    }
}
