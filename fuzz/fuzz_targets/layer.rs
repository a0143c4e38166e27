//! The GeoJSON layer loader (`atlas_core::layer::parse_layer`) on arbitrary bytes: it must not
//! panic, and whatever it returns must follow `invariants::check_layer` (messages that say what
//! went wrong, only finite WGS84 positions loaded, every skipped feature reported).
#![no_main]

use atlas_fuzz::invariants::check_layer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(why) = check_layer(&text) {
        panic!("{why}");
    }
});
