//! The application's integration tests: one binary made of modules.
//! `cli` runs the built `framecoder` binary as a user would; `gui` drives
//! the real app (and single panels) with egui_kittest, with no window.
//! The core's own tests live in `crates/framecoder-core/tests`.

// Every helper here serves a test: a failed expectation is a failed test,
// with its location (clippy.toml allows this inside #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod fixtures;
mod gui;
mod run;
