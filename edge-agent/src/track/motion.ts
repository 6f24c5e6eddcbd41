/** One observation of a track: bottom-centre of its box (where it touches the ground), in image pixels and metres. */
export interface TrackPoint {
  t: number;
  x: number;
  y: number;
  ground?: [number, number];
}

/** Least-squares slope of v over t (units of v per ms); undefined with fewer than 2 distinct times. */
function slope(ts: number[], vs: number[]): number | undefined {
  const n = ts.length;
  if (n < 2) return undefined;
  const mt = ts.reduce((a, b) => a + b, 0) / n;
  const mv = vs.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (ts[i]! - mt) * (vs[i]! - mv);
    den += (ts[i]! - mt) ** 2;
  }
  return den === 0 ? undefined : num / den;
}

export interface MotionEstimate {
  /** Image velocity, pixels per second. */
  vx: number;
  vy: number;
  /** Heading: on the ground 0° = north, 90° = east; without calibration, in the image 0° = up, 90° = right. */
  headingDeg: number;
  /** Ground speed, km/h (only with a ground calibration). */
  speedKmh?: number;
}

/**
 * Velocity over the last windowMs of history by least squares (robust to detector jitter).
 * Needs at least 3 points spanning minSpanMs.
 */
export function estimateMotion(history: readonly TrackPoint[], windowMs = 1000, minSpanMs = 300): MotionEstimate | undefined {
  const last = history.at(-1);
  if (!last) return undefined;
  const recent = history.filter((p) => p.t >= last.t - windowMs);
  if (recent.length < 3 || last.t - recent[0]!.t < minSpanMs) return undefined;
  const ts = recent.map((p) => p.t);
  const vx = slope(ts, recent.map((p) => p.x))! * 1000;
  const vy = slope(ts, recent.map((p) => p.y))! * 1000;
  const grounded = recent.every((p) => p.ground);
  if (grounded) {
    const gx = slope(ts, recent.map((p) => p.ground![0]))! * 1000;
    const gy = slope(ts, recent.map((p) => p.ground![1]))! * 1000;
    return { vx, vy, headingDeg: normalizeDeg((Math.atan2(gx, gy) * 180) / Math.PI), speedKmh: Math.hypot(gx, gy) * 3.6 };
  }
  return { vx, vy, headingDeg: normalizeDeg((Math.atan2(vx, -vy) * 180) / Math.PI) };
}

export function normalizeDeg(deg: number): number {
  const d = deg % 360;
  return d < 0 ? d + 360 : d;
}

/** Smallest angle between two headings, degrees (0–180). */
export function angleBetween(a: number, b: number): number {
  const d = Math.abs(normalizeDeg(a) - normalizeDeg(b));
  return d > 180 ? 360 - d : d;
}
