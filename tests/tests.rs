//! The application's integration tests: one binary made of modules.
//! `cli` runs the built `framecoder` binary as a user would; `gui` drives
//! the real app (and single panels) with egui_kittest, with no window.
//! The core's own tests live in `crates/framecoder-core/tests`.

// All test code, helpers included: clippy's allow-unwrap/expect-in-tests
// (clippy.toml) covers #[test] functions and #[cfg(test)] items only.
#![cfg(test)]

mod cli;
mod fixtures;
mod gui;
mod run;
mod window;
