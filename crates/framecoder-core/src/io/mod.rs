//! Files in and out: the RON project file (atomic saves, recovery files)
//! and transcript importers. Nothing here knows about egui; errors name the
//! file first, then the position.

pub mod codebook;
pub mod export;
pub mod import;
pub mod project_file;
pub mod refi;
pub mod save;
pub mod zipsafe;

pub use project_file::{LoadError, Loaded, Problem, load, to_ron_string};
pub use save::{recovery_path, save_project, write_atomic};
