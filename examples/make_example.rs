//! Builds `projects/example.ron` from `assets/sample_interview.txt`: a
//! small framing codebook and two coders who mostly, but not always, agree.
//! Run with `cargo run --example make_example`; ids and times are fixed so
//! the output is reproducible.

use framecoder_core::model::{
    Annotation, AnnotationId, AttributeDef, AttributeKind, Coder, CoderId, Color, Document, DocumentId,
    Label, LabelId, LabelKind, Project, text::step_word,
};
use std::collections::BTreeMap;
use std::sync::Arc;
use uuid::Uuid;

const CODING: &[(&str, &str)] = &[
    ("Border overwhelmed", "Our southern border is overwhelmed"),
    (
        "Border overwhelmed",
        "saying agents at the border are stretched past their limit",
    ),
    (
        "Border overwhelmed",
        "Officials in Washington say the border is at a breaking point",
    ),
    (
        "Criminals among migrants",
        "we know that criminals hide among migrants to enter our country undetected",
    ),
    (
        "Criminals among migrants",
        "they warn that gang members are traveling with the group",
    ),
    (
        "Criminals among migrants",
        "Every large group of human beings contains some people with criminal histories.",
    ),
    (
        "Families fleeing violence",
        "These are families fleeing violence, at least as they describe it",
    ),
    (
        "Families fleeing violence",
        "We came because staying meant burying my son.",
    ),
    (
        "Families fleeing violence",
        "I don’t doubt that many of them are families fleeing violence",
    ),
    (
        "Shelter conditions",
        "they have four working toilets for more than six hundred people",
    ),
    (
        "Shelter conditions",
        "Conditions in the shelters are getting worse by the day",
    ),
    (
        "Shelter conditions",
        "a mother washing clothes in a plastic bucket while her children sleep on cardboard",
    ),
    (
        "Right to asylum",
        "has the right to ask for asylum, regardless of how they arrived",
    ),
    ("Right to asylum", "the right to ask for asylum is not a loophole"),
    (
        "Mexico doing little",
        "Mexico is doing very little if not nothing to stop this caravan.",
    ),
    (
        "Mexico doing little",
        "So the idea that Mexico does nothing is simply not accurate.",
    ),
    (
        "Mexico doing little",
        "Washington wants us to be its wall, and then complains about the bill.",
    ),
    (
        "US policy failure",
        "Congress has failed to pass any serious reform of the asylum system",
    ),
    (
        "US policy failure",
        "US policy failure is a large part of the answer",
    ),
    (
        "US policy failure",
        "the failure is that previous officials were too lenient",
    ),
];

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0000 | n)
}

fn label(
    n: u128,
    name: &str,
    kind: LabelKind,
    parent: Option<LabelId>,
    key: char,
    description: &str,
) -> Label {
    Label {
        id: LabelId(id(n)),
        name: name.into(),
        kind,
        color: Color::palette(n as usize),
        parent,
        description: description.into(),
        key: Some(key),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string("assets/sample_interview.txt")?;
    let document = Document::new(
        DocumentId(id(100)),
        "morning-desk-2026-04-02".into(),
        Arc::from(text.as_str()),
        Some("sample_interview.txt".into()),
    );
    let security = label(
        0,
        "Security threat",
        LabelKind::Frame,
        None,
        '1',
        "Migration framed as a danger to the nation",
    );
    let humanitarian = label(
        1,
        "Humanitarian crisis",
        LabelKind::Frame,
        None,
        '2',
        "Migrants framed as people in need of protection",
    );
    let blame = label(
        2,
        "Blame and responsibility",
        LabelKind::Frame,
        None,
        '3',
        "Who is responsible for the situation",
    );
    let claims = vec![
        label(
            3,
            "Border overwhelmed",
            LabelKind::Claim,
            Some(security.id),
            'q',
            "The border cannot cope",
        ),
        label(
            4,
            "Criminals among migrants",
            LabelKind::Claim,
            Some(security.id),
            'w',
            "Criminals travel with or hide among migrants",
        ),
        label(
            5,
            "Families fleeing violence",
            LabelKind::Claim,
            Some(humanitarian.id),
            'a',
            "Migrants as families escaping violence",
        ),
        label(
            6,
            "Shelter conditions",
            LabelKind::Claim,
            Some(humanitarian.id),
            's',
            "Conditions in shelters and camps",
        ),
        label(
            7,
            "Right to asylum",
            LabelKind::Claim,
            Some(humanitarian.id),
            'd',
            "Asylum as a legal right",
        ),
        label(
            8,
            "Mexico doing little",
            LabelKind::Claim,
            Some(blame.id),
            'm',
            "Mexico does little or nothing to stop migration",
        ),
        label(
            9,
            "US policy failure",
            LabelKind::Claim,
            Some(blame.id),
            'u',
            "US policy or Congress is to blame",
        ),
    ];
    let ana = Coder {
        id: CoderId(id(200)),
        name: "Ana".into(),
    };
    let ben = Coder {
        id: CoderId(id(201)),
        name: "Ben".into(),
    };
    let mut project = Project::new("Caravan coverage (example)");
    project.memo =
        "Example project: one public-radio interview coded by two coders with a small framing codebook."
            .into();
    project.attributes = vec![
        AttributeDef {
            name: "source".into(),
            kind: AttributeKind::Text,
        },
        AttributeDef {
            name: "stance".into(),
            kind: AttributeKind::Choice(vec!["endorse".into(), "contest".into(), "neutral".into()]),
        },
    ];
    let mut next = 300;
    let mut add =
        |project: &mut Project, label: LabelId, coder: CoderId, range: std::ops::Range<usize>, memo: &str| {
            next += 1;
            let annotation = Annotation {
                id: AnnotationId(id(next)),
                document: document.id,
                label,
                coder,
                quote: text[range.clone()].to_owned(),
                range,
                memo: memo.into(),
                attributes: BTreeMap::new(),
                created: "2026-04-03T10:00:00Z".into(),
                modified: "2026-04-03T10:00:00Z".into(),
                unconfirmed: false,
            };
            project.annotations.insert(annotation.id, annotation);
        };
    for (i, (claim_name, quote)) in CODING.iter().enumerate() {
        let claim = claims
            .iter()
            .find(|c| c.name == *claim_name)
            .ok_or("unknown claim")?;
        let frame = claim.parent.ok_or("claim without frame")?;
        let start = text
            .find(quote)
            .ok_or_else(|| format!("quote not in transcript: {quote}"))?;
        let range = start..start + quote.len();
        let memo = if i == 14 { "Senator quoted by the host" } else { "" };
        add(&mut project, claim.id, ana.id, range.clone(), memo);
        // Ben skips some, codes a few with the frame only, and draws some
        // boundaries a word wider: the disagreements a review should find.
        match i % 5 {
            0 if i > 0 => {}
            1 => add(&mut project, frame, ben.id, range, ""),
            3 => add(
                &mut project,
                claim.id,
                ben.id,
                range.start..step_word(&text, range.end, true, true),
                "",
            ),
            _ => add(&mut project, claim.id, ben.id, range, ""),
        }
    }
    if let Some(first) = project
        .annotations
        .values_mut()
        .find(|a| a.memo.starts_with("Senator"))
    {
        first.attributes.insert("source".into(), "US senator".into());
        first.attributes.insert("stance".into(), "endorse".into());
    }
    project.documents.push(document);
    project.labels.extend([security, humanitarian, blame]);
    project.labels.extend(claims);
    project.coders.extend([ana, ben]);
    framecoder_core::io::save_project(&project, std::path::Path::new("projects/example.ron"))?;
    println!(
        "wrote projects/example.ron: {} annotations",
        project.annotations.len()
    );
    Ok(())
}
