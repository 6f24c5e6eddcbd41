import { describe, expect, it } from 'vitest';
import { activeIncidentSql } from './incident-sql.js';
import { allowedActions, isActiveStatus, nextStatus, TRANSITIONS } from './state-machine.js';
import { INCIDENT_STATUSES, OPERATOR_ACTIONS, type IncidentStatus, type OperatorAction } from './vocabulary.js';

describe('the incident state machine', () => {
  it('moves every status by every action as the table says, and refuses the rest', () => {
    // Written out by hand: [status, action] → new status, or "no" with the actions that status allows.
    const expected: Record<IncidentStatus, Record<OperatorAction, string>> = {
      open: { acknowledge: 'acknowledged', dispatch: 'dispatched', resolve: 'resolved' },
      acknowledged: { acknowledge: 'no: dispatch,resolve', dispatch: 'dispatched', resolve: 'resolved' },
      dispatched: { acknowledge: 'no: resolve', dispatch: 'no: resolve', resolve: 'resolved' },
      resolved: { acknowledge: 'no: ', dispatch: 'no: ', resolve: 'no: ' },
    };
    for (const status of INCIDENT_STATUSES) {
      for (const action of OPERATOR_ACTIONS) {
        const move = nextStatus(status, action);
        const got = move.ok ? move.to : `no: ${move.allowed.join(',')}`;
        expect(got, `${status} + ${action}`).toBe(expected[status][action]);
      }
    }
  });

  it('names the log row and the time stamp of a move, and keeps the status on a refusal', () => {
    expect(nextStatus('open', 'dispatch')).toEqual({ ok: true, from: 'open', to: 'dispatched', log: 'dispatched', stamp: 'dispatched_at' });
    expect(nextStatus('dispatched', 'acknowledge')).toEqual({ ok: false, from: 'dispatched', action: 'acknowledge', allowed: ['resolve'] });
  });

  it('lists the allowed actions per status in a fixed order', () => {
    expect(INCIDENT_STATUSES.map((s) => allowedActions(s))).toEqual([['acknowledge', 'dispatch', 'resolve'], ['dispatch', 'resolve'], ['resolve'], []]);
  });

  it('calls every status but resolved active, and no action leads back to open', () => {
    expect(INCIDENT_STATUSES.filter(isActiveStatus)).toEqual(['open', 'acknowledged', 'dispatched']);
    expect(Object.values(TRANSITIONS).map((t) => t.to)).not.toContain('open');
    // The SQL form names the one status that is not active.
    expect(activeIncidentSql('i')).toBe(`i.status <> '${INCIDENT_STATUSES.filter((s) => !isActiveStatus(s)).join()}'`);
  });
});
