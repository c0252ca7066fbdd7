//! Review: merging a colleague's project, agreement measures,
//! disagreements and adjudication into a consensus coder.

mod adjudicate;
mod agreement;
pub mod disagreements;
mod merge;
