//! The Export dialog: labelled spans (CSV, JSONL, HTML report), a REFI-QDA
//! project (.qdpx) or the codebook (.qdc, CSV), filtered by coder, label
//! and document. The export runs on a worker thread with a spinner, so a
//! large project never freezes the window.

use super::state::ViewContext;
use framecoder_core::io;
use framecoder_core::io::export::{Filter, SpanFormat, export_spans};
use framecoder_core::io::refi::{self, PositionUnit, QdpxOptions};
use framecoder_core::model::Project;
use framecoder_core::usecase::export::{overwrites_project, select_for_export};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    Csv,
    Jsonl,
    Html,
    Qdpx,
    Qdc,
    CodebookCsv,
}

impl ExportKind {
    const ALL: [ExportKind; 6] = [
        ExportKind::Csv,
        ExportKind::Jsonl,
        ExportKind::Html,
        ExportKind::Qdpx,
        ExportKind::Qdc,
        ExportKind::CodebookCsv,
    ];

    fn text(self) -> &'static str {
        match self {
            ExportKind::Csv => "Spans as CSV (R, pandas, Stata, Excel)",
            ExportKind::Jsonl => "Spans as JSON lines",
            ExportKind::Html => "HTML report for reading and printing",
            ExportKind::Qdpx => "REFI-QDA project (.qdpx) for MAXQDA, ATLAS.ti, NVivo, QualCoder",
            ExportKind::Qdc => "Codebook as REFI-QDA (.qdc)",
            ExportKind::CodebookCsv => "Codebook as CSV",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ExportKind::Csv | ExportKind::CodebookCsv => "csv",
            ExportKind::Jsonl => "jsonl",
            ExportKind::Html => "html",
            ExportKind::Qdpx => "qdpx",
            ExportKind::Qdc => "qdc",
        }
    }

    fn filters_spans(self) -> bool {
        matches!(
            self,
            ExportKind::Csv | ExportKind::Jsonl | ExportKind::Html | ExportKind::Qdpx
        )
    }
}

/// State of the Export window.
pub struct ExportDialog {
    pub open: bool,
    kind: ExportKind,
    bom: bool,
    utf16: bool,
    crlf: bool,
    /// Unticked entries (by id), so new coders/labels/documents start ticked.
    excluded: HashSet<String>,
    path: String,
    /// The open project's file, which an export must never overwrite.
    project_path: Option<PathBuf>,
    running: Option<(Receiver<Result<String, String>>, Instant)>,
    message: Option<String>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self {
            open: false,
            kind: ExportKind::Csv,
            bom: false,
            utf16: false,
            crlf: false,
            excluded: HashSet::new(),
            path: String::new(),
            project_path: None,
            running: None,
            message: None,
        }
    }
}

impl ExportDialog {
    /// Opens the dialog, proposing a file beside the project.
    pub fn open(&mut self, project_path: Option<&std::path::Path>) {
        self.open = true;
        self.project_path = project_path.map(PathBuf::from);
        if self.path.is_empty() {
            let stem = project_path
                .and_then(|p| p.file_stem())
                .map_or_else(|| "export".to_owned(), |s| s.to_string_lossy().into_owned());
            let dir = project_path
                .and_then(|p| p.parent())
                .map(PathBuf::from)
                .unwrap_or_default();
            self.path = dir
                .join(format!("{stem}.{}", self.kind.extension()))
                .display()
                .to_string();
        }
    }

    /// True while an export is being written.
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// The last result line.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    pub fn ui(&mut self, ctx: &egui::Context, cx: &ViewContext<'_>, snapshot: impl FnOnce() -> Arc<Project>) {
        self.poll(ctx);
        if !self.open {
            return;
        }
        let mut open = self.open;
        let mut start = false;
        egui::Window::new("Export")
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                for kind in ExportKind::ALL {
                    if ui.radio_value(&mut self.kind, kind, kind.text()).changed() {
                        let path = std::path::Path::new(&self.path).with_extension(kind.extension());
                        self.path = path.display().to_string();
                    }
                }
                ui.separator();
                match self.kind {
                    ExportKind::Csv => {
                        ui.checkbox(&mut self.bom, "Start with a byte order mark (for Excel)");
                    }
                    ExportKind::Qdpx => {
                        ui.checkbox(
                            &mut self.utf16,
                            "Positions in UTF-16 code units (instead of code points)",
                        );
                        ui.checkbox(&mut self.crlf, "Windows line endings (CRLF) in the transcripts");
                    }
                    _ => {}
                }
                if self.kind.filters_spans() {
                    ui.collapsing("Which spans", |ui| self.filters_ui(ui, cx));
                }
                ui.horizontal(|ui| {
                    let field = ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(360.0));
                    field.accessible_name("Export path");
                    let ready = !self.path.trim().is_empty() && self.running.is_none();
                    start = ui.add_enabled(ready, egui::Button::new("Export")).clicked();
                });
                if let Some((_, started)) = &self.running {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(format!("Exporting… {:.1} s", started.elapsed().as_secs_f32()));
                    });
                }
                if let Some(message) = &self.message {
                    ui.label(message);
                }
            });
        self.open = open;
        if start {
            self.start(ctx, snapshot(), cx);
        }
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>) {
        let mut toggle = |ui: &mut egui::Ui, id: String, text: String| {
            let mut included = !self.excluded.contains(&id);
            if ui.checkbox(&mut included, text).changed() {
                if included {
                    self.excluded.remove(&id);
                } else {
                    self.excluded.insert(id);
                }
            }
        };
        ui.label("Coders");
        for coder in &cx.project.coders {
            toggle(ui, coder.id.to_string(), coder.name.clone());
        }
        ui.label("Labels (a frame includes its claims)");
        for label in &cx.project.labels {
            toggle(ui, label.id.to_string(), cx.project.label_path(label.id));
        }
        ui.label("Documents");
        for document in &cx.project.documents {
            toggle(ui, document.id.to_string(), document.name.clone());
        }
    }

    /// The filter the ticks describe (an empty list means "all"); an error
    /// when a whole list is unticked, which would export nothing.
    fn filter(&self, project: &Project) -> Result<Filter, String> {
        let pick = |what: &str, ids: Vec<String>| -> Result<Vec<String>, String> {
            let total = ids.len();
            let kept: Vec<String> = ids.into_iter().filter(|id| !self.excluded.contains(id)).collect();
            match kept.len() {
                n if n == total => Ok(Vec::new()),
                0 => Err(format!("Nothing to export: tick at least one {what}.")),
                _ => Ok(kept),
            }
        };
        Ok(Filter {
            coders: pick("coder", project.coders.iter().map(|c| c.id.to_string()).collect())?,
            labels: pick("label", project.labels.iter().map(|l| l.id.to_string()).collect())?,
            documents: pick(
                "document",
                project.documents.iter().map(|d| d.id.to_string()).collect(),
            )?,
        })
    }

    fn start(&mut self, ctx: &egui::Context, project: Arc<Project>, cx: &ViewContext<'_>) {
        let filter = match self.filter(cx.project) {
            Ok(filter) => filter,
            Err(message) => {
                self.message = Some(message);
                return;
            }
        };
        let path = PathBuf::from(self.path.trim());
        if self
            .project_path
            .as_deref()
            .is_some_and(|project| overwrites_project(project, &path))
        {
            self.message = Some(format!(
                "{} is the project itself: choose another file to export to",
                path.display()
            ));
            return;
        }
        let (kind, bom, utf16, crlf) = (self.kind, self.bom, self.utf16, self.crlf);
        let (sender, receiver) = channel();
        let wake = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("framecoder-export".into())
            .spawn(move || {
                let result = run_export(&project, &filter, kind, bom, utf16, crlf, &path);
                let _ = sender.send(result);
                wake.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.running = Some((receiver, Instant::now()));
                self.message = None;
            }
            Err(error) => self.message = Some(format!("Could not start the export: {error}")),
        }
    }

    fn poll(&mut self, ctx: &egui::Context) {
        let Some((receiver, _)) = &self.running else {
            return;
        };
        match receiver.try_recv() {
            Ok(result) => {
                self.message = Some(result.unwrap_or_else(|error| error));
                self.running = None;
            }
            Err(TryRecvError::Empty) => ctx.request_repaint_after(std::time::Duration::from_millis(100)),
            Err(TryRecvError::Disconnected) => {
                self.message = Some("The export stopped unexpectedly.".into());
                self.running = None;
            }
        }
    }

    /// Blocks until a running export has finished (tests).
    pub fn wait(&mut self) {
        if let Some((receiver, _)) = self.running.take() {
            self.message = Some(match receiver.recv() {
                Ok(result) => result.unwrap_or_else(|error| error),
                Err(_) => "The export stopped unexpectedly.".into(),
            });
        }
    }
}

fn run_export(
    project: &Project,
    filter: &Filter,
    kind: ExportKind,
    bom: bool,
    utf16: bool,
    crlf: bool,
    path: &std::path::Path,
) -> Result<String, String> {
    let shown = path.display();
    match kind {
        ExportKind::Csv | ExportKind::Jsonl | ExportKind::Html => {
            let format = match kind {
                ExportKind::Csv => SpanFormat::Csv { bom },
                ExportKind::Jsonl => SpanFormat::Jsonl,
                _ => SpanFormat::Html,
            };
            let count = export_spans(project, filter, format, path).map_err(|e| e.to_string())?;
            Ok(format!("Wrote {count} span(s) to {shown}"))
        }
        ExportKind::Qdpx => {
            let chosen = select_for_export(project, filter).map_err(|e| e.to_string())?;
            let options = QdpxOptions {
                positions: if utf16 {
                    PositionUnit::Utf16
                } else {
                    PositionUnit::CodePoints
                },
                crlf,
            };
            refi::export_qdpx(&chosen, &options, path).map_err(|e| e.to_string())?;
            Ok(format!(
                "Wrote {} document(s) and {} span(s) to {shown}",
                chosen.documents.len(),
                chosen.annotations.len()
            ))
        }
        ExportKind::Qdc => {
            refi::export_qdc(project, path).map_err(|e| e.to_string())?;
            Ok(format!("Wrote the codebook to {shown}"))
        }
        ExportKind::CodebookCsv => {
            io::codebook::export_codebook_csv(project, path).map_err(|e| e.to_string())?;
            Ok(format!("Wrote the codebook to {shown}"))
        }
    }
}
