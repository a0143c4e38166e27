//! The plan model (`atlas_core::plan::PlanDoc::build`) on arbitrary text: the first byte says
//! how many of the next bytes are chrome line numbers; the rest is the text. The model must
//! follow `invariants::check_plan` (ranges in bounds, on char boundaries, ordered, apart; no
//! line lost).
#![no_main]

use atlas_fuzz::invariants::check_plan;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (chrome, text) = match data.split_first() {
        Some((n, rest)) => {
            let k = usize::from(*n % 8).min(rest.len());
            (rest[..k].iter().map(|b| usize::from(*b)).collect::<Vec<_>>(), &rest[k..])
        }
        None => (Vec::new(), data),
    };
    let text = String::from_utf8_lossy(text);
    if let Err(why) = check_plan(&text, &chrome) {
        panic!("{why}");
    }
});
