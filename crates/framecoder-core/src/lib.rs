//! framecoder's core: the domain, edits with undo, files in and out,
//! exchange with other QDA tools and review — everything framecoder does,
//! with no user interface.
//!
//! This crate must never depend on egui, eframe, winit or rfd (CI checks
//! its dependency tree): the GUI and the command line are two faces over
//! it, so every feature can be tested headless and scripted.

pub mod analysis;
pub mod edit;
pub mod io;
pub mod model;
pub mod query;
pub mod review;
pub mod usecase;
pub mod workspace;
