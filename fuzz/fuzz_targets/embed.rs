//! The embed API's validators on arbitrary text: host messages (`atlas_core::embed::parse_inbound`
//! and `read`: whatever is accepted is a valid command within its limits, a refusal says why)
//! and the deployer's `embed.json` (`EmbedConfig::parse`: nothing that could widen the CSP).
#![no_main]

use atlas_fuzz::invariants::{check_embed, check_embed_config};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(why) = check_embed(&text) {
        panic!("{why}");
    }
    if let Err(why) = check_embed_config(&text) {
        panic!("{why}");
    }
});
