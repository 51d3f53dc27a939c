//! Prints the ChangeSet guard reads from a unified diff file, as JSON.
//! Used by `bench/diff_eval.py`.

fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse_diff FILE.diff");
        std::process::exit(2);
    };
    match guard_core::ChangeSet::from_patch_file(std::path::Path::new(&path)) {
        Ok(cs) => println!("{}", serde_json::to_string(&cs).unwrap_or_default()),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
