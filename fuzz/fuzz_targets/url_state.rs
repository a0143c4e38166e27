//! The URL state (`atlas_core::url_state::UrlState::parse` and `format`) on arbitrary text: no
//! panic, bounded problems, a state within its limits that formats to a safe hash and reads
//! back unchanged (`invariants::check_url`).
#![no_main]

use atlas_fuzz::invariants::check_url;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(why) = check_url(&text) {
        panic!("{why}");
    }
});
