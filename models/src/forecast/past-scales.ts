import { percentile95, type SeriesRow, type SeriesScales } from '@streetwise/inference';

/** Insert into an ascending array, keeping it sorted. */
function insertSorted(sorted: number[], value: number): void {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  sorted.splice(lo, 0, value);
}

/**
 * The series scales (95th percentiles, as seriesScales) of the rows seen so far, updated one row at a
 * time: what a forecaster running live knows at each origin, without re-sorting the whole past.
 */
export class PastScales {
  private readonly speeds: number[] = [];
  private readonly flows: number[] = [];

  add(row: SeriesRow): void {
    insertSorted(this.speeds, row.speedKmh);
    if (row.flow !== undefined) insertSorted(this.flows, row.flow);
  }

  scales(): SeriesScales {
    // percentile95 sorts a copy; the arrays are already sorted, so that is a linear pass.
    return { flowScale: percentile95(this.flows), speedScale: percentile95(this.speeds) };
  }
}
