//! The codebook on its own, in every format it travels in: REFI-QDA's
//! `.qdc` (XML, shared with the codebook inside a `.qdpx`, so it lives in
//! [`crate::io::refi`]) and CSV ([`csv`]), for a team to keep in a
//! spreadsheet and start every coder from. Each import returns the labels
//! (ids, kinds, parents, colours, keys, descriptions), to be merged into an
//! open project ([`crate::usecase::import`] does that).

pub mod csv;

pub use crate::io::refi::{export_qdc, import_qdc};
pub use csv::{codebook_records, export_codebook_csv, import_codebook_csv};
