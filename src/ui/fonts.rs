//! Fonts that draw any script a transcript may hold. egui's defaults cover
//! Latin, Greek and Cyrillic, and a subset of emoji; we bundle the complete
//! monochrome Noto Emoji (every emoji of Unicode 15, 🌮 included) and Droid
//! Sans Fallback for CJK, and add common system fonts (when present) for
//! everything else, so no quote ever shows as boxes. (egui draws one glyph
//! per code point: ZWJ sequences such as 👩‍👩‍👧 show as their parts.)

use egui::{FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

const CJK_FALLBACK: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallback.ttf");
/// Noto Emoji 3.006, weight 400 (SIL OFL 1.1, see `NotoEmoji-OFL.txt`).
const EMOJI: &[u8] = include_bytes!("../../assets/fonts/NotoEmoji-Regular.ttf");

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
    // Ahead of egui's emoji subset, right after the text font.
    fonts
        .font_data
        .insert("noto-emoji".to_owned(), Arc::new(FontData::from_static(EMOJI)));
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let list = fonts.families.entry(family).or_default();
        list.insert(list.len().min(1), "noto-emoji".to_owned());
    }
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

#[cfg(test)]
mod tests {
    use super::install;
    use egui::{FontFamily, FontId};

    #[test]
    fn emoji_of_every_age_and_cjk_have_glyphs() {
        let ctx = egui::Context::default();
        install(&ctx);
        // Fonts are only loaded in a pass.
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            let font = FontId::new(14.0, family);
            // 🌮 (Unicode 8), 🥲 (13), 🫠 (14), 🪿 (15), flags' letters, CJK.
            for text in ["🌮", "🥲", "🫠", "🪿", "🇲🇽", "中文", "Señor Peña", "é"] {
                let drawn = ctx.fonts_mut(|fonts| fonts.has_glyphs(&font, text));
                assert!(drawn, "{text:?} would show as boxes in {font:?}");
            }
        }
    }
}
