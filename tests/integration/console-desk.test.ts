import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createEmbeddedDatabase, migrate, NOTIFY_CHANNELS, type Database } from '@streetwise/db';
import { build } from '@streetwise/console';
import { parseIncidentNotification, type IncidentNotification, type IncidentView } from '@streetwise/incidents';
import { newMessageId } from '@streetwise/protocol';
import { waitFor } from '@streetwise/testing';
import { bearerFor, signIn, TEST_SCRYPT_COST } from '../src/console-auth.js';
import { raiseIncident } from '../src/desk-fixtures.js';

type Headers = Record<string, string>;
interface Detail extends IncidentView {
  log: Array<{ id: number; action: string; actor: string; actorKind: string; note: string | null; details: Record<string, unknown> | null }>;
  units: Array<{ id: string; status: string }>;
  events: Array<{ id: string; severity: string; hasSnapshot: boolean }>;
  device: { id: string; health: { fps: number; outboxDepth: number } | null } | null;
}

const T0 = Date.now() - 10 * 60_000;

describe('the incident desk: actions, units, seen by, conflicts (embedded database)', () => {
  let db: Database;
  let app: FastifyInstance;
  const heard: IncidentNotification[] = [];
  let stopListening: () => Promise<void>;
  let opA: Headers;
  let opB: Headers;
  let viewer: Headers;
  let admin: Headers;
  let incident: IncidentView;

  const post = (url: string, payload: object, headers: Headers) => app.inject({ method: 'POST', url, payload, headers });
  const act = (action: string, payload: object, headers: Headers = opA, id = incident.id) => post(`/api/v1/incidents/${id}/${action}`, payload, headers);
  const detail = async (id = incident.id): Promise<Detail> => (await app.inject({ url: `/api/v1/incidents/${id}`, headers: viewer })).json<Detail>();
  const unit = async (id: string) => (await app.inject({ url: '/api/v1/units', headers: viewer })).json<{ items: Array<{ id: string; status: string; incidentId: string | null }> }>().items.find((u) => u.id === id);

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    stopListening = await db.listen(NOTIFY_CHANNELS.incidents, (payload) => heard.push(parseIncidentNotification(payload)!));
    await db.query(`INSERT INTO devices (id, kind, name, district, lat, lon, state) VALUES ('cam-1', 'camera', 'Hennessy Rd', 'B', 22.278, 114.173, 'online')`);
    await db.query(
      `INSERT INTO health (time, id, device_id, uptime_s, fps, outbox_depth) VALUES ($1, $2, 'cam-1', 100, 9.5, 3), ($3, $4, 'cam-1', 160, 12.5, 0)`,
      [new Date(T0).toISOString(), newMessageId(), new Date(T0 + 60_000).toISOString(), newMessageId()],
    );
    app = await build({ db, accounts: { scryptCost: TEST_SCRYPT_COST }, analytics: false });
    opA = await bearerFor(db, 'op-a', 'operator');
    opB = await bearerFor(db, 'op-b', 'operator');
    viewer = await bearerFor(db, 'viewer-v', 'viewer');
    admin = await bearerFor(db, 'admin-1', 'admin');
    incident = await raiseIncident(db, 'cam-1', 'collision', [{ atMs: T0, severity: 'high' }, { atMs: T0 + 30_000, severity: 'medium', hasSnapshot: true }]);
  }, 60_000);
  afterAll(async () => {
    await stopListening?.();
    await app?.close();
    await db?.close();
  });

  it('lets admins keep the units registry and everyone read it', async () => {
    for (const [id, name] of [['amb-1', 'Ambulance 1'], ['amb-2', 'Ambulance 2'], ['pol-1', 'Police 1']] as const) {
      const made = await post('/api/v1/units', { id, name, kind: id.startsWith('amb') ? 'ambulance' : 'police' }, admin);
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json()).toMatchObject({ id, name, status: 'available', incidentId: null });
    }
    expect((await post('/api/v1/units', { id: 'amb-1', name: 'Other', kind: 'fire' }, admin)).json()).toMatchObject({ statusCode: 409, code: 'SW_CONSOLE_UNIT_EXISTS', parameter: 'id' });
    expect((await post('/api/v1/units', { id: 'amb-9', name: 'Ambulance 1', kind: 'fire' }, admin)).json()).toMatchObject({ statusCode: 409, code: 'SW_CONSOLE_UNIT_EXISTS', parameter: 'name' });
    expect((await post('/api/v1/units', { id: 'Bad Id', name: 'x', kind: 'fire' }, admin)).json()).toMatchObject({ statusCode: 400, parameter: 'id' });
    expect((await post('/api/v1/units', { id: 'fire-1', name: 'Fire 1', kind: 'fire' }, opA)).statusCode).toBe(403);
    const patch = (id: string, payload: object) => app.inject({ method: 'PATCH', url: `/api/v1/units/${id}`, payload, headers: admin });
    expect((await patch('amb-2', { status: 'out_of_service' })).json()).toMatchObject({ id: 'amb-2', status: 'out_of_service' });
    expect((await patch('amb-2', { status: 'dispatched' })).json()).toMatchObject({ statusCode: 400, parameter: 'status', allowed: ['available', 'out_of_service'] });
    expect((await patch('nope', { name: 'x' })).statusCode).toBe(404);
    const listed = (await app.inject({ url: '/api/v1/units', headers: viewer })).json<{ items: Array<{ id: string; status: string }> }>();
    expect(listed.items.map((u) => `${u.id}:${u.status}`)).toEqual(['amb-1:available', 'amb-2:out_of_service', 'pol-1:available']);
  });

  it('records who opened an incident without a new version, once per user per 60 s, for a viewer too', async () => {
    const first = await post(`/api/v1/incidents/${incident.id}/view`, {}, opA);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ version: 1, updatedAt: incident.updatedAt, seenBy: ['op-a'] });
    await post(`/api/v1/incidents/${incident.id}/view`, {}, opA); // within 60 s: not logged again
    const byViewer = await post(`/api/v1/incidents/${incident.id}/view`, {}, viewer);
    expect(byViewer.json()).toMatchObject({ version: 1, seenBy: ['op-a', 'viewer-v'] });
    const viewed = async () => (await db.query<{ actor: string }>(`SELECT actor FROM incident_log WHERE incident_id = $1 AND action = 'viewed' ORDER BY id`, [incident.id])).rows.map((r) => r.actor);
    expect(await viewed()).toEqual(['op-a', 'viewer-v']);
    // A minute later (the log so far moved 61 s back) the same user is logged again; "seen by" still names each user once, in first-seen order.
    await db.query(`UPDATE incident_log SET at = at - interval '61 seconds' WHERE incident_id = $1`, [incident.id]);
    expect((await post(`/api/v1/incidents/${incident.id}/view`, {}, opA)).json()).toMatchObject({ version: 1, seenBy: ['op-a', 'viewer-v'] });
    expect(await viewed()).toEqual(['op-a', 'viewer-v', 'op-a']);
    expect((await post(`/api/v1/incidents/${newMessageId()}/view`, {}, opA)).statusCode).toBe(404);
    await waitFor(() => (heard.filter((m) => m.action === 'viewed').length >= 3 ? true : undefined), { what: 'three viewed messages' });
    expect(heard.filter((m) => m.action === 'viewed').map((m) => `${m.actor.id}:${m.incident.version}`)).toEqual(['op-a:1', 'viewer-v:1', 'op-a:1']);
  });

  it('acknowledges, notes as the signed-in user, refuses a stale escalate with the current incident, then escalates', async () => {
    expect((await act('acknowledge', {})).json()).toMatchObject({ statusCode: 400, code: 'SW_API_BAD_PARAMETER', parameter: 'version' });
    expect((await act('acknowledge', { version: 1, outcome: 'handled' })).json()).toMatchObject({ statusCode: 400, parameter: 'outcome' });
    const ack = await act('acknowledge', { version: 1 });
    expect(ack.json()).toMatchObject({ status: 'acknowledged', version: 2 });
    // The actor is whoever signed in: a name in the body is refused, the note is logged as op-b (by cookie session).
    const session = await signIn(app, 'op-b');
    expect((await act('note', { note: 'caller reports two cars', actor: 'mallory' }, session)).json()).toMatchObject({ statusCode: 400, parameter: 'actor' });
    expect((await act('note', { note: '   ' }, session)).json()).toMatchObject({ statusCode: 400, parameter: 'note' });
    const noted = await act('note', { note: 'caller reports two cars', version: 1 }, session); // a note never conflicts
    expect(noted.json()).toMatchObject({ status: 'acknowledged', version: 3 });

    const stale = await act('escalate', { version: 2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      statusCode: 409, code: 'SW_CONSOLE_VERSION_CONFLICT', message: expect.stringContaining('version 3 now, not 2'),
      incident: { id: incident.id, version: 3, severity: 'high', status: 'acknowledged', seenBy: ['op-a', 'viewer-v'], districtNameEn: 'Wan Chai' },
    });
    expect((await act('escalate', { version: 3, severity: 'medium' })).json()).toMatchObject({ statusCode: 409, code: 'SW_CONSOLE_NOT_HIGHER', parameter: 'severity', allowed: ['critical'] });
    expect((await act('escalate', { version: 3 })).json()).toMatchObject({ severity: 'critical', version: 4 });
    expect((await act('escalate', { version: 4 })).json()).toMatchObject({ statusCode: 409, code: 'SW_CONSOLE_NOT_HIGHER', allowed: [] });
    const log = (await detail()).log.filter((l) => l.actorKind === 'user' && l.action !== 'viewed');
    expect(log.map((l) => [l.action, l.actor, l.note, l.details])).toEqual([
      ['acknowledged', 'op-a', null, null],
      ['note', 'op-b', 'caller reports two cars', null],
      ['escalated', 'op-a', null, { from: 'high', to: 'critical' }],
    ]);
  });

  it('dispatches only an available unit, refuses a stale dispatch, and keeps a dispatched unit until the resolve', async () => {
    expect((await act('dispatch', { version: 4 })).json()).toMatchObject({ statusCode: 400, parameter: 'unitId' });
    expect((await act('dispatch', { version: 4, unitId: 'amb-2' })).json()).toMatchObject({ statusCode: 409, code: 'SW_CONSOLE_UNIT_UNAVAILABLE', parameter: 'unitId', message: expect.stringContaining('out of service') });
    expect((await act('dispatch', { version: 4, unitId: 'amb-404' })).json()).toMatchObject({ statusCode: 404, code: 'SW_CONSOLE_NOT_FOUND', parameter: 'unitId' });
    const stale = await act('dispatch', { version: 3, unitId: 'amb-1' }, opB);
    expect(stale.json()).toMatchObject({ statusCode: 409, code: 'SW_CONSOLE_VERSION_CONFLICT', incident: { version: 4, status: 'acknowledged', unitIds: [] } });
    expect(await unit('amb-1')).toMatchObject({ status: 'available', incidentId: null });

    const sent = await act('dispatch', { version: 4, unitId: 'amb-1' });
    expect(sent.json()).toMatchObject({ status: 'dispatched', version: 5, unitIds: ['amb-1'] });
    const second = await act('dispatch', { version: 5, unitId: 'pol-1', note: 'traffic control' });
    expect(second.json()).toMatchObject({ status: 'dispatched', version: 6, unitIds: ['amb-1', 'pol-1'], dispatchedAt: sent.json<IncidentView>().dispatchedAt });
    expect(await unit('amb-1')).toMatchObject({ status: 'dispatched', incidentId: incident.id });

    // A unit out on one incident cannot go to another, nor be taken out of service by hand.
    const other = await raiseIncident(db, 'cam-1', 'intrusion', [{ atMs: T0, severity: 'low' }]);
    expect((await act('dispatch', { version: 1, unitId: 'amb-1' }, opA, other.id)).json()).toMatchObject({ statusCode: 409, code: 'SW_CONSOLE_UNIT_UNAVAILABLE', message: expect.stringContaining(incident.id) });
    const patch = (payload: object) => app.inject({ method: 'PATCH', url: '/api/v1/units/amb-1', payload, headers: admin });
    expect((await patch({ status: 'out_of_service' })).json()).toMatchObject({ statusCode: 409, code: 'SW_CONSOLE_UNIT_DISPATCHED' });
    expect((await patch({ name: 'Ambulance One' })).json()).toMatchObject({ name: 'Ambulance One', status: 'dispatched' });
  });

  it('resolves with an outcome, frees its units, refuses a stale resolve, and then takes only notes and views', async () => {
    expect((await act('resolve', { version: 6 })).json()).toMatchObject({ statusCode: 400, parameter: 'outcome' });
    expect((await act('resolve', { version: 6, outcome: 'solved' })).json()).toMatchObject({ statusCode: 400, parameter: 'outcome', allowed: ['handled', 'false_alarm', 'duplicate', 'no_action_needed'] });
    expect((await act('resolve', { version: 5, outcome: 'handled' }, opB)).json()).toMatchObject({ statusCode: 409, code: 'SW_CONSOLE_VERSION_CONFLICT', incident: { version: 6, status: 'dispatched' } });
    const resolved = await act('resolve', { version: 6, outcome: 'false_alarm', note: 'shadow on the lens' });
    expect(resolved.json()).toMatchObject({ status: 'resolved', version: 7, outcome: 'false_alarm', unitIds: [] });
    expect([await unit('amb-1'), await unit('pol-1')]).toMatchObject([{ status: 'available', incidentId: null }, { status: 'available', incidentId: null }]);
    expect((await act('escalate', { version: 7 })).json()).toMatchObject({ statusCode: 409, code: 'SW_CONSOLE_BAD_TRANSITION', message: expect.stringContaining('allowed next: note, view') });
    expect((await act('note', { note: 'reviewed the footage' })).json()).toMatchObject({ status: 'resolved', version: 8, outcome: 'false_alarm' });
    expect((await act('note', { note: 'x' }, viewer)).statusCode).toBe(403);

    const d = await detail();
    expect(d.log.filter((l) => l.action === 'resolved').map((l) => [l.actor, l.note, l.details])).toEqual([['op-a', 'shadow on the lens', { outcome: 'false_alarm', freedUnitIds: ['amb-1', 'pol-1'] }]]);
    expect(d.log.filter((l) => l.action === 'dispatched').map((l) => l.details)).toEqual([{ unitId: 'amb-1', unitName: 'Ambulance 1' }, { unitId: 'pol-1', unitName: 'Police 1' }]);
    expect(d.log.map((l) => l.id)).toEqual([...d.log.map((l) => l.id)].sort((a, b) => a - b));
    // Every action went out as one sw_incidents message, views and notes too, each with the version it made.
    await waitFor(() => (heard.some((m) => m.incident.version === 8) ? true : undefined), { what: 'the last note\'s message' });
    expect(heard.filter((m) => m.incident.id === incident.id).map((m) => `${m.action}:${m.actor.id}:${m.incident.version}`)).toEqual([
      'opened:ingest:1', 'viewed:op-a:1', 'viewed:viewer-v:1', 'viewed:op-a:1', 'acknowledged:op-a:2', 'note:op-b:3', 'escalated:op-a:4',
      'dispatched:op-a:5', 'dispatched:op-a:6', 'resolved:op-a:7', 'note:op-a:8',
    ]);
  });

  it('shows the triggering events, the device with its latest health, and the units in the detail', async () => {
    const d = await detail();
    expect(d.events.map((e) => [e.severity, e.hasSnapshot])).toEqual([['high', false], ['medium', true]]);
    expect(d.device).toMatchObject({ id: 'cam-1', name: 'Hennessy Rd', kind: 'camera', state: 'online', health: { uptimeS: 160, fps: 12.5, outboxDepth: 0 } });
    expect(d.units).toEqual([]);
    expect(d.log.slice(0, 2).map((l) => [l.action, l.actorKind, l.actor])).toEqual([['opened', 'system', 'ingest'], ['event', 'system', 'ingest']]);
  });

  it('filters the queue by severity, type and time, and sorts it', async () => {
    const recent = await raiseIncident(db, 'cam-1', 'intrusion', [{ atMs: Date.now() - 60_000, severity: 'medium' }]);
    const ids = async (query: string) => (await app.inject({ url: `/api/v1/incidents?${query}`, headers: viewer })).json<{ items: Array<{ id: string }> }>().items.map((i) => i.id);
    expect(await ids('severity=critical')).toEqual([incident.id]);
    expect(await ids('severity=critical,medium&sort=severity')).toEqual([incident.id, recent.id]);
    expect(await ids('type=intrusion&since=' + encodeURIComponent(new Date(Date.now() - 5 * 60_000).toISOString()))).toEqual([recent.id]);
    expect((await ids('type=intrusion')).length).toBe(2);
    expect((await ids('sort=updated'))[0]).toBe(recent.id);
    expect((await app.inject({ url: '/api/v1/incidents?since=yesterday', headers: viewer })).json()).toMatchObject({ statusCode: 400, parameter: 'since' });
    expect((await app.inject({ url: '/api/v1/incidents?severity=urgent', headers: viewer })).json()).toMatchObject({ statusCode: 400, parameter: 'severity' });
  });

  it('tells every signed-in user the desk\'s thresholds, configurable per severity', async () => {
    const defaults = (await app.inject({ url: '/api/v1/desk/settings', headers: viewer })).json();
    expect(defaults).toEqual({
      ackThresholds: {
        info: { amberS: 14_400, redS: 86_400 }, low: { amberS: 3600, redS: 14_400 }, medium: { amberS: 900, redS: 3600 },
        high: { amberS: 300, redS: 900 }, critical: { amberS: 60, redS: 180 },
      },
      soundSeverities: ['critical'],
      webhookConfigured: false,
    });
    const tuned = await build({ db, analytics: false, desk: { ackThresholds: { critical: { amberS: 30, redS: 90 } } as never } });
    try {
      const body = (await tuned.inject({ url: '/api/v1/desk/settings', headers: viewer })).json<{ ackThresholds: Record<string, unknown> }>();
      expect(body.ackThresholds).toMatchObject({ critical: { amberS: 30, redS: 90 }, high: { amberS: 300, redS: 900 } });
    } finally {
      await tuned.close();
    }
    expect((await app.inject({ url: '/api/v1/desk/settings' })).statusCode).toBe(401);
  });
});
