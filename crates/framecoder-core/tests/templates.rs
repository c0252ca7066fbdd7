//! Codebook templates load like any project, cite their source, and start
//! or extend a project without duplicating a label.

use framecoder_core::model::{LabelKind, Project};
use framecoder_core::usecase::templates;

#[test]
fn every_template_loads_cleanly_and_cites_its_source() {
    let all = templates::templates();
    let names: Vec<&str> = all.iter().map(|t| t.name).collect();
    assert_eq!(names, ["policy-frames", "entman", "claims"]);
    let policy = templates::template("Policy_Frames").expect("names are forgiving");
    let frames: Vec<&str> = policy
        .project
        .labels
        .iter()
        .filter(|l| l.kind == LabelKind::Frame)
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(frames.len(), 15);
    assert_eq!(frames[0], "Economic");
    assert_eq!(frames[14], "Other");
    assert!(policy.project.labels.iter().all(|l| !l.description.is_empty()));
    assert!(policy.project.memo.contains("Boydstun") && policy.project.memo.contains("2014"));
    let entman = templates::template("entman").expect("a template");
    assert_eq!(entman.project.labels.len(), 4);
    assert!(entman.project.memo.contains("Entman") && entman.project.memo.contains("1993"));
    let claims = templates::template("claims").expect("a template");
    let attributes: Vec<&str> = claims
        .project
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(attributes, ["claimant", "stance", "verifiability"]);
    assert!(templates::template("nope").is_err());
}

#[test]
fn adding_a_template_twice_adds_it_once_and_projects_from_it_share_label_ids() {
    let mut project = Project::new("study");
    let (edit, report) = templates::add_to(&project, "claims").expect("the template exists");
    edit.apply(&mut project).expect("the edit applies");
    assert_eq!(project.labels.len(), 3, "{:?}", report.lines());
    assert_eq!(project.attributes.len(), 3);
    assert!(
        project.memo.is_empty(),
        "the template's memo stays out of the study's"
    );
    let (_, again) = templates::add_to(&project, "claims").expect("the template exists");
    assert!(again.is_empty(), "{:?}", again.lines());

    let ana = templates::new_project("policy-frames", "Ana").expect("a project");
    let ben = templates::new_project("policy-frames", "Ben").expect("a project");
    let (_, merged) = framecoder_core::review::merge::merge(&ana, &ben);
    assert!(
        merged.added.iter().all(|l| !l.starts_with("label")),
        "{:?}",
        merged.lines()
    );
}
