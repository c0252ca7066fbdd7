//! The HTML report: the coded spans for people — a supervisor, a
//! co-author, a paper's appendix — grouped by the codebook tree (frame, then
//! its claims), each quote with its document, speaker and coder, and the
//! number of spans per label.
//!
//! One self-contained file: inline CSS, no scripts, no fonts or images to
//! fetch, so it opens offline, survives being e-mailed and prints cleanly.
//! Everything taken from the project goes through [`escape`]: transcripts
//! quote anything, `<script>` included.

use super::tidy::{SpanRow, SpanRows};
use crate::model::LabelId;
use crate::query::{Filter, Selection, label_tree};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

const STYLE: &str = "
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2328;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.meta { color: #59636e; margin-top: 0; }
table.counts { border-collapse: collapse; margin: 1rem 0 2rem; }
table.counts th, table.counts td { padding: .2rem .7rem; border-bottom: 1px solid #d1d9e0; text-align: left; }
table.counts td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.counts tr.depth-1 td:first-child { padding-left: 1.8rem; }
table.counts tr.depth-2 td:first-child { padding-left: 2.8rem; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
          background: var(--c); margin-right: .4em; vertical-align: baseline;
          print-color-adjust: exact; -webkit-print-color-adjust: exact; }
section.label { margin: 1.5rem 0; }
section.depth-1 { margin-left: 1.5rem; }
section.depth-2 { margin-left: 3rem; }
section.label h2, section.label h3, section.label h4 { margin: 0 0 .3rem; }
.kind, .count { color: #59636e; font-weight: normal; font-size: .85em; }
.description { color: #59636e; margin: 0 0 .6rem; font-style: italic; }
figure.span { margin: .6rem 0; }
figure.span blockquote { margin: 0; padding: .2rem .8rem; border-left: 4px solid var(--c);
          white-space: pre-wrap; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
figure.span figcaption { color: #59636e; font-size: .85em; padding-left: 1rem; }
.memo, .attributes { font-size: .85em; margin: .1rem 0 0 1rem; }
.orphaned { color: #b42318; }
@media print {
  body { font-size: 10.5pt; max-width: none; margin: 0; }
  section.label h2, section.label h3, section.label h4 { break-after: avoid; }
  figure.span, table.counts tr { break-inside: avoid; }
}
";

/// Escapes text for HTML element content and quoted attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes the report of `rows` (the rows of `selection`, in its order).
pub(super) fn write_report(
    selection: &Selection<'_>,
    rows: &SpanRows<'_>,
    filter: &Filter,
    out: &mut dyn Write,
) -> io::Result<()> {
    let project = selection.project();
    // Rows carry names, not ids; the selection's annotations come in the
    // same order, so pairing them gives each row its label id.
    let mut by_label: HashMap<LabelId, Vec<&SpanRow<'_>>> = HashMap::new();
    let mut unlabelled = Vec::new();
    for (annotation, row) in selection.annotations().into_iter().zip(&rows.rows) {
        if project.label(annotation.label).is_some() {
            by_label.entry(annotation.label).or_default().push(row);
        } else {
            unlabelled.push(row);
        }
    }
    let tree: Vec<_> = label_tree(project)
        .into_iter()
        .filter(|(_, l)| selection.includes_label(l.id))
        .collect();
    // Spans per label including everything below it: children come after
    // their parent in the flattened tree, so walking it backwards adds each
    // finished total to the parent's. (The `< i` guard keeps a label caught
    // in a cycle from feeding a label already summed.)
    let position: HashMap<LabelId, usize> = tree.iter().enumerate().map(|(i, (_, l))| (l.id, i)).collect();
    let mut totals = vec![0usize; tree.len()];
    for i in (0..tree.len()).rev() {
        let label = tree[i].1;
        totals[i] += by_label.get(&label.id).map_or(0, Vec::len);
        if let Some(&parent) = label.parent.as_ref().and_then(|p| position.get(p))
            && parent < i
        {
            totals[parent] += totals[i];
        }
    }

    let mut html = String::with_capacity(4096 + rows.rows.len() * 600);
    let title = format!("{} — coded spans", project.name);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"framecoder\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    let _ = writeln!(html, "<header>\n<h1>{}</h1>", escape(&project.name));
    let documents = project
        .documents
        .iter()
        .filter(|d| selection.includes_document(d.id))
        .count();
    let _ = writeln!(
        html,
        "<p class=\"meta\">{} span(s) in {documents} document(s){}</p>\n</header>",
        rows.rows.len(),
        describe_filter(filter)
    );

    html.push_str("<section class=\"summary\">\n<h2>Spans per label</h2>\n<table class=\"counts\">\n");
    html.push_str("<thead><tr><th>Label</th><th>Kind</th><th>Spans</th><th>With sub-labels</th></tr></thead>\n<tbody>\n");
    for (i, (depth, label)) in tree.iter().enumerate() {
        let _ = writeln!(
            html,
            "<tr class=\"depth-{}\" style=\"--c:{}\"><td><span class=\"swatch\"></span>{}</td><td>{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            depth.min(&2),
            label.color,
            escape(&label.name),
            label.kind,
            by_label.get(&label.id).map_or(0, Vec::len),
            totals[i]
        );
    }
    if !unlabelled.is_empty() {
        let _ = writeln!(
            html,
            "<tr><td>(label not in the codebook)</td><td></td><td class=\"n\">{0}</td><td class=\"n\">{0}</td></tr>",
            unlabelled.len()
        );
    }
    let _ = writeln!(
        html,
        "</tbody>\n<tfoot><tr><th>Total</th><th></th><th class=\"n\">{}</th><th></th></tr></tfoot>\n</table>\n</section>",
        rows.rows.len()
    );

    for (i, (depth, label)) in tree.iter().enumerate() {
        if totals[i] == 0 {
            continue;
        }
        let spans = by_label.get(&label.id).map_or(&[][..], Vec::as_slice);
        let level = (depth + 2).min(4);
        let _ = writeln!(
            html,
            "<section class=\"label depth-{}\" id=\"label-{}\" style=\"--c:{}\">\n\
             <h{level}><span class=\"swatch\"></span>{} <span class=\"kind\">{}</span> \
             <span class=\"count\">({} span(s){})</span></h{level}>",
            depth.min(&2),
            label.id,
            label.color,
            escape(&label.name),
            label.kind,
            spans.len(),
            if totals[i] > spans.len() {
                format!(", {} with sub-labels", totals[i])
            } else {
                String::new()
            }
        );
        if !label.description.is_empty() {
            let _ = writeln!(
                html,
                "<p class=\"description\">{}</p>",
                escape(&label.description)
            );
        }
        for row in spans {
            span_html(&mut html, row);
        }
        html.push_str("</section>\n");
    }
    if !unlabelled.is_empty() {
        html.push_str(
            "<section class=\"label\" style=\"--c:#888888\">\n<h2>Label not in the codebook</h2>\n",
        );
        for row in &unlabelled {
            span_html(&mut html, row);
        }
        html.push_str("</section>\n");
    }
    html.push_str("</body>\n</html>\n");
    out.write_all(html.as_bytes())
}

/// ` · coders: Ana · labels: Blame`, or nothing without a filter.
fn describe_filter(filter: &Filter) -> String {
    let mut parts = String::new();
    for (what, names) in [
        ("coders", &filter.coders),
        ("labels", &filter.labels),
        ("documents", &filter.documents),
    ] {
        if !names.is_empty() {
            let _ = write!(parts, " · {what}: {}", escape(&names.join(", ")));
        }
    }
    parts
}

fn span_html(html: &mut String, row: &SpanRow<'_>) {
    let _ = writeln!(
        html,
        "<figure class=\"span\">\n<blockquote>{}</blockquote>",
        escape(row.quote)
    );
    let mut caption = escape(row.document);
    if let Some(speaker) = row.speaker {
        let _ = write!(caption, " · {}", escape(speaker));
    }
    if let Some(timestamp) = row.timestamp {
        let _ = write!(caption, " [{}]", escape(timestamp));
    }
    let _ = write!(
        caption,
        " · coded by {} · chars {}–{}",
        escape(row.coder),
        row.start,
        row.end
    );
    if row.orphaned {
        caption.push_str(
            " · <span class=\"orphaned\">orphaned: the transcript no longer contains this quote</span>",
        );
    }
    if row.unconfirmed {
        caption.push_str(
            " · <span class=\"orphaned\">unconfirmed: imported from positions nothing could check</span>",
        );
    }
    let _ = writeln!(html, "<figcaption>{caption}</figcaption>");
    if !row.memo.is_empty() {
        let _ = writeln!(html, "<p class=\"memo\">Memo: {}</p>", escape(row.memo));
    }
    let attributes: Vec<String> = row
        .attributes
        .0
        .iter()
        .filter_map(|(name, value)| value.map(|v| format!("{}: {}", escape(name), escape(v))))
        .collect();
    if !attributes.is_empty() {
        let _ = writeln!(html, "<p class=\"attributes\">{}</p>", attributes.join(" · "));
    }
    html.push_str("</figure>\n");
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x & \"y\"')</script>"),
            "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("Peña 🌮"), "Peña 🌮");
    }
}
