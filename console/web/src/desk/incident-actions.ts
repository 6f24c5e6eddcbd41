/**
 * The operator's actions on an incident, each sent with the version the operator saw. The answer (the
 * incident after the action) goes into the store at once; the live message that follows is then a
 * duplicate by version. A 409 carries the incident's current state: it goes into the store too, so the
 * desk shows what changed, and the caller shows the conflict.
 */
import { ApiError, api } from '../api/client.js';
import type { IncidentView, Outcome, Severity } from '../api/types.js';
import { upsertIncidents } from '../live/store.js';

export type DeskAction =
  | { kind: 'acknowledge' }
  | { kind: 'dispatch'; unitId: string }
  | { kind: 'note'; note: string }
  | { kind: 'escalate'; severity?: Severity }
  | { kind: 'resolve'; outcome: Outcome; note?: string };

export type ActionResult =
  | { ok: true; incident: IncidentView }
  /** Someone changed the incident after the version the operator saw; `current` is how it is now. */
  | { ok: false; reason: 'conflict'; current: IncidentView | undefined; message: string }
  | { ok: false; reason: 'error'; status: number; code: string; message: string };

export const VERSION_CONFLICT = 'SW_CONSOLE_VERSION_CONFLICT';

function bodyOf(action: DeskAction, version: number): Record<string, unknown> {
  switch (action.kind) {
    case 'acknowledge':
      return { version };
    case 'dispatch':
      return { version, unitId: action.unitId };
    case 'note':
      return { version, note: action.note };
    case 'escalate':
      return action.severity ? { version, severity: action.severity } : { version };
    case 'resolve':
      return action.note ? { version, outcome: action.outcome, note: action.note } : { version, outcome: action.outcome };
  }
}

export async function runAction(incident: Pick<IncidentView, 'id' | 'version'>, action: DeskAction): Promise<ActionResult> {
  try {
    const updated = await api<IncidentView>('POST', `/incidents/${encodeURIComponent(incident.id)}/${action.kind}`, bodyOf(action, incident.version));
    upsertIncidents([updated]);
    return { ok: true, incident: updated };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 409 && error.code === VERSION_CONFLICT) {
      const current = error.body?.incident;
      if (current) upsertIncidents([current]);
      return { ok: false, reason: 'conflict', current, message: error.message };
    }
    return { ok: false, reason: 'error', status: error.status, code: error.code, message: error.message };
  }
}

/** Records that the signed-in user opened the incident ("seen by"); the server keeps one per minute. */
export async function markViewed(id: string): Promise<void> {
  await api<unknown>('POST', `/incidents/${encodeURIComponent(id)}/view`, {});
}
