/**
 * `POST /incidents/:id/:action`: which body fields each action takes, the request @streetwise/incidents
 * applies, and the HTTP answer to its result. The actor is always the signed-in user, never a body field.
 */
import type { FastifyReply } from 'fastify';
import { badParameter, toApiError } from '@streetwise/errors';
import { ACTION_RULES, type Actor, type OperatorAction, type OperatorRequest, type OperatorResult, type Outcome } from '@streetwise/incidents';
import type { Severity } from '@streetwise/protocol';
import { withDistrictNames } from '../district-names.js';
import { SW_CONSOLE_BAD_TRANSITION, SW_CONSOLE_NOT_FOUND, SW_CONSOLE_NOT_HIGHER, SW_CONSOLE_UNIT_UNAVAILABLE, SW_CONSOLE_VERSION_CONFLICT } from '../errors.js';

/** The actions of `POST /incidents/:id/:action`; `view` has its own route (every role may record a view). */
export const DESK_ACTIONS = ['acknowledge', 'dispatch', 'note', 'escalate', 'resolve'] as const satisfies readonly OperatorAction[];
export type DeskAction = (typeof DESK_ACTIONS)[number];

export interface ActionBody {
  version?: number | undefined;
  note?: string | undefined;
  unitId?: string | undefined;
  severity?: Severity | undefined;
  outcome?: Outcome | undefined;
}
type BodyField = keyof ActionBody;

/** Required and optional fields per action: a field an action does not take is refused, not ignored. */
export const ACTION_FIELDS: Readonly<Record<DeskAction, { required: readonly BodyField[]; optional: readonly BodyField[] }>> = {
  acknowledge: { required: ['version'], optional: ['note'] },
  dispatch: { required: ['version', 'unitId'], optional: ['note'] },
  // A note never conflicts: `version` is accepted (clients send what they saw) and not checked.
  note: { required: ['note'], optional: ['version'] },
  escalate: { required: ['version'], optional: ['severity', 'note'] },
  resolve: { required: ['version', 'outcome'], optional: ['note'] },
};

/** The body, checked against the action's fields, as the request the incidents module applies. */
export function operatorRequest(id: string, action: DeskAction, body: ActionBody, actor: Actor): OperatorRequest {
  const fields = ACTION_FIELDS[action];
  const takes = [...fields.required, ...fields.optional];
  for (const name of Object.keys(body) as BodyField[]) {
    if (body[name] !== undefined && !takes.includes(name)) throw badParameter(name, `is not a field of ${action}; it takes ${takes.join(', ')}`);
  }
  for (const name of fields.required) if (body[name] === undefined) throw badParameter(name, `is required to ${action}`);
  if (body.note !== undefined && body.note.trim() === '') throw badParameter('note', 'must not be blank');
  const base = { id, actor, note: body.note, expectedVersion: body.version };
  switch (action) {
    case 'acknowledge':
      return { ...base, action };
    case 'dispatch':
      return { ...base, action, unitId: body.unitId! };
    case 'note':
      return { ...base, action, note: body.note!, expectedVersion: undefined };
    case 'escalate':
      return { ...base, action, severity: body.severity };
    case 'resolve':
      return { ...base, action, outcome: body.outcome! };
  }
}

/** The HTTP answer to an action's result: the incident, or the error; a version conflict carries the current incident. */
export function answerAction(result: OperatorResult, action: OperatorAction, id: string, body: ActionBody, reply: FastifyReply): unknown {
  if (result.ok) return withDistrictNames(result.incident);
  switch (result.reason) {
    case 'not_found':
      throw SW_CONSOLE_NOT_FOUND(['incident', id]);
    case 'refused':
      throw SW_CONSOLE_BAD_TRANSITION([id, result.incident.status, ACTION_RULES[action].log, result.allowed.join(', ') || 'none']);
    case 'stale': {
      const error = toApiError(SW_CONSOLE_VERSION_CONFLICT([id, result.incident.version, body.version ?? '']));
      return reply.code(409).send({ ...error, incident: withDistrictNames(result.incident) });
    }
    case 'unit_not_found':
      throw SW_CONSOLE_NOT_FOUND(['unit', result.unitId], { parameter: 'unitId' });
    case 'unit_unavailable': {
      const { unit } = result;
      throw SW_CONSOLE_UNIT_UNAVAILABLE([unit.id, unit.status === 'dispatched' ? `dispatched to incident ${unit.incidentId ?? ''}` : unit.status.replace(/_/g, ' ')], { parameter: 'unitId' });
    }
    case 'not_higher':
      throw SW_CONSOLE_NOT_HIGHER([id, result.incident.severity, result.higher.join(', ') || 'none'], { parameter: 'severity', allowed: result.higher });
  }
}
