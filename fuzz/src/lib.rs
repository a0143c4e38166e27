//! The rules the fuzz targets check: the very file the property tests use
//! (`crates/atlas-core/tests/invariants/mod.rs`), so that both report the same broken rule.

#[path = "../../crates/atlas-core/tests/invariants/mod.rs"]
pub mod invariants;
