//! The mouse in the transcript: selecting text and adjusting a span.
//!
//! Selections snap to whole words, as researchers expect: a quote that
//! starts or ends mid-word is almost always a slip of the mouse, and it
//! would go into a paper as such. Holding Alt selects by character.
//! Double-click takes a word, triple-click a turn's speech. The selected
//! annotation shows a handle at each end; dragging one moves that bound
//! (word-snapped too), and one drag is one undo step.

use super::TranscriptView;
use crate::ui::state::{Intent, ViewContext};
use egui::{CursorIcon, Pos2, Rect, Sense, Stroke, Vec2};
use framecoder_core::edit::{Edit, ops};
use framecoder_core::model::text::snap_to_words;
use framecoder_core::model::{AnnotationId, Document, Structure};
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// Half the side of a drag handle's square, in points.
const HANDLE: f32 = 5.0;

impl TranscriptView {
    /// The selection from `anchor` to `head`, snapped to words unless Alt
    /// is held.
    fn span(document: &Document, anchor: usize, head: usize, exact: bool) -> Range<usize> {
        let range = anchor.min(head)..anchor.max(head);
        if exact {
            range
        } else {
            snap_to_words(&document.text, range)
        }
    }

    pub(super) fn handle_pointer(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        document: &Document,
        cx: &mut ViewContext<'_>,
    ) {
        let (shift, exact) = ui.input(|i| (i.modifiers.shift, i.modifiers.alt));
        if response.drag_started()
            && let Some(start) = ui
                .input(|i| i.pointer.press_origin())
                .and_then(|p| self.offset_at(p))
        {
            self.anchor = Some(start);
            cx.view.selection = Some(start..start);
            cx.view.picker_open = false;
        }
        if response.dragged()
            && let (Some(anchor), Some(head)) = (
                self.anchor,
                response.interact_pointer_pos().and_then(|p| self.offset_at(p)),
            )
        {
            cx.view.selection = Some(Self::span(document, anchor, head, exact));
        }
        if response.drag_stopped() {
            self.finish_selection(document, cx);
        }
        let Some(pos) = response.interact_pointer_pos() else {
            return;
        };
        if response.triple_clicked() {
            if let Some(offset) = self.offset_at(pos) {
                let speech = speech_at(&document.text, &document.structure, offset);
                self.anchor = Some(speech.start);
                cx.view.selection = Some(speech);
                self.finish_selection(document, cx);
            }
        } else if response.double_clicked() {
            if let Some(offset) = self.offset_at(pos) {
                let word = word_at(&document.text, &document.structure, offset);
                self.anchor = Some(word.start);
                cx.view.selection = Some(word);
                self.finish_selection(document, cx);
            }
        } else if response.clicked()
            && let Some(offset) = self.offset_at(pos)
        {
            match (shift, self.anchor) {
                (true, Some(anchor)) => {
                    cx.view.selection = Some(Self::span(document, anchor, offset, exact));
                    self.finish_selection(document, cx);
                }
                _ => {
                    self.anchor = Some(offset);
                    cx.view.selection = None;
                    cx.view.picker_open = false;
                    cx.view.selected_annotation = self.annotation_at(cx, document, offset);
                }
            }
        }
    }

    /// Trims whitespace off a fresh selection and opens the label picker.
    fn finish_selection(&mut self, document: &Document, cx: &mut ViewContext<'_>) {
        let Some(selection) = cx.view.selection.clone() else {
            return;
        };
        let text = document.slice(selection.clone());
        let start = selection.start + (text.len() - text.trim_start().len());
        let end = (selection.end - (text.len() - text.trim_end().len())).max(start);
        if start < end {
            cx.view.selection = Some(start..end);
            cx.view.picker_open = true;
            cx.view.selected_annotation = None;
        } else {
            cx.view.selection = None;
        }
    }

    /// The innermost visible annotation covering `offset`.
    fn annotation_at(
        &self,
        cx: &ViewContext<'_>,
        document: &Document,
        offset: usize,
    ) -> Option<AnnotationId> {
        cx.index
            .document(document.id)?
            .overlapping(offset..offset + 1)
            .filter(|(range, _)| range.start <= offset && offset < range.end)
            .filter(|(_, id)| {
                cx.project.annotations.get(id).is_some_and(|a| {
                    !cx.view.hidden_labels.contains(&a.label)
                        && (cx.view.review_coders.is_empty() || cx.view.review_coders.contains(&a.coder))
                })
            })
            .min_by_key(|(range, _)| range.len())
            .map(|(_, id)| id)
    }

    /// Screen rectangle of the handle at the `end` (or start) of `range`.
    pub fn handle_rect(&self, range: &Range<usize>, end: bool) -> Option<Rect> {
        let cursor = self.screen_rect_of(if end { range.end } else { range.start })?;
        let y = if end { cursor.max.y } else { cursor.min.y };
        Some(Rect::from_center_size(
            Pos2::new(cursor.center().x, y),
            Vec2::splat(2.0 * HANDLE),
        ))
    }

    /// The selected annotation's drag handles: dragging one moves that
    /// bound, word-snapped unless Alt is held; one drag, one undo step.
    pub(super) fn handles(&mut self, ui: &egui::Ui, document: &Document, cx: &mut ViewContext<'_>) {
        let Some(annotation) = cx
            .view
            .selected_annotation
            .and_then(|id| cx.project.annotations.get(&id))
            .filter(|a| a.document == document.id)
        else {
            return;
        };
        let exact = ui.input(|i| i.modifiers.alt);
        for end in [false, true] {
            let Some(rect) = self.handle_rect(&annotation.range, end) else {
                continue;
            };
            let name = if end { "End handle" } else { "Start handle" };
            let response = ui
                .interact(rect, ui.scope_id().with(("span-handle", end)), Sense::drag())
                .on_hover_cursor(CursorIcon::ResizeHorizontal);
            let response = response.accessible_name(name);
            let stroke = Stroke::new(1.5, ui.visuals().strong_text_color());
            ui.painter().rect(
                rect.shrink(1.0),
                1.0,
                ui.visuals().extreme_bg_color,
                stroke,
                egui::StrokeKind::Inside,
            );
            if response.drag_started() {
                self.handle_drags += 1;
            }
            let Some(offset) = response
                .dragged()
                .then(|| response.interact_pointer_pos())
                .flatten()
                .and_then(|p| self.offset_at(p))
            else {
                continue;
            };
            let range = &annotation.range;
            let new_range = if end {
                let to = if exact {
                    offset
                } else {
                    snap_to_words(&document.text, offset..offset).end
                };
                range.start..to
            } else {
                let from = if exact {
                    offset
                } else {
                    snap_to_words(&document.text, offset..offset).start
                };
                from..range.end
            };
            if new_range.is_empty() || new_range == *range {
                continue;
            }
            if let Some(changed) = ops::with_range(cx.project, annotation, new_range) {
                cx.intents.push(Intent::merging_edit(
                    Edit::ReplaceAnnotation(changed),
                    "Adjust bounds",
                    format!("handle:{}:{}", annotation.id, self.handle_drags),
                ));
            }
        }
    }
}

/// The word (or run of non-space) around byte `offset`, within its paragraph.
pub fn word_at(text: &str, structure: &Structure, offset: usize) -> Range<usize> {
    let Some(paragraph) = structure.paragraphs.get(structure.paragraph_at(offset)) else {
        return offset..offset;
    };
    let line = text.get(paragraph.range.clone()).unwrap_or("");
    let local = offset.saturating_sub(paragraph.range.start);
    for (start, word) in line.split_word_bound_indices() {
        if local >= start && local < start + word.len() {
            return paragraph.range.start + start..paragraph.range.start + start + word.len();
        }
    }
    offset..offset
}

/// What a triple-click takes: the speech of the turn around `offset` (its
/// speaker label left out), or the paragraph when it is in no turn.
pub fn speech_at(text: &str, structure: &Structure, offset: usize) -> Range<usize> {
    if let Some(turn) = structure.turn_at(offset) {
        let start = turn.speech_start.clamp(turn.range.start, turn.range.end);
        return start..turn.range.end;
    }
    match structure.paragraphs.get(structure.paragraph_at(offset)) {
        Some(paragraph) => paragraph.range.clone(),
        None => {
            let at = offset.min(text.len());
            at..at
        }
    }
}
