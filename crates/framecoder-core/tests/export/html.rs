//! The HTML report: self-contained, escaped, grouped by the label tree,
//! with counts that match the project.

use crate::fixtures::hostile::{TestResult, fixture};
use framecoder_core::io::export::{Filter, SpanFormat, write_spans};
use framecoder_core::model::{LabelId, Project};

fn report(project: &Project, filter: &Filter) -> Result<String, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    write_spans(project, filter, SpanFormat::Html, &mut out)?;
    Ok(String::from_utf8(out)?)
}

#[test]
fn everything_from_the_project_is_escaped() -> TestResult {
    let fixture = fixture();
    let html = report(&fixture.project, &Filter::default())?;
    assert!(
        !html.to_lowercase().contains("<script"),
        "a quoted <script> must not become markup"
    );
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co."));
    assert!(html.contains("<h1>Caravan &lt;coverage&gt; &amp; more</h1>"));
    assert!(html.contains("About Blame &lt;b&gt;"), "descriptions are escaped");
    assert!(
        html.contains("Senator, quoted; &quot;loosely&quot;"),
        "memos are escaped"
    );
    Ok(())
}

#[test]
fn the_report_is_self_contained_and_prints() -> TestResult {
    let fixture = fixture();
    let html = report(&fixture.project, &Filter::default())?;
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("@media print"));
    for external in ["<link", "src=", "href=", "http://", "https://", "@import", "url("] {
        assert!(!html.contains(external), "fetches something: {external}");
    }
    // Multi-byte quotes arrive intact.
    for quote in ["🌮🇲🇽", "中文", "cafe\u{301}", "👩‍👩‍👧"] {
        assert!(html.contains(quote), "{quote}");
    }
    Ok(())
}

/// The `<tr>` of the counts table for a label name.
fn count_row<'a>(html: &'a str, name: &str) -> &'a str {
    let marker = format!("<span class=\"swatch\"></span>{name}</td>");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no counts row for {name}"));
    let end = html[at..].find("</tr>").map_or(html.len(), |e| at + e);
    &html[at..end]
}

#[test]
fn counts_per_label_match_the_project() -> TestResult {
    let fixture = fixture();
    let project = &fixture.project;
    let html = report(project, &Filter::default())?;
    let own = |id: LabelId| project.annotations.values().filter(|a| a.label == id).count();
    let cases = [
        (
            "Blame",
            own(fixture.blame),
            own(fixture.blame) + own(fixture.mexico) + own(fixture.policy),
        ),
        ("Mexico doing little", own(fixture.mexico), own(fixture.mexico)),
        (
            "Humanitarian crisis",
            own(fixture.humanitarian),
            own(fixture.humanitarian) + own(fixture.families),
        ),
        (
            "Families fleeing violence",
            own(fixture.families),
            own(fixture.families),
        ),
    ];
    for (name, own, total) in cases {
        let row = count_row(&html, name);
        assert!(
            row.contains(&format!("<td class=\"n\">{own}</td><td class=\"n\">{total}</td>")),
            "{name}: expected {own} own and {total} in all: {row}"
        );
    }
    assert!(html.contains(&format!("{} span(s) in 2 document(s)", project.annotations.len())));
    Ok(())
}

#[test]
fn spans_are_grouped_frame_then_its_claims() -> TestResult {
    let fixture = fixture();
    let html = report(&fixture.project, &Filter::default())?;
    let section = |id: LabelId| {
        html.find(&format!("id=\"label-{id}\""))
            .unwrap_or_else(|| panic!("no section for {id}"))
    };
    let (blame, mexico, policy, humanitarian, families) = (
        section(fixture.blame),
        section(fixture.mexico),
        section(fixture.policy),
        section(fixture.humanitarian),
        section(fixture.families),
    );
    // The codebook lists a claim before its frame; the report does not.
    assert!(blame < mexico && mexico < policy && policy < humanitarian && humanitarian < families);
    // Each quote sits in its label's section, with document, speaker, coder.
    let mexico_section = &html[mexico..policy];
    assert!(mexico_section.contains("Mexico is doing very little if not nothing 🌮🇲🇽"));
    assert!(mexico_section.contains("npr-ñ · ALVARADO [00:01:05] · coded by Ana"));
    assert!(mexico_section.contains("orphaned"), "the orphan is marked");
    Ok(())
}

#[test]
fn a_filtered_report_shows_only_the_chosen_labels() -> TestResult {
    let fixture = fixture();
    let filter = Filter {
        labels: vec!["Humanitarian crisis".into()],
        ..Filter::default()
    };
    let html = report(&fixture.project, &filter)?;
    assert!(html.contains(&format!("id=\"label-{}\"", fixture.families)));
    assert!(!html.contains(&format!("id=\"label-{}\"", fixture.blame)));
    assert!(!html.contains("Mexico is doing"));
    assert!(
        html.contains("labels: Humanitarian crisis"),
        "the filter is stated"
    );
    Ok(())
}
