//! Reviewing several coders' work on the same documents: agreement
//! measures now; comparing, merging and adjudicating build on them. Nothing
//! here knows about egui.

pub mod agreement;
pub mod measures;
pub mod merge;
