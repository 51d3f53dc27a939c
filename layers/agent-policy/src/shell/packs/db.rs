//! databases: SQL given to clients via `-c`/`-e`/arguments/heredoc/here-string/pipe,
//! Redis and MongoDB commands, drop tools, and ORM resets. Production-looking
//! targets turn other writes into `ask`.

use crate::shell::argv::{has_long, opt_value, positionals};
use crate::shell::parse::Stdin;
use crate::shell::sql::{effects, Effect};
use crate::shell::word::program_name;
use crate::shell::{Engine, Inv};

/// SQL (or client commands) the invocation sends, from every place it can come from.
fn payloads(inv: &Inv<'_>, flags: &[&str]) -> Vec<String> {
    let t = inv.texts();
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let a = t[i];
        for f in flags {
            if a == *f {
                if let Some(v) = t.get(i + 1) {
                    out.push(v.to_string());
                }
            } else if let Some(v) = a.strip_prefix(f) {
                let v = v.strip_prefix('=').unwrap_or(v);
                if !v.is_empty() && (f.len() == 2 || a.contains('=')) {
                    out.push(v.to_string());
                }
            }
        }
        i += 1;
    }
    match inv.stdin {
        Stdin::Text { text, .. } => out.push(text.clone()),
        Stdin::Pipe(prods) => {
            if let Some(p) = prods.last() {
                let prog = p.argv.first().map(|w| program_name(&w.text)).unwrap_or("");
                if matches!(prog, "echo" | "printf") {
                    out.push(
                        p.argv[1..]
                            .iter()
                            .map(|w| w.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                } else if prog == "cat" {
                    if let Some(s) = &p.stdin {
                        out.push(s.clone());
                    }
                }
            }
        }
        _ => {}
    }
    out
}

fn sql_hits(e: &mut Engine<'_>, client: &str, sql: &str, prod: bool) {
    for eff in effects(sql) {
        match eff {
            Effect::Destroy(what) => e.hit("AGENT-DB-001", format!("{client}: {what}")),
            Effect::Unbounded(what) => e.hit("AGENT-DB-002", format!("{client}: {what}")),
            Effect::Write(what) if prod => {
                e.hit_prod("AGENT-DB-003", format!("{client}: {what}"), true)
            }
            Effect::Write(_) => {}
        }
    }
}

pub fn client(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let prod = super::production(
        e,
        inv,
        &["-h", "--host", "-d", "--dbname", "-D", "--database"],
    ) || positionals(&t, &[]).iter().any(|p| {
        e.config.looks_production(p)
            && (p.contains('.') || p.contains("://") || p.contains('-') || p.contains('_'))
    });
    let p = inv.prog;
    // SQL files the client reads (`psql -f FILE`, `mysql < FILE`), when they exist.
    let mut files: Vec<String> = Vec::new();
    if matches!(p, "psql" | "cockroach") {
        let mut i = 0;
        while i < t.len() {
            if matches!(t[i], "-f" | "--file") {
                if let Some(f) = t.get(i + 1) {
                    files.push(f.to_string());
                }
                i += 1;
            } else if let Some(f) = t[i].strip_prefix("--file=") {
                files.push(f.to_string());
            } else if let Some(f) = t[i].strip_prefix("-f").filter(|f| !f.is_empty()) {
                files.push(f.to_string());
            }
            i += 1;
        }
    }
    if let Stdin::File(w) = inv.stdin {
        if !w.dynamic
            && matches!(
                p,
                "psql" | "mysql" | "mariadb" | "sqlite3" | "cockroach" | "clickhouse-client"
            )
        {
            files.push(w.text.clone());
        }
    }
    for f in files {
        if let Some(sql) = read_script(e, &f) {
            sql_hits(e, p, &sql, prod);
        }
    }
    match p {
        "psql" | "cockroach" | "clickhouse-client" => {
            for s in payloads(
                inv,
                &["-c", "--command", "-q", "--query", "-e", "--execute"],
            ) {
                sql_hits(e, p, &s, prod);
            }
        }
        "mysql" | "mariadb" => {
            for s in payloads(inv, &["-e", "--execute"]) {
                sql_hits(e, p, &s, prod);
            }
        }
        "sqlite3" => {
            // sqlite3 [options] FILE [SQL...]
            let pos = positionals(&t, &["-cmd", "-separator", "-newline", "-nullvalue"]);
            let mut sqls: Vec<String> = pos.iter().skip(1).map(|s| s.to_string()).collect();
            if let Some(c) = opt_value(&t, &["-cmd"]) {
                sqls.push(c.to_string());
            }
            sqls.extend(payloads(inv, &[]));
            for s in sqls {
                sql_hits(e, p, &s, prod);
            }
        }
        "mongosh" | "mongo" => {
            for js in payloads(inv, &["--eval"]) {
                mongo(e, &js);
            }
        }
        "redis-cli" => {
            let pos = positionals(
                &t,
                &[
                    "-h",
                    "-p",
                    "-a",
                    "-n",
                    "-u",
                    "-s",
                    "--user",
                    "--pass",
                    "-r",
                    "-i",
                    "--tls-cert",
                ],
            );
            let mut cmds: Vec<String> = vec![pos.join(" ")];
            cmds.extend(payloads(inv, &[]));
            for c in cmds {
                for line in c.lines() {
                    let words: Vec<String> = line
                        .split_whitespace()
                        .map(|w| w.to_ascii_uppercase())
                        .collect();
                    match words.first().map(String::as_str) {
                        Some("FLUSHALL") | Some("FLUSHDB") => {
                            e.hit("AGENT-DB-001", format!("redis-cli {}", words[0]))
                        }
                        Some("DEBUG")
                            if matches!(
                                words.get(1).map(String::as_str),
                                Some("SEGFAULT") | Some("CRASH-AND-RECOVER") | Some("RESTART")
                            ) =>
                        {
                            e.hit("AGENT-DB-001", "redis-cli DEBUG crash")
                        }
                        Some("SHUTDOWN") | Some("CONFIG") if prod => {
                            e.hit_prod("AGENT-DB-003", format!("redis-cli {}", words[0]), true)
                        }
                        _ => {}
                    }
                }
            }
        }
        "dropdb" => e.hit("AGENT-DB-001", "dropdb"),
        "mysqladmin"
            if positionals(&t, &["-h", "-u", "-p", "-P", "--host", "--user"])
                .iter()
                .any(|w| w.eq_ignore_ascii_case("drop")) =>
        {
            e.hit("AGENT-DB-001", "mysqladmin drop");
        }
        "mongorestore" if has_long(&t, "drop") => e.hit("AGENT-DB-001", "mongorestore --drop"),
        _ => {}
    }
}

fn mongo(e: &mut Engine<'_>, js: &str) {
    let compact: String = js.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains(".dropDatabase(")
        || compact.contains(".drop()")
        || compact.contains("dropCollection(")
    {
        e.hit("AGENT-DB-001", "MongoDB drop");
    }
    for call in ["deleteMany({})", "remove({})", "updateMany({},"] {
        if compact.contains(call) {
            e.hit("AGENT-DB-002", format!("MongoDB {call}"));
        }
    }
}

pub fn orm(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let pos = positionals(&t, &["--schema", "-e", "--env"]);
    let first = pos.first().copied().unwrap_or("");
    let second = pos.get(1).copied().unwrap_or("");
    let hit = match inv.prog {
        "prisma" => {
            (first == "migrate" && second == "reset")
                || (first == "db"
                    && second == "push"
                    && (has_long(&t, "force-reset") || has_long(&t, "accept-data-loss")))
        }
        "drizzle-kit" => first == "drop" || (first == "push" && has_long(&t, "force")),
        "rails" | "rake" => pos.iter().any(|p| {
            matches!(
                *p,
                "db:drop"
                    | "db:reset"
                    | "db:schema:load"
                    | "db:purge"
                    | "db:drop:all"
                    | "db:migrate:reset"
                    | "db:structure:load"
            )
        }),
        "manage.py" | "django-admin" => matches!(first, "flush" | "reset_db" | "sqlflush"),
        "sequelize" => matches!(first, "db:drop" | "db:migrate:undo:all"),
        "knex" => first == "migrate:rollback" && has_long(&t, "all"),
        "alembic" => first == "downgrade" && second == "base",
        _ => false,
    };
    if hit {
        e.hit(
            "AGENT-DB-004",
            format!(
                "{} {}",
                inv.prog,
                pos.iter().take(2).copied().collect::<Vec<_>>().join(" ")
            ),
        );
    }
}

/// Largest SQL file read.
const MAX_SQL_FILE: u64 = 4 << 20;

/// The text of a script file the command names, resolved against the shell's current
/// directory; `None` when it does not exist (the client would fail) or is unknown.
fn read_script(e: &Engine<'_>, name: &str) -> Option<String> {
    use std::io::Read;
    if name.is_empty() || name == "-" || name.contains('$') {
        return None;
    }
    let p = crate::shell::paths::expand_home(name, &e.home);
    let p = if p.is_absolute() {
        p
    } else {
        e.cwd.as_ref()?.join(p)
    };
    let f = std::fs::File::open(&p).ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    f.take(MAX_SQL_FILE).read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Warehouse CLIs that take SQL: `bq query SQL`, `snow sql -q SQL`, `snowsql -q SQL`,
/// `databricks ... --statement SQL` (also from a heredoc or pipe).
pub fn warehouse(e: &mut Engine<'_>, inv: &Inv<'_>) {
    let t = inv.texts();
    let prod = super::production(e, inv, &["--project_id", "--connection", "-c"]);
    let p = inv.prog;
    let mut sqls: Vec<String> = Vec::new();
    match p {
        "bq" => {
            let pos = positionals(
                &t,
                &[
                    "--project_id",
                    "--location",
                    "--format",
                    "--destination_table",
                    "--parameter",
                    "--max_rows",
                    "-n",
                ],
            );
            if pos.first() == Some(&"query") {
                sqls.extend(pos.iter().skip(1).map(|s| s.to_string()));
                sqls.extend(payloads(inv, &[]));
            }
        }
        "snow" => {
            let pos = positionals(
                &t,
                &["-q", "--query", "-c", "--connection", "-f", "--filename"],
            );
            if pos.first() == Some(&"sql") {
                sqls.extend(payloads(inv, &["-q", "--query"]));
            }
        }
        "snowsql" => sqls.extend(payloads(inv, &["-q", "--query"])),
        "databricks" => sqls.extend(payloads(inv, &["--statement"])),
        _ => {}
    }
    for s in sqls {
        sql_hits(e, p, &s, prod);
    }
}
