import { describe, expect, it } from 'vitest';
import { applyIncidentRules, DEFAULT_INCIDENT_RULES, type OpenIncident, type SafetyEvent } from './incident-rules.js';

const T0 = Date.parse('2025-03-01T08:00:00Z');
const MIN = 60_000;
let seq = 0;
const ids = (): string => `inc-${++seq}`;
const ev = (over: Partial<SafetyEvent> & { tsMs: number }): SafetyEvent => ({
  id: `ev-${over.tsMs}-${over.deviceId ?? 'cam-1'}-${over.type ?? 'intrusion'}`,
  deviceId: 'cam-1',
  type: 'intrusion',
  severity: 'medium',
  lat: 22.28,
  lon: 114.16,
  district: 'Central and Western',
  ...over,
});

describe('applyIncidentRules', () => {
  it('opens one incident per device+type and folds events within the window into it', () => {
    seq = 0;
    // intrusion window 5 min: t0, +2, +6 (within 5 of +2) stay one incident; +20 opens a second.
    const events = [0, 2, 6, 20].map((m) => ev({ tsMs: T0 + m * MIN }));
    const d = applyIncidentRules(events, [], DEFAULT_INCIDENT_RULES, ids);
    expect(d.opened.map((i) => [i.id, i.eventCount, i.severity])).toEqual([
      ['inc-1', 3, 'high'],
      ['inc-2', 1, 'high'],
    ]);
    expect(d.opened[0]!.lastEventAtMs).toBe(T0 + 6 * MIN);
    expect(d.updated).toEqual([]);
    expect(d.log.map((l) => `${l.incidentId}:${l.action}`)).toEqual(['inc-1:opened', 'inc-1:event', 'inc-1:event', 'inc-2:opened']);
    expect(d.changes).toEqual([{ incidentId: 'inc-1', action: 'opened' }, { incidentId: 'inc-2', action: 'opened' }]);
  });

  it('bumps an open incident from the database, escalates on a stronger event, and keeps devices and types apart', () => {
    seq = 0;
    const open: OpenIncident = {
      id: 'db-1', deviceId: 'cam-1', type: 'stopped_vehicle', status: 'acknowledged', district: null, severity: 'medium',
      eventCount: 4, openedAtMs: T0 - 30 * MIN, lastEventAtMs: T0 - 5 * MIN, lastEventId: 'old', lat: 1, lon: 2,
    };
    const events = [
      ev({ tsMs: T0, type: 'stopped_vehicle', severity: 'critical' }),
      ev({ tsMs: T0 + MIN, type: 'stopped_vehicle', deviceId: 'cam-2' }),
      ev({ tsMs: T0 + MIN, type: 'wrong_way' }),
    ];
    const d = applyIncidentRules(events, [open], DEFAULT_INCIDENT_RULES, ids);
    expect(d.updated).toEqual([{ id: 'db-1', addedEvents: 1, openedAtMs: T0 - 30 * MIN, lastEventId: events[0]!.id, lastEventAtMs: T0, severity: 'critical' }]);
    expect(d.opened.map((i) => `${i.deviceId}/${i.type}/${i.severity}`)).toEqual(['cam-2/stopped_vehicle/medium', 'cam-1/wrong_way/high']);
    expect(d.log.filter((l) => l.incidentId === 'db-1').map((l) => l.action)).toEqual(['escalated', 'event']);
    expect(d.log[0]!.details.previousSeverity).toBe('medium');
    expect(d.changes).toEqual([
      { incidentId: 'db-1', action: 'escalated' },
      { incidentId: 'inc-1', action: 'opened' },
      { incidentId: 'inc-2', action: 'opened' },
    ]);
  });

  it('ignores event types without a rule and events weaker than the rule asks', () => {
    const events = [ev({ tsMs: T0, type: 'detection', severity: 'critical' }), ev({ tsMs: T0, type: 'crowd_density', severity: 'low' })];
    expect(applyIncidentRules(events, [], DEFAULT_INCIDENT_RULES, ids).log).toEqual([]);
  });
});

describe('applyIncidentRules, out of order', () => {
  it('gives the same incidents whatever order the events come in', () => {
    const minutes = [-20, -18, -16, -2];
    const orders = [[0, 1, 2, 3], [3, 2, 1, 0], [2, 3, 0, 1], [3, 0, 2, 1]];
    for (const order of orders) {
      seq = 0;
      let open: OpenIncident[] = [];
      // one event per batch, incidents carried over as the database would
      for (const k of order) {
        const d = applyIncidentRules([ev({ tsMs: T0 + minutes[k]! * MIN })], open, DEFAULT_INCIDENT_RULES, ids);
        open = open.map((o) => {
          const u = d.updated.find((x) => x.id === o.id);
          return u ? { ...o, eventCount: o.eventCount + u.addedEvents, lastEventAtMs: Math.max(o.lastEventAtMs, u.lastEventAtMs), openedAtMs: Math.min(o.openedAtMs, T0 + minutes[k]! * MIN) } : o;
        });
        open.push(...d.opened);
      }
      expect(open.map((o) => [o.openedAtMs - T0, o.eventCount]).sort((a, b) => a[0]! - b[0]!), `order ${order.join(',')}`).toEqual([
        [-20 * MIN, 3],
        [-2 * MIN, 1],
      ]);
    }
  });
});
