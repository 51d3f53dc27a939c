//! The grammar of a Claude Code permission rule: `Tool`, `Tool(specifier)` or
//! `mcp__...`, as the settings schema (SchemaStore `permissionRule`) accepts it.

/// Tool names the settings schema accepts in a permission rule.
pub const KNOWN_TOOLS: &[&str] = &[
    "Agent",
    "Bash",
    "Cd",
    "Edit",
    "ExitPlanMode",
    "Glob",
    "Grep",
    "KillShell",
    "LSP",
    "Monitor",
    "MultiEdit",
    "NotebookEdit",
    "PowerShell",
    "Read",
    "Skill",
    "TaskCreate",
    "TaskGet",
    "TaskList",
    "TaskOutput",
    "TaskStop",
    "TaskUpdate",
    "TodoWrite",
    "ToolSearch",
    "WebFetch",
    "WebSearch",
    "Write",
];

/// Tools whose path rules Claude Code accepts but never consults.
const PATH_RULES_NEVER_CONSULTED: &[&str] = &["Write", "NotebookEdit", "MultiEdit", "Glob"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermissionRule<'a> {
    /// `Tool` or `Tool(specifier)`.
    Tool {
        tool: &'a str,
        specifier: Option<&'a str>,
    },
    /// `mcp__server`, `mcp__server__tool`, `mcp__server__*`.
    Mcp(&'a str),
}

/// Why a rule string does not do what it says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleFormError {
    /// Claude Code skips the rule with a startup warning.
    #[error("malformed: {0}")]
    Malformed(String),
    /// Accepted, but Claude Code never matches anything against it.
    #[error("never consulted: {0}")]
    Ignored(String),
}

impl PermissionRule<'_> {
    pub fn tool(&self) -> &str {
        match self {
            PermissionRule::Tool { tool, .. } => tool,
            PermissionRule::Mcp(name) => name,
        }
    }

    pub fn specifier(&self) -> Option<&str> {
        match self {
            PermissionRule::Tool { specifier, .. } => *specifier,
            PermissionRule::Mcp(_) => None,
        }
    }

    /// A shell tool (`Bash`, `PowerShell`).
    pub fn is_shell(&self) -> bool {
        matches!(self.tool(), "Bash" | "PowerShell")
    }
}

/// Parse one rule string, rejecting what Claude Code would skip or never consult.
pub fn parse(rule: &str) -> Result<PermissionRule<'_>, RuleFormError> {
    if rule.starts_with("mcp__") {
        if rule.len() == "mcp__".len() {
            return Err(RuleFormError::Malformed("`mcp__` names no server".into()));
        }
        return Ok(PermissionRule::Mcp(rule));
    }
    let (tool, specifier) = match rule.find('(') {
        None => (rule, None),
        Some(open) => {
            let Some(close) = rule.rfind(')') else {
                return Err(RuleFormError::Malformed(format!(
                    "`(` at character {} is never closed",
                    open + 1
                )));
            };
            if close < open {
                return Err(RuleFormError::Malformed("`)` before `(`".into()));
            }
            if close + 1 != rule.len() {
                return Err(RuleFormError::Malformed(format!(
                    "`{}` after the closing parenthesis; wildcards belong inside it",
                    &rule[close + 1..]
                )));
            }
            let inner = &rule[open + 1..close];
            if inner.trim().is_empty() {
                return Err(RuleFormError::Malformed("empty parentheses".into()));
            }
            if inner.contains(')') {
                return Err(RuleFormError::Malformed(
                    "`)` inside the specifier (the settings schema rejects it)".into(),
                ));
            }
            (&rule[..open], Some(inner))
        }
    };
    if tool.is_empty() {
        return Err(RuleFormError::Malformed("no tool name".into()));
    }
    if tool == "*" {
        // Every tool; outside the schema but honoured by Claude Code.
        return match specifier {
            None => Ok(PermissionRule::Tool {
                tool,
                specifier: None,
            }),
            Some(_) => Err(RuleFormError::Malformed("`*` takes no specifier".into())),
        };
    }
    if !KNOWN_TOOLS.contains(&tool) {
        return Err(RuleFormError::Malformed(format!(
            "unknown tool `{tool}` (tool names are case-sensitive)"
        )));
    }
    if let Some(spec) = specifier {
        if PATH_RULES_NEVER_CONSULTED.contains(&tool) && !spec.contains(':') {
            return Err(RuleFormError::Ignored(format!(
                "Claude Code never consults `{tool}(path)` rules; use `Edit(...)` for writes"
            )));
        }
        if matches!(tool, "Bash" | "PowerShell") && spec.trim_start().starts_with("command:") {
            return Err(RuleFormError::Ignored(
                "a rule on the `command` parameter is ignored (it would be bypassable by compound commands); write `Bash(<command> *)`".into(),
            ));
        }
    }
    Ok(PermissionRule::Tool { tool, specifier })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        for ok in [
            "Bash",
            "Bash(terraform destroy *)",
            "Bash(npm run test:*)",
            "Read(./.env)",
            "Edit(//etc/**)",
            "WebFetch(domain:example.com)",
            "mcp__github",
            "mcp__github__create_issue",
            "Write(file_path:*.env)",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejected_forms() {
        for (bad, malformed) in [
            ("Bash(rm -rf /)*", true),
            ("bash(ls)", true),
            ("Bash()", true),
            ("Bash(ls", true),
            ("Bash(echo (a))", true),
            ("(ls)", true),
            ("mcp__", true),
            ("Write(./.env)", false),
            ("Bash(command:rm *)", false),
        ] {
            let e = parse(bad).expect_err(bad);
            assert_eq!(
                matches!(e, RuleFormError::Malformed(_)),
                malformed,
                "{bad}: {e}"
            );
        }
    }
}
