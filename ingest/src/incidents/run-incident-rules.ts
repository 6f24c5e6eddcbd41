/**
 * The incident step of a batch's commit: inside the batch's transaction, after its statement took the
 * incident lock, read the open incidents the batch's new safety events may join, apply the pure rules
 * (incident-rules.ts), and write what they decided with @streetwise/incidents (versions, log rows, the
 * sw_incidents messages).
 */
import type { Queryable } from '@streetwise/db';
import { INGEST_ACTOR, selectOpenIncidents, writeRuleChanges, type IncidentMessage } from '@streetwise/incidents';
import { applyIncidentRules, type IncidentRules, type SafetyEvent } from './incident-rules.js';

export interface IncidentStepContext {
  rules: IncidentRules;
  /** Send the sw_incidents NOTIFY with the writes. */
  notify: boolean;
  newId: () => string;
}

export async function runIncidentRules(tx: Queryable, safety: readonly SafetyEvent[], ctx: IncidentStepContext): Promise<IncidentMessage[]> {
  if (safety.length === 0) return [];
  const longestWindowMs = Math.max(...safety.map((e) => ctx.rules[e.type as keyof IncidentRules]?.windowMs ?? 0));
  const sinceMs = Math.min(...safety.map((e) => e.tsMs)) - longestWindowMs;
  const open = await selectOpenIncidents(tx, [...new Set(safety.map((e) => e.deviceId))], [...new Set(safety.map((e) => e.type))], sinceMs);
  const decision = applyIncidentRules(safety, open, ctx.rules, ctx.newId);
  return writeRuleChanges(tx, { opened: decision.opened, touched: decision.updated, log: decision.log, changes: decision.changes }, INGEST_ACTOR, ctx.notify);
}
