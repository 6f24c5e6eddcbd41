/**
 * The audit trail (table audit_log, migration 0013): who took data out of the console or looked at a
 * snapshot, and what an admin did with someone's personal data. PRIVACY.md (DPP4) names the tests.
 */
import type { Queryable } from '@streetwise/db';

export const AUDIT_ACTIONS = ['export', 'snapshot_view', 'personal_data_export', 'personal_data_erase'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  at: string;
  username: string;
  action: AuditAction;
  what: string;
  details: Record<string, unknown> | null;
}

/** Longest `what` the table keeps (a long query string is cut, never refused: the audit row must exist). */
const MAX_WHAT_CHARS = 2048;

export async function recordAudit(db: Queryable, entry: { username: string; action: AuditAction; what: string; details?: Record<string, unknown>; at?: Date }): Promise<void> {
  await db.query('INSERT INTO audit_log (at, username, action, what, details) VALUES ($1, $2, $3, $4, $5)', [
    (entry.at ?? new Date()).toISOString(),
    entry.username,
    entry.action,
    entry.what.slice(0, MAX_WHAT_CHARS) || '-',
    entry.details === undefined ? null : JSON.stringify(entry.details),
  ]);
}

export interface AuditFilter {
  username?: string | undefined;
  action?: AuditAction | undefined;
  limit: number;
}

/** Newest first. */
export async function listAudit(db: Queryable, filter: AuditFilter): Promise<AuditEntry[]> {
  const { rows } = await db.query<{ at: Date | string; username: string; action: AuditAction; what: string; details: Record<string, unknown> | null }>(
    `SELECT at, username, action, what, details FROM audit_log
     WHERE ($1::text IS NULL OR username = $1) AND ($2::text IS NULL OR action = $2)
     ORDER BY at DESC, id LIMIT $3`,
    [filter.username ?? null, filter.action ?? null, filter.limit],
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
}
