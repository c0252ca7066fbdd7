//! The transcript view: paragraphs with the speaker in a margin, coded
//! spans highlighted in their label colour, coding stripes (one lane per
//! overlapping span, as MAXQDA/NVivo users expect) beside the text, and
//! text selection by mouse (`pointer.rs`: word-snapped, and drag handles
//! on the selected annotation's ends).
//!
//! It must stay smooth on a million-word document: only paragraphs inside
//! the viewport are laid out, their galleys are cached per (document, wrap
//! width, style), heights of paragraphs never seen are estimated, and the
//! annotations touching a paragraph come from the positional index by
//! binary search.

use super::state::ViewContext;
use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Pos2, Rect, Sense, Stroke, TextStyle, Vec2};
use framecoder_core::model::{Document, DocumentId, Paragraph};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

mod pointer;
pub use pointer::word_at;

const SPEAKER_WIDTH: f32 = 130.0;
const LANE_WIDTH: f32 = 5.0;
const MAX_LANES: usize = 8;
const GAP: f32 = 8.0;
const PARAGRAPH_SPACING: f32 = 4.0;
const BLANK_HEIGHT: f32 = 8.0;
/// Galleys kept in memory; far more than fit on any screen.
const MAX_CACHED_GALLEYS: usize = 4000;

/// Layout of one document at one wrap width.
struct LayoutCache {
    document: DocumentId,
    text: Arc<str>,
    wrap_width: f32,
    style_key: (u32, bool),
    /// Height of each paragraph, spacing included; estimated until laid out.
    heights: Vec<f32>,
    measured: Vec<bool>,
    /// `tops[i]` = y of paragraph `i`; one more entry for the total height.
    tops: Vec<f32>,
    tops_dirty: bool,
    galleys: HashMap<usize, Arc<Galley>>,
}

impl LayoutCache {
    fn recompute_tops(&mut self) {
        self.tops.clear();
        self.tops.reserve(self.heights.len() + 1);
        let mut y = 0.0;
        self.tops.push(0.0);
        for height in &self.heights {
            y += height;
            self.tops.push(y);
        }
        self.tops_dirty = false;
    }

    fn paragraph_at_y(&self, y: f32) -> usize {
        self.tops
            .partition_point(|&top| top <= y)
            .saturating_sub(1)
            .min(self.heights.len().saturating_sub(1))
    }
}

/// A paragraph drawn in the last frame.
struct Placed {
    paragraph: usize,
    /// Byte range of the paragraph in the document.
    range: Range<usize>,
    /// Screen position of the galley's top-left.
    origin: Pos2,
    /// Height the paragraph takes on screen, spacing included.
    height: f32,
    galley: Arc<Galley>,
}

/// The central transcript view and its caches.
#[derive(Default)]
pub struct TranscriptView {
    cache: Option<LayoutCache>,
    placed: Vec<Placed>,
    /// Stripe columns drawn this frame (the index keeps each span's lane,
    /// updated by each edit, so nothing here is rebuilt after an edit).
    lane_count: usize,
    /// Where the current mouse selection started (byte offset).
    anchor: Option<usize>,
    /// Counts drags of an annotation's handles, so each drag is its own
    /// undo step (consecutive drags of one span must not merge).
    handle_drags: u64,
}

impl TranscriptView {
    /// Screen rectangle of the character at byte `offset` in the last drawn
    /// frame, if it was visible. Used to place the label picker, and by
    /// tests to find where to drag.
    pub fn screen_rect_of(&self, offset: usize) -> Option<Rect> {
        let placed = self
            .placed
            .iter()
            .find(|p| p.range.start <= offset && offset <= p.range.end)?;
        let text = self.cache.as_ref()?.text.get(placed.range.clone())?;
        let column = text.get(..offset - placed.range.start)?.chars().count();
        Some(
            placed
                .galley
                .pos_from_cursor(CCursor::new(column))
                .translate(placed.origin.to_vec2()),
        )
    }

    /// Byte offset of the text under a screen position, from the last frame.
    pub fn offset_at(&self, pos: Pos2) -> Option<usize> {
        let placed = self
            .placed
            .iter()
            .find(|p| pos.y < p.origin.y + p.height)
            .or_else(|| self.placed.last())?;
        let text = self.cache.as_ref()?.text.get(placed.range.clone())?;
        if pos.y < placed.origin.y {
            return Some(placed.range.start);
        }
        let cursor = placed.galley.cursor_from_pos(pos - placed.origin);
        let byte = text
            .char_indices()
            .nth(cursor.index.0)
            .map_or(text.len(), |(byte, _)| byte);
        Some(placed.range.start + byte)
    }

    /// Draws the current document and handles selection and clicks.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ViewContext<'_>) {
        let Some(document) = cx.view.document.and_then(|id| cx.project.document(id)) else {
            ui.centered_and_justified(|ui| {
                ui.label("No transcript yet. Use File ▸ Import transcripts… or drop a .txt file here.");
            });
            return;
        };
        let font = TextStyle::Body.resolve(ui.style());
        let dark = ui.visuals().dark_mode;
        let wrap_width =
            (ui.available_width() - SPEAKER_WIDTH - self.stripes_width() - GAP - 24.0).max(120.0);
        self.prepare(ui, document, wrap_width, &font, dark);
        self.lane_count = if cx.view.review_coders.is_empty() {
            cx.index.document(document.id).map_or(0, |d| d.lane_count())
        } else {
            cx.view.review_coders.len()
        };

        let Some(cache) = self.cache.as_mut() else { return };
        if cache.tops_dirty {
            cache.recompute_tops();
        }
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt(("transcript", document.id))
            .auto_shrink(false);
        if let Some(target) = cx.view.scroll_to.take() {
            let paragraph = document.structure.paragraph_at(target);
            let top = cache.tops.get(paragraph).copied().unwrap_or(0.0);
            scroll = scroll.vertical_scroll_offset((top - 60.0).max(0.0));
        }
        let total_height = cache.tops.last().copied().unwrap_or(0.0);
        scroll.show_viewport(ui, |ui, viewport| {
            ui.set_height(total_height);
            ui.set_width(ui.available_width());
            self.draw_visible(ui, viewport, document, cx, &font);
        });
    }

    fn stripes_width(&self) -> f32 {
        self.lane_count.clamp(1, MAX_LANES) as f32 * LANE_WIDTH
    }

    /// Makes the layout cache fit this document, width and style.
    fn prepare(&mut self, ui: &egui::Ui, document: &Document, wrap_width: f32, font: &FontId, dark: bool) {
        let style_key = (font.size.to_bits(), dark);
        let fits = self.cache.as_ref().is_some_and(|c| {
            c.document == document.id
                && Arc::ptr_eq(&c.text, &document.text)
                && (c.wrap_width - wrap_width).abs() < 0.5
                && c.style_key == style_key
        });
        if fits {
            return;
        }
        let same_document = self
            .cache
            .as_ref()
            .is_some_and(|c| c.document == document.id && Arc::ptr_eq(&c.text, &document.text));
        if !same_document {
            self.anchor = None;
        }
        let row_height = ui.fonts_mut(|fonts| fonts.row_height(font));
        let char_width = ui.fonts_mut(|fonts| fonts.glyph_width(font, 'n')).max(1.0);
        let chars_per_row = (wrap_width / char_width).max(1.0);
        let heights: Vec<f32> = document
            .structure
            .paragraphs
            .iter()
            .map(|p| estimate_height(p, chars_per_row, row_height))
            .collect();
        let count = heights.len();
        let mut cache = LayoutCache {
            document: document.id,
            text: document.text.clone(),
            wrap_width,
            style_key,
            heights,
            measured: vec![false; count],
            tops: Vec::new(),
            tops_dirty: true,
            galleys: HashMap::new(),
        };
        cache.recompute_tops();
        self.cache = Some(cache);
    }

    fn draw_visible(
        &mut self,
        ui: &mut egui::Ui,
        viewport: Rect,
        document: &Document,
        cx: &mut ViewContext<'_>,
        font: &FontId,
    ) {
        let stripes_width = self.stripes_width();
        let Some(cache) = self.cache.as_mut() else { return };
        let origin = ui.max_rect().min;
        let left = origin.x;
        let text_left = left + SPEAKER_WIDTH + stripes_width + GAP;
        let paragraphs = &document.structure.paragraphs;
        let first = cache.paragraph_at_y(viewport.min.y);
        let text_color = ui.visuals().text_color();
        let weak_color = ui.visuals().weak_text_color();
        let mut placed = Vec::new();
        let mut index = first;
        let mut heights_changed = false;
        while index < paragraphs.len() {
            let top = cache.tops.get(index).copied().unwrap_or(0.0);
            if top > viewport.max.y {
                break;
            }
            let paragraph = &paragraphs[index];
            let galley = match cache.galleys.get(&index) {
                Some(galley) => galley.clone(),
                None => {
                    let job = paragraph_job(
                        document,
                        paragraph,
                        cache.wrap_width,
                        font,
                        text_color,
                        weak_color,
                    );
                    let galley = ui.painter().layout_job(job);
                    if cache.galleys.len() > MAX_CACHED_GALLEYS {
                        cache.galleys.clear();
                    }
                    cache.galleys.insert(index, galley.clone());
                    galley
                }
            };
            let height = if paragraph.range.is_empty() {
                BLANK_HEIGHT
            } else {
                galley.size().y + PARAGRAPH_SPACING
            };
            if !cache.measured[index] || (cache.heights[index] - height).abs() > 0.1 {
                cache.measured[index] = true;
                heights_changed |= (cache.heights[index] - height).abs() > 0.1;
                cache.heights[index] = height;
            }
            placed.push(Placed {
                paragraph: index,
                range: paragraph.range.clone(),
                origin: Pos2::new(text_left, origin.y + top),
                height,
                galley,
            });
            index += 1;
        }
        if heights_changed {
            cache.tops_dirty = true;
            ui.ctx().request_repaint();
        }
        self.placed = placed;

        let visible_rect = viewport.translate(origin.to_vec2());
        let response = ui.interact(
            visible_rect,
            ui.scope_id().with("transcript-text"),
            Sense::click_and_drag(),
        );
        self.handle_pointer(ui, &response, document, cx);
        self.handles(ui, document, cx);
        self.paint(ui, document, cx, left);
        self.expose_accessibility(ui, document);
    }

    fn paint(&self, ui: &egui::Ui, document: &Document, cx: &ViewContext<'_>, left: f32) {
        let painter = ui.painter();
        let selection_fill = ui.visuals().selection.bg_fill;
        let spans = cx.index.document(document.id);
        for placed in &self.placed {
            let text = document.slice(placed.range.clone());
            let paragraph = &document.structure.paragraphs[placed.paragraph];
            let bottom = placed.origin.y + placed.galley.size().y;
            if paragraph.starts_turn
                && let Some(turn) = paragraph.turn.and_then(|t| document.structure.turns.get(t))
            {
                let speaker_rect = Rect::from_min_size(
                    Pos2::new(left, placed.origin.y),
                    Vec2::new(SPEAKER_WIDTH - 6.0, placed.galley.size().y.max(14.0)),
                );
                let mut label = turn.speaker.clone();
                if let Some(time) = &turn.timestamp {
                    label = format!("{label}\n{time}");
                }
                let galley = painter.layout(
                    label,
                    TextStyle::Small.resolve(ui.style()),
                    ui.visuals().strong_text_color(),
                    SPEAKER_WIDTH - 10.0,
                );
                painter
                    .with_clip_rect(speaker_rect)
                    .galley(speaker_rect.min, galley, Color32::PLACEHOLDER);
            }
            if let Some(spans) = spans {
                for (position, range, id) in
                    spans.overlapping_at(placed.range.start..placed.range.end.max(placed.range.start + 1))
                {
                    let Some(annotation) = cx.project.annotations.get(&id) else {
                        continue;
                    };
                    // Reviewing: one stripe column per chosen coder, the
                    // other coders' spans hidden.
                    let lane = if cx.view.review_coders.is_empty() {
                        Some(spans.lane(position))
                    } else {
                        cx.view.review_coders.iter().position(|c| *c == annotation.coder)
                    };
                    let Some(lane) = lane.map(|l| l.min(MAX_LANES - 1)) else {
                        continue;
                    };
                    if cx.view.hidden_labels.contains(&annotation.label) {
                        continue;
                    }
                    let Some(label) = cx.project.label(annotation.label) else {
                        continue;
                    };
                    let [r, g, b] = label.color.0;
                    let color = Color32::from_rgb(r, g, b);
                    let selected = cx.view.selected_annotation == Some(id);
                    for rect in range_rects(placed, text, range) {
                        painter.rect_filled(
                            rect,
                            2.0,
                            color.gamma_multiply(if selected { 0.45 } else { 0.22 }),
                        );
                        if selected {
                            painter.rect_stroke(
                                rect,
                                2.0,
                                Stroke::new(1.5, color),
                                egui::StrokeKind::Outside,
                            );
                        }
                    }
                    // The coding stripe: a lane beside the text from the
                    // span's first row to its last within this paragraph.
                    let x = left + SPEAKER_WIDTH + lane as f32 * LANE_WIDTH + LANE_WIDTH / 2.0;
                    let y0 = if range.start > placed.range.start {
                        self.row_top(placed, text, range.start)
                    } else {
                        placed.origin.y
                    };
                    let y1 = if range.end < placed.range.end {
                        self.row_bottom(placed, text, range.end)
                    } else {
                        bottom + PARAGRAPH_SPACING
                    };
                    painter.line_segment(
                        [Pos2::new(x, y0), Pos2::new(x, y1)],
                        Stroke::new(if selected { LANE_WIDTH } else { LANE_WIDTH - 2.0 }, color),
                    );
                }
            }
            if let Some(selection) = &cx.view.selection {
                for rect in range_rects(placed, text, selection) {
                    painter.rect_filled(rect, 0.0, selection_fill.gamma_multiply(0.6));
                }
            }
            painter.galley(placed.origin, placed.galley.clone(), ui.visuals().text_color());
        }
    }

    fn row_top(&self, placed: &Placed, text: &str, offset: usize) -> f32 {
        let column = column_of(text, offset.saturating_sub(placed.range.start));
        placed.galley.pos_from_cursor(CCursor::new(column)).min.y + placed.origin.y
    }

    fn row_bottom(&self, placed: &Placed, text: &str, offset: usize) -> f32 {
        let column = column_of(text, offset.saturating_sub(placed.range.start));
        placed.galley.pos_from_cursor(CCursor::new(column)).max.y + placed.origin.y
    }

    /// Each visible paragraph becomes a labelled node, so screen readers can
    /// read the transcript and GUI tests can find text.
    fn expose_accessibility(&self, ui: &egui::Ui, document: &Document) {
        for placed in &self.placed {
            if placed.range.is_empty() {
                continue;
            }
            let rect = Rect::from_min_size(placed.origin, placed.galley.size());
            let id = ui.scope_id().with(("paragraph", placed.paragraph));
            let response = ui.interact(rect, id, Sense::hover());
            let text = document.slice(placed.range.clone()).to_owned();
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
        }
    }
}

fn estimate_height(paragraph: &Paragraph, chars_per_row: f32, row_height: f32) -> f32 {
    if paragraph.range.is_empty() {
        return BLANK_HEIGHT;
    }
    let rows = (paragraph.range.len() as f32 / chars_per_row).ceil().max(1.0);
    rows * row_height + PARAGRAPH_SPACING
}

/// The paragraph's text, with a turn's speaker label dimmed.
fn paragraph_job(
    document: &Document,
    paragraph: &Paragraph,
    wrap_width: f32,
    font: &FontId,
    text_color: Color32,
    weak_color: Color32,
) -> LayoutJob {
    let text = document.slice(paragraph.range.clone());
    let mut job = LayoutJob::default();
    job.wrap.max_width = wrap_width;
    let label_end = paragraph
        .turn
        .filter(|_| paragraph.starts_turn)
        .and_then(|t| document.structure.turns.get(t))
        .map_or(0, |turn| {
            turn.speech_start
                .saturating_sub(paragraph.range.start)
                .min(text.len())
        });
    let (label, speech) = text.split_at_checked(label_end).unwrap_or(("", text));
    if !label.is_empty() {
        job.append(label, 0.0, TextFormat::simple(font.clone(), weak_color));
    }
    job.append(speech, 0.0, TextFormat::simple(font.clone(), text_color));
    job
}

/// Char column of byte `local` within `text`.
fn column_of(text: &str, local: usize) -> usize {
    text.get(..local.min(text.len())).map_or(0, |s| s.chars().count())
}

/// Screen rectangles covering the part of `range` (document bytes) that lies
/// in this paragraph, one per wrapped row.
fn range_rects(placed: &Placed, text: &str, range: &Range<usize>) -> Vec<Rect> {
    let start = range.start.max(placed.range.start);
    let end = range.end.min(placed.range.end);
    if start >= end {
        return Vec::new();
    }
    let first = column_of(text, start - placed.range.start);
    let last = column_of(text, end - placed.range.start);
    let mut rects = Vec::new();
    let mut row_start = 0;
    for row in &placed.galley.rows {
        let count = row.char_count_excluding_newline().0;
        let row_end = row_start + count;
        let from = first.max(row_start);
        let to = last.min(row_end);
        if from < to {
            let x0 = row.x_offset(egui::text::CharIndex(from - row_start));
            let x1 = row.x_offset(egui::text::CharIndex(to - row_start));
            let rect = Rect::from_min_max(
                Pos2::new(row.pos.x + x0, row.pos.y),
                Pos2::new(row.pos.x + x1, row.pos.y + row.height()),
            );
            rects.push(rect.translate(placed.origin.to_vec2()));
        }
        row_start = row_end + usize::from(row.ends_with_newline);
    }
    rects
}
