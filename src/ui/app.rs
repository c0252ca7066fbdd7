//! The app shell: owns the open workspace and the views, lays out the
//! panels, collects the views' intents and applies them after drawing.
//! File handling (open, import, save, autosave, recovery) is in `files.rs`.

use super::codebook::CodebookPanel;
use super::commands::{CommandState, UiCommand};
use super::dialogs::{Dialog, PathPurpose, Then};
use super::documents::DocumentsPanel;
use super::export_dialog::ExportDialog;
use super::inspector::{inspector_ui, nudge_edit, nudge_key};
use super::jobs::Jobs;
use super::palette::Palette;
use super::picker::Picker;
use super::review::ReviewView;
use super::saver::Saver;
use super::search::SearchBar;
use super::speakers::SpeakersPanel;
use super::state::{Intent, ViewContext, ViewState};
use super::statistics::StatisticsView;
use super::status::{SaveState, status_ui};
use super::table::AnnotationTable;
use super::transcript::TranscriptView;
use framecoder_core::edit::{Edit, ops};
use framecoder_core::model::{CoderId, Color, Label, LabelId, LabelKind, Project};
use framecoder_core::usecase;
use framecoder_core::workspace::Workspace;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Key of the preferences in eframe's storage.
const PREFS_KEY: &str = "framecoder-prefs";
/// How often a dirty project is autosaved to its recovery file, unless
/// `FRAMECODER_AUTOSAVE_SECONDS` says otherwise.
pub const AUTOSAVE_INTERVAL: Duration = Duration::from_secs(60);
const MAX_RECENT: usize = 10;

/// What is remembered between runs (never inside a project).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub recent: Vec<PathBuf>,
    pub coder_name: Option<String>,
    /// False until the first run has opened the example.
    pub launched_before: bool,
}

impl Prefs {
    pub fn remember(&mut self, path: &std::path::Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }
}

/// How the app starts.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// Open this project (from the command line).
    pub project: Option<PathBuf>,
    pub prefs: Prefs,
    /// Where the recovery file of a never-saved project goes.
    pub scratch_dir: Option<PathBuf>,
    /// How often a dirty project is autosaved to its recovery file.
    pub autosave_every: Duration,
}

impl AppOptions {
    /// Options from eframe's storage: the last project reopens, the first
    /// run opens the bundled example.
    pub fn from_storage(storage: Option<&dyn eframe::Storage>, project: Option<PathBuf>) -> Self {
        let prefs: Prefs = storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        let project = project.or_else(|| {
            if prefs.launched_before {
                prefs.recent.first().filter(|p| p.exists()).cloned()
            } else {
                example_project_path()
            }
        });
        // Seconds between autosaves; short ones let a script watch it happen.
        let autosave_every = std::env::var("FRAMECODER_AUTOSAVE_SECONDS")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map_or(AUTOSAVE_INTERVAL, Duration::from_secs);
        Self {
            project,
            prefs,
            scratch_dir: eframe::storage_dir("framecoder"),
            autosave_every,
        }
    }
}

/// The bundled example project, when framecoder runs from its source tree.
pub fn example_project_path() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("projects/example.ron");
    path.exists().then_some(path)
}

/// The framecoder main window.
pub struct FramecoderApp {
    pub(super) workspace: Workspace,
    pub(super) view: ViewState,
    pub(super) transcript: TranscriptView,
    pub(super) picker: Picker,
    pub(super) palette: Palette,
    /// A text field had the keyboard at the end of the last frame. egui
    /// drops focus on Escape before the frame runs, so this is how the
    /// command table knows an Escape was meant for the field.
    pub(super) was_typing: bool,
    pub(super) codebook: CodebookPanel,
    pub(super) documents: DocumentsPanel,
    pub(super) speakers: SpeakersPanel,
    pub(super) templates: super::templates::TemplatesWindow,
    pub(super) cooccurrence: super::cooccurrence::CooccurrenceWindow,
    pub(super) table: AnnotationTable,
    pub(super) search: SearchBar,
    pub(super) export: ExportDialog,
    pub(super) statistics: StatisticsView,
    pub(super) review: ReviewView,
    pub(super) dialog: Option<Dialog>,
    /// The import preview, while a transcript import waits for it.
    pub(super) import_preview: Option<super::import_preview::ImportPreviewDialog>,
    /// Opening, importing, merging: on a worker, one at a time.
    pub(super) jobs: Jobs,
    /// For starting background work outside a frame.
    pub(super) ctx: egui::Context,
    /// What the project file held when this window opened or last saved it
    /// (`None`: not known, no check); a save first checks it still does.
    pub(super) disk_fingerprint: Option<Option<String>>,
    /// This window's hold on the project file (see `io::lock`).
    pub(super) lock: Option<framecoder_core::io::lock::ProjectLock>,
    /// Who holds the project when this window could not lock it: it is then
    /// read-only here (Save As still works).
    pub(super) read_only: Option<String>,
    /// Where this window autosaves an untitled project (see `recovery.rs`).
    pub(super) untitled_recovery: Option<PathBuf>,
    /// Problems to show (load errors, repairs, import notices).
    pub(super) problems: Vec<String>,
    pub(super) saver: Saver,
    pub(super) prefs: Prefs,
    pub(super) scratch_dir: Option<PathBuf>,
    pub(super) message: Option<String>,
    pub(super) last_autosave: Instant,
    pub(super) autosave_every: Duration,
    pub(super) autosaved_state: Option<u64>,
    pub(super) title: String,
    pub(super) allow_close: bool,
    /// Coding waiting for the coder's name.
    pub(super) pending_coding: Option<(LabelId, Vec<Range<usize>>)>,
    pub(super) after_save: Option<Then>,
}

impl FramecoderApp {
    pub fn new(ctx: &egui::Context, options: AppOptions) -> Self {
        super::fonts::install(ctx);
        let wake_ctx = ctx.clone();
        let mut app = Self {
            workspace: Workspace::new(Project::new("Untitled"), None, true),
            view: ViewState::default(),
            transcript: TranscriptView::default(),
            picker: Picker::default(),
            palette: Palette::default(),
            was_typing: false,
            codebook: CodebookPanel::default(),
            documents: DocumentsPanel::default(),
            speakers: SpeakersPanel::default(),
            templates: Default::default(),
            cooccurrence: Default::default(),
            table: AnnotationTable::default(),
            search: SearchBar::default(),
            export: ExportDialog::default(),
            statistics: StatisticsView::default(),
            review: ReviewView::default(),
            dialog: None,
            import_preview: None,
            jobs: Jobs::default(),
            ctx: ctx.clone(),
            disk_fingerprint: None,
            lock: None,
            read_only: None,
            untitled_recovery: FramecoderApp::new_untitled_recovery(options.scratch_dir.as_deref()),
            problems: Vec::new(),
            saver: Saver::new(move || wake_ctx.request_repaint()),
            prefs: options.prefs,
            scratch_dir: options.scratch_dir,
            message: None,
            last_autosave: Instant::now(),
            autosave_every: options.autosave_every,
            autosaved_state: None,
            title: String::new(),
            allow_close: false,
            pending_coding: None,
            after_save: None,
        };
        if let Some(path) = options.project {
            app.load_project(&path);
        }
        app.offer_crashed_work();
        if app.prefs.coder_name.is_none() && app.dialog.is_none() {
            app.dialog = Some(Dialog::coder());
        }
        app.prefs.launched_before = true;
        app
    }

    /// The open project and its history.
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// What is selected and shown.
    pub fn view(&self) -> &ViewState {
        &self.view
    }

    /// The transcript view (its last frame's geometry).
    pub fn transcript(&self) -> &TranscriptView {
        &self.transcript
    }

    /// The Export dialog (tests wait on it).
    pub fn export_dialog(&mut self) -> &mut ExportDialog {
        &mut self.export
    }

    /// The review panel (tests read its disagreements and where it is).
    pub fn review(&self) -> &ReviewView {
        &self.review
    }

    /// The statistics panel (tests read where it is).
    pub fn statistics(&self) -> &StatisticsView {
        &self.statistics
    }

    /// Problems and notices waiting to be read.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// Applies one intent as if a view had asked for it.
    pub fn handle(&mut self, ctx: &egui::Context, intent: Intent) {
        match intent {
            Intent::Edit {
                edit,
                description,
                merge_key,
            } => self.apply(*edit, &description, merge_key),
            Intent::Command(command) => self.run_command(ctx, command),
            Intent::SwitchCoder(coder) => {
                self.view.coder = Some(coder);
                self.prefs.coder_name = self.workspace.project().coder(coder).map(|c| c.name.clone());
            }
            Intent::OpenProject(path) => self.open_project(path),
            Intent::ImportFiles(paths) => self.import_files(&paths),
            Intent::CodeSelection(label) => {
                if let Some(selection) = self.view.selection.clone() {
                    self.code_ranges(label, vec![selection]);
                }
            }
            Intent::CreateLabelAndCode(name) => self.create_label_and_code(&name),
            Intent::CodeRanges { label, ranges } => self.code_ranges(label, ranges),
        }
    }

    pub(super) fn apply(&mut self, edit: Edit, description: &str, merge_key: Option<String>) {
        match self.workspace.apply_merging(edit, description, merge_key) {
            Ok(()) => self.message = Some(description.to_owned()),
            Err(error) => self.message = Some(format!("{description}: {error}")),
        }
        self.view.tidy(self.workspace.project());
    }

    /// What decides which commands can run now (see `commands.rs`).
    pub(super) fn command_state(&self, ctx: &egui::Context) -> CommandState {
        let history = &self.workspace.history;
        CommandState {
            undo: history.undo_description().map(str::to_owned),
            redo: history.redo_description().map(str::to_owned),
            document: self.view.document.is_some(),
            selection: self.view.selection.as_ref().is_some_and(|s| !s.is_empty()),
            annotation: self.view.selected_annotation.is_some(),
            picker_open: self.view.picker_open,
            search_open: self.search.open,
            search_matches: self.search.has_matches(),
            disagreements: self.review.has_disagreements(),
            dialog: self.dialog.is_some() || self.import_preview.is_some() || self.jobs.busy(),
            theme: Some(ctx.options(|o| o.theme_preference)),
        }
    }

    /// Runs a command, from whichever face of it the user used: menu, key,
    /// button or palette. A command that cannot run now does nothing.
    pub fn run_command(&mut self, ctx: &egui::Context, command: UiCommand) {
        if !command.enabled(&self.command_state(ctx)) {
            return;
        }
        match command {
            UiCommand::NewProject => self.guard_unsaved(Then::NewProject),
            UiCommand::Templates => self.templates.open = true,
            UiCommand::Open => self.guard_unsaved(Then::ChooseProject),
            UiCommand::ImportTranscripts => self.dialog = Some(Dialog::path(PathPurpose::Import, None)),
            UiCommand::MergeProject => self.dialog = Some(Dialog::path(PathPurpose::Merge, None)),
            UiCommand::Export => self.export.open(self.workspace.path.as_deref()),
            UiCommand::Statistics => self.statistics.open = true,
            UiCommand::Cooccurrence => self.cooccurrence.open = true,
            UiCommand::Review => self.review.open = true,
            UiCommand::Save => self.save(),
            UiCommand::SaveAs => {
                self.dialog = Some(Dialog::path(PathPurpose::SaveAs, self.workspace.path.as_deref()));
            }
            UiCommand::Undo => {
                self.message = self.workspace.undo().map(|d| format!("Undid: {d}"));
                self.workspace.history.break_merge();
                self.view.tidy(self.workspace.project());
            }
            UiCommand::Redo => {
                self.message = self.workspace.redo().map(|d| format!("Redid: {d}"));
                self.view.tidy(self.workspace.project());
            }
            UiCommand::Find => self.search.open(),
            UiCommand::FindNext => self.search.step(true, &mut self.view),
            UiCommand::FindPrevious => self.search.step(false, &mut self.view),
            UiCommand::CloseSearch => self.search.open = false,
            UiCommand::CommandPalette => {
                // The palette codes the selection itself; one popup at a time.
                self.view.picker_open = false;
                self.palette.open();
            }
            UiCommand::CodeSelection => {
                self.picker.reset();
                self.view.picker_open = true;
            }
            UiCommand::DeleteAnnotation => {
                if let Some(id) = self.view.selected_annotation {
                    self.apply(Edit::RemoveAnnotation(id), "Delete annotation", None);
                }
            }
            UiCommand::StartEarlier => self.nudge(true, false),
            UiCommand::StartLater => self.nudge(true, true),
            UiCommand::EndEarlier => self.nudge(false, false),
            UiCommand::EndLater => self.nudge(false, true),
            UiCommand::ClearSelection => {
                self.view.selection = None;
                self.view.selected_annotation = None;
            }
            UiCommand::NewCoder => {
                self.view.coder = None;
                self.dialog = Some(Dialog::coder());
            }
            UiCommand::NextDisagreement => self.review.step(true, &mut self.view),
            UiCommand::PreviousDisagreement => self.review.step(false, &mut self.view),
            UiCommand::ThemeLight | UiCommand::ThemeDark | UiCommand::ThemeSystem => {
                if let Some(theme) = command.theme() {
                    ctx.set_theme(theme);
                }
            }
            UiCommand::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    /// Moves a bound of the selected annotation a word; consecutive nudges
    /// of one annotation are one undo step.
    fn nudge(&mut self, start: bool, forward: bool) {
        let project = self.workspace.project();
        let Some(annotation) = self
            .view
            .selected_annotation
            .and_then(|id| project.annotations.get(&id))
        else {
            return;
        };
        let key = nudge_key(annotation);
        if let Some(edit) = nudge_edit(project, annotation, start, forward) {
            self.apply(edit, "Adjust bounds", Some(key));
        }
    }

    /// The coder new annotations belong to, plus the edit that adds them to
    /// the project when they code in it for the first time.
    fn coder_for_coding(&mut self) -> Option<(CoderId, Option<Edit>)> {
        if let Some(id) = self.view.coder {
            return Some((id, None));
        }
        let name = self.prefs.coder_name.clone()?;
        let (id, insert) = usecase::coder_for_name(self.workspace.project(), &name);
        if insert.is_none() {
            self.view.coder = Some(id);
        }
        Some((id, insert))
    }

    pub(super) fn code_ranges(&mut self, label: LabelId, ranges: Vec<Range<usize>>) {
        let Some(document) = self.view.document else {
            return;
        };
        let Some((coder, add_coder)) = self.coder_for_coding() else {
            self.pending_coding = Some((label, ranges));
            self.dialog = Some(Dialog::coder());
            return;
        };
        let project = self.workspace.project();
        let count = ranges.len();
        let first = ranges.first().cloned();
        let mut edits: Vec<Edit> = add_coder.into_iter().collect();
        // The edits only name the coder; the batch adds them first if new.
        let coding = ops::code_ranges(project, self.workspace.index(), document, label, coder, ranges);
        let new_ids: Vec<_> = match &coding {
            Edit::Batch(inner) => inner
                .iter()
                .filter_map(|e| match e {
                    Edit::AddAnnotation(a) => Some(a.id),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let name = project.label_path(label);
        if coding.changes_nothing(project) {
            // Already coded so by this coder: select it rather than add a twin.
            self.view.selected_annotation = first.as_ref().and_then(|range| {
                project
                    .annotations_in(document)
                    .find(|a| a.label == label && a.coder == coder && a.range == *range)
                    .map(|a| a.id)
            });
            self.message = Some(format!("Already coded as {name}"));
            self.view.selection = None;
            self.view.picker_open = false;
            return;
        }
        edits.push(coding);
        let description = if count == 1 {
            format!("Code as {name}")
        } else {
            format!("Code {count} matches as {name}")
        };
        self.apply(Edit::Batch(edits), &description, None);
        self.view.coder = Some(coder);
        if count == 1 && first.is_some() {
            self.view.selected_annotation = new_ids.first().copied();
        }
        self.view.selection = None;
        self.view.picker_open = false;
    }

    fn create_label_and_code(&mut self, name: &str) {
        let project = self.workspace.project();
        let label = Label {
            id: LabelId::new(),
            name: name.to_owned(),
            kind: LabelKind::Frame,
            color: Color::palette(project.labels.len()),
            parent: None,
            description: String::new(),
            key: None,
        };
        let id = label.id;
        self.apply(
            Edit::InsertLabel {
                index: project.labels.len(),
                label,
            },
            "Create label",
            None,
        );
        if let Some(selection) = self.view.selection.clone() {
            self.code_ranges(id, vec![selection]);
        }
    }
}

impl eframe::App for FramecoderApp {
    /// What must happen whether or not the window is shown: eframe calls
    /// this before every frame and, while the window is minimised, on its
    /// own (no `ui` then). Background saves finish, the unsaved-changes
    /// guard answers a close, dropped files are taken, autosave runs.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll_saves();
        if let Some(done) = self.jobs.poll() {
            self.finish_job(done);
        }
        if let Some(problem) = self.jobs.take_problem() {
            self.problems.push(problem);
        }
        self.handle_close_request(ctx);
        self.handle_dropped_files(ctx);
        self.autosave_if_due(ctx);
        self.update_title(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let mut intents: Vec<Intent> = Vec::new();
        let commands = self.command_state(&ctx);
        // The picker and the palette own the plain keys while open.
        let typing =
            self.was_typing || ctx.egui_wants_keyboard_input() || self.view.picker_open || self.palette.open;
        intents.extend(
            UiCommand::pressed(&ctx, &commands, typing)
                .into_iter()
                .map(Intent::Command),
        );
        self.view.tidy(self.workspace.project());
        let revision = self.workspace.revision();
        let coder_name = self.prefs.coder_name.clone();

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui, &commands, &mut intents));
        let save_state = SaveState {
            dirty: self.workspace.history.is_dirty(),
            saving: self.saver.busy(),
            path: self.workspace.path.as_deref(),
            message: self.message.as_deref(),
        };
        let mut cx = ViewContext {
            project: self.workspace.project(),
            revision,
            index: self.workspace.index(),
            changes: self.workspace.changes(),
            view: &mut self.view,
            intents: &mut intents,
        };
        egui::Panel::bottom("status").show(ui, |ui| {
            status_ui(ui, &mut cx, coder_name.as_deref(), &save_state);
        });
        egui::Panel::left("left")
            .resizable(true)
            .default_size(270.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    self.documents.ui(ui, &mut cx);
                    self.speakers.ui(ui, &mut cx);
                    ui.separator();
                    self.codebook.ui(ui, &mut cx);
                });
            });
        // Review and statistics dock beside and below the transcript, before
        // the central panel takes what is left: floating, they covered the
        // very span they had scrolled it to. Review takes the right column.
        if !self.review.ui(ui, &mut cx) {
            egui::Panel::right("right")
                .resizable(true)
                .default_size(380.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("inspector")
                        .max_height(ui.available_height() * 0.45)
                        .show(ui, |ui| {
                            inspector_ui(ui, &mut cx);
                        });
                    ui.separator();
                    self.table.ui(ui, &mut cx);
                });
        }
        self.statistics.ui(ui, &cx);
        egui::CentralPanel::default().show(ui, |ui| {
            if self.search.open {
                self.search.ui(ui, &mut cx);
                ui.separator();
            }
            let was_open = cx.view.picker_open;
            self.transcript.ui(ui, &mut cx);
            if cx.view.picker_open && !was_open {
                self.picker.reset();
                // A new selection's picker replaces the palette.
                self.palette.open = false;
            }
        });
        if cx.view.picker_open && self.dialog.is_none() {
            let anchor = cx
                .view
                .selection
                .as_ref()
                .and_then(|s| self.transcript.screen_rect_of(s.end))
                .map_or(ctx.content_rect().center(), |r| {
                    r.left_bottom() + egui::vec2(0.0, 4.0)
                });
            self.picker.ui(&ctx, anchor, &mut cx);
        }
        if self.dialog.is_none() {
            self.palette.ui(&ctx, &mut cx, &commands);
        }
        let workspace = &self.workspace;
        self.export.ui(&ctx, &cx, || workspace.snapshot());
        self.cooccurrence.ui(&ctx, &cx);
        self.jobs.ui(&ctx);
        self.import_preview_ui(&ctx);
        self.templates_ui(&ctx);
        self.handle_dialog(&ctx);
        self.problems_window(&ctx);
        for intent in intents {
            self.handle(&ctx, intent);
        }
        // An edit of this frame starts the autosave clock.
        self.schedule_autosave(&ctx);
        self.was_typing = ctx.egui_wants_keyboard_input();
        if ctx.input(|i| !i.raw.hovered_files.is_empty()) {
            let painter = ctx.layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("drop"),
            ));
            let rect = ctx.content_rect();
            painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "Drop transcripts to import, or a .ron project to open",
                egui::FontId::proportional(22.0),
                egui::Color32::WHITE,
            );
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Never quit with a save half-written.
        for done in self.saver.wait() {
            self.finish_save(done);
        }
    }
}
