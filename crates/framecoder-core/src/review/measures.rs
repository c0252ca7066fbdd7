//! Agreement measures, as pure functions over coded units. Units carry a
//! weight so that a run of identical units (a stretch of characters coded
//! the same way by everybody) counts once with its length instead of being
//! repeated a million times.
//!
//! Verified against worked examples from the literature in the tests below.

use std::collections::BTreeMap;

/// A nominal value; the caller maps labels or label sets to numbers.
pub type Value = u32;

/// Percent agreement (0–1): for each unit, the share of pairs of coders
/// that agree, averaged over units (weighted). Units with fewer than two
/// values are not pairable and are skipped. `None` when nothing is pairable.
pub fn percent_agreement<'a>(units: impl IntoIterator<Item = (f64, &'a [Option<Value>])>) -> Option<f64> {
    let mut agreeing = 0.0;
    let mut total = 0.0;
    for (weight, values) in units {
        let present: Vec<Value> = values.iter().flatten().copied().collect();
        let m = present.len();
        if m < 2 {
            continue;
        }
        let pairs = (m * (m - 1) / 2) as f64;
        let mut same = 0usize;
        for i in 0..m {
            for j in i + 1..m {
                same += usize::from(present[i] == present[j]);
            }
        }
        agreeing += weight * same as f64 / pairs;
        total += weight;
    }
    (total > 0.0).then(|| agreeing / total)
}

/// Cohen's kappa for two coders over weighted pairs of values; units where
/// either value is missing are skipped. `None` when chance agreement is
/// total (one value throughout), where kappa is undefined.
pub fn cohen_kappa(pairs: impl IntoIterator<Item = (f64, Value, Value)>) -> Option<f64> {
    let mut total = 0.0;
    let mut observed = 0.0;
    let mut first: BTreeMap<Value, f64> = BTreeMap::new();
    let mut second: BTreeMap<Value, f64> = BTreeMap::new();
    for (weight, a, b) in pairs {
        total += weight;
        if a == b {
            observed += weight;
        }
        *first.entry(a).or_default() += weight;
        *second.entry(b).or_default() += weight;
    }
    if total <= 0.0 {
        return None;
    }
    let po = observed / total;
    let pe: f64 = first
        .iter()
        .map(|(value, n)| n / total * second.get(value).copied().unwrap_or(0.0) / total)
        .sum();
    if (1.0 - pe).abs() < 1e-12 {
        return None;
    }
    Some((po - pe) / (1.0 - pe))
}

/// Krippendorff's alpha for nominal data, any number of coders, missing
/// values allowed (Krippendorff 2011, "Computing Krippendorff's
/// Alpha-Reliability", via the coincidence matrix). `None` when there is
/// no variation at all (a single value), where alpha is undefined.
pub fn krippendorff_alpha_nominal<'a>(
    units: impl IntoIterator<Item = (f64, &'a [Option<Value>])>,
) -> Option<f64> {
    // Coincidences: o[c][k]; only the diagonal and the margins are needed
    // for nominal data.
    let mut diagonal: BTreeMap<Value, f64> = BTreeMap::new();
    let mut margins: BTreeMap<Value, f64> = BTreeMap::new();
    let mut counts: Vec<(Value, f64)> = Vec::new();
    for (weight, values) in units {
        counts.clear();
        let mut m = 0.0;
        for value in values.iter().flatten() {
            m += 1.0;
            match counts.iter_mut().find(|(v, _)| v == value) {
                Some((_, n)) => *n += 1.0,
                None => counts.push((*value, 1.0)),
            }
        }
        if m < 2.0 {
            continue;
        }
        for &(value, n) in &counts {
            // Each value pairs with the m - 1 others in its unit.
            *diagonal.entry(value).or_default() += weight * n * (n - 1.0) / (m - 1.0);
            *margins.entry(value).or_default() += weight * n;
        }
    }
    let n: f64 = margins.values().sum();
    let agreeing: f64 = diagonal.values().sum();
    let chance: f64 = n * n - margins.values().map(|nc| nc * nc).sum::<f64>();
    if n <= 1.0 || chance <= 1e-12 {
        return None;
    }
    Some(1.0 - (n - 1.0) * (n - agreeing) / chance)
}

/// One coder's units of one category on the continuum: sorted,
/// non-overlapping `(begin, length)` pairs, lengths > 0.
pub type Unitizing = Vec<(u64, u64)>;

/// Merges overlapping or touching ranges of one coder, as the unitizing
/// measure requires non-overlapping units per coder and category.
pub fn normalize_units(mut ranges: Vec<(u64, u64)>) -> Unitizing {
    ranges.retain(|&(_, length)| length > 0);
    ranges.sort_unstable();
    let mut merged: Unitizing = Vec::with_capacity(ranges.len());
    for (begin, length) in ranges {
        match merged.last_mut() {
            Some((last_begin, last_length)) if begin <= *last_begin + *last_length => {
                let end = (begin + length).max(*last_begin + *last_length);
                *last_length = end - *last_begin;
            }
            _ => merged.push((begin, length)),
        }
    }
    merged
}

/// A section of one coder's segmentation: a unit or the gap between units.
#[derive(Clone, Copy, Debug)]
struct Section {
    begin: u64,
    length: u64,
    is_unit: bool,
}

fn sections(units: &[(u64, u64)], begin: u64, length: u64) -> Vec<Section> {
    let end = begin + length;
    let mut out = Vec::with_capacity(units.len() * 2 + 1);
    let mut position = begin;
    for &(unit_begin, unit_length) in units {
        let unit_begin = unit_begin.clamp(begin, end);
        let unit_end = (unit_begin + unit_length).min(end);
        if unit_begin > position {
            out.push(Section {
                begin: position,
                length: unit_begin - position,
                is_unit: false,
            });
        }
        if unit_end > unit_begin {
            out.push(Section {
                begin: unit_begin,
                length: unit_end - unit_begin,
                is_unit: true,
            });
        }
        position = position.max(unit_end);
    }
    if position < end {
        out.push(Section {
            begin: position,
            length: end - position,
            is_unit: false,
        });
    }
    out
}

/// Squared difference of two sections (Krippendorff 1995; 2004 §12.4).
fn delta_squared(g: Section, h: Section) -> f64 {
    let (bg, lg, bh, lh) = (g.begin as f64, g.length as f64, h.begin as f64, h.length as f64);
    let begin_diff = bg - bh;
    let length_diff = lg - lh;
    match (g.is_unit, h.is_unit) {
        // Two overlapping units: how far apart their two ends are.
        (true, true) if -lg < begin_diff && begin_diff < lh => {
            begin_diff * begin_diff + (begin_diff + length_diff) * (begin_diff + length_diff)
        }
        // A unit inside the other coder's gap: missed entirely.
        (true, false) if -length_diff >= begin_diff && begin_diff >= 0.0 => lg * lg,
        (false, true) if -length_diff <= begin_diff && begin_diff <= 0.0 => lh * lh,
        _ => 0.0,
    }
}

/// Krippendorff's unitizing alpha (αU) for one category over the continuum
/// `[begin, begin + length)`, for two or more coders, each given as their
/// units of that category (see [`normalize_units`]). `None` when the
/// expected disagreement is zero (no coder marked anything).
pub fn alpha_unitizing(begin: u64, length: u64, coders: &[Unitizing]) -> Option<f64> {
    let m = coders.len();
    if m < 2 || length == 0 {
        return None;
    }
    let l = length as f64;
    let segmentations: Vec<Vec<Section>> = coders
        .iter()
        .map(|units| sections(units, begin, length))
        .collect();

    // Observed: every pair of coders, every pair of their sections that
    // overlap (a sweep visits each such pair once).
    let mut observed = 0.0;
    for a in 0..m {
        for b in a + 1..m {
            let (first, second) = (&segmentations[a], &segmentations[b]);
            let (mut i, mut j) = (0, 0);
            while i < first.len() && j < second.len() {
                let (g, h) = (first[i], second[j]);
                observed += delta_squared(g, h);
                let (g_end, h_end) = (g.begin + g.length, h.begin + h.length);
                if g_end <= h_end {
                    i += 1;
                }
                if h_end <= g_end {
                    j += 1;
                }
            }
        }
    }
    let observed = 2.0 * observed / ((m * (m - 1)) as f64 * l * l);

    // Expected: all ways the observed units could fall into observed gaps.
    let units: Vec<f64> = segmentations
        .iter()
        .flatten()
        .filter(|s| s.is_unit)
        .map(|s| s.length as f64)
        .collect();
    let mut gaps: Vec<f64> = segmentations
        .iter()
        .flatten()
        .filter(|s| !s.is_unit)
        .map(|s| s.length as f64)
        .collect();
    gaps.sort_by(f64::total_cmp);
    // suffix[i] = sum of gaps[i..], so "gaps at least as long as a unit"
    // is one binary search away.
    let mut suffix = vec![0.0; gaps.len() + 1];
    for i in (0..gaps.len()).rev() {
        suffix[i] = suffix[i + 1] + gaps[i];
    }
    let n_units = units.len() as f64;
    let mut numerator = 0.0;
    for &lu in &units {
        let within_units = (n_units - 1.0) * (2.0 * lu * lu * lu - 3.0 * lu * lu + lu) / 3.0;
        let from = gaps.partition_point(|&g| g < lu);
        let count = (gaps.len() - from) as f64;
        let into_gaps = lu * lu * (suffix[from] - count * (lu - 1.0));
        numerator += within_units + into_gaps;
    }
    let squared_lengths: f64 = units.iter().map(|lu| lu * (lu - 1.0)).sum();
    let ml = m as f64 * l;
    let denominator = ml * (ml - 1.0) - squared_lengths;
    if denominator <= 0.0 {
        return None;
    }
    let expected = 2.0 / l * numerator / denominator;
    if expected <= 1e-15 {
        return None;
    }
    Some(1.0 - observed / expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(actual: Option<f64>, expected: f64, tolerance: f64) {
        let actual = actual.unwrap_or(f64::NAN);
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} ≠ {expected} ± {tolerance}"
        );
    }

    fn digits(s: &str) -> Vec<Value> {
        s.split_whitespace().filter_map(|d| d.parse().ok()).collect()
    }

    /// Krippendorff (1995), "On the reliability of unitizing continuous
    /// data", p. 57, example A (Bertha and Bill) digitised into 24 units;
    /// the published κ = .385 and α = .329.
    #[test]
    fn krippendorff_1995_example_a() {
        let bertha = digits("0 0 1 1 1 1 1 1 1 1 0 0 0 0 1 1 1 1 1 1 0 0 0 0");
        let bill = digits("0 0 0 0 1 1 1 1 0 0 0 0 0 0 0 1 1 0 0 0 0 0 0 0");
        close(
            cohen_kappa(bertha.iter().zip(&bill).map(|(&a, &b)| (1.0, a, b))),
            0.385,
            0.001,
        );
        let units: Vec<[Option<Value>; 2]> = bertha
            .iter()
            .zip(&bill)
            .map(|(&a, &b)| [Some(a), Some(b)])
            .collect();
        close(
            krippendorff_alpha_nominal(units.iter().map(|u| (1.0, &u[..]))),
            0.329,
            0.001,
        );
        close(
            percent_agreement(units.iter().map(|u| (1.0, &u[..]))),
            16.0 / 24.0,
            1e-9,
        );
    }

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
    /// the nominal example with four observers, twelve units and missing
    /// values: α = 0.743.
    #[test]
    fn krippendorff_2011_nominal_with_missing_values() {
        let rows = [
            "1 2 3 3 2 1 4 1 2 . . .",
            "1 2 3 3 2 2 4 1 2 5 . 3",
            ". 3 3 3 2 3 4 2 2 5 1 .",
            "1 2 3 3 2 4 4 1 2 5 1 .",
        ];
        let parsed: Vec<Vec<Option<Value>>> = rows
            .iter()
            .map(|r| r.split_whitespace().map(|v| v.parse().ok()).collect())
            .collect();
        let units: Vec<Vec<Option<Value>>> = (0..12)
            .map(|u| parsed.iter().map(|row| row[u]).collect())
            .collect();
        close(
            krippendorff_alpha_nominal(units.iter().map(|u| (1.0, u.as_slice()))),
            0.743,
            0.001,
        );
    }

    /// Krippendorff (2004), Content Analysis, 2nd ed., p. 254 (also used by
    /// DKPro Statistics' tests): two observers on the continuum [150, 450);
    /// category c gives uDo = .0144, uDe = .0532, αU = .7286; category k,
    /// coded identically, gives αU = 1.
    #[test]
    fn krippendorff_2004_unitizing_example() {
        let i = normalize_units(vec![(225, 70), (370, 30)]);
        let j = normalize_units(vec![(220, 80), (355, 20), (400, 20)]);
        close(alpha_unitizing(150, 300, &[i, j]), 0.7286, 0.0005);
        let k = normalize_units(vec![(180, 60), (300, 50)]);
        close(alpha_unitizing(150, 300, &[k.clone(), k]), 1.0, 1e-12);
    }

    #[test]
    fn distance_function_matches_the_book() {
        let unit = |begin, length| Section {
            begin,
            length,
            is_unit: true,
        };
        let gap = |begin, length| Section {
            begin,
            length,
            is_unit: false,
        };
        // Krippendorff (2004) p. 252's pairs, as in DKPro's tests.
        assert_eq!(delta_squared(unit(225, 70), unit(220, 80)), 50.0);
        assert_eq!(delta_squared(unit(370, 30), unit(355, 20)), 850.0);
        assert_eq!(delta_squared(gap(400, 50), unit(400, 20)), 400.0);
        assert_eq!(delta_squared(unit(5, 6), unit(4, 2)), 26.0);
        assert_eq!(delta_squared(unit(5, 6), unit(5, 6)), 0.0);
    }

    #[test]
    fn undefined_cases_are_none() {
        assert_eq!(cohen_kappa([(5.0, 1, 1)]), None);
        let same = [Some(1), Some(1)];
        assert_eq!(krippendorff_alpha_nominal([(3.0, &same[..])]), None);
        assert_eq!(alpha_unitizing(0, 10, &[vec![], vec![]]), None);
        assert_eq!(percent_agreement(std::iter::empty()), None);
    }

    fn coded() -> impl Strategy<Value = Vec<(Value, Value, Value)>> {
        proptest::collection::vec((0u32..3, 0u32..3, 0u32..3), 4..40)
    }

    proptest! {
        #[test]
        fn identical_coding_gives_one(values in proptest::collection::vec(0u32..4, 2..60)) {
            prop_assume!(values.iter().any(|&v| v != values[0]));
            let units: Vec<[Option<Value>; 3]> = values.iter().map(|&v| [Some(v); 3]).collect();
            let alpha = krippendorff_alpha_nominal(units.iter().map(|u| (1.0, &u[..])));
            prop_assert!((alpha.unwrap_or(0.0) - 1.0).abs() < 1e-9);
            let kappa = cohen_kappa(values.iter().map(|&v| (1.0, v, v)));
            prop_assert!((kappa.unwrap_or(0.0) - 1.0).abs() < 1e-9);
        }

        #[test]
        fn symmetric_in_coders_and_invariant_to_unit_order(rows in coded()) {
            let forward: Vec<[Option<Value>; 3]> = rows.iter().map(|&(a, b, c)| [Some(a), Some(b), Some(c)]).collect();
            let swapped: Vec<[Option<Value>; 3]> = rows.iter().rev().map(|&(a, b, c)| [Some(c), Some(a), Some(b)]).collect();
            let a1 = krippendorff_alpha_nominal(forward.iter().map(|u| (1.0, &u[..])));
            let a2 = krippendorff_alpha_nominal(swapped.iter().map(|u| (1.0, &u[..])));
            prop_assert_eq!(a1.map(|a| (a * 1e9).round()), a2.map(|a| (a * 1e9).round()));
            let k1 = cohen_kappa(rows.iter().map(|&(a, b, _)| (1.0, a, b)));
            let k2 = cohen_kappa(rows.iter().rev().map(|&(a, b, _)| (1.0, b, a)));
            prop_assert_eq!(k1.map(|k| (k * 1e9).round()), k2.map(|k| (k * 1e9).round()));
        }

        #[test]
        fn weights_equal_repetition(rows in coded(), weight in 1u32..5) {
            let repeated: Vec<[Option<Value>; 3]> = rows
                .iter()
                .flat_map(|&(a, b, c)| std::iter::repeat_n([Some(a), Some(b), Some(c)], weight as usize))
                .collect();
            let once: Vec<[Option<Value>; 3]> = rows.iter().map(|&(a, b, c)| [Some(a), Some(b), Some(c)]).collect();
            let a1 = krippendorff_alpha_nominal(repeated.iter().map(|u| (1.0, &u[..])));
            let a2 = krippendorff_alpha_nominal(once.iter().map(|u| (f64::from(weight), &u[..])));
            // Alpha's small-sample correction uses the total count n, so
            // weights and repetition agree exactly.
            prop_assert_eq!(a1.map(|a| (a * 1e9).round()), a2.map(|a| (a * 1e9).round()));
        }

        #[test]
        fn unitizing_is_symmetric_and_one_when_identical(
            raw in proptest::collection::vec((0u64..200, 1u64..30), 1..8),
            other in proptest::collection::vec((0u64..200, 1u64..30), 0..8),
        ) {
            let a = normalize_units(raw);
            let b = normalize_units(other);
            let same = alpha_unitizing(0, 240, &[a.clone(), a.clone()]);
            prop_assert!((same.unwrap_or(0.0) - 1.0).abs() < 1e-9);
            let ab = alpha_unitizing(0, 240, &[a.clone(), b.clone()]);
            let ba = alpha_unitizing(0, 240, &[b, a]);
            prop_assert_eq!(ab.map(|x| (x * 1e9).round()), ba.map(|x| (x * 1e9).round()));
        }
    }
}
