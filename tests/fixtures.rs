//! What the application's tests share: files of the repository, and the
//! readers of exports, which are the core's own (one copy, included by path).

use std::path::{Path, PathBuf};

#[path = "../crates/framecoder-core/tests/fixtures/readers.rs"]
#[allow(dead_code)] // the core's tests use the rest of it
mod readers;
pub use readers::{XlsxCell, read_csv, read_jsonl, read_xlsx};

/// A test that fails by returning an error (its message is the failure).
pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A file of the repository, e.g. `projects/example.ron`.
pub fn repo_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}
