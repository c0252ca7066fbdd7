//! The import preview: before a transcript is added, what speaker detection
//! makes of it — the layout, the speakers and their turns, the first turns,
//! the share of the speech attributed, and every line that looks like a
//! speaker label but opens no turn — with the choice of another layout (a
//! preset pattern), a pattern of one's own, or no speakers. The report is
//! the core's ([`usecase::import::preview`]), the same the CLI prints.

use super::app::FramecoderApp;
use framecoder_core::model::SpeakerDetection;
use framecoder_core::usecase::import::{self as usecase, ImportOptions, ImportPreview, SourceKind};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

/// Patterns for layouts a researcher may want to force, named by the tools
/// that write them. Named groups: `speaker`, and `ts` for a time. No
/// counted repetition of a Unicode class: each copy would count against
/// the pattern size limit.
pub const PRESETS: [(&str, &str); 5] = [
    ("Name: speech", r"^(?P<speaker>[^:\n]+?):\s"),
    ("NAME: in capitals", r"^(?P<speaker>\p{Lu}[\p{Lu}\p{M} .'’-]*):\s"),
    (
        "[hh:mm:ss] Name: (Descript, logs)",
        r"^\[(?P<ts>[\d:.,]+)\]\s*(?P<speaker>[^:\n]+?):\s",
    ),
    (
        "Name (hh:mm:ss): (Rev)",
        r"^(?P<speaker>[^(\n]+?)\s*\((?P<ts>\d[\d:.]*)\):?",
    ),
    (
        "Name  0:03 header lines (Otter)",
        r"^(?P<speaker>\S.*?)\s{2,}(?P<ts>\d{1,2}:\d{2}(?::\d{2})?)\s*$",
    ),
];

/// Which detection the researcher picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    Auto,
    None,
    Pattern,
}

/// The open preview.
pub struct ImportPreviewDialog {
    /// Everything to import; the transcripts among them are previewed.
    paths: Vec<PathBuf>,
    transcripts: Vec<PathBuf>,
    /// A project among dropped files, opened afterwards.
    open: Option<PathBuf>,
    /// Index into `transcripts` of the file shown.
    shown: usize,
    choice: Choice,
    pattern: String,
    /// [`Self::detection`]'s last answer and what it was for.
    parsed: Option<((Choice, String), Result<SpeakerDetection, String>)>,
    /// The detection the report below was made with.
    previewed: Option<(usize, SpeakerDetection)>,
    pending: Option<Receiver<Result<ImportPreview, String>>>,
    preview: Option<Result<ImportPreview, String>>,
}

impl ImportPreviewDialog {
    /// A preview of `paths` when they hold a transcript, else `None` (an
    /// exchange file alone imports at once: its report comes after).
    pub fn new(paths: Vec<PathBuf>, open: Option<PathBuf>) -> Option<Self> {
        let transcripts: Vec<PathBuf> = paths
            .iter()
            .filter(|p| SourceKind::of(p) == SourceKind::Transcript)
            .cloned()
            .collect();
        (!transcripts.is_empty()).then(|| Self {
            paths,
            transcripts,
            open,
            shown: 0,
            choice: Choice::Auto,
            pattern: String::new(),
            parsed: None,
            previewed: None,
            pending: None,
            preview: None,
        })
    }

    /// The detection chosen, or why it cannot be used. A pattern is
    /// compiled once per edit of it, not once per frame.
    fn detection(&mut self) -> Result<SpeakerDetection, String> {
        let key = (self.choice, self.pattern.clone());
        if let Some((parsed_for, parsed)) = &self.parsed
            && *parsed_for == key
        {
            return parsed.clone();
        }
        let parsed = match self.choice {
            Choice::Auto => Ok(SpeakerDetection::Auto),
            Choice::None => Ok(SpeakerDetection::None),
            Choice::Pattern => SpeakerDetection::parse(&self.pattern).map_err(|e| e.to_string()),
        };
        self.parsed = Some((key, parsed.clone()));
        parsed
    }

    /// True while a preview is being read.
    pub fn busy(&self) -> bool {
        self.pending.is_some()
    }

    /// Reads the shown file again when the choice changed, on a worker: a
    /// 60 MB transcript takes seconds and the window must stay live.
    fn refresh(&mut self, ctx: &egui::Context) {
        if let Some(receiver) = &self.pending {
            if let Ok(result) = receiver.try_recv() {
                self.preview = Some(result);
                self.pending = None;
            } else {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
                return;
            }
        }
        let Ok(detection) = self.detection() else {
            return;
        };
        let wanted = (self.shown, detection.clone());
        if self.previewed.as_ref() == Some(&wanted) {
            return;
        }
        let Some(path) = self.transcripts.get(self.shown).cloned() else {
            return;
        };
        self.previewed = Some(wanted);
        let (sender, receiver) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let result = usecase::preview(&path, &detection).map_err(|e| e.to_string());
            let _ = sender.send(result);
            ctx.request_repaint();
        });
        self.pending = Some(receiver);
    }
}

/// What the preview's buttons asked for.
enum Outcome {
    Import(Vec<PathBuf>, Option<PathBuf>, SpeakerDetection),
    Cancel,
}

impl FramecoderApp {
    /// Shows the preview while one is open; Import starts the import job
    /// with the chosen detection, Cancel imports nothing.
    pub(super) fn import_preview_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = self.import_preview.as_mut() else {
            return;
        };
        dialog.refresh(ctx);
        let mut outcome = None;
        let mut open = true;
        egui::Window::new("Import preview")
            .open(&mut open)
            .collapsible(false)
            .resizable(true)
            .default_width(560.0)
            // Anchored at the top, not centred: a report that grows or
            // shrinks must not move the choices under the pointer.
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
            // Above the messages of an earlier import: nothing is added
            // until this is answered.
            .order(egui::Order::Foreground)
            .show(ctx, |ui| outcome = dialog_ui(ui, dialog));
        // Escape or the window's ✖ cancel, unless a field is being edited
        // (Escape then only leaves the field).
        let escape = !ctx.egui_wants_keyboard_input() && ctx.input(|i| i.key_pressed(egui::Key::Escape));
        if !open || escape {
            outcome = Some(Outcome::Cancel);
        }
        match outcome {
            Some(Outcome::Import(paths, open, speakers)) => {
                self.import_preview = None;
                let snapshot = self.workspace.snapshot();
                let options = ImportOptions {
                    speakers,
                    ..ImportOptions::default()
                };
                self.jobs.import(&self.ctx, snapshot, paths, open, options);
            }
            Some(Outcome::Cancel) => self.import_preview = None,
            None => {}
        }
    }
}

fn dialog_ui(ui: &mut egui::Ui, dialog: &mut ImportPreviewDialog) -> Option<Outcome> {
    if dialog.transcripts.len() > 1 {
        let name = |p: &PathBuf| {
            p.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        };
        egui::ComboBox::from_label("Previewing")
            .selected_text(name(&dialog.transcripts[dialog.shown]))
            .show_ui(ui, |ui| {
                for (i, path) in dialog.transcripts.iter().enumerate() {
                    ui.selectable_value(&mut dialog.shown, i, name(path));
                }
            });
        ui.weak("The speaker choice applies to every transcript of this import.");
    }
    ui.horizontal_wrapped(|ui| {
        ui.radio_value(&mut dialog.choice, Choice::Auto, "Detect speakers");
        ui.radio_value(&mut dialog.choice, Choice::None, "No speakers");
        ui.radio_value(&mut dialog.choice, Choice::Pattern, "Pattern:");
    });
    if dialog.choice == Choice::Pattern {
        ui.horizontal(|ui| {
            ui.add(egui::TextEdit::singleline(&mut dialog.pattern).desired_width(300.0))
                .accessible_name("Speaker pattern");
            egui::ComboBox::from_id_salt("presets")
                .selected_text("Layouts…")
                .show_ui(ui, |ui| {
                    for (name, pattern) in PRESETS {
                        if ui.selectable_label(false, name).clicked() {
                            dialog.pattern = pattern.to_owned();
                        }
                    }
                });
        });
        if let Err(message) = dialog.detection() {
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
    }
    ui.separator();
    match (&dialog.preview, dialog.busy()) {
        (_, true) => {
            ui.spinner();
        }
        (Some(Ok(preview)), false) => report_ui(ui, preview),
        (Some(Err(message)), false) => {
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
        (None, false) => {}
    }
    ui.separator();
    let mut outcome = None;
    ui.horizontal(|ui| {
        let ready = dialog.detection().is_ok();
        let label = format!("Import {} file(s)", dialog.paths.len());
        if ui.add_enabled(ready, egui::Button::new(label)).clicked()
            && let Ok(detection) = dialog.detection()
        {
            outcome = Some(Outcome::Import(
                dialog.paths.clone(),
                dialog.open.clone(),
                detection,
            ));
        }
        if ui.button("Cancel").clicked() {
            outcome = Some(Outcome::Cancel);
        }
    });
    outcome
}

fn report_ui(ui: &mut egui::Ui, preview: &ImportPreview) {
    let report = &preview.report;
    ui.label(format!(
        "Layout: {}",
        report.layout.as_deref().unwrap_or("no speaker turns found")
    ));
    ui.label(format!(
        "{} turn(s); {:.0}% of the speech attributed to a speaker",
        report.turns,
        report.attributed_share() * 100.0
    ));
    for notice in &preview.notices {
        ui.weak(notice);
    }
    egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
        if !report.speakers.is_empty() {
            ui.strong("Speakers");
            egui::Grid::new("preview-speakers")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for speaker in &report.speakers {
                        ui.label(&speaker.speaker);
                        ui.label(format!("{} turn(s)", speaker.turns));
                        ui.end_row();
                    }
                });
        }
        if !report.first_turns.is_empty() {
            ui.strong("First turns");
            for turn in &report.first_turns {
                let time = turn
                    .timestamp
                    .as_deref()
                    .map(|t| format!(" [{t}]"))
                    .unwrap_or_default();
                ui.label(format!(
                    "line {}: {}{time}: {}",
                    turn.line, turn.speaker, turn.excerpt
                ));
            }
        }
        if !report.passed_over.is_empty() {
            ui.strong(format!(
                "{} line(s) look like a speaker label but open no turn",
                report.passed_over_total
            ));
            for line in &report.passed_over {
                ui.label(format!("line {}: {}", line.line, line.text));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::PRESETS;
    use framecoder_core::model::SpeakerDetection;
    use framecoder_core::model::turns::detect_structure_with;

    /// Each preset is a valid pattern that reads the layout it is named for.
    #[test]
    fn every_preset_reads_its_layout() {
        let samples = [
            "Ana: Hello there.\nBen: Hi.\n",
            "ANA LOPEZ: Hello there.\nBEN: Hi.\n",
            "[00:00:03] Ana: Hello there.\n[00:00:09] Ben: Hi.\n",
            "Ana (00:00:03):\nHello there.\nBen (00:00:09):\nHi.\n",
            "Ana  0:03\nHello there.\nBen  0:09\nHi.\n",
        ];
        for ((name, pattern), sample) in PRESETS.iter().zip(samples) {
            let detection = SpeakerDetection::parse(pattern).unwrap_or(SpeakerDetection::None);
            assert!(matches!(detection, SpeakerDetection::Pattern(_)), "{name}");
            let structure = detect_structure_with(sample, &detection);
            let speakers: Vec<&str> = structure.turns.iter().map(|t| t.speaker.as_str()).collect();
            assert_eq!(speakers.len(), 2, "{name}: {speakers:?}");
            assert!(speakers[1].eq_ignore_ascii_case("Ben"), "{name}: {speakers:?}");
        }
    }
}
