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

/// The largest transcript text framecoder reads, in bytes (64 MiB, some
/// ten million words — a hundred times a long hearing): a `.txt`, one
/// subtitle file, the text of one `.docx`, one source of a `.qdpx`. An
/// archive may hold four times that in all. Past these a file is refused
/// with a message before its memory is spent, so an import never needs
/// more than about a gigabyte.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

pub use project_file::{LoadError, Loaded, Problem, load, to_ron_string};
pub use save::{recovery_path, save_project, write_atomic};
