//! Integration tests of the core through its public API: project files,
//! edits and undo, importing.

mod adjudicate;
mod agreement;
mod disagreements;
mod edits;
mod fixtures;
mod merge;
mod project_file;
