/**
 * The escalation outside the console: which critical incidents nobody acknowledged in time, and the
 * claim that lets exactly one console node send each one (the console's desk sends it).
 */
import type { Queryable } from '@streetwise/db';
import type { IncidentView } from './incident-message.js';
import * as sql from './incident-sql.js';

/** Critical incidents still open, opened at least `redS` seconds before `nowIso`, not yet claimed; oldest first. */
export async function selectDueEscalations(q: Queryable, nowIso: string, redS: number, limit = 100): Promise<string[]> {
  return (await q.query<{ id: string }>(sql.SELECT_DUE_ESCALATIONS, [nowIso, redS, limit])).rows.map((r) => r.id);
}

/**
 * Claim one incident's escalation at `atIso`: the incident when this call claimed it, undefined when
 * another node did first (or it was acknowledged meanwhile).
 */
export async function claimEscalation(q: Queryable, id: string, atIso: string): Promise<IncidentView | undefined> {
  return (await q.query<{ incident: IncidentView }>(sql.CLAIM_ESCALATION, [id, atIso])).rows[0]?.incident;
}
