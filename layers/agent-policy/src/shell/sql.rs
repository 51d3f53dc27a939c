//! A small SQL tokenizer: enough to find `DROP`, `TRUNCATE`, and `DELETE`/`UPDATE`
//! without `WHERE` in statements passed to database clients, while words inside
//! string literals, quoted identifiers and comments stay data.

/// What a statement does, worst first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// `DROP DATABASE|SCHEMA|TABLE|USER|ROLE`, `TRUNCATE`.
    Destroy(String),
    /// `DELETE` or `UPDATE` without `WHERE`.
    Unbounded(String),
    /// Any other write (INSERT, UPDATE ... WHERE, ALTER, DROP INDEX, GRANT...).
    Write(String),
}

/// Upper-cased keywords and identifiers of each statement.
fn statements(sql: &str) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new()];
    let b: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == '-' && b.get(i + 1) == Some(&'-') || c == '#' {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && b.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '\'' || c == '"' || c == '`' {
            // Literals and quoted identifiers; a doubled quote escapes itself.
            let q = c;
            i += 1;
            let mut ident = String::new();
            while i < b.len() {
                if b[i] == q {
                    if b.get(i + 1) == Some(&q) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                if b[i] == '\\' && q == '\'' {
                    i += 1;
                }
                ident.push(b[i]);
                i += 1;
            }
            i += 1;
            if q != '\'' {
                if let Some(s) = out.last_mut() {
                    s.push(ident.to_ascii_uppercase());
                }
            } else if let Some(s) = out.last_mut() {
                s.push("'".into());
            }
        } else if c == '$'
            && (b.get(i + 1) == Some(&'$') || b.get(i + 1).is_some_and(|n| n.is_alphabetic()))
        {
            // Dollar-quoted body: its statements are code (DO blocks), keep scanning.
            let start = i;
            i += 1;
            while i < b.len() && b[i] != '$' && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            if b.get(i) != Some(&'$') {
                i = start + 1;
            } else {
                i += 1;
            }
        } else if c == ';' {
            out.push(Vec::new());
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_' || b[i] == '.') {
                i += 1;
            }
            let w: String = b[start..i].iter().collect();
            if let Some(s) = out.last_mut() {
                s.push(w.to_ascii_uppercase());
            }
        } else {
            if !c.is_whitespace() {
                if let Some(s) = out.last_mut() {
                    s.push(c.to_string());
                }
            }
            i += 1;
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

pub fn effects(sql: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for st in statements(sql) {
        for (i, w) in st.iter().enumerate() {
            let next = |k: usize| st.get(i + k).map(String::as_str).unwrap_or("");
            match w.as_str() {
                "DROP" => {
                    let mut k = 1;
                    while matches!(
                        next(k),
                        "TEMPORARY" | "TEMP" | "IF" | "EXISTS" | "MATERIALIZED"
                    ) {
                        k += 1;
                    }
                    let what = next(k);
                    if matches!(
                        what,
                        "DATABASE"
                            | "SCHEMA"
                            | "TABLE"
                            | "USER"
                            | "ROLE"
                            | "COLLECTION"
                            | "KEYSPACE"
                    ) {
                        out.push(Effect::Destroy(format!("DROP {what}")));
                    } else if i == 0 || st[..i].iter().any(|p| p == "ALTER") {
                        out.push(Effect::Write(format!("DROP {what}")));
                    }
                }
                "TRUNCATE" if i == 0 || next(1) == "TABLE" => {
                    out.push(Effect::Destroy("TRUNCATE".into()))
                }
                "DELETE" if next(1) == "FROM" || i == 0 => {
                    if st[i..].iter().any(|t| t == "WHERE") {
                        out.push(Effect::Write("DELETE ... WHERE".into()));
                    } else {
                        out.push(Effect::Unbounded("DELETE without WHERE".into()));
                    }
                }
                "UPDATE" if st[i..].iter().any(|t| t == "SET") => {
                    if st[i..].iter().any(|t| t == "WHERE") {
                        out.push(Effect::Write("UPDATE ... WHERE".into()));
                    } else {
                        out.push(Effect::Unbounded("UPDATE without WHERE".into()));
                    }
                }
                "INSERT" | "ALTER" | "GRANT" | "REVOKE" | "MERGE" | "REPLACE" | "CREATE"
                | "COPY" | "RENAME"
                    if i == 0 =>
                {
                    out.push(Effect::Write(w.clone()))
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_destroy_and_unbounded() {
        assert_eq!(
            effects("drop table users;"),
            vec![Effect::Destroy("DROP TABLE".into())]
        );
        assert_eq!(
            effects("DROP TABLE IF EXISTS x"),
            vec![Effect::Destroy("DROP TABLE".into())]
        );
        assert_eq!(
            effects("truncate orders"),
            vec![Effect::Destroy("TRUNCATE".into())]
        );
        assert_eq!(
            effects("DELETE FROM t"),
            vec![Effect::Unbounded("DELETE without WHERE".into())]
        );
        assert_eq!(
            effects("delete from t where id=1"),
            vec![Effect::Write("DELETE ... WHERE".into())]
        );
        assert_eq!(
            effects("UPDATE t SET a=1"),
            vec![Effect::Unbounded("UPDATE without WHERE".into())]
        );
        assert!(effects("select 'drop table x' from t -- drop table y").is_empty());
        assert!(effects("SELECT * FROM \"delete\"").is_empty());
        assert_eq!(effects("select 1; drop database prod").len(), 1);
    }
}
