//! The review panel: choose coders, see their spans side by side (one
//! stripe column per coder in the transcript), the agreement table per
//! label (click a row for its disagreements), step through disagreements
//! (F8 / Shift+F8) and settle each into a consensus coder.
//!
//! It is docked on the right, in place of the inspector and table, rather
//! than floating: a window over the transcript hid the very disagreement
//! (and the coder stripes beside it) that stepping had scrolled to.

use super::commands::UiCommand;
use super::state::{Intent, ViewContext, ViewState};
use framecoder_core::edit::Edit;
use framecoder_core::model::{AnnotationId, CoderId, LabelId};
use framecoder_core::review::adjudicate;
use framecoder_core::review::agreement::{AgreementOptions, AgreementReport, Level, UnitKind, agreement};
use framecoder_core::review::disagreements::{Disagreement, DisagreementKind, disagreements};
use framecoder_core::workspace::Revision;

/// State of the review panel.
pub struct ReviewView {
    pub open: bool,
    /// Where the panel was drawn last frame.
    rect: Option<egui::Rect>,
    coders: Vec<CoderId>,
    label: Option<LabelId>,
    consensus_name: String,
    current: Option<usize>,
    /// The label for "Accept the selection".
    edited_label: Option<LabelId>,
    unit: UnitKind,
    ignore_uncoded: bool,
    /// Rows per frame instead of per label.
    frames: bool,
    cache: Option<(CacheKey, Vec<Disagreement>, Option<AgreementReport>)>,
}

/// What the cached figures were computed for.
type CacheKey = (Revision, Vec<CoderId>, Option<LabelId>, UnitKind, bool, bool);

impl Default for ReviewView {
    fn default() -> Self {
        Self {
            open: false,
            rect: None,
            coders: Vec::new(),
            label: None,
            consensus_name: "Consensus".into(),
            current: None,
            edited_label: None,
            unit: UnitKind::Char,
            ignore_uncoded: false,
            frames: false,
            cache: None,
        }
    }
}

impl ReviewView {
    /// The disagreements currently listed.
    pub fn disagreements(&self) -> &[Disagreement] {
        self.cache.as_ref().map_or(&[], |c| c.1.as_slice())
    }

    /// Where the panel was drawn in the last frame, if it was open.
    pub fn rect(&self) -> Option<egui::Rect> {
        self.rect
    }

    /// Draws the panel on the right of `ui` when open (call it before the
    /// central panel, which then gets the rest) and says whether it did.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ViewContext<'_>) -> bool {
        self.rect = None;
        if !self.open {
            cx.view.review_coders.clear();
            return false;
        }
        let consensus = cx.project.coder_named(&self.consensus_name).map(|c| c.id);
        self.coders.retain(|c| cx.project.coder(*c).is_some());
        if self.coders.is_empty() {
            self.coders = cx
                .project
                .coders
                .iter()
                .filter(|c| Some(c.id) != consensus)
                .map(|c| c.id)
                .collect();
        }
        self.refresh(cx);
        // Show the chosen coders' spans, and the consensus as it grows.
        cx.view.review_coders = self.coders.iter().copied().chain(consensus).collect();
        let mut open = true;
        let shown = egui::Panel::right("review")
            .resizable(true)
            .default_size(440.0)
            .size_range(300.0..=900.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.heading("Review");
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let close = ui.button("✖").on_hover_text("Close the review");
                        if close.accessible_name("Close review").clicked() {
                            open = false;
                        }
                    });
                });
                ui.separator();
                self.coders_ui(ui, cx, consensus);
                ui.separator();
                self.agreement_ui(ui);
                ui.separator();
                self.list_ui(ui, cx, consensus);
            });
        self.rect = Some(shown.response.rect);
        self.open = open;
        if !self.open {
            cx.view.review_coders.clear();
        }
        true
    }

    fn refresh(&mut self, cx: &ViewContext<'_>) {
        let key = (
            cx.revision,
            self.coders.clone(),
            self.label,
            self.unit,
            self.ignore_uncoded,
            self.frames,
        );
        if self.cache.as_ref().is_some_and(|(cached, _, _)| *cached == key) {
            return;
        }
        let labels: Vec<LabelId> = self.label.into_iter().collect();
        let found = disagreements(cx.project, &self.coders, &[], &labels);
        let report = agreement(
            cx.project,
            &AgreementOptions {
                coders: self.coders.clone(),
                unit: self.unit,
                ignore_uncoded: self.ignore_uncoded,
                level: if self.frames { Level::Frame } else { Level::Label },
                ..Default::default()
            },
        )
        .ok();
        self.current = self.current.filter(|&i| i < found.len());
        self.cache = Some((key, found, report));
    }

    /// Whether there are disagreements to step through.
    pub fn has_disagreements(&self) -> bool {
        self.open && !self.disagreements().is_empty()
    }

    /// Goes to the next (or previous) disagreement, wrapping around; what
    /// the Next/Previous disagreement commands run.
    pub fn step(&mut self, forward: bool, view: &mut ViewState) {
        let count = self.disagreements().len();
        if count == 0 {
            return;
        }
        let index = match (self.current, forward) {
            (None, true) => 0,
            (None, false) => count - 1,
            (Some(i), true) => (i + 1) % count,
            (Some(i), false) => (i + count - 1) % count,
        };
        self.select(index, view);
    }

    fn select(&mut self, index: usize, view: &mut ViewState) {
        let Some(disagreement) = self.disagreements().get(index).cloned() else {
            return;
        };
        self.current = Some(index);
        view.document = Some(disagreement.document);
        view.selection = Some(disagreement.range.clone());
        view.scroll_to = Some(disagreement.range.start);
        view.selected_annotation = None;
        view.picker_open = false;
    }

    fn coders_ui(&mut self, ui: &mut egui::Ui, cx: &ViewContext<'_>, consensus: Option<CoderId>) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Coders:");
            for coder in &cx.project.coders {
                if Some(coder.id) == consensus {
                    continue;
                }
                let mut chosen = self.coders.contains(&coder.id);
                if ui.checkbox(&mut chosen, &coder.name).changed() {
                    if chosen {
                        self.coders.push(coder.id);
                    } else {
                        self.coders.retain(|c| *c != coder.id);
                    }
                }
            }
        });
        ui.horizontal(|ui| {
            ui.label("Consensus coder:");
            let field = ui.add(egui::TextEdit::singleline(&mut self.consensus_name).desired_width(140.0));
            field.accessible_name("Consensus coder name");
        });
    }

    fn agreement_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label("Units:");
            for (unit, name) in [
                (UnitKind::Char, "characters"),
                (UnitKind::Word, "words"),
                (UnitKind::Sentence, "sentences"),
                (UnitKind::Paragraph, "lines"),
                (UnitKind::Turn, "turns"),
            ] {
                ui.radio_value(&mut self.unit, unit, name);
            }
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.ignore_uncoded, "Ignore text no coder coded");
            ui.checkbox(&mut self.frames, "Per frame")
                .on_hover_text("A claim counts for its frame: reliability per frame");
        });
        let Some((_, _, Some(report))) = &self.cache else {
            ui.weak("Choose at least two coders to compare.");
            return;
        };
        let figure = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}"));
        let mut clicked = None;
        // Both ways: label paths are often wider than the docked panel.
        egui::ScrollArea::both()
            .id_salt("agreement-table")
            .max_height(260.0)
            .show(ui, |ui| {
                egui::Grid::new("agreement-grid").striped(true).show(ui, |ui| {
                    for (title, meaning) in [
                        ("Label", "Click a label to list its disagreements"),
                        ("κ", "Cohen's kappa (two coders)"),
                        ("α", "Krippendorff's alpha (nominal)"),
                        ("Fleiss κ", "Fleiss' kappa (any number of coders)"),
                        ("AC1", "Gwet's AC1: stable when most text is uncoded"),
                        ("αU", "Krippendorff's unitizing alpha"),
                        ("%", "Percent agreement"),
                    ] {
                        ui.strong(title).on_hover_text(meaning);
                    }
                    ui.end_row();
                    for row in &report.labels {
                        if ui
                            .selectable_label(self.label == Some(row.id), &row.label)
                            .on_hover_text("Show this label's disagreements")
                            .clicked()
                        {
                            clicked = Some(row.id);
                        }
                        ui.label(figure(row.kappa));
                        ui.label(figure(row.alpha));
                        ui.label(figure(row.fleiss_kappa));
                        ui.label(figure(row.ac1));
                        ui.label(figure(row.alpha_u));
                        ui.label(
                            row.percent
                                .map_or_else(|| "—".to_owned(), |p| format!("{:.1}", p * 100.0)),
                        );
                        ui.end_row();
                    }
                    let pooled_row =
                        |ui: &mut egui::Ui,
                         name: &str,
                         p: &framecoder_core::review::agreement::PooledAgreement| {
                            ui.strong(name);
                            ui.label(figure(p.kappa));
                            ui.label(figure(p.alpha));
                            ui.label(figure(p.fleiss_kappa));
                            ui.label(figure(p.ac1));
                            ui.label("");
                            ui.label(
                                p.percent
                                    .map_or_else(|| "—".to_owned(), |p| format!("{:.1}", p * 100.0)),
                            );
                        };
                    pooled_row(ui, "(pooled)", &report.pooled);
                    for speaker in &report.speakers {
                        ui.end_row();
                        pooled_row(ui, &format!("speaker: {}", speaker.speaker), &speaker.pooled);
                    }
                    ui.end_row();
                });
            });
        if let Some(label) = clicked {
            self.label = if self.label == Some(label) {
                None
            } else {
                Some(label)
            };
            self.current = None;
        }
    }

    fn list_ui(&mut self, ui: &mut egui::Ui, cx: &mut ViewContext<'_>, consensus: Option<CoderId>) {
        let list = self.disagreements().to_vec();
        let (settled, total) =
            consensus.map_or((0, list.len()), |c| adjudicate::progress(cx.project, &list, c));
        ui.horizontal(|ui| {
            ui.strong(format!("{settled} of {total} settled"));
            if let Some(label) = self.label.and_then(|l| cx.project.label(l)) {
                ui.label(format!("· only “{}”", label.name));
                if ui.small_button("show all").clicked() {
                    self.label = None;
                }
            }
            for (text, command) in [
                ("◀ Previous", UiCommand::PreviousDisagreement),
                ("Next ▶", UiCommand::NextDisagreement),
            ] {
                let button = ui.add_enabled(total > 0, egui::Button::new(text));
                if button.on_hover_text(command.tooltip(ui.ctx())).clicked() {
                    cx.intents.push(Intent::Command(command));
                }
            }
        });
        if let Some(index) = self.current
            && let Some(disagreement) = list.get(index)
        {
            self.decide_ui(ui, cx, disagreement, consensus);
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("disagreement-list")
            .show(ui, |ui| {
                for (index, disagreement) in list.iter().enumerate() {
                    let done = consensus
                        .is_some_and(|c| adjudicate::decision_for(cx.project, disagreement, c).is_some());
                    let text = format!(
                        "{} {} · {} · “{}”",
                        if done { "✔" } else { "•" },
                        kind_text(disagreement.kind),
                        disagreement
                            .labels
                            .iter()
                            .filter_map(|l| cx.project.label(*l).map(|l| l.name.as_str()))
                            .collect::<Vec<_>>()
                            .join(" / "),
                        excerpt(cx, disagreement)
                    );
                    if ui.selectable_label(self.current == Some(index), text).clicked() {
                        self.select(index, cx.view);
                    }
                }
            });
    }

    fn decide_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut ViewContext<'_>,
        disagreement: &Disagreement,
        consensus: Option<CoderId>,
    ) {
        let decided = consensus.and_then(|c| adjudicate::decision_for(cx.project, disagreement, c));
        ui.label(match decided {
            Some(decision) if decision.kept.is_empty() => "Settled: rejected".to_owned(),
            Some(decision) => format!("Settled: {} span(s) kept", decision.kept.len()),
            None => "Not settled yet".to_owned(),
        });
        let by_coder: Vec<(CoderId, String, Vec<AnnotationId>)> = self
            .coders
            .iter()
            .filter_map(|coder| {
                let ids: Vec<AnnotationId> = disagreement
                    .annotations
                    .iter()
                    .copied()
                    .filter(|id| cx.project.annotations.get(id).is_some_and(|a| a.coder == *coder))
                    .collect();
                let name = cx.project.coder(*coder)?.name.clone();
                (!ids.is_empty()).then_some((*coder, name, ids))
            })
            .collect();
        // What to settle on: some coders' spans, none, or the text now
        // selected in the transcript with a chosen label.
        enum Choice {
            Spans(Vec<AnnotationId>, String),
            Edited(std::ops::Range<usize>, LabelId),
        }
        let mut decision: Option<Choice> = None;
        ui.horizontal_wrapped(|ui| {
            for (_, name, ids) in &by_coder {
                if ui.button(format!("Accept {name}")).clicked() {
                    decision = Some(Choice::Spans(ids.clone(), format!("Accept {name}'s coding")));
                }
            }
            if by_coder.len() > 1 && ui.button("Accept all").clicked() {
                let all = disagreement.annotations.clone();
                decision = Some(Choice::Spans(all, "Accept all coders' spans".into()));
            }
            if ui
                .button("Reject")
                .on_hover_text("Keep none of these spans")
                .clicked()
            {
                decision = Some(Choice::Spans(Vec::new(), "Reject".into()));
            }
        });
        // Edited bounds or label: select the text in the transcript, pick a label.
        let label = self
            .edited_label
            .filter(|l| cx.project.label(*l).is_some())
            .or_else(|| disagreement.labels.first().copied());
        ui.horizontal(|ui| {
            let mut chosen = label;
            egui::ComboBox::from_id_salt("review-edited-label")
                .selected_text(chosen.map_or_else(String::new, |l| cx.project.label_path(l)))
                .show_ui(ui, |ui| {
                    for candidate in &cx.project.labels {
                        ui.selectable_value(
                            &mut chosen,
                            Some(candidate.id),
                            cx.project.label_path(candidate.id),
                        );
                    }
                })
                .response
                .accessible_name("Label for the edited span");
            self.edited_label = chosen;
            let selection = cx
                .view
                .selection
                .clone()
                .filter(|s| !s.is_empty() && cx.view.document == Some(disagreement.document));
            let button = ui
                .add_enabled(
                    selection.is_some() && chosen.is_some(),
                    egui::Button::new("Accept the selection"),
                )
                .on_hover_text(
                    "Keep the text selected in the transcript (drag to adjust it) with this label",
                );
            if button.clicked()
                && let (Some(range), Some(label)) = (selection, chosen)
            {
                decision = Some(Choice::Edited(range, label));
            }
        });
        let Some(choice) = decision else {
            return;
        };
        let (consensus_id, add_coder) =
            framecoder_core::usecase::coder_for_name(cx.project, &self.consensus_name);
        let decided_by = cx.view.coder.unwrap_or(consensus_id);
        // The decision only names the consensus coder; the batch adds it first if new.
        let project = cx.project;
        let (settle, description) = match choice {
            Choice::Spans(from, description) if from.is_empty() => (
                adjudicate::reject(project, disagreement, consensus_id, decided_by),
                description,
            ),
            Choice::Spans(from, description) => (
                adjudicate::accept(project, disagreement, &from, consensus_id, decided_by),
                description,
            ),
            Choice::Edited(range, label) => (
                adjudicate::accept_edited(project, disagreement, range, label, consensus_id, decided_by),
                "Accept edited span".to_owned(),
            ),
        };
        let edit = Edit::Batch(add_coder.into_iter().chain([settle]).collect());
        cx.intents.push(Intent::edit(edit, description));
    }
}

fn kind_text(kind: DisagreementKind) -> &'static str {
    match kind {
        DisagreementKind::Missing => "missing",
        DisagreementKind::Label => "label",
        DisagreementKind::Boundary => "boundary",
    }
}

fn excerpt(cx: &ViewContext<'_>, disagreement: &Disagreement) -> String {
    let text = cx
        .project
        .document(disagreement.document)
        .map(|d| d.slice(disagreement.range.clone()))
        .unwrap_or("");
    framecoder_core::model::text::ellipsize(&text.split_whitespace().collect::<Vec<_>>().join(" "), 60)
}
