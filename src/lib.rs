//! framecoder, the application: the GUI (`ui`) and the command line
//! (`cli`), two faces over [`framecoder_core`], which knows nothing of
//! either.

pub mod cli;
pub mod ui;
