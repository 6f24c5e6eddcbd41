/**
 * From API rows to the arrays a chart draws. The measure routes leave out buckets in which no device
 * reported; here every bucket of the answered range gets a slot, null where the API had no row, so uPlot
 * draws a gap there instead of a line across the hole. No figure is computed: values are the API's.
 */
export interface BucketRow {
  bucket: string;
  [figure: string]: unknown;
}

export interface Aligned {
  /** Bucket starts, seconds since the epoch (uPlot's x). */
  xs: number[];
  /** One array per figure, null where the API had no row or no value. */
  ys: Record<string, Array<number | null>>;
}

export function alignToBuckets(rows: readonly BucketRow[], fromMs: number, toMs: number, stepMs: number, figures: readonly string[]): Aligned {
  const byStart = new Map(rows.map((r) => [Date.parse(r.bucket), r]));
  const xs: number[] = [];
  const ys: Record<string, Array<number | null>> = Object.fromEntries(figures.map((f) => [f, []]));
  for (let start = fromMs; start < toMs; start += stepMs) {
    xs.push(start / 1000);
    const row = byStart.get(start);
    for (const figure of figures) {
      const value = row?.[figure];
      ys[figure]!.push(typeof value === 'number' ? value : null);
    }
  }
  return { xs, ys };
}

/** Buckets with no value: the holes in a series. */
export const gapCount = (values: ReadonlyArray<number | null>): number => values.filter((v) => v === null).length;
