//! Files in and out: the RON project file (validated loading, atomic
//! saves, recovery files), transcript importers, exports of spans, the
//! codebook formats, REFI-QDA exchange and safe zip reading. Only formats
//! live here: which annotations an export covers is [`crate::query`],
//! counting is [`crate::analysis`]. Errors name the file first, then the
//! position.

pub mod codebook;
pub mod export;
pub mod import;
pub mod lock;
pub mod project_file;
pub mod refi;
pub mod save;
pub mod zipsafe;

pub use project_file::{LoadError, Loaded, Problem, load, to_ron_string};
pub use save::{recovery_path, save_project, write_atomic};
