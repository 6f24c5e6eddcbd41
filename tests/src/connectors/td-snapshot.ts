import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The real TD snapshot kept in connectors/data/hk (2024-04-06 21:27 HKT, two periods, 752 and 754 detectors). */
export const TD_SNAPSHOT_FILE = join(import.meta.dirname, '..', '..', '..', 'connectors', 'data', 'hk', 'td_raw_speed_volume_2024-04-06_2127.xml');

/**
 * The same snapshot as if published yesterday (Hong Kong date): its periods are then in the past and inside
 * the protocol's 30-day window, so polling it needs no re-timing. Figures and times of day are unchanged.
 */
export function tdSnapshotOfYesterday(nowMs = Date.now()): { xml: string; date: string } {
  const date = new Date(nowMs + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
  const xml = readFileSync(TD_SNAPSHOT_FILE, 'utf8').replace('<date>2024-04-06</date>', `<date>${date}</date>`);
  return { xml, date };
}

/** The next files the publisher would write: every period moved on by `seconds` (no wrap past midnight needed here). */
export function shiftTdTimes(xml: string, seconds: number): string {
  return xml.replace(/<(period_from|period_to)>(\d{2}):(\d{2}):(\d{2})</g, (_m, tag: string, h: string, m: string, s: string) => {
    const total = Number(h) * 3600 + Number(m) * 60 + Number(s) + seconds;
    const pad = (n: number): string => String(n).padStart(2, '0');
    return `<${tag}>${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}<`;
  });
}

/** The snapshot without one detector's blocks, as when it stops appearing in the feed. */
export function withoutDetector(xml: string, detectorId: string): string {
  return xml.replace(new RegExp(`<detector><detector_id>${detectorId}</detector_id>.*?</detector>`, 'gs'), '');
}
