/** Least-squares slopes of the soak's samples after the warm-up, per 10 minutes. */
import type { Sample } from './sampler.js';

export interface Slope {
  /** Change per 10 minutes, in the series' unit. */
  per10Min: number;
  /** Value of the fit at the end of the warm-up. */
  intercept: number;
  samples: number;
}

export function slope(samples: readonly Sample[], pick: (s: Sample) => number, fromS: number): Slope {
  // Half a second of slack: a timer may fire a millisecond before the sample due at the warm-up's end.
  const points = samples.filter((s) => s.tS >= fromS - 0.5).map((s) => [s.tS, pick(s)] as const);
  const n = points.length;
  if (n < 2) return { per10Min: Number.NaN, intercept: Number.NaN, samples: n };
  const meanT = points.reduce((a, [t]) => a + t, 0) / n;
  const meanV = points.reduce((a, [, v]) => a + v, 0) / n;
  const sTT = points.reduce((a, [t]) => a + (t - meanT) ** 2, 0);
  const sTV = points.reduce((a, [t, v]) => a + (t - meanT) * (v - meanV), 0);
  const perS = sTT === 0 ? 0 : sTV / sTT;
  return { per10Min: perS * 600, intercept: meanV + perS * (fromS - meanT), samples: n };
}
