#![no_main]
//! A guard model read in two halves (as large ones are) equals the model read
//! whole: same content, same lines, and it reads whenever the whole does.
use guard_stride::read::guard::{entry_lines, parse_cut_from, GuardModel, LineShift};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let whole = guard_stride::yaml::parse_typed::<GuardModel>(text);
    let cut = parse_cut_from(text, 0);
    match (whole, cut) {
        (Ok(w), Ok((c, shift))) => {
            assert_eq!(
                serde_json::to_string(&w).ok(),
                serde_json::to_string(&c).ok()
            );
            assert_eq!(entry_lines(&w, &LineShift::default()), entry_lines(&c, &shift));
        }
        (Err(w), Err(c)) => assert_eq!((w.line, w.message), (c.line, c.message)),
        (w, c) => panic!("whole {:?} but cut {:?}", w.is_ok(), c.is_ok()),
    }
});
