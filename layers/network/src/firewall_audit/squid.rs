//! squid.conf: one directive a line (`acl`, `http_access`, `ssl_bump`, ...);
//! a trailing backslash continues a line.

use super::model::{Model, ProxyAccess, Syntax};

pub fn parse(src: &str) -> Model {
    let mut model = Model::new(Syntax::Squid);
    let mut pending = String::new();
    let mut start = 0u32;
    for (i, raw) in src.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if pending.is_empty() {
            start = line;
        }
        if let Some(cont) = raw.strip_suffix('\\') {
            pending.push_str(cont);
            pending.push(' ');
            continue;
        }
        pending.push_str(raw);
        let text = std::mem::take(&mut pending);
        directive(&text, start, &mut model);
    }
    if !pending.is_empty() {
        let text = std::mem::take(&mut pending);
        directive(&text, start, &mut model);
    }
    model
}

fn directive(text: &str, line: u32, model: &mut Model) {
    let t = text.trim();
    if t.is_empty() || t.starts_with('#') {
        return;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    match words.first().copied() {
        Some("acl") if words.len() >= 3 => {
            let values: Vec<String> = words[3..]
                .iter()
                .filter(|w| !w.starts_with('-'))
                .map(|w| w.trim_matches('"').to_string())
                .collect();
            if matches!(words[2], "dstdomain" | "ssl::server_name") {
                for v in &values {
                    model.add_domain(v, line);
                }
            }
            model
                .proxy_acls
                .push((words[1].to_string(), words[2].to_string(), values, line));
        }
        Some("http_access") if words.len() >= 2 => model.proxy_access.push(ProxyAccess {
            allow: words[1] == "allow",
            acls: words[2..].iter().map(|s| s.to_string()).collect(),
            line,
        }),
        _ => {}
    }
}
