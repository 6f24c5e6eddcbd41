/**
 * Which operator action moves an incident from which status, and where to. Pure: the SQL that applies
 * a move (incident-store.ts) asks here first, under the row's lock.
 *
 *   action       from                              to            log row        time stamp column
 *   acknowledge  open                              acknowledged  acknowledged   acknowledged_at
 *   dispatch     open, acknowledged                dispatched    dispatched     dispatched_at
 *   resolve      open, acknowledged, dispatched    resolved      resolved       resolved_at
 *
 * Ingest's rules never change the status: they open incidents (status `open`) and add events to
 * incidents that are not resolved (log `event`, `escalated`).
 */
import type { IncidentStatus, LogAction, OperatorAction } from './vocabulary.js';
import { OPERATOR_ACTIONS } from './vocabulary.js';

/** incidents columns that record when an incident first reached a status. */
export type StampColumn = 'acknowledged_at' | 'dispatched_at' | 'resolved_at';

export interface Transition {
  from: readonly IncidentStatus[];
  to: IncidentStatus;
  log: LogAction;
  stamp: StampColumn;
}

export const TRANSITIONS: Readonly<Record<OperatorAction, Transition>> = Object.freeze({
  acknowledge: { from: ['open'], to: 'acknowledged', log: 'acknowledged', stamp: 'acknowledged_at' },
  dispatch: { from: ['open', 'acknowledged'], to: 'dispatched', log: 'dispatched', stamp: 'dispatched_at' },
  resolve: { from: ['open', 'acknowledged', 'dispatched'], to: 'resolved', log: 'resolved', stamp: 'resolved_at' },
});

/** The statuses ingest still adds events to, and that "active" lists show. */
export const ACTIVE_STATUSES: readonly IncidentStatus[] = ['open', 'acknowledged', 'dispatched'];
export const isActiveStatus = (status: IncidentStatus): boolean => ACTIVE_STATUSES.includes(status);

export type Move =
  | { ok: true; from: IncidentStatus; to: IncidentStatus; log: LogAction; stamp: StampColumn }
  /** Refused: the incident stays where it is; `allowed` are the actions it could take instead. */
  | { ok: false; from: IncidentStatus; action: OperatorAction; allowed: OperatorAction[] };

/** Where `action` takes an incident that is `status`, or why it cannot. */
export function nextStatus(status: IncidentStatus, action: OperatorAction): Move {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(status)) return { ok: false, from: status, action, allowed: allowedActions(status) };
  return { ok: true, from: status, to: rule.to, log: rule.log, stamp: rule.stamp };
}

/** The operator actions an incident that is `status` can take, in OPERATOR_ACTIONS order. */
export function allowedActions(status: IncidentStatus): OperatorAction[] {
  return OPERATOR_ACTIONS.filter((action) => TRANSITIONS[action].from.includes(status));
}
