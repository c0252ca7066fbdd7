//! Reviewing several coders' work on the same documents: merging their
//! projects ([`merge`]), agreement ([`measures`] and [`agreement`]),
//! where they disagree ([`disagreements`]) and settling it into a
//! consensus coder ([`adjudicate`]).

pub mod adjudicate;
pub mod agreement;
pub mod disagreements;
pub mod measures;
pub mod merge;
pub mod multirater;
