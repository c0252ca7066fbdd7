//! Analysis of a project's coding: counts of spans per label × document,
//! speaker or coder ([`stats`]), and which labels go together
//! ([`cooccurrence`]). Reads the project; never changes it.
//! (Agreement between coders is [`crate::review`].)

pub mod cooccurrence;
pub mod stats;

pub use cooccurrence::{CooccurrenceTable, Cooccurs, cooccurrence};
pub use stats::{By, CountRow, CountTable, count_spans};
