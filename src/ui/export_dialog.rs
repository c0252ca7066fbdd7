//! The Export dialog: labelled spans (CSV, JSONL, Excel, HTML report),
//! speaker turns (CSV, JSONL), a REFI-QDA project (.qdpx) or the codebook
//! (.qdc, CSV), filtered by coder, label and document (turns by document
//! only). The export runs on a worker thread with a spinner, so a
//! large project never freezes the window.

use super::state::ViewContext;
use framecoder_core::io;
use framecoder_core::io::export::{
    CsvOptions, Exported, Filter, SpanFormat, TurnFormat, export_spans, export_turns,
};
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
    Xlsx,
    Html,
    TurnsCsv,
    TurnsJsonl,
    Qdpx,
    Qdc,
    CodebookCsv,
}

/// Which of the filter's lists apply to an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// Coders, labels and documents.
    Spans,
    /// Documents only.
    Documents,
    /// The whole project (the codebook).
    Everything,
}

impl ExportKind {
    const ALL: [ExportKind; 9] = [
        ExportKind::Csv,
        ExportKind::Jsonl,
        ExportKind::Xlsx,
        ExportKind::Html,
        ExportKind::TurnsCsv,
        ExportKind::TurnsJsonl,
        ExportKind::Qdpx,
        ExportKind::Qdc,
        ExportKind::CodebookCsv,
    ];

    fn text(self) -> &'static str {
        match self {
            ExportKind::Csv => "Spans as CSV (R, pandas, Stata, Excel)",
            ExportKind::Jsonl => "Spans as JSON lines",
            ExportKind::Xlsx => "Spans as Excel (.xlsx), with the codebook",
            ExportKind::Html => "HTML report for reading and printing",
            ExportKind::TurnsCsv => "Speaker turns as CSV",
            ExportKind::TurnsJsonl => "Speaker turns as JSON lines",
            ExportKind::Qdpx => "REFI-QDA project (.qdpx) for MAXQDA, ATLAS.ti, NVivo, QualCoder",
            ExportKind::Qdc => "Codebook as REFI-QDA (.qdc)",
            ExportKind::CodebookCsv => "Codebook as CSV",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ExportKind::Csv | ExportKind::TurnsCsv | ExportKind::CodebookCsv => "csv",
            ExportKind::Jsonl | ExportKind::TurnsJsonl => "jsonl",
            ExportKind::Xlsx => "xlsx",
            ExportKind::Html => "html",
            ExportKind::Qdpx => "qdpx",
            ExportKind::Qdc => "qdc",
        }
    }

    fn scope(self) -> Scope {
        match self {
            ExportKind::Csv | ExportKind::Jsonl | ExportKind::Xlsx | ExportKind::Html | ExportKind::Qdpx => {
                Scope::Spans
            }
            ExportKind::TurnsCsv | ExportKind::TurnsJsonl => Scope::Documents,
            ExportKind::Qdc | ExportKind::CodebookCsv => Scope::Everything,
        }
    }
}

/// The options ticked in the dialog (each applies to some kinds only).
#[derive(Clone, Copy, Debug, Default)]
struct Options {
    csv: CsvOptions,
    utf16: bool,
    crlf: bool,
}

/// State of the Export window.
pub struct ExportDialog {
    pub open: bool,
    kind: ExportKind,
    options: Options,
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
            options: Options::default(),
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
                let options = &mut self.options;
                match self.kind {
                    ExportKind::Csv | ExportKind::TurnsCsv => {
                        ui.checkbox(&mut options.csv.bom, "Start with a byte order mark (for Excel)");
                        ui.checkbox(
                            &mut options.csv.excel_safe,
                            "Excel-safe: prefix ' to cells starting with = + - @ (changes those quotes)",
                        )
                        .on_hover_text(
                            "Stops a spreadsheet from running a cell as a formula. Those cells no \
                             longer equal the text at their offsets, so leave it off for R or pandas.",
                        );
                    }
                    ExportKind::Qdpx => {
                        ui.checkbox(
                            &mut options.utf16,
                            "Positions in UTF-16 code units (instead of code points)",
                        );
                        ui.checkbox(
                            &mut options.crlf,
                            "Windows line endings (CRLF) in the transcripts",
                        );
                    }
                    _ => {}
                }
                // The lists scroll, so the path and Export stay on screen
                // with any number of documents, coders and labels.
                let lists = ui.ctx().content_rect().height() * 0.4;
                match self.kind.scope() {
                    Scope::Spans => {
                        ui.collapsing("Which spans", |ui| {
                            egui::ScrollArea::vertical()
                                .max_height(lists)
                                .show(ui, |ui| self.filters_ui(ui, cx, Scope::Spans));
                        });
                    }
                    Scope::Documents => {
                        ui.collapsing("Which documents", |ui| {
                            egui::ScrollArea::vertical()
                                .max_height(lists)
                                .show(ui, |ui| self.filters_ui(ui, cx, Scope::Documents));
                        });
                    }
                    Scope::Everything => {}
                }
                ui.horizontal(|ui| {
                    let field = ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(360.0));
                    field.accessible_name("Export path");
                    let ready = !self.path.trim().is_empty() && self.running.is_none();
                    // A file already there is replaced only when asked in
                    // so many words: switching format keeps the old path.
                    let replaces = ready && std::path::Path::new(self.path.trim()).exists();
                    let text = if replaces {
                        "Replace existing file"
                    } else {
                        "Export"
                    };
                    start = ui.add_enabled(ready, egui::Button::new(text)).clicked();
                    if replaces {
                        ui.colored_label(ui.visuals().warn_fg_color, "exists");
                    }
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

    fn filters_ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>, scope: Scope) {
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
        if scope == Scope::Spans {
            ui.label("Coders");
            for coder in &cx.project.coders {
                toggle(ui, coder.id.to_string(), coder.name.clone());
            }
            ui.label("Labels (a frame includes its claims)");
            for label in &cx.project.labels {
                toggle(ui, label.id.to_string(), cx.project.label_path(label.id));
            }
        }
        ui.label("Documents");
        for document in &cx.project.documents {
            toggle(ui, document.id.to_string(), document.name.clone());
        }
    }

    /// The filter the ticks describe (an empty list means "all"); an error
    /// when a whole list is unticked, which would export nothing. Turns
    /// take the documents only: coders and labels ticked for spans stay
    /// out of a turn export.
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
        let spans = self.kind.scope() == Scope::Spans;
        let ids = |include: bool, ids: Vec<String>| if include { ids } else { Vec::new() };
        Ok(Filter {
            coders: pick(
                "coder",
                ids(spans, project.coders.iter().map(|c| c.id.to_string()).collect()),
            )?,
            labels: pick(
                "label",
                ids(spans, project.labels.iter().map(|l| l.id.to_string()).collect()),
            )?,
            documents: pick(
                "document",
                project.documents.iter().map(|d| d.id.to_string()).collect(),
            )?,
            ..Filter::default()
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
        let (kind, options) = (self.kind, self.options);
        let (sender, receiver) = channel();
        let wake = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("framecoder-export".into())
            .spawn(move || {
                let result = run_export(&project, &filter, kind, options, &path);
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
    options: Options,
    path: &std::path::Path,
) -> Result<String, String> {
    let shown = path.display();
    // What a tidy export wrote, with anything the user should know.
    let wrote = |exported: Exported, noun: &str| {
        let mut message = format!("Wrote {} {noun} to {shown}", exported.rows);
        for notice in exported.notices {
            message.push_str(&format!("\nNote: {notice}"));
        }
        message
    };
    let spans = |format: SpanFormat| {
        export_spans(project, filter, format, path)
            .map(|exported| wrote(exported, "span(s)"))
            .map_err(|e| e.to_string())
    };
    let turns = |format: TurnFormat| {
        export_turns(project, filter, format, path)
            .map(|exported| wrote(exported, "turn(s)"))
            .map_err(|e| e.to_string())
    };
    match kind {
        ExportKind::Csv => spans(SpanFormat::Csv(options.csv)),
        ExportKind::Jsonl => spans(SpanFormat::Jsonl),
        ExportKind::Xlsx => spans(SpanFormat::Xlsx),
        ExportKind::Html => spans(SpanFormat::Html),
        ExportKind::TurnsCsv => turns(TurnFormat::Csv(options.csv)),
        ExportKind::TurnsJsonl => turns(TurnFormat::Jsonl),
        ExportKind::Qdpx => {
            let chosen = select_for_export(project, filter).map_err(|e| e.to_string())?;
            let qdpx = QdpxOptions {
                positions: if options.utf16 {
                    PositionUnit::Utf16
                } else {
                    PositionUnit::CodePoints
                },
                crlf: options.crlf,
            };
            refi::export_qdpx(&chosen, &qdpx, path).map_err(|e| e.to_string())?;
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
