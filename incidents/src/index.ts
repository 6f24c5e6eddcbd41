export {
  INCIDENT_STATUSES,
  OPERATOR_ACTIONS,
  LOG_ACTIONS,
  ACTOR_KINDS,
  INGEST_ACTOR,
  isIncidentStatus,
  isOperatorAction,
  isLogAction,
} from './vocabulary.js';
export type { IncidentStatus, OperatorAction, LogAction, RuleLogAction, ActorKind, Actor } from './vocabulary.js';
export { TRANSITIONS, ACTIVE_STATUSES, isActiveStatus, nextStatus, allowedActions } from './state-machine.js';
export type { Transition, Move, StampColumn } from './state-machine.js';
export {
  INCIDENT_MESSAGE_VERSION,
  buildIncidentMessage,
  encodeIncidentNotification,
  parseIncidentNotification,
} from './incident-message.js';
export type { IncidentView, IncidentMessage, IncidentMessageCut, IncidentNotification } from './incident-message.js';
export { activeIncidentSql, INCIDENT_JSON } from './incident-sql.js';
export { listIncidents, getIncident } from './incident-queries.js';
export type { IncidentListFilter, IncidentLogRow, IncidentWithLog } from './incident-queries.js';
export { applyOperatorAction } from './operator-action.js';
export type { OperatorRequest, OperatorResult } from './operator-action.js';
export { selectOpenIncidents, writeRuleChanges } from './rule-writes.js';
export type { OpenIncidentRow, OpenedIncident, IncidentTouch, RuleLogRow, RuleChanges } from './rule-writes.js';
