import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@streetwise/testing';
import { createEmbeddedDatabase, migrate, NOTIFY_CHANNELS, type Database } from '@streetwise/db';
import { parseIncidentNotification, type IncidentNotification } from './incident-message.js';
import { getIncident, listIncidents } from './incident-queries.js';
import { applyOperatorAction, recordIncidentLog } from './operator-action.js';
import { selectOpenIncidents, writeRuleChanges, type OpenedIncident } from './rule-writes.js';
import { INGEST_ACTOR } from './vocabulary.js';

const T0 = Date.parse('2025-03-01T08:00:00Z');
const MIN = 60_000;
const uuid = (n: number): string => `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const opened = (n: number, over: Partial<OpenedIncident> = {}): OpenedIncident => ({
  id: uuid(n), type: 'intrusion', severity: 'high', deviceId: 'cam-1', district: 'B', lat: 22.28, lon: 114.17,
  firstEventId: uuid(100 + n), lastEventId: uuid(100 + n), eventCount: 1, openedAtMs: T0, lastEventAtMs: T0, ...over,
});

describe('incident queries on the embedded database', () => {
  let db: Database;
  const heard: IncidentNotification[] = [];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    stop = await db.listen(NOTIFY_CHANNELS.incidents, (payload) => heard.push(parseIncidentNotification(payload)!));
  }, 60_000);
  afterAll(async () => {
    await stop?.();
    await db?.close();
  });

  it('writes what the rules decided, bumps the version of a touched incident, and sends one message each, in order', async () => {
    const first = await db.transaction((tx) => writeRuleChanges(tx, {
      opened: [opened(1)], touched: [], log: [{ incidentId: uuid(1), action: 'opened', details: { eventId: uuid(101) } }],
      changes: [{ incidentId: uuid(1), action: 'opened' }],
    }, INGEST_ACTOR, true));
    expect(first.map((m) => [m.action, m.incident.version, m.incident.status, m.incident.eventCount, m.actor])).toEqual([['opened', 1, 'open', 1, { kind: 'system', id: 'ingest' }]]);
    expect(first[0]!.incident).toMatchObject({ openedAt: '2025-03-01T08:00:00.000Z', lastEventAt: '2025-03-01T08:00:00.000Z', acknowledgedAt: null, district: 'B' });
    expect(first[0]!.at).toBe(first[0]!.incident.updatedAt);

    // A critical event 3 min later joins incident 1 and escalates it; another device opens incident 2.
    const second = await db.transaction((tx) => writeRuleChanges(tx, {
      opened: [opened(2, { deviceId: 'cam-2' })],
      touched: [{ id: uuid(1), addedEvents: 1, lastEventId: uuid(201), lastEventAtMs: T0 + 3 * MIN, severity: 'critical', openedAtMs: T0 }],
      log: [
        { incidentId: uuid(1), action: 'escalated', details: { previousSeverity: 'high' } },
        { incidentId: uuid(1), action: 'event', details: {} },
        { incidentId: uuid(2), action: 'opened', details: {} },
      ],
      changes: [{ incidentId: uuid(1), action: 'escalated' }, { incidentId: uuid(2), action: 'opened' }],
    }, INGEST_ACTOR, true));
    expect(second.map((m) => [m.incident.id, m.action, m.incident.version, m.incident.severity, m.incident.eventCount, m.incident.lastEventAt])).toEqual([
      [uuid(1), 'escalated', 2, 'critical', 2, '2025-03-01T08:03:00.000Z'],
      [uuid(2), 'opened', 1, 'high', 1, '2025-03-01T08:00:00.000Z'],
    ]);
    await waitFor(() => (heard.length >= 3 ? true : undefined), { what: 'three messages' });
    expect(heard).toEqual([...first, ...second]);

    // Nothing is sent when ingest runs without NOTIFY, but the write and the returned messages are the same.
    const quiet = await db.transaction((tx) => writeRuleChanges(tx, {
      opened: [], touched: [{ id: uuid(2), addedEvents: 2, lastEventId: uuid(202), lastEventAtMs: T0 + MIN, severity: 'high', openedAtMs: T0 }],
      log: [], changes: [{ incidentId: uuid(2), action: 'event' }],
    }, INGEST_ACTOR, false));
    expect(quiet.map((m) => [m.incident.version, m.incident.eventCount])).toEqual([[2, 3]]);

    const open = await selectOpenIncidents(db, ['cam-1', 'cam-2'], ['intrusion'], T0);
    expect(open.map((o) => [o.id, o.status, o.severity, o.eventCount, o.lastEventAtMs - T0]).sort()).toEqual([
      [uuid(1), 'open', 'critical', 2, 3 * MIN],
      [uuid(2), 'open', 'high', 3, MIN],
    ]);
    expect(await selectOpenIncidents(db, ['cam-1'], ['intrusion'], T0 + 4 * MIN)).toEqual([]);
  });

  it('applies operator actions through the state machine, refusing a wrong step and a stale version', async () => {
    heard.length = 0;
    const operator = { kind: 'user', id: 'op-7' } as const;
    const ack = await applyOperatorAction(db, { id: uuid(1), action: 'acknowledge', actor: operator, note: 'on camera', expectedVersion: 2 });
    if (!ack.ok) throw new Error(`refused: ${ack.reason}`);
    expect([ack.incident.status, ack.incident.version, ack.incident.acknowledgedAt === ack.incident.updatedAt]).toEqual(['acknowledged', 3, true]);
    expect(ack.message).toEqual({ v: 1, action: 'acknowledged', incident: ack.incident, actor: operator, at: ack.incident.updatedAt });

    const again = await applyOperatorAction(db, { id: uuid(1), action: 'acknowledge', actor: operator });
    expect(again).toMatchObject({ ok: false, reason: 'refused', allowed: ['dispatch', 'note', 'escalate', 'resolve', 'view'], incident: { status: 'acknowledged', version: 3 } });
    const stale = await applyOperatorAction(db, { id: uuid(1), action: 'dispatch', unitId: 'nobody', actor: operator, expectedVersion: 2 });
    expect(stale).toMatchObject({ ok: false, reason: 'stale', incident: { status: 'acknowledged', version: 3 } });
    expect(await applyOperatorAction(db, { id: uuid(99), action: 'resolve', outcome: 'handled', actor: operator })).toEqual({ ok: false, reason: 'not_found' });
    const resolved = await applyOperatorAction(db, { id: uuid(1), action: 'resolve', outcome: 'false_alarm', actor: { kind: 'user', id: 'op-8' }, expectedVersion: 3 });
    expect(resolved).toMatchObject({ ok: true, incident: { status: 'resolved', version: 4, dispatchedAt: null, outcome: 'false_alarm', unitIds: [] } });

    await waitFor(() => (heard.length >= 2 ? true : undefined), { what: 'two messages' });
    expect(heard.map((m) => `${m.action}:${m.actor.id}:${m.incident.version}`)).toEqual(['acknowledged:op-7:3', 'resolved:op-8:4']);

    const detail = await getIncident(db, uuid(1));
    expect(detail?.log.map((l) => `${l.action}:${l.actorKind}:${l.actor}:${l.note ?? ''}`)).toEqual([
      'opened:system:ingest:', 'escalated:system:ingest:', 'event:system:ingest:', 'acknowledged:user:op-7:on camera', 'resolved:user:op-8:',
    ]);
    expect(await getIncident(db, uuid(99))).toBeUndefined();
  });

  it('lists incidents newest first, by status, active only, districts and devices', async () => {
    const ids = async (filter: Parameters<typeof listIncidents>[1]): Promise<string[]> => (await listIncidents(db, filter)).map((i) => i.id);
    const page = { limit: 10, offset: 0 };
    expect(await ids(page)).toEqual([uuid(1), uuid(2)]); // same opening time: by id
    expect(await ids({ ...page, status: 'resolved' })).toEqual([uuid(1)]);
    expect(await ids({ ...page, active: true })).toEqual([uuid(2)]);
    expect(await ids({ ...page, districts: ['R'] })).toEqual([]);
    expect(await ids({ ...page, districts: ['R', 'B'] })).toEqual([uuid(1), uuid(2)]);
    expect(await ids({ ...page, devices: ['cam-9'] })).toEqual([]);
    expect(await ids({ ...page, devices: ['cam-1'], status: 'resolved' })).toEqual([uuid(1)]);
    expect(await ids({ limit: 1, offset: 1 })).toEqual([uuid(2)]);
  });

  it('never lowers an operator\'s escalation when the rules add an event they judged from an older read', async () => {
    const operator = { kind: 'user', id: 'op-7' } as const;
    const escalated = await applyOperatorAction(db, { id: uuid(2), action: 'escalate', severity: 'critical', actor: operator });
    expect(escalated).toMatchObject({ ok: true, incident: { severity: 'critical', version: 3 } });
    // The rules read the incident as high before the escalation committed, and write "high" with their event.
    const [touched] = await db.transaction((tx) => writeRuleChanges(tx, {
      opened: [], touched: [{ id: uuid(2), addedEvents: 1, lastEventId: uuid(203), lastEventAtMs: T0 + 2 * MIN, severity: 'high', openedAtMs: T0 }],
      log: [], changes: [{ incidentId: uuid(2), action: 'event' }],
    }, INGEST_ACTOR, false));
    expect(touched!.incident).toMatchObject({ severity: 'critical', version: 4, eventCount: 4 });
  });

  it('records a log row that changes nothing (notified) with its message, keeping the version', async () => {
    heard.length = 0;
    const before = (await getIncident(db, uuid(2)))!;
    const message = await recordIncidentLog(db, uuid(2), 'notified', { kind: 'system', id: 'console' }, { host: 'hooks.example', status: 200, attempt: 1 });
    expect(message).toMatchObject({ action: 'notified', incident: { version: before.version, updatedAt: before.updatedAt }, actor: { kind: 'system', id: 'console' } });
    expect(message!.at >= before.updatedAt).toBe(true);
    await waitFor(() => (heard.length >= 1 ? true : undefined), { what: 'the notified message' });
    expect(heard).toEqual([message]);
    expect((await getIncident(db, uuid(2)))!.log.at(-1)).toMatchObject({ action: 'notified', actorKind: 'system', actor: 'console', details: { host: 'hooks.example', status: 200, attempt: 1 } });
    expect(await recordIncidentLog(db, uuid(99), 'notified', { kind: 'system', id: 'console' }, null)).toBeUndefined();
  });
});
