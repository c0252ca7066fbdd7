//! Fonts that draw any script a transcript may hold. egui's defaults cover
//! Latin, Greek, Cyrillic and emoji; we bundle Droid Sans Fallback for CJK
//! and add common system fonts (when present) for everything else, so no
//! quote ever shows as boxes.

use egui::{FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

const CJK_FALLBACK: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallback.ttf");

/// System fonts with wide coverage (Arabic, Hebrew, Armenian, Georgian, …),
/// tried in order; missing ones are skipped.
const SYSTEM_FALLBACKS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:\\Windows\\Fonts\\seguisym.ttf",
];

/// Installs the fallback fonts into `ctx`.
pub fn install(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    let mut fallbacks = vec![("cjk-fallback".to_owned(), FontData::from_static(CJK_FALLBACK))];
    for (i, path) in SYSTEM_FALLBACKS.iter().enumerate() {
        if let Ok(bytes) = std::fs::read(path) {
            fallbacks.push((format!("system-fallback-{i}"), FontData::from_owned(bytes)));
        }
    }
    for (name, data) in fallbacks {
        fonts.font_data.insert(name.clone(), Arc::new(data));
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            fonts.families.entry(family).or_default().push(name.clone());
        }
    }
    ctx.set_fonts(fonts);
}
