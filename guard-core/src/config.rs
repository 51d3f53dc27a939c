//! `guard.toml`: which layers run, rule overrides, ignores, and each layer's own
//! `[layers.<id>]` table (parsed by the layer itself, with the same file:line errors).

use crate::Severity;
use schemars::JsonSchema;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The config file name looked for from the scanned path upwards.
pub const CONFIG_FILE: &str = "guard.toml";

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("{path}: {message}")]
    Read {
        /// The file (relative to the root when under it).
        path: String,
        /// What went wrong.
        message: String,
    },
    /// `message` already holds line, column and a code frame when known.
    #[error("{path}: {message}")]
    Invalid {
        /// The file (relative to the root when under it).
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// The whole file. Unknown keys are errors.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[run]`.
    #[serde(default)]
    pub run: RunConfig,
    /// `[rules]`.
    #[serde(default)]
    pub rules: RulesConfig,
    /// Findings to drop, by rule and/or path.
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
    /// Each layer's own table; the layer validates its keys.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, BTreeMap<String, serde_json::Value>>")]
    pub layers: BTreeMap<String, toml::Table>,
    /// Third-party layers: shared libraries and commands speaking JSON.
    #[serde(default)]
    pub plugins: PluginsConfig,
}

/// `[plugins]`: layers loaded at run time. Loading a plugin runs its code, so
/// a guard.toml inside the scanned repository names plugins only with
/// `--allow-repo-plugins`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PluginsConfig {
    /// Shared libraries exporting the guard plugin ABI, relative to this file.
    #[serde(default)]
    pub paths: Vec<PathBuf>,
    /// Commands speaking the plugin protocol over stdin and stdout.
    #[serde(default)]
    pub process: Vec<ProcessPluginConfig>,
    /// Address-space limit of a plugin's worker process, in MiB (default 2048).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mb: Option<u64>,
}

/// One `[[plugins.process]]` entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessPluginConfig {
    /// A name for messages (the layer id comes from the plugin itself).
    pub name: String,
    /// Program and arguments, e.g. `["python3", "my_layer.py"]`; paths are
    /// relative to this file, the program is looked up on `PATH`.
    pub command: Vec<String>,
}

/// `[run]`: which layers, thresholds, walk limits.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// Layers to run (default: all). `--layer` on the command line wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layers: Option<Vec<String>>,
    /// Layers never to run.
    #[serde(default)]
    pub skip_layers: Vec<String>,
    /// Lowest severity that fails the run (default: high).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<Severity>,
    /// Seconds each layer may take (default: 300).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    /// Gitignore-style globs of paths no layer reads.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped by the tree walk (default: 4 MiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_file_size: Option<u64>,
}

/// `[rules]`: disabled rules and severity overrides.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Rule ids never reported.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Per-rule severity overrides: `"INFRA-IAM-003" = "low"`.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

/// One `[[ignore]]` entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// Rule ids this entry drops (empty: every rule).
    #[serde(default)]
    pub rules: Vec<String>,
    /// Gitignore-style globs relative to the root (empty: every path).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Why; shown in reports.
    #[serde(default)]
    pub reason: String,
}

/// A loaded config and where it came from.
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    /// The parsed file (defaults when none was found).
    pub config: Config,
    /// The file, if one was found.
    pub path: Option<PathBuf>,
    /// Its text, kept so layer tables can be parsed with precise positions.
    pub source: Option<String>,
}

impl LoadedConfig {
    /// Reads and parses `path`.
    pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
        let display = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| ConfigError::Read {
            path: display.clone(),
            message: e.to_string(),
        })?;
        let source = String::from_utf8(bytes).map_err(|e| ConfigError::Invalid {
            path: display.clone(),
            message: format!(
                "not valid UTF-8 at byte {} (TOML files must be UTF-8)",
                e.utf8_error().valid_up_to()
            ),
        })?;
        let config: Config = toml::from_str(&source).map_err(|e| ConfigError::Invalid {
            path: display.clone(),
            message: with_hint(&e.to_string()),
        })?;
        Ok(LoadedConfig {
            config,
            path: Some(path.to_path_buf()),
            source: Some(source),
        })
    }

    /// `explicit` if given, else the nearest `guard.toml` in `start` or above.
    pub fn discover(explicit: Option<&Path>, start: &Path) -> Result<LoadedConfig, ConfigError> {
        if let Some(p) = explicit {
            return LoadedConfig::load(p);
        }
        let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
        let mut dir = if start.is_dir() {
            Some(start.as_path())
        } else {
            start.parent()
        };
        while let Some(d) = dir {
            let candidate = d.join(CONFIG_FILE);
            if candidate.is_file() {
                return LoadedConfig::load(&candidate);
            }
            dir = d.parent();
        }
        Ok(LoadedConfig::default())
    }

    /// The table a layer parses for itself.
    pub fn layer(&self, id: &str) -> LayerConfig {
        LayerConfig {
            layer: id.to_string(),
            path: self.path.as_ref().map(|p| p.display().to_string()),
            source: self
                .config
                .layers
                .contains_key(id)
                .then(|| self.source.clone())
                .flatten(),
        }
    }

    /// Layer tables and `[run] layers` naming no layer of this build are
    /// errors, with their line; so is a `[run] skip_layers` entry that names
    /// no layer at all (skipping an announced layer this build lacks is fine).
    pub fn check_layer_ids(&self, known: &[&str]) -> Result<(), ConfigError> {
        for (i, id) in self.config.run.layers.iter().flatten().enumerate() {
            if !known.contains(&id.as_str()) {
                let line = self.line_prefix(&[Seg::Key("run"), Seg::Key("layers"), Seg::Index(i)]);
                return Err(self.invalid(format!(
                    "{line}{} in [run] layers",
                    crate::layer::unknown_layer_message(id, known)
                )));
            }
        }
        let absent = crate::layer::missing_layers(known);
        for (i, id) in self.config.run.skip_layers.iter().enumerate() {
            if !known.contains(&id.as_str()) && !absent.contains(&id.as_str()) {
                let at = [Seg::Key("run"), Seg::Key("skip_layers"), Seg::Index(i)];
                let line = self.line_prefix(&at);
                return Err(self.invalid(format!(
                    "{line}{} in [run] skip_layers",
                    crate::layer::unknown_layer_message(id, known)
                )));
            }
        }
        for id in self.config.layers.keys() {
            if !known.contains(&id.as_str()) {
                let line = self.line_prefix(&[Seg::Key("layers"), Seg::KeyName(id)]);
                return Err(self.invalid(format!(
                    "{line}{} in [layers.{id}]",
                    crate::layer::unknown_layer_message(id, known)
                )));
            }
        }
        Ok(())
    }

    /// Values the types cannot refuse: `[run] timeout = 0`.
    pub fn check_values(&self) -> Result<(), ConfigError> {
        if self.config.run.timeout == Some(0) {
            let line = self.line_prefix(&[Seg::Key("run"), Seg::Key("timeout")]);
            return Err(self.invalid(format!(
                "{line}[run] timeout must be a positive number of seconds, got 0"
            )));
        }
        Ok(())
    }

    /// Rule ids in `[rules] disable`, `[rules.severity]` and `[[ignore]] rules`
    /// must name rules of this build (`known`: every rule id of every
    /// compiled-in layer); a pattern (`INFRA-IAM-*`) must match at least one.
    /// A typo would otherwise leave the rule on while the user thinks it is
    /// configured.
    pub fn check_rule_ids(&self, known: &[&str], layers: &[&str]) -> Result<(), ConfigError> {
        let rules = &self.config.rules;
        for (i, id) in rules.disable.iter().enumerate() {
            let at = [Seg::Key("rules"), Seg::Key("disable"), Seg::Index(i)];
            self.check_rule_id(id, "[rules] disable", &at, known, layers)?;
        }
        for id in rules.severity.keys() {
            let at = [Seg::Key("rules"), Seg::Key("severity"), Seg::KeyName(id)];
            self.check_rule_id(id, "[rules.severity]", &at, known, layers)?;
        }
        for (n, entry) in self.config.ignore.iter().enumerate() {
            for (i, id) in entry.rules.iter().enumerate() {
                let at = [
                    Seg::Key("ignore"),
                    Seg::Index(n),
                    Seg::Key("rules"),
                    Seg::Index(i),
                ];
                self.check_rule_id(id, "[[ignore]] rules", &at, known, layers)?;
            }
        }
        Ok(())
    }

    fn check_rule_id(
        &self,
        id: &str,
        place: &str,
        at: &[Seg<'_>],
        known: &[&str],
        layers: &[&str],
    ) -> Result<(), ConfigError> {
        if known.iter().any(|k| rule_id_matches(id, k)) {
            return Ok(());
        }
        let line = self.line_prefix(at);
        let what = if id.ends_with('*') {
            format!("pattern `{id}` in {place} matches no rule of this build")
        } else {
            format!("unknown rule `{id}` in {place}")
        };
        // A rule of an announced layer this build lacks (`OWASP-...`).
        let upper = id.to_ascii_uppercase();
        let absent = crate::layer::missing_layers(layers)
            .into_iter()
            .find(|l| upper.starts_with(&format!("{}-", l.to_ascii_uppercase())));
        let hint = match absent {
            Some(l) => format!("layer `{l}` is not in this build"),
            None => "`guard rules` lists the rule ids".to_string(),
        };
        Err(self.invalid(format!("{line}{what}; {hint}")))
    }

    fn invalid(&self, message: String) -> ConfigError {
        ConfigError::Invalid {
            path: self.display_path(),
            message,
        }
    }

    /// `line N: ` for the value (or key) at `at`, when the file is at hand.
    fn line_prefix(&self, at: &[Seg<'_>]) -> String {
        self.source
            .as_deref()
            .and_then(|s| line_of(s, at))
            .map(|l| format!("line {l}: "))
            .unwrap_or_default()
    }

    /// The file for messages (`guard.toml` when none).
    pub fn display_path(&self) -> String {
        self.path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| CONFIG_FILE.into())
    }
}

/// Whether a rule id or a `PREFIX*` pattern written in guard.toml matches
/// `rule_id` (case-insensitive).
pub fn rule_id_matches(pattern: &str, rule_id: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => rule_id
            .to_ascii_uppercase()
            .starts_with(&prefix.to_ascii_uppercase()),
        None => pattern.eq_ignore_ascii_case(rule_id),
    }
}

/// A step into a TOML document: a key's value, an array element, or a key itself.
#[derive(Debug, Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
    /// The key (not its value): where a table or an entry is named.
    KeyName(&'a str),
}

/// The 1-based line of what `at` points to, read with toml's span-keeping parser.
fn line_of(source: &str, at: &[Seg<'_>]) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(source).ok()?;
    let mut table: Option<&DeTable<'_>> = Some(doc.get_ref());
    let mut value: Option<&DeValue<'_>> = None;
    let mut span = doc.span();
    for seg in at {
        match *seg {
            Seg::Key(k) | Seg::KeyName(k) => {
                let t = table.take()?;
                let (key, v) = t.iter().find(|(key, _)| key.get_ref().as_ref() == k)?;
                span = if matches!(seg, Seg::KeyName(_)) {
                    key.span()
                } else {
                    v.span()
                };
                value = Some(v.get_ref());
            }
            Seg::Index(i) => {
                let DeValue::Array(a) = value.take()? else {
                    return None;
                };
                let v = a.get(i)?;
                span = v.span();
                value = Some(v.get_ref());
            }
        }
        table = match value {
            Some(DeValue::Table(t)) => Some(t),
            _ => None,
        };
    }
    let start = span.start.min(source.len());
    Some(source[..start].matches('\n').count() + 1)
}

fn with_hint(message: &str) -> String {
    if message.contains("unknown field") {
        format!("{message}hint: remove the key or fix its spelling; `guard schema config` prints every key")
    } else {
        message.to_string()
    }
}

/// One layer's `[layers.<id>]` table, kept as text so errors point into the file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LayerConfig {
    /// The layer id.
    pub layer: String,
    /// The guard.toml it comes from, if any.
    pub path: Option<String>,
    /// The whole config text, present only when the file has this layer's table.
    pub source: Option<String>,
}

impl LayerConfig {
    /// Deserialize the layer's table into `T` (use `#[serde(deny_unknown_fields)]`).
    /// No table gives `T::default()`.
    pub fn parse<T: DeserializeOwned + Default>(&self) -> Result<T, ConfigError> {
        let Some(source) = self.source.as_deref() else {
            return Ok(T::default());
        };
        let path = self.path.clone().unwrap_or_else(|| CONFIG_FILE.into());
        let de = toml::Deserializer::parse(source).map_err(|e| ConfigError::Invalid {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let found = Root::<T> {
            id: &self.layer,
            _t: std::marker::PhantomData,
        }
        .deserialize(de)
        .map_err(|e| ConfigError::Invalid {
            path,
            message: with_hint(&e.to_string()),
        })?;
        Ok(found.unwrap_or_default())
    }

    /// A path written in this table: relative paths are relative to the
    /// folder of the guard.toml they are written in (not the scanned path nor
    /// the working directory); absolute paths are kept.
    pub fn resolve_path(&self, written: &Path) -> PathBuf {
        if written.is_absolute() {
            return written.to_path_buf();
        }
        match self.path.as_deref().map(Path::new).and_then(Path::parent) {
            Some(dir) => dir.join(written),
            None => written.to_path_buf(),
        }
    }

    /// A config holding just this TOML text (for tests and embedding).
    pub fn from_toml(layer: &str, source: &str) -> LayerConfig {
        LayerConfig {
            layer: layer.to_string(),
            path: None,
            source: Some(source.to_string()),
        }
    }
}

/// Walks the document to `layers.<id>` and deserializes only that table, so
/// toml reports errors with the real line and column.
struct Root<'a, T> {
    id: &'a str,
    _t: std::marker::PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Root<'_, T> {
    type Value = Option<T>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Root<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "layers" {
                found = map.next_value_seed(Layers::<T> {
                    id: self.id,
                    _t: std::marker::PhantomData,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

struct Layers<'a, T> {
    id: &'a str,
    _t: std::marker::PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Layers<'_, T> {
    type Value = Option<T>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Layers<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table of layer tables")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == self.id {
                found = Some(map.next_value::<T>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Config, String> {
        toml::from_str::<Config>(src).map_err(|e| with_hint(&e.to_string()))
    }

    #[test]
    fn full_config_parses() {
        let c = parse(
            r#"
[run]
layers = ["infra"]
fail_on = "critical"
exclude = ["vendor/**"]

[rules]
disable = ["INFRA-NET-003"]
severity = { "INFRA-IAM-003" = "low" }

[[ignore]]
rules = ["OWASP-SECRET-001"]
paths = ["tests/fixtures/**"]
reason = "test keys"

[layers.infra]
anything = 1
"#,
        )
        .expect("valid");
        assert_eq!(c.run.fail_on, Some(Severity::Critical));
        assert_eq!(c.rules.severity["INFRA-IAM-003"], Severity::Low);
        assert_eq!(c.ignore[0].paths, vec!["tests/fixtures/**"]);
        assert!(c.layers.contains_key("infra"));
    }

    #[test]
    fn unknown_key_names_line_and_hint() {
        let e = parse("[run]\nfail-on = \"high\"\n").expect_err("unknown key");
        assert!(e.contains("line 2"), "{e}");
        assert!(e.contains("unknown field `fail-on`"), "{e}");
        assert!(e.contains("hint:"), "{e}");
    }

    #[test]
    fn wrong_type_names_line() {
        let e = parse("[run]\ntimeout = \"soon\"\n").expect_err("wrong type");
        assert!(e.contains("line 2"), "{e}");
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Mine {
        #[serde(default)]
        level: u32,
    }

    #[test]
    fn layer_table_parses_with_positions() {
        let src = "[run]\nfail_on = \"low\"\n\n[layers.mine]\nlevel = 3\n\n[layers.other]\nx = 1\n";
        let ok: Mine = LayerConfig::from_toml("mine", src).parse().expect("ok");
        assert_eq!(ok, Mine { level: 3 });
        let bad = "[layers.mine]\nlevel = 3\nlevle = 4\n";
        let e = LayerConfig::from_toml("mine", bad)
            .parse::<Mine>()
            .expect_err("unknown key");
        let msg = e.to_string();
        assert!(msg.contains("line 3"), "{msg}");
        assert!(msg.contains("unknown field `levle`"), "{msg}");
        let absent: Mine = LayerConfig::default().parse().expect("default");
        assert_eq!(absent, Mine::default());
    }

    fn loaded(src: &str) -> LoadedConfig {
        LoadedConfig {
            config: toml::from_str(src).expect("parses"),
            path: Some("conf/guard.toml".into()),
            source: Some(src.into()),
        }
    }

    #[test]
    fn unknown_rule_ids_name_the_line() {
        let known = ["INFRA-IAM-001", "INFRA-IAM-002", "NET-FW-001"];
        let layers = ["infra", "network"];
        let ok = "[rules]\ndisable = [\"infra-iam-001\", \"NET-*\"]\n\n[rules.severity]\n\"INFRA-IAM-002\" = \"low\"\n\n[[ignore]]\nrules = [\"INFRA-IAM-*\"]\npaths = [\"x\"]\n";
        loaded(ok)
            .check_rule_ids(&known, &layers)
            .expect("all known");

        let cases = [
            (
                "[rules]\ndisable = [\n  \"INFRA-IAM-001\",\n  \"INFRA-IAM-0001\",\n]\n",
                "conf/guard.toml: line 4: unknown rule `INFRA-IAM-0001` in [rules] disable; `guard rules` lists the rule ids",
            ),
            (
                "[rules]\nseverity = { \"INFRA-IAM-001\" = \"low\", \"INFRA-IAM-9\" = \"low\" }\n",
                "line 2: unknown rule `INFRA-IAM-9` in [rules.severity]",
            ),
            (
                "[[ignore]]\nrules = [\"NET-FW-001\"]\n\n[[ignore]]\nreason = \"x\"\nrules = [\"INFRA-NET-*\"]\n",
                "line 6: pattern `INFRA-NET-*` in [[ignore]] rules matches no rule of this build",
            ),
            (
                "[rules]\ndisable = [\"OWASP-SECRET-001\"]\n",
                "line 2: unknown rule `OWASP-SECRET-001` in [rules] disable; layer `owasp` is not in this build",
            ),
        ];
        for (src, want) in cases {
            let e = loaded(src)
                .check_rule_ids(&known, &layers)
                .expect_err(src)
                .to_string();
            assert!(e.contains(want), "{e}\nwanted: {want}");
        }
    }

    #[test]
    fn zero_timeout_is_refused_with_its_line() {
        let e = loaded("[run]\nfail_on = \"low\"\ntimeout = 0\n")
            .check_values()
            .expect_err("zero");
        assert!(
            e.to_string()
                .contains("line 3: [run] timeout must be a positive"),
            "{e}"
        );
        loaded("[run]\ntimeout = 5\n")
            .check_values()
            .expect("positive");
    }

    #[test]
    fn run_layer_lists_are_checked() {
        let e = loaded("[run]\nlayers = [\n  \"infra\",\n  \"infar\",\n]\n")
            .check_layer_ids(&["infra"])
            .expect_err("typo");
        assert!(
            e.to_string().contains("line 4: unknown layer `infar`"),
            "{e}"
        );
        let e = loaded("[run]\nskip_layers = [\"netwrok\"]\n")
            .check_layer_ids(&["infra", "network"])
            .expect_err("typo");
        assert!(
            e.to_string().contains(
                "line 2: unknown layer `netwrok` (known: infra, network) in [run] skip_layers"
            ),
            "{e}"
        );
        loaded("[run]\nskip_layers = [\"owasp\", \"network\"]\n")
            .check_layer_ids(&["infra", "network"])
            .expect("skipping a layer this build lacks is fine");
    }

    #[test]
    fn layer_not_in_this_build_is_named_so() {
        let e = loaded("[run]\n\n[layers.stride]\nx = 1\n")
            .check_layer_ids(&["infra"])
            .expect_err("absent");
        assert!(
            e.to_string()
                .contains("line 3: layer `stride` is not in this build"),
            "{e}"
        );
    }

    #[test]
    fn config_paths_resolve_against_the_config_folder() {
        let mut lc = LayerConfig::from_toml("network", "");
        assert_eq!(lc.resolve_path(Path::new("c.pcap")), Path::new("c.pcap"));
        lc.path = Some("/repo/sub/guard.toml".into());
        assert_eq!(
            lc.resolve_path(Path::new("caps/c.pcap")),
            Path::new("/repo/sub/caps/c.pcap")
        );
        assert_eq!(
            lc.resolve_path(Path::new("/abs/c.pcap")),
            Path::new("/abs/c.pcap")
        );
        lc.path = Some("guard.toml".into());
        assert_eq!(lc.resolve_path(Path::new("c.pcap")), Path::new("c.pcap"));
    }

    #[test]
    fn unknown_layer_table_is_an_error() {
        let src = "[layers.infar]\nx = 1\n";
        let lc = LoadedConfig {
            config: toml::from_str(src).expect("parses"),
            path: None,
            source: Some(src.into()),
        };
        let e = lc.check_layer_ids(&["infra"]).expect_err("unknown");
        assert!(e.to_string().contains("line 1"), "{e}");
    }
}
