//! Chance-corrected agreement for any number of coders, beside Cohen's κ
//! and Krippendorff's α in [`super::measures`]: Fleiss' κ, and Gwet's AC1,
//! which stays meaningful when one value dominates (most text uncoded),
//! where κ collapses towards 0 although coders agree on almost every unit.
//!
//! Both take the same weighted units as the other measures: a weight (how
//! many identical units the row stands for) and each coder's value, `None`
//! when that coder did not code the unit. Units with fewer than two values
//! are not pairable; they are skipped for observed agreement (Gwet counts
//! them in the category shares, as his formulas for missing ratings do).

use super::measures::Value;
use std::collections::BTreeMap;

/// Per-unit counts: (weight, number of values, count per value).
fn tallies<'a>(
    units: impl IntoIterator<Item = (f64, &'a [Option<Value>])>,
) -> Vec<(f64, f64, BTreeMap<Value, f64>)> {
    units
        .into_iter()
        .map(|(weight, values)| {
            let mut counts: BTreeMap<Value, f64> = BTreeMap::new();
            for value in values.iter().flatten() {
                *counts.entry(*value).or_default() += 1.0;
            }
            let m = counts.values().sum();
            (weight, m, counts)
        })
        .filter(|(weight, m, _)| *weight > 0.0 && *m > 0.0)
        .collect()
}

/// Observed agreement: per pairable unit, the share of agreeing ordered
/// pairs of values, Σ n_k(n_k − 1) / (m(m − 1)), averaged (weighted).
fn observed(tallies: &[(f64, f64, BTreeMap<Value, f64>)]) -> Option<f64> {
    let mut total = 0.0;
    let mut sum = 0.0;
    for (weight, m, counts) in tallies.iter().filter(|(_, m, _)| *m >= 2.0) {
        let agreeing: f64 = counts.values().map(|n| n * (n - 1.0)).sum();
        sum += weight * agreeing / (m * (m - 1.0));
        total += weight;
    }
    (total > 0.0).then(|| sum / total)
}

/// π_k: the mean over rated units (weighted) of the share of a unit's
/// values that are k — Gwet's category shares, which count every rated
/// unit, pairable or not.
fn shares(tallies: &[(f64, f64, BTreeMap<Value, f64>)]) -> BTreeMap<Value, f64> {
    let mut shares: BTreeMap<Value, f64> = BTreeMap::new();
    let mut rated = 0.0;
    for (weight, m, counts) in tallies {
        for (value, n) in counts {
            *shares.entry(*value).or_default() += weight * n / m;
        }
        rated += weight;
    }
    for share in shares.values_mut() {
        *share /= rated;
    }
    shares
}

fn corrected(observed: f64, chance: f64) -> Option<f64> {
    ((1.0 - chance).abs() >= 1e-12).then(|| (observed - chance) / (1.0 - chance))
}

/// Fleiss' κ (Fleiss 1971, "Measuring nominal scale agreement among many
/// raters", Psychological Bulletin 76(5)): P̄ is the observed agreement
/// over pairable units and P̄e = Σ π_k². With missing ratings, π_k are
/// Gwet's category shares (Gwet 2014, *Handbook of Inter-Rater
/// Reliability*, 4th ed., §2.5), which reduce to Fleiss' p_k when every
/// unit has the same number of values. `None` when P̄e = 1 (one value
/// throughout) or nothing is pairable.
pub fn fleiss_kappa<'a>(units: impl IntoIterator<Item = (f64, &'a [Option<Value>])>) -> Option<f64> {
    let tallies = tallies(units);
    let observed = observed(&tallies)?;
    let chance: f64 = shares(&tallies).values().map(|p| p * p).sum();
    corrected(observed, chance)
}

/// Gwet's AC1 (Gwet 2008, "Computing inter-rater reliability and its
/// variance in the presence of high agreement", British Journal of
/// Mathematical and Statistical Psychology 61; multiple raters with
/// missing ratings as in Gwet 2014, ch. 2): Pa is the observed agreement
/// over pairable units; Pe = Σ π_k(1 − π_k) / (q − 1) with π_k Gwet's
/// category shares and q the number of categories.
///
/// `categories` is q, the number of values the scale has (2 for "coded
/// with this label or not"); when it is smaller than the number of values
/// seen, the values seen are counted instead. `None` when q < 2 or nothing
/// is pairable.
pub fn gwet_ac1<'a>(
    units: impl IntoIterator<Item = (f64, &'a [Option<Value>])>,
    categories: usize,
) -> Option<f64> {
    let tallies = tallies(units);
    let observed = observed(&tallies)?;
    let shares = shares(&tallies);
    let q = categories.max(shares.len()) as f64;
    if q < 2.0 {
        return None;
    }
    let chance = shares.values().map(|pi| pi * (1.0 - pi)).sum::<f64>() / (q - 1.0);
    corrected(observed, chance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: Option<f64>, expected: f64) {
        let actual = actual.unwrap_or(f64::NAN);
        assert!((actual - expected).abs() < 5e-4, "{actual} != {expected}");
    }

    /// Rows of category counts → units of values (raters are exchangeable
    /// for both measures, so which coder gave which value does not matter).
    fn units(rows: &[&[u32]]) -> Vec<Vec<Option<Value>>> {
        rows.iter()
            .map(|counts| {
                counts
                    .iter()
                    .enumerate()
                    .flat_map(|(k, &n)| std::iter::repeat_n(Some(k as Value), n as usize))
                    .collect()
            })
            .collect()
    }

    /// Fleiss (1971)'s layout as worked on Wikipedia's "Fleiss' kappa"
    /// page: 10 subjects, 14 raters, 5 categories; P̄ = 0.378,
    /// P̄e = 0.213, κ = 0.210.
    #[test]
    fn fleiss_worked_example() {
        let rows: [&[u32]; 10] = [
            &[0, 0, 0, 0, 14],
            &[0, 2, 6, 4, 2],
            &[0, 0, 3, 5, 6],
            &[0, 3, 9, 2, 0],
            &[2, 2, 8, 1, 1],
            &[7, 7, 0, 0, 0],
            &[3, 2, 6, 3, 0],
            &[2, 5, 3, 2, 2],
            &[6, 5, 2, 1, 0],
            &[0, 2, 2, 3, 7],
        ];
        let units = units(&rows);
        close(fleiss_kappa(units.iter().map(|u| (1.0, u.as_slice()))), 0.2099);
    }

    /// Two coders, 10 units, "coded" (1) on 1 unit by both and on one more
    /// by one coder only, "not coded" (0) elsewhere. By hand: Pa = 9/10;
    /// π1 = (1 + 0.5)/10 = 0.15, π0 = 0.85, Pe = 2·0.15·0.85/1 = 0.255,
    /// AC1 = (0.9 − 0.255)/(1 − 0.255) = 0.8658; Fleiss: p1 = 3/20,
    /// P̄e = 0.15² + 0.85² = 0.745, κ = (0.9 − 0.745)/0.255 = 0.6078.
    #[test]
    fn rare_label_by_hand() {
        let mut units: Vec<Vec<Option<Value>>> = vec![vec![Some(0), Some(0)]; 8];
        units.push(vec![Some(1), Some(1)]);
        units.push(vec![Some(1), Some(0)]);
        let rows = || units.iter().map(|u| (1.0, u.as_slice()));
        close(gwet_ac1(rows(), 2), 0.8658);
        close(fleiss_kappa(rows()), 0.6078);
    }

    /// Missing ratings, checked against the reference implementation of
    /// Gwet's formulas (irrCAC 0.4 for Python, `CAC(df).gwet()` and
    /// `.fleiss()`, raters as columns): AC1 0.72628, Fleiss 0.57386.
    #[test]
    fn missing_ratings_match_the_reference_implementation() {
        let a = [Some(1), Some(1), None];
        let b = [Some(0), Some(1), Some(1)];
        let c = [Some(0), None, None];
        let rows = || [(3.0, &a[..]), (1.0, &b[..]), (1.0, &c[..])];
        close(gwet_ac1(rows(), 2), 0.72628);
        close(fleiss_kappa(rows()), 0.57386);
    }

    #[test]
    fn weights_equal_repetition_and_missing_values_are_skipped() {
        let a = [Some(1), Some(1), None];
        let b = [Some(0), Some(1), Some(1)];
        let c = [Some(0), None, None];
        let repeated = [
            (1.0, &a[..]),
            (1.0, &a[..]),
            (1.0, &a[..]),
            (1.0, &b[..]),
            (1.0, &c[..]),
        ];
        let weighted = [(3.0, &a[..]), (1.0, &b[..]), (1.0, &c[..])];
        for (x, y) in [
            (fleiss_kappa(repeated), fleiss_kappa(weighted)),
            (gwet_ac1(repeated, 2), gwet_ac1(weighted, 2)),
        ] {
            let (x, y) = (x.unwrap_or(f64::NAN), y.unwrap_or(f64::NAN));
            assert!((x - y).abs() < 1e-12, "{x} != {y}");
        }
    }

    #[test]
    fn undefined_cases_are_none() {
        let same = [Some(1), Some(1)];
        assert_eq!(fleiss_kappa([(1.0, &same[..])]), None, "one value throughout");
        let lone = [Some(1), None];
        assert_eq!(gwet_ac1([(1.0, &lone[..])], 2), None, "nothing pairable");
        assert_eq!(fleiss_kappa(std::iter::empty()), None);
    }
}
