//! The committed JSON Schemas under `schemas/` must match the types.
//! Regenerate with `GUARD_UPDATE_SCHEMAS=1 cargo test -p guard-tests --test schemas`.

use guard_core::schema::{schema_text, SCHEMA_NAMES};
use std::path::PathBuf;

fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

#[test]
fn committed_schemas_are_fresh() {
    let update = std::env::var_os("GUARD_UPDATE_SCHEMAS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for name in SCHEMA_NAMES {
        let path = schema_dir().join(format!("{name}.schema.json"));
        let fresh = schema_text(name).expect("known schema");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != fresh {
            if update {
                std::fs::write(&path, &fresh).expect("write schema");
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas: {stale:?}\nregenerate with: GUARD_UPDATE_SCHEMAS=1 cargo test -p guard-tests --test schemas"
    );
}
