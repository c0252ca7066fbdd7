//! The core's integration tests, through its public API only: one binary
//! made of modules, one per area, sharing one `fixtures` module. Add a
//! test to the module of its area; add an area as a module here.

// All test code, helpers included: clippy's allow-unwrap/expect-in-tests
// (clippy.toml) covers #[test] functions and #[cfg(test)] items only.
#![cfg(test)]

mod edits;
mod export;
mod fixtures;
mod formats;
mod project_file;
mod refi;
mod review;
mod templates;
mod usecase;
mod workspace;
