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
