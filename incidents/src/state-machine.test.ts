import { describe, expect, it } from 'vitest';
import { activeIncidentSql } from './incident-sql.js';
import { ACTION_RULES, allowedActions, escalation, isActiveStatus, nextStatus, TRANSITIONS } from './state-machine.js';
import { INCIDENT_STATUSES, OPERATOR_ACTIONS, type IncidentStatus, type OperatorAction } from './vocabulary.js';

describe('the incident state machine', () => {
  it('moves every status by every action as the table says, and refuses the rest', () => {
    // Written out by hand: [status, action] → new status, or "no" with the actions that status allows.
    const expected: Record<IncidentStatus, Record<OperatorAction, string>> = {
      open: { acknowledge: 'acknowledged', dispatch: 'dispatched', note: 'open', escalate: 'open', resolve: 'resolved', view: 'open' },
      acknowledged: { acknowledge: 'no: dispatch,note,escalate,resolve,view', dispatch: 'dispatched', note: 'acknowledged', escalate: 'acknowledged', resolve: 'resolved', view: 'acknowledged' },
      // A second unit can be sent to a dispatched incident.
      dispatched: { acknowledge: 'no: dispatch,note,escalate,resolve,view', dispatch: 'dispatched', note: 'dispatched', escalate: 'dispatched', resolve: 'resolved', view: 'dispatched' },
      // A resolved incident takes notes (what was learnt afterwards) and views, nothing else.
      resolved: { acknowledge: 'no: note,view', dispatch: 'no: note,view', note: 'resolved', escalate: 'no: note,view', resolve: 'no: note,view', view: 'resolved' },
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
    expect(nextStatus('open', 'dispatch')).toEqual({ ok: true, from: 'open', to: 'dispatched', log: 'dispatched', stamp: 'dispatched_at', bumpsVersion: true });
    expect(nextStatus('open', 'view')).toEqual({ ok: true, from: 'open', to: 'open', log: 'viewed', stamp: undefined, bumpsVersion: false });
    expect(nextStatus('acknowledged', 'note')).toEqual({ ok: true, from: 'acknowledged', to: 'acknowledged', log: 'note', stamp: undefined, bumpsVersion: true });
    expect(nextStatus('resolved', 'acknowledge')).toEqual({ ok: false, from: 'resolved', action: 'acknowledge', allowed: ['note', 'view'] });
  });

  it('lists the allowed actions per status in a fixed order', () => {
    expect(INCIDENT_STATUSES.map((s) => allowedActions(s))).toEqual([
      ['acknowledge', 'dispatch', 'note', 'escalate', 'resolve', 'view'],
      ['dispatch', 'note', 'escalate', 'resolve', 'view'],
      ['dispatch', 'note', 'escalate', 'resolve', 'view'],
      ['note', 'view'],
    ]);
  });

  it('escalates one step up, or to a higher severity asked for, and never down or sideways', () => {
    expect(escalation('low')).toEqual({ ok: true, from: 'low', to: 'medium' });
    expect(escalation('low', 'critical')).toEqual({ ok: true, from: 'low', to: 'critical' });
    expect(escalation('high', 'high')).toEqual({ ok: false, from: 'high', reason: 'not_higher', higher: ['critical'] });
    expect(escalation('high', 'info')).toMatchObject({ ok: false, reason: 'not_higher' });
    expect(escalation('critical')).toEqual({ ok: false, from: 'critical', reason: 'highest', higher: [] });
    expect(escalation('critical', 'critical')).toMatchObject({ ok: false, reason: 'highest' });
  });

  it('calls every status but resolved active, and no action leads back to open', () => {
    expect(INCIDENT_STATUSES.filter(isActiveStatus)).toEqual(['open', 'acknowledged', 'dispatched']);
    expect(Object.values(TRANSITIONS).map((t) => t.to)).not.toContain('open');
    expect(Object.values(ACTION_RULES).map((t) => t.to)).not.toContain('open');
    // Only view leaves the version alone; only note and view skip the version check.
    expect(Object.entries(ACTION_RULES).filter(([, r]) => !r.bumpsVersion).map(([a]) => a)).toEqual(['view']);
    expect(Object.entries(ACTION_RULES).filter(([, r]) => !r.checksVersion).map(([a]) => a)).toEqual(['note', 'view']);
    // The SQL form names the one status that is not active.
    expect(activeIncidentSql('i')).toBe(`i.status <> '${INCIDENT_STATUSES.filter((s) => !isActiveStatus(s)).join()}'`);
  });
});
