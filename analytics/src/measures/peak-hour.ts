/**
 * Peak hour and peak-hour factor (Highway Capacity Manual definition), per Hong Kong day.
 *
 * The peak hour is the 60 minutes, starting on a 15-minute boundary inside the day, with the most motor
 * vehicles; ties go to the earliest. Peak-hour factor PHF = V60 / (4 × V15max), where V15max is the
 * busiest 15 minutes inside that hour: 1.0 when traffic is even across the hour, 0.25 when it all
 * comes in one quarter. A 15-minute interval with no reading counts as zero.
 */
import { hongKongParts, MINUTE_MS } from '../query/bucket.js';

export interface QuarterVolume {
  /** Start of the 15-minute bucket (epoch ms). */
  startMs: number;
  volume: number;
}

export interface PeakHour {
  /** Hong Kong date (YYYY-MM-DD). */
  date: string;
  peakHourStart: string;
  peakHourVolume: number;
  peak15Volume: number;
  peakHourFactor: number | null;
  /** Motor vehicles over the whole day. */
  dayVolume: number;
}

const QUARTER_MS = 15 * MINUTE_MS;

/** The peak hour of one day's 15-minute volumes (any order). Null for a day without readings. */
export function peakHourOfDay(quarters: readonly QuarterVolume[]): PeakHour | null {
  if (quarters.length === 0) return null;
  const byStart = new Map<number, number>();
  for (const q of quarters) byStart.set(q.startMs, (byStart.get(q.startMs) ?? 0) + q.volume);
  const first = quarters[0] as QuarterVolume;
  const date = hongKongParts(first.startMs).date;
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  let best: { start: number; v60: number; v15: number } | undefined;
  for (const start of starts) {
    let v60 = 0;
    let v15 = 0;
    for (let k = 0; k < 4; k++) {
      const t = start + k * QUARTER_MS;
      // The hour must stay inside the Hong Kong day.
      if (k > 0 && hongKongParts(t).date !== date) break;
      const v = byStart.get(t) ?? 0;
      v60 += v;
      v15 = Math.max(v15, v);
    }
    if (!best || v60 > best.v60) best = { start, v60, v15 };
  }
  const b = best as { start: number; v60: number; v15: number };
  let dayVolume = 0;
  for (const v of byStart.values()) dayVolume += v;
  return {
    date,
    peakHourStart: new Date(b.start).toISOString(),
    peakHourVolume: b.v60,
    peak15Volume: b.v15,
    peakHourFactor: b.v15 > 0 ? b.v60 / (4 * b.v15) : null,
    dayVolume,
  };
}

/** Split 15-minute volumes by (group, Hong Kong day) and find each day's peak hour. */
export function peakHours(rows: ReadonlyArray<QuarterVolume & { group: string | null }>): Array<PeakHour & { group: string | null }> {
  const days = new Map<string, { group: string | null; quarters: QuarterVolume[] }>();
  for (const row of rows) {
    const key = `${row.group ?? ''}|${hongKongParts(row.startMs).date}`;
    const day = days.get(key) ?? { group: row.group, quarters: [] };
    day.quarters.push({ startMs: row.startMs, volume: row.volume });
    days.set(key, day);
  }
  const out: Array<PeakHour & { group: string | null }> = [];
  for (const { group, quarters } of days.values()) {
    const peak = peakHourOfDay(quarters);
    if (peak) out.push({ group, ...peak });
  }
  return out.sort((a, b) => (a.date === b.date ? ((a.group ?? '') < (b.group ?? '') ? -1 : 1) : a.date < b.date ? -1 : 1));
}
