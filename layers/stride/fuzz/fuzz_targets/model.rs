#![no_main]
//! Reading any model (guard YAML, Threagile, Threat Dragon, pytm JSON) and
//! deriving its threats.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("guard-stride-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    for name in ["model.yaml", "model.json"] {
        let path = dir.join(name);
        if std::fs::write(&path, text).is_ok() {
            if let Ok(model) = guard_stride::read::load(&path, name) {
                let _ = guard_stride::rules::analyse(&model);
            }
        }
    }
});
