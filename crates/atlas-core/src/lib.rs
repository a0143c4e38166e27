//! Plan Atlas core: everything that is pure logic, tested natively with `cargo test`.
//!
//! No module here may depend on leptos, web-sys, wasm-bindgen or gloo: the crate boundary keeps
//! the browser out (see STYLE.md).

pub mod basemap;
pub mod datum;
pub mod excerpt;
pub mod geometry;
pub mod labels;
pub mod layer;
pub mod manifest;
pub mod plan;
pub mod plan_text;
pub mod projection;
pub mod scale;
pub mod search;
pub mod site;
pub mod snapshot;
pub mod svg;
pub mod url_state;
pub mod viewport;
