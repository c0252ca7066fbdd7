//! Integration tests of the core through its public API: project files,
//! edits and undo, importing.

mod agreement;
mod edits;
mod fixtures;
mod merge;
mod project_file;
