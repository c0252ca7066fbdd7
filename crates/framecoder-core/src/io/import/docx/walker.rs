//! The walk over the body's XML events that collects its text: paragraphs
//! as lines, tracked changes accepted, table rows with a speaker column as
//! one line each ([`super::layouts::row_lines`]).

use super::layouts::{Row, row_lines};
use super::{Body, Element};

/// A paragraph being read.
#[derive(Debug, Default)]
struct Paragraph {
    text: String,
    /// Its paragraph mark is a tracked deletion: it runs on into the next.
    mark_removed: bool,
}

/// Collects the text while the XML is walked.
#[derive(Debug, Default)]
pub(super) struct Walker {
    /// Finished paragraphs, in the order they end.
    lines: Vec<String>,
    /// Open paragraphs, innermost last (text boxes nest them).
    open: Vec<Paragraph>,
    /// Text of a finished paragraph whose mark was deleted.
    carry: Option<String>,
    /// Depth inside a left-out element (0: not in one).
    hidden: usize,
    runs: usize,
    texts: usize,
    properties: usize,
    deletions: usize,
    /// Open table rows, innermost last: the text of each cell so far.
    rows: Vec<Vec<String>>,
    /// Open cells (a cell's paragraphs go to its row, not to `lines`).
    cells: usize,
    header_rows: usize,
}

impl Walker {
    pub(super) fn start(&mut self, element: Element) {
        if self.hidden > 0 {
            self.hidden += 1;
            return;
        }
        match element {
            Element::Paragraph => self.open.push(Paragraph {
                text: self.carry.take().unwrap_or_default(),
                mark_removed: false,
            }),
            Element::ParagraphProperties => self.properties += 1,
            Element::Run => self.runs += 1,
            Element::Text => self.texts += 1,
            Element::Removed => {
                self.removed();
                self.hidden = 1;
            }
            Element::Hidden => self.hidden = 1,
            Element::Tab | Element::Break | Element::NoBreakHyphen => self.empty(element),
            Element::Row => self.rows.push(Vec::new()),
            Element::Cell => {
                self.cells += 1;
                if let Some(row) = self.rows.last_mut() {
                    row.push(String::new());
                }
            }
            Element::Document | Element::Other => {}
        }
    }

    pub(super) fn end(&mut self, element: Element) {
        if self.hidden > 0 {
            self.hidden -= 1;
            return;
        }
        match element {
            Element::Paragraph => {
                if let Some(paragraph) = self.open.pop() {
                    if paragraph.mark_removed {
                        self.carry = Some(paragraph.text);
                    } else {
                        self.line(paragraph.text);
                    }
                }
            }
            Element::Cell => self.cells = self.cells.saturating_sub(1),
            Element::Row => {
                if let Some(cells) = self.rows.pop() {
                    match row_lines(cells) {
                        Row::Lines(lines) => lines.into_iter().for_each(|line| self.line(line)),
                        Row::Continues(speech) => self.continue_line(speech),
                        Row::Header => self.header_rows += 1,
                    }
                }
            }
            Element::ParagraphProperties => self.properties = self.properties.saturating_sub(1),
            Element::Run => self.runs = self.runs.saturating_sub(1),
            Element::Text => self.texts = self.texts.saturating_sub(1),
            _ => {}
        }
    }

    pub(super) fn empty(&mut self, element: Element) {
        if self.hidden > 0 {
            return;
        }
        // Tabs and breaks count only in runs: `w:pPr` holds tab stops
        // (`w:tabs/w:tab`) that are no text.
        match element {
            Element::Paragraph => {
                let text = self.carry.take().unwrap_or_default();
                self.line(text);
            }
            Element::Tab if self.runs > 0 => self.push("\t"),
            Element::Break if self.runs > 0 => self.push("\n"),
            Element::NoBreakHyphen if self.runs > 0 => self.push("-"),
            Element::Removed => self.removed(),
            _ => {}
        }
    }

    /// A tracked removal: of the paragraph mark inside paragraph properties
    /// (`w:pPr/w:rPr/w:del`), else of content.
    fn removed(&mut self) {
        if self.properties > 0 {
            if let Some(paragraph) = self.open.last_mut() {
                paragraph.mark_removed = true;
            }
        } else {
            self.deletions += 1;
        }
    }

    /// A finished paragraph: a line of the text, or of the open table cell.
    fn line(&mut self, text: String) {
        let in_cell = self.cells > 0 && self.open.is_empty();
        match self.rows.last_mut().and_then(|row| row.last_mut()) {
            Some(cell) if in_cell => {
                if !cell.is_empty() {
                    cell.push('\n');
                }
                cell.push_str(&text);
            }
            _ => self.lines.push(text),
        }
    }

    /// Speech of a table row without a speaker: joined to the line above.
    fn continue_line(&mut self, speech: String) {
        let in_cell = self.cells > 0;
        let last = if in_cell {
            self.rows.last_mut().and_then(|row| row.last_mut())
        } else {
            self.lines.last_mut()
        };
        match last {
            Some(line) if !line.trim().is_empty() => {
                line.push(' ');
                line.push_str(&speech);
            }
            _ => self.line(speech),
        }
    }

    pub(super) fn text(&mut self, text: &str) {
        if self.hidden == 0 && self.texts > 0 {
            self.push(text);
        }
    }

    fn push(&mut self, text: &str) {
        if let Some(paragraph) = self.open.last_mut() {
            paragraph.text.push_str(text);
        }
    }

    pub(super) fn finish(mut self) -> Body {
        // Unclosed paragraphs cannot happen (the XML is checked), a
        // trailing deleted paragraph mark can.
        self.lines.extend(self.carry.take());
        let mut text = String::new();
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        Body {
            text,
            deletions: self.deletions,
            header_rows: self.header_rows,
        }
    }
}
