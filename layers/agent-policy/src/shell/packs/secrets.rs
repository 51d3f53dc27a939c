//! secrets: reading `.env` and credential files through Bash, uploading them, and
//! dumping the environment or CLI tokens.

use crate::shell::argv::positionals;
use crate::shell::paths::expand_home;
use crate::shell::word::Word;
use crate::shell::{Engine, Inv};

/// `.env`-style files, excluding committed templates.
pub fn is_dotenv(path: &str) -> bool {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let templ = [
        "example", "sample", "template", "dist", "defaults", "schema", "tmpl", "test",
    ];
    if base == ".env" {
        return true;
    }
    if let Some(rest) = base.strip_prefix(".env.") {
        return !templ.iter().any(|t| rest.split('.').any(|p| p == *t));
    }
    if let Some(stem) = base.strip_suffix(".env") {
        return !stem.is_empty() && !templ.iter().any(|t| stem.ends_with(t));
    }
    false
}

/// Credential files: keys, cloud and registry credentials.
pub fn is_credential(path: &str) -> bool {
    let p = path.replace('\\', "/");
    let base = p.rsplit('/').next().unwrap_or(&p);
    if p.contains(".ssh/") {
        return !(base.ends_with(".pub")
            || matches!(
                base,
                "known_hosts" | "config" | "authorized_keys" | "known_hosts.old"
            ));
    }
    if base.starts_with("id_")
        && !base.ends_with(".pub")
        && matches!(
            base,
            "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | "id_ecdsa_sk" | "id_ed25519_sk"
        )
    {
        return true;
    }
    const FILES: &[&str] = &[
        ".aws/credentials",
        ".netrc",
        ".git-credentials",
        ".docker/config.json",
        ".kube/config",
        ".npmrc",
        ".pypirc",
        ".gem/credentials",
        ".config/gh/hosts.yml",
        ".vault-token",
        ".config/gcloud/application_default_credentials.json",
        ".config/gcloud/credentials.db",
        ".azure/accessTokens.json",
        ".azure/msal_token_cache.json",
        ".terraform.d/credentials.tfrc.json",
        ".cargo/credentials",
        ".cargo/credentials.toml",
    ];
    if FILES.iter().any(|f| p.ends_with(f)) || p.contains(".gnupg/") {
        // A project-level .npmrc usually holds registry settings, not tokens.
        return base != ".npmrc" || p.contains('/');
    }
    let ext = base.rsplit('.').next().unwrap_or("");
    matches!(ext, "pem" | "key" | "p12" | "pfx" | "jks" | "keystore")
        && !base.ends_with(".pub.pem")
        && !base.contains("public")
        || base.contains("service-account") && base.ends_with(".json")
        || base.ends_with("-credentials.json")
        || base == "credentials.json"
}

/// Judges a file the command reads (argument or `< file`).
pub fn read_target(e: &mut Engine<'_>, w: &Word) {
    let path = expand_home(&w.text, &e.home).to_string_lossy().to_string();
    if is_dotenv(&path) {
        e.hit("AGENT-SECRET-001", format!("reads `{}`", w.text));
    } else if is_credential(&path) {
        e.hit("AGENT-SECRET-002", format!("reads `{}`", w.text));
    } else if path.starts_with("/proc/") && path.ends_with("/environ") {
        e.hit("AGENT-SECRET-003", format!("reads `{}`", w.text));
    }
}

const READERS: &[&str] = &[
    "cat", "less", "more", "head", "tail", "bat", "batcat", "nl", "tac", "od", "xxd", "hexdump",
    "strings", "cut", "sort", "uniq", "base64", "base32", "view", "vim", "vi", "nano", "emacs",
    "code", "cp", "scp", "diff", "cmp", "wc", "column", "paste", "fold", "iconv", "openssl", "gpg",
    "jq", "yq", "dos2unix", "zip", "tar", "gzip", "xargs",
];

pub fn reading(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let p = inv.prog;
    let files: Vec<&Word> = if READERS.contains(&p) || p == "source" {
        let mut v: Vec<&Word> = inv
            .args
            .iter()
            .filter(|w| !w.text.starts_with('-') || w.text.len() == 1)
            .collect();
        if matches!(p, "cp" | "scp") {
            // The last operand is the destination.
            v.pop();
        }
        v
    } else if matches!(
        p,
        "grep" | "egrep" | "fgrep" | "rg" | "ag" | "ack" | "sed" | "awk" | "gawk"
    ) {
        // The first operand is the pattern/program unless given with -e/-f.
        let has_e = t
            .iter()
            .any(|a| matches!(*a, "-e" | "-f" | "--regexp" | "--file" | "--expression"));
        let ops: Vec<&Word> = inv
            .args
            .iter()
            .filter(|w| !w.text.starts_with('-'))
            .collect();
        ops.into_iter().skip(if has_e { 0 } else { 1 }).collect()
    } else if matches!(p, "curl" | "wget" | "http" | "https" | "xh") {
        // Uploads: -d @file, --data-binary @file, -F x=@file, -T file.
        let mut up = Vec::new();
        for (i, w) in inv.args.iter().enumerate() {
            if let Some(at) = w
                .text
                .split('@')
                .nth(1)
                .filter(|_| w.text.contains('@') && !w.text.contains("://"))
            {
                if is_dotenv(at) || is_credential(&expand_home(at, &e.home).to_string_lossy()) {
                    e.hit(
                        if is_dotenv(at) {
                            "AGENT-SECRET-001"
                        } else {
                            "AGENT-SECRET-002"
                        },
                        format!("uploads `{at}`"),
                    );
                }
            }
            if matches!(
                w.text.as_str(),
                "-T" | "--upload-file" | "--post-file" | "--body-file"
            ) {
                if let Some(f) = inv.args.get(i + 1) {
                    up.push(f);
                }
            }
        }
        up
    } else {
        Vec::new()
    };
    for f in files {
        read_target(e, f);
    }
    match p {
        "env" | "printenv" if positionals(&t, &["-u", "--unset"]).is_empty() => e.hit(
            "AGENT-SECRET-003",
            format!("`{p}` prints the whole environment"),
        ),
        "export" | "declare" | "typeset"
            if t.is_empty() || t == ["-p"] || t == ["-x"] || t == ["-px"] =>
        {
            e.hit(
                "AGENT-SECRET-003",
                format!("`{p}` prints exported variables"),
            )
        }
        "set" if t.is_empty() => e.hit("AGENT-SECRET-003", "`set` prints every variable"),
        "security"
            if t.first()
                .is_some_and(|s| s.starts_with("find-") && s.ends_with("-password"))
                && t.contains(&"-w") =>
        {
            e.hit("AGENT-SECRET-003", "security find-*-password -w")
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_files() {
        assert!(is_dotenv(".env"));
        assert!(is_dotenv("app/.env.production"));
        assert!(is_dotenv("prod.env"));
        assert!(!is_dotenv(".env.example"));
        assert!(!is_dotenv(".envrc"));
        assert!(!is_dotenv("env.example"));
        assert!(is_credential("/home/u/.ssh/id_ed25519"));
        assert!(!is_credential("/home/u/.ssh/id_ed25519.pub"));
        assert!(!is_credential("/home/u/.ssh/known_hosts"));
        assert!(is_credential("/home/u/.aws/credentials"));
        assert!(is_credential("certs/server.key"));
        assert!(!is_credential("src/keyboard.rs"));
        assert!(!is_credential(".npmrc"));
    }
}
