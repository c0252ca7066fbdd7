//! framecoder: code transcripts with framing and claim labels.
//!
//! The core (`model`, `edit`, `io`) knows nothing of egui; the GUI (`ui`)
//! and the command line (`cli`) are two faces over it.

pub mod cli;
pub mod edit;
pub mod io;
pub mod model;
pub mod review;
pub mod ui;
pub mod workspace;
