//! Analysis of a project's coding: counts of spans per label × document,
//! speaker or coder ([`stats`]). Reads the project; never changes it.
//! (Agreement between coders is [`crate::review`].)

pub mod stats;

pub use stats::{By, CountRow, CountTable, count_spans};
