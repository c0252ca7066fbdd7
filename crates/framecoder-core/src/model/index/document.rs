//! The spans of one document, sorted by position, with what the views
//! derive from that order: the running maximum of ends (to find the spans
//! reaching a position by binary search) and the coding-stripe lane of each
//! span. An edit inserts or removes single spans and repairs only the part
//! of the derived data that the span can affect, so coding stays as cheap
//! at 60,000 annotations as at 1,000.

use crate::model::AnnotationId;
use std::ops::Range;

/// A lane not assigned yet (only between inserting a span and re-laning).
const UNASSIGNED: u32 = u32::MAX;

/// Annotations of one document sorted by (start, end, id).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentSpans {
    spans: Vec<(Range<usize>, AnnotationId)>,
    /// `max_end[i]` = the largest end among `spans[..=i]`; monotone, so the
    /// first span that can reach a position is found by binary search.
    max_end: Vec<usize>,
    /// Coding-stripe lane of each span: greedy interval colouring in span
    /// order (each span takes the lowest lane free again by its start), so
    /// overlapping spans never share a lane.
    lane: Vec<u32>,
    /// How many spans use each lane; its length is the number of lanes
    /// (trailing zeros are trimmed so equal span sets compare equal).
    lane_use: Vec<u32>,
}

impl DocumentSpans {
    /// Indexes `spans` (any order).
    pub(super) fn from_spans(mut spans: Vec<(Range<usize>, AnnotationId)>) -> Self {
        spans.sort_by_key(|(r, id)| (r.start, r.end, *id));
        let mut max = 0;
        let max_end = spans
            .iter()
            .map(|(r, _)| {
                max = max.max(r.end);
                max
            })
            .collect();
        let mut this = Self {
            lane: vec![UNASSIGNED; spans.len()],
            spans,
            max_end,
            lane_use: Vec::new(),
        };
        // A changed end past every start: colour to the very end.
        this.relane_from(0, usize::MAX);
        this
    }

    /// Annotations whose range intersects `range` (an empty annotation
    /// counts when it sits inside `range`), in order of start.
    pub fn overlapping(&self, range: Range<usize>) -> impl Iterator<Item = (&Range<usize>, AnnotationId)> {
        self.overlapping_at(range).map(|(_, r, id)| (r, id))
    }

    /// Like [`Self::overlapping`], with each span's position in
    /// [`Self::iter`] order (see [`Self::lane`]).
    pub fn overlapping_at(
        &self,
        range: Range<usize>,
    ) -> impl Iterator<Item = (usize, &Range<usize>, AnnotationId)> {
        let upto = self
            .spans
            .partition_point(|(r, _)| r.start < range.end.max(range.start + 1));
        let from = self.max_end.partition_point(|&end| end <= range.start).min(upto);
        self.spans[from..upto]
            .iter()
            .enumerate()
            .filter(move |(_, (r, _))| r.end > range.start || (r.is_empty() && r.start >= range.start))
            .map(move |(i, (r, id))| (from + i, r, *id))
    }

    /// Every span, sorted by (start, end, id).
    pub fn iter(&self) -> impl Iterator<Item = (&Range<usize>, AnnotationId)> {
        self.spans.iter().map(|(r, id)| (r, *id))
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The coding-stripe lane of the span at `position` (in [`Self::iter`]
    /// order); 0 for a position out of range.
    pub fn lane(&self, position: usize) -> usize {
        self.lane.get(position).map_or(0, |&l| l as usize)
    }

    /// How many lanes the spans need (the most spans overlapping at once,
    /// as the greedy colouring counts them).
    pub fn lane_count(&self) -> usize {
        self.lane_use.len()
    }

    /// Adds one span, repairing the running maximum and the lanes it can
    /// change.
    pub(super) fn insert(&mut self, range: Range<usize>, id: AnnotationId) {
        let key = (range.start, range.end, id);
        let at = self.spans.partition_point(|(r, i)| (r.start, r.end, *i) < key);
        let before = at.checked_sub(1).map_or(0, |i| self.max_end[i]);
        self.spans.insert(at, (range.clone(), id));
        self.max_end.insert(at, before.max(range.end));
        // The maximum is monotone: once it reaches this end it stays above.
        for max in &mut self.max_end[at + 1..] {
            if *max >= range.end {
                break;
            }
            *max = range.end;
        }
        self.lane.insert(at, UNASSIGNED);
        self.relane_from(at, range.end);
    }

    /// Removes one span; false when it is not here (the caller rebuilds).
    pub(super) fn remove(&mut self, range: &Range<usize>, id: AnnotationId) -> bool {
        let key = (range.start, range.end, id);
        let Ok(at) = self
            .spans
            .binary_search_by_key(&key, |(r, i)| (r.start, r.end, *i))
        else {
            return false;
        };
        self.spans.remove(at);
        self.max_end.remove(at);
        let lane = self.lane.remove(at);
        self.unuse(lane);
        // Recompute the running maximum until it agrees with the stored one:
        // from there on the recurrence is the same as before the removal.
        let mut max = at.checked_sub(1).map_or(0, |i| self.max_end[i]);
        for i in at..self.spans.len() {
            max = max.max(self.spans[i].0.end);
            if self.max_end[i] == max {
                break;
            }
            self.max_end[i] = max;
        }
        self.relane_from(at, range.end);
        true
    }

    /// Whether every lane is free again at `position`: no earlier span
    /// reaches past its start. The greedy colouring then starts afresh,
    /// which is what makes repairing the lanes local.
    fn all_lanes_free_at(&self, position: usize) -> bool {
        position == 0 || self.max_end[position - 1] <= self.spans[position].0.start
    }

    /// Re-colours the spans from `at` on after a span ending at `changed_end`
    /// was inserted at or removed from `at`. Lanes before `at` cannot change
    /// (the colouring only looks back); from `at` it replays the greedy
    /// colouring until a position where every lane is free both with and
    /// without the changed span, after which old and new colourings agree.
    fn relane_from(&mut self, at: usize, changed_end: usize) {
        if at < self.spans.len() {
            // The lanes' state at `at`, rebuilt from where all were free.
            let mut start = at;
            while !self.all_lanes_free_at(start) {
                start -= 1;
            }
            let mut lane_ends: Vec<usize> = Vec::new();
            for i in start..at {
                let lane = self.lane[i] as usize;
                if lane >= lane_ends.len() {
                    lane_ends.resize(lane + 1, 0);
                }
                lane_ends[lane] = self.spans[i].0.end;
            }
            for i in at..self.spans.len() {
                let range = &self.spans[i].0;
                if i > at && range.start >= changed_end && self.all_lanes_free_at(i) {
                    break;
                }
                let chosen = lane_ends
                    .iter()
                    .position(|&end| end <= range.start)
                    .unwrap_or(lane_ends.len());
                if chosen == lane_ends.len() {
                    lane_ends.push(range.end);
                } else {
                    lane_ends[chosen] = range.end;
                }
                let chosen = u32::try_from(chosen).unwrap_or(UNASSIGNED - 1);
                let old = std::mem::replace(&mut self.lane[i], chosen);
                if old != chosen {
                    self.unuse(old);
                    if self.lane_use.len() <= chosen as usize {
                        self.lane_use.resize(chosen as usize + 1, 0);
                    }
                    self.lane_use[chosen as usize] += 1;
                }
            }
        }
        while self.lane_use.last() == Some(&0) {
            self.lane_use.pop();
        }
    }

    fn unuse(&mut self, lane: u32) {
        if let Some(used) = self.lane_use.get_mut(lane as usize) {
            *used = used.saturating_sub(1);
        }
    }
}
