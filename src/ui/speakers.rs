//! The Speakers section of the left panel: the speakers of the open
//! document with their turns; pick one to rename it (merging it into
//! another when the new name is taken), describe it with attributes (role,
//! party, outlet…), or change how the document's turns are found. Every
//! change is an undoable edit of the core, the same the CLI's `speakers`
//! and `import --speakers` make.

use super::state::{Intent, ViewContext};
use framecoder_core::edit::{Edit, ops};
use framecoder_core::model::{Document, SpeakerDetection};

/// Attributes offered for every speaker: what framing studies code actors
/// by. Others can be added by name.
const COMMON_ATTRIBUTES: [&str; 3] = ["role", "party", "outlet"];

/// State of the Speakers section.
#[derive(Default)]
pub struct SpeakersPanel {
    /// The speaker being edited (as shown).
    selected: Option<String>,
    new_name: String,
    /// Rename in this document only, instead of across the project.
    this_document_only: bool,
    new_attribute: String,
    pattern: String,
    message: Option<String>,
}

impl SpeakersPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ViewContext<'_>) {
        // The project outlives this frame's context: its document can be
        // read while the context takes the panel's edits.
        let project = cx.project;
        let Some(document) = cx.view.document.and_then(|id| project.document(id)) else {
            return;
        };
        // A speaker renamed away (by undo, another document, another
        // project) is no longer edited: its attributes must not be written
        // under a name nobody speaks as.
        if self
            .selected
            .as_ref()
            .is_some_and(|s| !document.structure.speakers.contains(s))
        {
            self.selected = None;
        }
        egui::CollapsingHeader::new(format!("Speakers ({})", document.structure.speakers.len()))
            .id_salt("speakers")
            .default_open(false)
            .show(ui, |ui| {
                self.list(ui, document);
                if let Some(speaker) = self.selected.clone() {
                    ui.separator();
                    self.details(ui, cx, document, &speaker);
                }
                ui.separator();
                self.detection(ui, cx, document);
                if let Some(message) = &self.message {
                    ui.colored_label(ui.visuals().warn_fg_color, message);
                }
            });
    }

    fn list(&mut self, ui: &mut egui::Ui, document: &Document) {
        if document.structure.speakers.is_empty() {
            ui.weak("No speaker turns in this document.");
        }
        // One pass over the turns, not one per speaker.
        let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for turn in &document.structure.turns {
            *counts.entry(turn.speaker.as_str()).or_default() += 1;
        }
        for speaker in &document.structure.speakers {
            let turns = counts.get(speaker.as_str()).copied().unwrap_or(0);
            let selected = self.selected.as_deref() == Some(speaker.as_str());
            let response = ui
                .selectable_label(selected, format!("{speaker} · {turns} turn(s)"))
                .on_hover_text("Rename, merge or describe this speaker");
            if response.clicked() {
                self.selected = (!selected).then(|| speaker.clone());
                self.new_name = speaker.clone();
                self.message = None;
            }
        }
    }

    fn details(&mut self, ui: &mut egui::Ui, cx: &mut ViewContext<'_>, document: &Document, speaker: &str) {
        let written: Vec<&str> = document
            .structure
            .turns
            .iter()
            .filter(|t| t.speaker == speaker && t.label != speaker)
            .map(|t| t.label.as_str())
            .collect();
        if let Some(first) = written.first() {
            ui.weak(format!("Written {first} in the transcript"));
        }
        ui.horizontal(|ui| {
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.new_name).desired_width(140.0))
                .accessible_name("New name for the speaker");
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button("Rename").clicked() || entered {
                let scope = self.this_document_only.then_some(document.id);
                match ops::rename_speaker(cx.project, scope, speaker, &self.new_name) {
                    Some(edit) => {
                        let name = self.new_name.trim().to_owned();
                        cx.intents
                            .push(Intent::edit(edit, format!("Rename speaker {speaker} to {name}")));
                        self.selected = Some(name);
                        self.message = None;
                    }
                    None => self.message = Some("Type a new name first.".into()),
                }
            }
        });
        ui.checkbox(&mut self.this_document_only, "In this document only")
            .on_hover_text(
                "Otherwise the speaker is renamed in every document (a name already in use merges the two)",
            );
        let attributes = cx
            .project
            .speaker_attributes
            .get(speaker)
            .cloned()
            .unwrap_or_default();
        let mut names: Vec<String> = COMMON_ATTRIBUTES.iter().map(|a| (*a).to_owned()).collect();
        names.extend(
            attributes
                .keys()
                .filter(|k| !names.contains(k))
                .cloned()
                .collect::<Vec<_>>(),
        );
        egui::Grid::new("speaker-attributes")
            .num_columns(2)
            .show(ui, |ui| {
                for name in names {
                    ui.label(&name);
                    let current = attributes.get(&name).cloned().unwrap_or_default();
                    let mut value = current.clone();
                    let field = ui
                        .add(egui::TextEdit::singleline(&mut value).desired_width(140.0))
                        .accessible_name(format!("Speaker {name}"));
                    if field.changed() && value != current {
                        cx.intents.push(Intent::merging_edit(
                            Edit::SetSpeakerAttribute {
                                speaker: speaker.to_owned(),
                                attribute: name.clone(),
                                value,
                            },
                            format!("Set {name} of {speaker}"),
                            format!("speaker:{speaker}:{name}"),
                        ));
                    }
                    ui.end_row();
                }
            });
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.new_attribute)
                    .hint_text("another attribute")
                    .desired_width(120.0),
            )
            .accessible_name("New speaker attribute");
            if ui.button("Add").clicked() && !self.new_attribute.trim().is_empty() {
                cx.intents.push(Intent::edit(
                    Edit::SetSpeakerAttribute {
                        speaker: speaker.to_owned(),
                        attribute: self.new_attribute.trim().to_owned(),
                        value: "?".into(),
                    },
                    format!("Add attribute to {speaker}"),
                ));
                self.new_attribute.clear();
            }
        });
    }

    /// How the document's turns are found: re-detect, none, or a pattern.
    fn detection(&mut self, ui: &mut egui::Ui, cx: &mut ViewContext<'_>, document: &Document) {
        ui.label(format!("Turns found: {}", describe(&document.speakers)));
        ui.horizontal_wrapped(|ui| {
            let mut choose = |detection: SpeakerDetection, what: &str| {
                if detection != document.speakers {
                    cx.intents.push(Intent::edit(
                        Edit::SetSpeakerDetection {
                            id: document.id,
                            speakers: detection,
                        },
                        what.to_owned(),
                    ));
                }
            };
            if ui.button("Detect automatically").clicked() {
                choose(SpeakerDetection::Auto, "Detect speakers automatically");
            }
            if ui.button("No speakers").clicked() {
                choose(SpeakerDetection::None, "Remove speaker turns");
            }
        });
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.pattern)
                    .hint_text(r"^(\w[\w .]+): ")
                    .desired_width(150.0),
            )
            .accessible_name("Speaker pattern")
            .on_hover_text("A regular expression matched at each line start; its first group is the speaker");
            if ui.button("Use pattern").clicked() {
                match SpeakerDetection::parse(&self.pattern) {
                    Ok(detection) => {
                        self.message = None;
                        cx.intents.push(Intent::edit(
                            Edit::SetSpeakerDetection {
                                id: document.id,
                                speakers: detection,
                            },
                            "Find speakers by a pattern",
                        ));
                    }
                    Err(error) => self.message = Some(error.to_string()),
                }
            }
        });
    }
}

/// How a detection choice reads in the panel.
pub fn describe(detection: &SpeakerDetection) -> String {
    match detection {
        SpeakerDetection::Auto => "automatically".into(),
        SpeakerDetection::None => "none (no speakers)".into(),
        SpeakerDetection::Pattern(pattern) => format!("by the pattern {pattern}"),
    }
}
