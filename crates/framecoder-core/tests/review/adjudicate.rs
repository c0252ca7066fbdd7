//! Adjudication into a consensus coder: accepting one or several coders'
//! spans, edited bounds or label, rejecting, re-deciding, undo of each,
//! progress, provenance through save and load, and agreement against the
//! consensus like any other coder.

use crate::review::disagreements::{Study, TEXT};
use framecoder_core::edit::{Edit, EditError, History, ops};
use framecoder_core::io::{project_file, to_ron_string};
use framecoder_core::model::{Annotation, AnnotationId, Coder, CoderId, Project};
use framecoder_core::review::adjudicate::{
    accept, accept_edited, adopt_agreed, decision_for, progress, provenance, reject,
};
use framecoder_core::review::agreement::{AgreementOptions, agreement};
use framecoder_core::review::disagreements::{Disagreement, DisagreementKind, agreed, disagreements};
use framecoder_core::usecase::coder_for_name;

/// A review of A and B on the first document:
/// - 0..4: A says X, B says Y (label);
/// - 5..9 by A (with a memo), 5..14 by B, both X (boundary);
/// - 15..19: only A, Y (missing);
/// - 25..29: both X (agreed).
struct Review {
    s: Study,
    consensus: CoderId,
    reviewer: CoderId,
    history: History,
    found: Vec<Disagreement>,
}

impl Review {
    fn new() -> Self {
        let mut s = Study::new();
        let (d1, a, b, x, y) = (s.d1, s.a, s.b, s.x, s.y);
        s.code(d1, a, x, 0..4);
        s.code(d1, b, y, 0..4);
        let short = s.code(d1, a, x, 5..9);
        s.code(d1, b, x, 5..14);
        s.code(d1, a, y, 15..19);
        s.code(d1, a, x, 25..29);
        s.code(d1, b, x, 25..29);
        if let Some(annotation) = s.project.annotations.get_mut(&short) {
            annotation.memo = "only the verb".into();
        }
        let reviewer = Coder {
            id: CoderId::new(),
            name: "Rita".into(),
        };
        s.project.coders.push(reviewer.clone());
        let (consensus, add) = coder_for_name(&s.project, "Consensus");
        let add = add.expect("Consensus is a new coder");
        add.apply(&mut s.project).expect("the edit applies");
        let found = disagreements(&s.project, &[a, b], &[], &[]);
        assert_eq!(
            found.iter().map(|d| d.kind).collect::<Vec<_>>(),
            vec![
                DisagreementKind::Label,
                DisagreementKind::Boundary,
                DisagreementKind::Missing
            ]
        );
        Self {
            s,
            consensus,
            reviewer: reviewer.id,
            history: History::new(),
            found,
        }
    }

    fn project(&self) -> &Project {
        &self.s.project
    }

    /// Applies a decision as one undo step, checking that undo restores the
    /// project exactly and redo gives the same result again.
    fn decide(&mut self, edit: Edit) {
        let before = self.s.project.clone();
        self.history
            .apply(&mut self.s.project, edit, "decide")
            .expect("the edit applies");
        let after = self.s.project.clone();
        assert_ne!(after, before, "a decision changes the project");
        assert_eq!(self.history.undo(&mut self.s.project).as_deref(), Some("decide"));
        assert_eq!(self.s.project, before, "undo restores exactly");
        assert_eq!(self.history.redo(&mut self.s.project).as_deref(), Some("decide"));
        assert_eq!(self.s.project, after, "redo gives the same result");
    }

    /// The consensus coder's annotations, by position.
    fn consensus_spans(&self) -> Vec<&Annotation> {
        let mut spans: Vec<&Annotation> = self
            .project()
            .annotations
            .values()
            .filter(|a| a.coder == self.consensus)
            .collect();
        spans.sort_by_key(|a| (a.range.start, a.range.end));
        spans
    }

    /// The span of `coder` in disagreement `n`.
    fn span_of(&self, n: usize, coder: CoderId) -> AnnotationId {
        self.found[n]
            .annotations
            .iter()
            .copied()
            .find(|id| {
                self.project()
                    .annotations
                    .get(id)
                    .is_some_and(|a| a.coder == coder)
            })
            .expect("that coder has a span")
    }
}

#[test]
fn the_consensus_coder_is_reused_by_name() {
    let r = Review::new();
    assert_eq!(coder_for_name(r.project(), "consensus "), (r.consensus, None));
    let (other, add) = coder_for_name(r.project(), "Second opinion");
    assert_ne!(other, r.consensus);
    assert!(matches!(add, Some(Edit::InsertCoder { coder, .. }) if coder.id == other));
}

#[test]
fn accepting_one_coder_copies_that_span_with_its_provenance() {
    let mut r = Review::new();
    let from = r.span_of(0, r.s.a);
    let edit = accept(r.project(), &r.found[0], &[from], r.consensus, r.reviewer);
    r.decide(edit);
    let spans = r.consensus_spans();
    assert_eq!(spans.len(), 1);
    let source = &r.project().annotations[&from];
    assert_eq!(
        (spans[0].range.clone(), spans[0].label, &spans[0].quote),
        (0..4, r.s.x, &source.quote)
    );
    let (decision, kept) = provenance(r.project(), spans[0].id).expect("the span records its decision");
    assert_eq!(kept.derived_from, vec![from]);
    assert_eq!(decision.decided_by, Some(r.reviewer));
    assert_eq!(
        decision_for(r.project(), &r.found[0], r.consensus),
        Some(decision)
    );
    assert_eq!(progress(r.project(), &r.found, r.consensus), (1, 3));
    assert_eq!(
        progress(r.project(), &r.found, r.s.c),
        (0, 3),
        "per consensus coder"
    );
}

#[test]
fn accepting_several_keeps_each_and_merges_identical_ones() {
    let mut r = Review::new();
    let both = r.found[1].annotations.clone();
    let edit = accept(r.project(), &r.found[1], &both, r.consensus, r.reviewer);
    r.decide(edit);
    let spans = r.consensus_spans();
    assert_eq!(
        spans.iter().map(|a| a.range.clone()).collect::<Vec<_>>(),
        vec![5..9, 5..14]
    );
    assert_eq!(spans[0].memo, "only the verb", "memo and attributes come along");

    // Three coders: A and B coded the same span, C (who coded the document)
    // did not. Accepting both gives one consensus span derived from both.
    let mut s = Study::new();
    let (d1, a, b, c, x) = (s.d1, s.a, s.b, s.c, s.x);
    let from_a = s.code(d1, a, x, 10..14);
    let from_b = s.code(d1, b, x, 10..14);
    s.code(d1, c, x, 25..29);
    let found = disagreements(&s.project, &[a, b, c], &[], &[]);
    assert_eq!(found[0].kind, DisagreementKind::Missing);
    let (consensus, add) = coder_for_name(&s.project, "Consensus");
    let edit = Edit::Batch(
        add.into_iter()
            .chain([accept(&s.project, &found[0], &[from_b, from_a], consensus, c)])
            .collect(),
    );
    edit.apply(&mut s.project).expect("the edit applies");
    let copies: Vec<&Annotation> = s
        .project
        .annotations
        .values()
        .filter(|a| a.coder == consensus)
        .collect();
    assert_eq!(copies.len(), 1);
    let (_, kept) = provenance(&s.project, copies[0].id).expect("the span records its decision");
    assert_eq!(kept.derived_from, vec![from_a, from_b], "in disagreement order");
}

#[test]
fn accepting_edited_bounds_and_label() {
    let mut r = Review::new();
    let edit = accept_edited(r.project(), &r.found[1], 2..12, r.s.y, r.consensus, r.reviewer);
    r.decide(edit);
    let spans = r.consensus_spans();
    assert_eq!(spans.len(), 1);
    assert_eq!((spans[0].range.clone(), spans[0].label), (2..12, r.s.y));
    assert_eq!(spans[0].quote, &TEXT[2..12]);
    let (_, kept) = provenance(r.project(), spans[0].id).expect("the span records its decision");
    assert_eq!(kept.derived_from, r.found[1].annotations);
    // Bounds outside the text are refused when applied, changing nothing.
    let bad = accept_edited(r.project(), &r.found[0], 0..999, r.s.x, r.consensus, r.reviewer);
    let before = r.project().clone();
    assert_eq!(
        r.history.apply(&mut r.s.project, bad, "bad"),
        Err(EditError::BadRange)
    );
    assert_eq!(r.s.project, before);
}

#[test]
fn rejecting_keeps_nothing_but_settles_the_disagreement() {
    let mut r = Review::new();
    let edit = reject(r.project(), &r.found[2], r.consensus, r.reviewer);
    r.decide(edit);
    assert!(r.consensus_spans().is_empty());
    let decision = decision_for(r.project(), &r.found[2], r.consensus).expect("the disagreement is decided");
    assert!(decision.kept.is_empty());
    assert_eq!(progress(r.project(), &r.found, r.consensus), (1, 3));
    // Accepting none of the disagreement's own spans is a rejection too.
    let stranger = r.span_of(0, r.s.a);
    let edit = accept(r.project(), &r.found[1], &[stranger], r.consensus, r.reviewer);
    r.decide(edit);
    assert!(r.consensus_spans().is_empty());
    assert_eq!(progress(r.project(), &r.found, r.consensus), (2, 3));
}

#[test]
fn re_deciding_replaces_the_earlier_decision_in_one_step() {
    let mut r = Review::new();
    let (from_a, from_b) = (r.span_of(0, r.s.a), r.span_of(0, r.s.b));
    let edit = accept(r.project(), &r.found[0], &[from_a], r.consensus, r.reviewer);
    r.decide(edit);
    let after_a = r.project().clone();

    let edit = accept(r.project(), &r.found[0], &[from_b], r.consensus, r.reviewer);
    r.decide(edit);
    let spans = r.consensus_spans();
    assert_eq!(spans.len(), 1, "A's copy is gone");
    assert_eq!(spans[0].label, r.s.y);
    assert_eq!(r.project().decisions.len(), 1);

    let edit = reject(r.project(), &r.found[0], r.consensus, r.reviewer);
    r.decide(edit);
    assert!(r.consensus_spans().is_empty());
    assert_eq!(r.project().decisions.len(), 1);
    assert_eq!(progress(r.project(), &r.found, r.consensus), (1, 3));

    // Two undos go back to "accepted A" exactly.
    r.history.undo(&mut r.s.project);
    r.history.undo(&mut r.s.project);
    assert_eq!(r.s.project, after_a);

    // A kept span deleted by hand does not stop a re-decision.
    let copy = r.consensus_spans()[0].id;
    r.decide(Edit::RemoveAnnotation(copy));
    let edit = accept(r.project(), &r.found[0], &[from_b], r.consensus, r.reviewer);
    r.decide(edit);
    assert_eq!(r.consensus_spans().len(), 1);
}

#[test]
fn adopting_agreed_spans_is_idempotent() {
    let mut r = Review::new();
    let same = agreed(r.project(), &[r.s.a, r.s.b], &[], &[]);
    assert_eq!(same.len(), 1);
    let edit = adopt_agreed(r.project(), &same, r.consensus, r.reviewer);
    r.decide(edit);
    let spans = r.consensus_spans();
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].range, 25..29);
    let (_, kept) = provenance(r.project(), spans[0].id).expect("the span records its decision");
    assert_eq!(kept.derived_from, same[0].annotations);
    assert_eq!(
        adopt_agreed(r.project(), &same, r.consensus, r.reviewer),
        Edit::Batch(Vec::new())
    );
    assert_eq!(
        progress(r.project(), &r.found, r.consensus),
        (0, 3),
        "agreement is no disagreement"
    );
}

/// Every kind of decision, for the file tests.
fn fully_decided() -> Review {
    let mut r = Review::new();
    let same = agreed(r.project(), &[r.s.a, r.s.b], &[], &[]);
    let from_a = r.span_of(0, r.s.a);
    let edits = [
        adopt_agreed(r.project(), &same, r.consensus, r.reviewer),
        accept(r.project(), &r.found[0], &[from_a], r.consensus, r.reviewer),
        accept_edited(r.project(), &r.found[1], 5..14, r.s.y, r.consensus, r.reviewer),
        reject(r.project(), &r.found[2], r.consensus, r.reviewer),
    ];
    for edit in edits {
        r.decide(edit);
    }
    assert_eq!(progress(r.project(), &r.found, r.consensus), (3, 3));
    r
}

#[test]
fn decisions_and_provenance_survive_save_and_load() {
    let r = fully_decided();
    let text = to_ron_string(r.project());
    assert!(text.contains("\n    decisions: [\n"));
    let loaded = project_file::parse(&text, "review.ron").expect("the project file parses");
    assert_eq!(loaded.repairs, Vec::new());
    assert_eq!(&loaded.project, r.project());
    assert_eq!(to_ron_string(&loaded.project), text, "byte-identical");
    assert_eq!(progress(&loaded.project, &r.found, r.consensus), (3, 3));

    // A project without decisions writes no decisions list, as before.
    let plain = Review::new();
    assert!(!to_ron_string(plain.project()).contains("decisions"));
}

#[test]
fn unknown_ids_in_decisions_are_repaired_not_refused() {
    let r = fully_decided();
    let text = to_ron_string(r.project());
    let (head, block) = text.split_at(
        text.find("\n    decisions: [\n")
            .expect("the file has a decisions block"),
    );
    // A reviewed annotation that is gone, a decider who is gone, and a
    // decision on a document that is gone.
    let gone_annotation = r.span_of(0, r.s.b).to_string();
    let block = block
        .replace(&gone_annotation, &AnnotationId::new().to_string())
        .replace(&r.reviewer.to_string(), &CoderId::new().to_string());
    let mut lines: Vec<String> = block.lines().map(str::to_owned).collect();
    // The rejection of A's lone span (not the decision losing an annotation).
    let lone = r.span_of(2, r.s.a).to_string();
    if let Some(line) = lines
        .iter_mut()
        .find(|l| l.contains("Decision(") && l.contains(&lone))
    {
        *line = line.replace(
            &r.s.d1.to_string(),
            &framecoder_core::model::DocumentId::new().to_string(),
        );
    }
    let edited = format!("{head}{}\n", lines.join("\n"));
    let loaded = project_file::parse(&edited, "review.ron").expect("the project file parses");
    let messages: Vec<String> = loaded.repairs.iter().map(|p| p.message.clone()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("document is not in the project")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("deciding coder")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("reference removed")),
        "{messages:?}"
    );
    let project = &loaded.project;
    assert_eq!(project.decisions.len(), r.project().decisions.len() - 1);
    assert!(project.decisions.iter().all(|d| d.decided_by.is_none()));
    let known = |id: &AnnotationId| project.annotations.contains_key(id);
    assert!(project.decisions.iter().all(|d| d.reviewed.iter().all(known)));
    // Repaired once, it saves clean.
    let again = project_file::parse(&to_ron_string(project), "review.ron").expect("the project file parses");
    assert_eq!(again.repairs, Vec::new());
}

#[test]
fn agreement_against_the_consensus_is_agreement_with_a_coder() {
    let mut r = Review::new();
    // Take A's side everywhere: the consensus then codes exactly as A does.
    let same = agreed(r.project(), &[r.s.a, r.s.b], &[], &[]);
    r.decide(adopt_agreed(r.project(), &same, r.consensus, r.reviewer));
    for n in 0..r.found.len() {
        let from = r.span_of(n, r.s.a);
        let edit = accept(r.project(), &r.found[n], &[from], r.consensus, r.reviewer);
        r.decide(edit);
    }
    let against = |coder: CoderId| {
        agreement(
            r.project(),
            &AgreementOptions {
                coders: vec![coder, r.consensus],
                ..Default::default()
            },
        )
        .expect("agreement is computed")
    };
    assert_eq!(against(r.s.a).pooled.percent, Some(1.0));
    assert!(against(r.s.b).pooled.percent.is_some_and(|p| p < 1.0));
    // And the consensus now has nothing to disagree about with A.
    assert_eq!(
        disagreements(r.project(), &[r.s.a, r.consensus], &[], &[]),
        Vec::new()
    );
}

#[test]
fn coders_and_documents_with_decisions() {
    let mut r = fully_decided();
    // The consensus coder and the reviewer are in use while decisions name them.
    let project = r.project().clone();
    for coder in [r.consensus, r.reviewer] {
        assert!(matches!(
            Edit::RemoveCoder(coder).apply(&mut project.clone()),
            Err(EditError::CoderInUse(_))
        ));
    }
    // Removing the document takes its decisions along, and undo brings them back.
    let edit = ops::remove_document(&project, r.s.d1);
    r.decide(edit);
    assert!(r.project().decisions.is_empty());
    r.history.undo(&mut r.s.project);
    assert_eq!(r.s.project, project);
    // A decision is refused twice, and for an unknown coder.
    let decision = project.decisions[0].clone();
    let mut twice = project.clone();
    assert_eq!(
        Edit::AddDecision(decision.clone()).apply(&mut twice),
        Err(EditError::Duplicate)
    );
    let stranger = framecoder_core::model::Decision {
        decided_by: Some(CoderId::new()),
        reviewed: Vec::new(),
        ..decision
    };
    assert_eq!(
        Edit::AddDecision(stranger).apply(&mut twice),
        Err(EditError::NotFound("coder"))
    );
    assert_eq!(twice, project);
}

/// The reviewer's project merged into a coder's copy that holds the same
/// coding under other ids: each decision comes across with the consensus
/// coder, who decided, and what each kept span derives from, mapped onto
/// the copy's ids; review progress is the same; a second merge changes
/// nothing; a decision the copy took differently is reported, not
/// overwritten.
#[test]
fn merge_carries_review_decisions_with_their_provenance() {
    use framecoder_core::review::merge::merge;
    let mut r = Review::new();
    let mut copy = Project::new("coder copy");
    copy.coders = r.project().coders.clone();
    copy.labels = r.project().labels.clone();
    copy.documents = r.project().documents.clone();
    for annotation in r.project().annotations.values() {
        let fresh = Annotation {
            id: AnnotationId::new(),
            ..annotation.clone()
        };
        copy.annotations.insert(fresh.id, fresh);
    }
    let from = r.span_of(0, r.s.a);
    r.decide(accept(r.project(), &r.found[0], &[from], r.consensus, r.reviewer));
    r.decide(reject(r.project(), &r.found[2], r.consensus, r.reviewer));

    let (edit, report) = merge(&copy, r.project());
    let mut merged = copy.clone();
    edit.apply(&mut merged).expect("the merge applies");
    assert_eq!(merged.decisions.len(), 2, "{:?}", report.lines());
    assert_eq!(
        report.added.iter().filter(|l| l.contains("decision on")).count(),
        2,
        "{:?}",
        report.lines()
    );
    let found = disagreements(&merged, &[r.s.a, r.s.b], &[], &[]);
    assert_eq!(progress(&merged, &found, r.consensus), (2, 3));
    let kept = merged
        .annotations
        .values()
        .find(|a| a.coder == r.consensus)
        .expect("the kept span came across");
    let (decision, provenance) = provenance(&merged, kept.id).expect("its decision came with it");
    assert_eq!(decision.decided_by, Some(r.reviewer));
    let derived = &merged.annotations[&provenance.derived_from[0]];
    assert_eq!(
        (derived.coder, &derived.range),
        (r.s.a, &(0..4)),
        "derived from the copy's own span"
    );
    assert!(
        copy.annotations.contains_key(&derived.id),
        "mapped onto the copy's id"
    );

    let (again, report) = merge(&merged, r.project());
    assert!(report.is_empty(), "{:?}", report.lines());
    let mut twice = merged.clone();
    again.apply(&mut twice).expect("the second merge applies");
    assert_eq!(twice, merged);

    // The copy's reviewer rejected what theirs accepted: mine is kept.
    let mut other = copy.clone();
    let mine_found = disagreements(&other, &[r.s.a, r.s.b], &[], &[]);
    reject(&other, &mine_found[0], r.consensus, r.reviewer)
        .apply(&mut other)
        .expect("the decision applies");
    let (edit, report) = merge(&other, r.project());
    let mut result = other.clone();
    edit.apply(&mut result).expect("the merge applies");
    assert!(
        report
            .conflicts
            .iter()
            .any(|l| l.contains("decided differently in mine")),
        "{:?}",
        report.lines()
    );
    let first = result
        .decisions
        .iter()
        .find(|d| d.reviewed.len() == 2 && d.reviewed.iter().all(|id| other.annotations[id].range == (0..4)))
        .expect("the decision on the first disagreement");
    assert!(first.kept.is_empty(), "mine (a rejection) is kept");
}
