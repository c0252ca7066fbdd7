//! Reviewing several coders' work on the same documents: agreement
//! measures now; comparing, merging and adjudicating build on them. Nothing
//! here knows about egui.

pub mod adjudicate;
pub mod agreement;
pub mod disagreements;
pub mod measures;
pub mod merge;
