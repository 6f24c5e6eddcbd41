import type { Queryable } from '@streetwise/db';

/** What a fault test reports: the figures that must say 0 lost, 0 duplicated. */
export interface FaultReport {
  fault: string;
  eventsSent: number;
  rowsStored: number;
  /** Rows beyond one per message id. */
  duplicates: number;
  /** Sent message ids with no row. */
  lost: number;
}

/** Compare the ids sent with the rows of devices `deviceLike` (a LIKE pattern), and print one line. */
export async function faultReport(db: Queryable, fault: string, sentIds: readonly string[], deviceLike: string): Promise<FaultReport> {
  const rows = (await db.query<{ id: string }>('select id::text id from events where device_id like $1', [deviceLike])).rows.map((r) => r.id);
  const stored = new Set(rows);
  const report: FaultReport = {
    fault,
    eventsSent: sentIds.length,
    rowsStored: rows.length,
    duplicates: rows.length - stored.size,
    lost: sentIds.filter((id) => !stored.has(id)).length,
  };
  process.stderr.write(`[fault] ${fault}: events sent ${report.eventsSent}, rows stored ${report.rowsStored}, duplicates ${report.duplicates}, lost ${report.lost}\n`);
  return report;
}

/** A waitFor probe that is true once `read()` has returned the same value for `quietMs`. */
export function settles<T>(read: () => Promise<T>, quietMs: number): () => Promise<boolean> {
  let last: T | undefined;
  let sinceMs = 0;
  return async () => {
    const value = await read();
    const nowMs = performance.now();
    if (value !== last) {
      last = value;
      sinceMs = nowMs;
      return false;
    }
    return nowMs - sinceMs >= quietMs;
  };
}
