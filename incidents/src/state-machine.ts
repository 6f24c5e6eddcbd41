/**
 * Which operator action an incident allows in which status, and what it does. Pure: the SQL that applies
 * an action (operator-action.ts) asks here first, under the row's lock.
 *
 *   action       from                                    to            log row        time stamp       version
 *   acknowledge  open                                    acknowledged  acknowledged   acknowledged_at  +1, checked
 *   dispatch     open, acknowledged, dispatched          dispatched    dispatched     dispatched_at¹   +1, checked
 *   note         any                                     (stays)       note           —                +1, never conflicts
 *   escalate     open, acknowledged, dispatched          (stays)       escalated      —                +1, checked
 *   resolve      open, acknowledged, dispatched          resolved      resolved       resolved_at      +1, checked
 *   view         any                                     (stays)       viewed         —                unchanged
 *
 *   ¹ the first dispatch's time: a second unit sent to a dispatched incident keeps it.
 *
 * Ingest's rules never change the status: they open incidents (status `open`) and add events to
 * incidents that are not resolved (log `event`, `escalated`).
 */
import { SEVERITIES, type Severity } from '@streetwise/protocol';
import type { IncidentStatus, LogAction, OperatorAction, StatusAction } from './vocabulary.js';
import { INCIDENT_STATUSES, OPERATOR_ACTIONS } from './vocabulary.js';

/** incidents columns that record when an incident first reached a status. */
export type StampColumn = 'acknowledged_at' | 'dispatched_at' | 'resolved_at';

/** The status actions: where from, where to, the log row, the time stamp. */
export interface Transition {
  from: readonly IncidentStatus[];
  to: IncidentStatus;
  log: LogAction;
  stamp: StampColumn;
}

/** The statuses ingest still adds events to, and that "active" lists show. */
export const ACTIVE_STATUSES: readonly IncidentStatus[] = ['open', 'acknowledged', 'dispatched'];
export const isActiveStatus = (status: IncidentStatus): boolean => ACTIVE_STATUSES.includes(status);

export const TRANSITIONS: Readonly<Record<StatusAction, Transition>> = Object.freeze({
  acknowledge: { from: ['open'], to: 'acknowledged', log: 'acknowledged', stamp: 'acknowledged_at' },
  dispatch: { from: ['open', 'acknowledged', 'dispatched'], to: 'dispatched', log: 'dispatched', stamp: 'dispatched_at' },
  resolve: { from: ['open', 'acknowledged', 'dispatched'], to: 'resolved', log: 'resolved', stamp: 'resolved_at' },
});

/** Every operator action: the status actions above, and the three that keep the status. */
export interface ActionRule {
  from: readonly IncidentStatus[];
  /** The status after; undefined: the incident stays where it is. */
  to?: IncidentStatus;
  log: LogAction;
  stamp?: StampColumn;
  /** false: the action only records (view): no new version, no new updated_at. */
  bumpsVersion: boolean;
  /** true: refused when the incident changed after the version the operator saw. */
  checksVersion: boolean;
}

export const ACTION_RULES: Readonly<Record<OperatorAction, ActionRule>> = Object.freeze({
  acknowledge: { ...TRANSITIONS.acknowledge, bumpsVersion: true, checksVersion: true },
  dispatch: { ...TRANSITIONS.dispatch, bumpsVersion: true, checksVersion: true },
  // A note adds to what is known; whatever changed meanwhile, it is still true, so it never conflicts.
  note: { from: INCIDENT_STATUSES, log: 'note', bumpsVersion: true, checksVersion: false },
  escalate: { from: ACTIVE_STATUSES, log: 'escalated', bumpsVersion: true, checksVersion: true },
  resolve: { ...TRANSITIONS.resolve, bumpsVersion: true, checksVersion: true },
  view: { from: INCIDENT_STATUSES, log: 'viewed', bumpsVersion: false, checksVersion: false },
});

export type Move =
  | { ok: true; from: IncidentStatus; to: IncidentStatus; log: LogAction; stamp?: StampColumn | undefined; bumpsVersion: boolean }
  /** Refused: the incident stays where it is; `allowed` are the actions it could take instead. */
  | { ok: false; from: IncidentStatus; action: OperatorAction; allowed: OperatorAction[] };

/** Where `action` takes an incident that is `status`, or why it cannot. */
export function nextStatus(status: IncidentStatus, action: OperatorAction): Move {
  const rule = ACTION_RULES[action];
  if (!rule.from.includes(status)) return { ok: false, from: status, action, allowed: allowedActions(status) };
  return { ok: true, from: status, to: rule.to ?? status, log: rule.log, stamp: rule.stamp, bumpsVersion: rule.bumpsVersion };
}

/** The operator actions an incident that is `status` can take, in OPERATOR_ACTIONS order. */
export function allowedActions(status: IncidentStatus): OperatorAction[] {
  return OPERATOR_ACTIONS.filter((action) => ACTION_RULES[action].from.includes(status));
}

/** Severity order, lowest first (the protocol's SEVERITIES). */
export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);

export type Escalation =
  | { ok: true; from: Severity; to: Severity }
  /** `highest`: nothing is above it; `not_higher`: the requested severity is not above the current one. */
  | { ok: false; from: Severity; reason: 'highest' | 'not_higher'; higher: Severity[] };

/** An operator's escalation: one step up, or to `requested` when that is higher. */
export function escalation(current: Severity, requested?: Severity): Escalation {
  const higher = SEVERITIES.filter((s) => severityRank(s) > severityRank(current));
  if (higher.length === 0) return { ok: false, from: current, reason: 'highest', higher };
  if (requested === undefined) return { ok: true, from: current, to: higher[0]! };
  if (!higher.includes(requested)) return { ok: false, from: current, reason: 'not_higher', higher };
  return { ok: true, from: current, to: requested };
}
