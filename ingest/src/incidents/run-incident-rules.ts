/**
 * The incident step of a batch's commit: inside the batch's transaction (which took the rules' lock with
 * its BEGIN), given the open incidents the batch statement read, apply the pure rules (incident-rules.ts)
 * and write what they decided with @streetwise/incidents (versions, log rows, the sw_incidents messages).
 */
import type { TransactionQueryable } from '@streetwise/db';
import { INGEST_ACTOR, writeRuleChanges, type IncidentMessage, type OpenIncidentRow } from '@streetwise/incidents';
import { applyIncidentRules, type IncidentRules, type SafetyEvent } from './incident-rules.js';

export interface IncidentStepContext {
  rules: IncidentRules;
  /** Send the sw_incidents NOTIFY with the writes (with the COMMIT, inside a transaction). */
  notify: boolean;
  newId: () => string;
}

/** How far back the open incidents the events may join reach: the earliest event less the longest rule window. */
export function openIncidentsSince(safety: readonly SafetyEvent[], rules: IncidentRules): number {
  const longestWindowMs = Math.max(...safety.map((e) => rules[e.type as keyof IncidentRules]?.windowMs ?? 0));
  return Math.min(...safety.map((e) => e.tsMs)) - longestWindowMs;
}

/**
 * `open`: the incidents read in the same transaction after the rules' lock (the batch statement's 'x' rows),
 * for the devices and types of the batch's safety events; `safety`: those of them really stored.
 */
export async function runIncidentRules(tx: TransactionQueryable, safety: readonly SafetyEvent[], open: readonly OpenIncidentRow[], ctx: IncidentStepContext): Promise<IncidentMessage[]> {
  if (safety.length === 0) return [];
  const decision = applyIncidentRules(safety, open, ctx.rules, ctx.newId);
  return writeRuleChanges(tx, { opened: decision.opened, touched: decision.updated, log: decision.log, changes: decision.changes }, INGEST_ACTOR, ctx.notify);
}
