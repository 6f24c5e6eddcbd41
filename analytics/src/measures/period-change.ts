/**
 * Week-over-week and period-over-period change: a figure for the requested range against the same figure
 * for the comparison range — the range one week earlier (`week`), or the equally long range just before it
 * (`period`).
 */
import { WEEK_MS } from '../query/bucket.js';
import { shiftRange, type TimeRange } from '../query/time-range.js';

export const COMPARISONS = ['week', 'period'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export function comparisonRange(range: TimeRange, comparison: Comparison): TimeRange {
  return shiftRange(range, comparison === 'week' ? -WEEK_MS : -(range.toMs - range.fromMs));
}

export interface Change {
  current: number | null;
  previous: number | null;
  /** current − previous. */
  change: number | null;
  /** (current − previous) / previous × 100; null when previous is 0 or missing. */
  changePct: number | null;
}

export function periodChange(current: number | null, previous: number | null): Change {
  const change = current !== null && previous !== null ? current - previous : null;
  const changePct = change !== null && previous !== null && previous !== 0 ? (change / previous) * 100 : null;
  return { current, previous, change, changePct };
}

/** Pair the groups of two answers; a group missing on one side has null there. */
export function pairGroups(
  current: ReadonlyMap<string | null, number | null>,
  previous: ReadonlyMap<string | null, number | null>,
): Array<{ group: string | null } & Change> {
  const groups = [...new Set([...current.keys(), ...previous.keys()])].sort((a, b) => ((a ?? '') < (b ?? '') ? -1 : 1));
  return groups.map((group) => ({ group, ...periodChange(current.get(group) ?? null, previous.get(group) ?? null) }));
}
