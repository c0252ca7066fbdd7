//! The desktop GUI (egui/eframe), one face over `framecoder_core`; the
//! core never sees egui.
//!
//! Views draw the project and *return* what the user asked for as
//! [`state::Intent`]s; the app shell ([`app::FramecoderApp`]) applies them
//! after drawing, through the workspace's history. No view mutates the
//! project.

pub mod app;
mod codebook;
pub mod commands;
mod cooccurrence;
mod dialogs;
mod documents;
pub mod export_dialog;
mod files;
mod fonts;
mod import_preview;
pub mod inspector;
mod jobs;
pub mod palette;
pub mod picker;
mod recovery;
pub mod review;
mod saver;
pub mod search;
mod shell;
mod speakers;
pub mod state;
mod statistics;
mod status;
mod table;
mod templates;
pub mod transcript;

pub use app::{AppOptions, FramecoderApp};

use std::path::PathBuf;

/// Opens the main window. `project`: a project file to open instead of the
/// last one.
pub fn run(project: Option<PathBuf>) -> anyhow::Result<()> {
    let native_options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("framecoder")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "framecoder",
        native_options,
        Box::new(move |cc| {
            let options = AppOptions::from_storage(cc.storage, project);
            Ok(Box::new(FramecoderApp::new(&cc.egui_ctx, options)))
        }),
    )
    .map_err(|error| anyhow::anyhow!("could not open the window: {error}"))
}
