use std::fs;

pub fn save(p: &str, b: &[u8]) {
    let _ = fs::write(p, b);
}
