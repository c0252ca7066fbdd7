//! The core's integration tests, through its public API only: one binary
//! made of modules, one per area, sharing one `fixtures` module. Add a
//! test to the module of its area; add an area as a module here.

// Every helper here serves a test: a failed expectation is a failed test,
// with its location (clippy.toml allows this inside #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod edits;
mod export;
mod fixtures;
mod formats;
mod project_file;
mod refi;
mod review;
mod usecase;
