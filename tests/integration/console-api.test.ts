import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { createEmbeddedDatabase, migrate, notify, NOTIFY_CHANNELS, type Database } from '@streetwise/db';
import { build, listen } from '@streetwise/console';
import { buildIncidentMessage, type IncidentView } from '@streetwise/incidents';
import { newMessageId } from '@streetwise/protocol';
import { waitFor } from '@streetwise/testing';
import { bearerFor } from '../src/console-auth.js';

async function insertIncident(db: Database, deviceId = 'cam-1'): Promise<string> {
  const id = newMessageId();
  await db.query(
    `INSERT INTO incidents (id, type, severity, device_id, district, lat, lon, first_event_id, last_event_id, opened_at, last_event_at)
     VALUES ($1, 'collision', 'critical', $2, 'B', 22.28, 114.17, $1, $1, now(), now())`,
    [id, deviceId],
  );
  return id;
}

describe('console API on the embedded database', () => {
  let db: Database;
  let app: FastifyInstance;
  let viewer: { authorization: string };
  let planner: { authorization: string };
  const operators: Record<string, { authorization: string }> = {};

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    await db.query(
      `INSERT INTO devices (id, kind, name, district, lat, lon, state) VALUES
       ('cam-1', 'camera', 'Hennessy Rd', 'B', 22.278, 114.173, 'online'),
       ('aq-1', 'air_quality', 'Central AQ', 'A', 22.281, 114.158, 'offline')`,
    );
    app = await build({ db });
    viewer = await bearerFor(db, 'viewer-1', 'viewer');
    planner = await bearerFor(db, 'planner-1', 'planner');
    for (const name of ['op-7', 'op-8', 'op-9']) operators[name] = await bearerFor(db, name, 'operator');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('GET /api/health is 200 when every check is up and 503 when one is down', async () => {
    const up = await app.inject('/api/health');
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ status: 'up', components: { database: { status: 'up' } } });
    const degraded = await build({ db, checks: { broker: () => ({ status: 'down', detail: 'no connection' }) } });
    try {
      const down = await degraded.inject('/api/health');
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ status: 'down', components: { broker: { status: 'down', detail: 'no connection' }, database: { status: 'up' } } });
    } finally {
      await degraded.close();
    }
  });

  it('GET /metrics serves Prometheus text with request durations', async () => {
    await app.inject({ url: '/api/v1/devices', headers: viewer });
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('streetwise_console_http_request_duration_seconds_bucket');
    expect(res.body).toContain('route="/api/v1/devices"');
  });

  it('lists and filters devices, and names a bad parameter', async () => {
    expect((await app.inject({ url: '/api/v1/devices', headers: viewer })).json()).toMatchObject({ total: 2 });
    const online = (await app.inject({ url: '/api/v1/devices?state=online', headers: viewer })).json<{ total: number; items: Array<{ id: string }> }>();
    expect(online.items.map((d) => d.id)).toEqual(['cam-1']);
    const bad = await app.inject({ url: '/api/v1/devices?limit=0', headers: viewer });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ statusCode: 400, error: 'Bad Request', code: 'SW_API_BAD_PARAMETER', parameter: 'limit', message: 'parameter "limit" must be >= 1' });
    const unknown = await app.inject({ url: '/api/v1/devices?colour=red', headers: viewer });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'SW_API_BAD_PARAMETER', parameter: 'colour', message: 'parameter "colour" is not a query parameter of this endpoint' });
    const state = (await app.inject({ url: '/api/v1/devices?state=asleep', headers: viewer })).json();
    expect(state).toMatchObject({ code: 'SW_API_BAD_PARAMETER', parameter: 'state', allowed: ['online', 'degraded', 'offline'] });
  });

  it('filters devices by district (any of its names, or a list) and region, like the analytics routes', async () => {
    const ids = async (url: string) => ((await app.inject({ url: url, headers: viewer })).json<{ items: Array<{ id: string }> }>()).items.map((d) => d.id);
    expect(await ids('/api/v1/devices?district=Wan%20Chai')).toEqual(['cam-1']);
    expect(await ids('/api/v1/devices?district=%E7%81%A3%E4%BB%94')).toEqual(['cam-1']); // 灣仔
    expect(await ids('/api/v1/devices?district=B')).toEqual(['cam-1']);
    expect(await ids('/api/v1/devices?district=Wan%20Chai,Sha%20Tin')).toEqual(['cam-1']);
    expect(await ids('/api/v1/devices?region=hong-kong-island')).toEqual(['aq-1', 'cam-1']);
    expect(await ids('/api/v1/devices?district=Central%20and%20Western')).toEqual(['aq-1']);
    expect(await ids('/api/v1/devices?region=kowloon')).toEqual([]);
    expect(await ids('/api/v1/devices?kind=camera,air_quality')).toEqual(['aq-1', 'cam-1']);
  });

  // The same filter means the same thing on every route: 400 naming the parameter (and the allowed values).
  const refusals: Array<[string, string, number | undefined]> = [
    ['/api/v1/devices?district=Atlantis', 'district', 18],
    ['/api/v1/incidents?district=Atlantis', 'district', 18],
    ['/api/v1/analytics/volume?district=Atlantis', 'district', 18],
    ['/api/v1/devices?region=atlantis', 'region', 3],
    ['/api/v1/incidents?region=atlantis', 'region', 3],
    ['/api/v1/analytics/volume?region=atlantis', 'region', 3],
    ['/api/v1/incidents?device=nope', 'device', undefined],
    ['/api/v1/events/recent?device=nope', 'device', undefined],
    ['/api/v1/analytics/volume?device=nope', 'device', undefined],
    ['/api/v1/events/recent?from=yesterday', 'from', undefined],
    ['/api/v1/analytics/volume?from=yesterday', 'from', undefined],
    ['/api/v1/events/recent?from=2024-03-05&to=2024-03-04', 'to', undefined],
    ['/api/v1/analytics/volume?from=2024-03-05&to=2024-03-04', 'to', undefined],
    ['/api/v1/incidents?limit=0', 'limit', undefined],
    ['/api/v1/analytics/volume?limit=0', 'limit', undefined],
    ['/api/v1/incidents?status=closed', 'status', 4],
    ['/api/v1/analytics/volume?groupBy=colour', 'groupBy', 6],
  ];
  for (const [url, parameter, allowedCount] of refusals) {
    it(`${url} → 400 SW_API_BAD_PARAMETER naming ${parameter}`, async () => {
      // The analytics routes are the planners' (the role matrix): ask as a planner there, as a viewer elsewhere.
      const res = await app.inject({ url, headers: url.includes('/analytics/') ? planner : viewer });
      expect(res.statusCode).toBe(400);
      const body = res.json<{ allowed?: string[] }>();
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'SW_API_BAD_PARAMETER', parameter });
      expect(body.allowed?.length).toBe(allowedCount);
    });
  }

  it('filters incidents by district, region and device, and events by device and time range', async () => {
    const id = await insertIncident(db);
    const incidentIds = async (url: string) => ((await app.inject({ url: url, headers: viewer })).json<{ items: Array<{ id: string }> }>()).items.map((i) => i.id);
    expect(await incidentIds('/api/v1/incidents?district=Wan%20Chai')).toContain(id);
    expect(await incidentIds('/api/v1/incidents?region=hong-kong-island&device=cam-1')).toContain(id);
    expect(await incidentIds('/api/v1/incidents?district=Sha%20Tin')).toEqual([]);
    expect(await incidentIds('/api/v1/incidents?device=aq-1')).toEqual([]);
    await db.query(
      `INSERT INTO events (id, time, device_id, type, severity, lat, lon) VALUES ($1, '2024-03-04T10:00:00+08:00', 'cam-1', 'line_crossing', 'info', 22.278, 114.173)`,
      [newMessageId()],
    );
    const events = async (url: string) => ((await app.inject({ url: url, headers: viewer })).json<{ items: Array<{ deviceId: string }> }>()).items;
    expect(await events('/api/v1/events/recent?device=cam-1&from=2024-03-04&to=2024-03-05')).toHaveLength(1);
    expect(await events('/api/v1/events/recent?device=aq-1&from=2024-03-04&to=2024-03-05')).toHaveLength(0);
    expect(await events('/api/v1/events/recent?device=cam-1')).toHaveLength(0); // default: the last 24 hours
  });

  it('names a bad path parameter and a body field that is not allowed the same way', async () => {
    const notUuid = await app.inject({ url: '/api/v1/incidents/not-a-uuid', headers: viewer });
    expect(notUuid.statusCode).toBe(400);
    expect(notUuid.json()).toMatchObject({ code: 'SW_API_BAD_PARAMETER', parameter: 'id' });
    const action = await app.inject({ method: 'POST', url: `/api/v1/incidents/${newMessageId()}/reopen`, payload: {}, headers: operators['op-7']! });
    expect(action.json()).toMatchObject({ statusCode: 400, code: 'SW_API_BAD_PARAMETER', parameter: 'action', allowed: ['acknowledge', 'dispatch', 'note', 'escalate', 'resolve'] });
    // The actor is the signed-in user: a typed name in the body is refused, named like any bad parameter.
    const typedActor = await app.inject({ method: 'POST', url: `/api/v1/incidents/${newMessageId()}/resolve`, payload: { actor: 'someone-else' }, headers: operators['op-7']! });
    expect(typedActor.json()).toMatchObject({ statusCode: 400, code: 'SW_API_BAD_PARAMETER', parameter: 'actor' });
    const notJson = await app.inject({ method: 'POST', url: `/api/v1/incidents/${newMessageId()}/resolve`, headers: { ...operators['op-7']!, 'content-type': 'application/json' }, payload: '{"note":' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({ code: 'SW_API_BAD_REQUEST' });
  });

  it('answers an unknown /api/v1 route with the same error shape', async () => {
    const res = await app.inject({ url: '/api/v1/nothing-here', headers: viewer });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, error: 'Not Found', code: 'SW_API_NO_ROUTE', message: 'there is no route GET /api/v1/nothing-here; /docs lists every route' });
  });

  it('answers a district as its code with the English and Chinese names beside it, and filters by any spelling', async () => {
    const devices = (await app.inject({ url: '/api/v1/devices', headers: viewer })).json<{ items: Array<Record<string, unknown>> }>();
    expect(devices.items.map((d) => [d.id, d.district, d.districtNameEn, d.districtNameZh])).toEqual([
      ['aq-1', 'A', 'Central & Western', '中西區'],
      ['cam-1', 'B', 'Wan Chai', '灣仔'],
    ]);
    for (const spelling of ['A', 'Central and Western', 'Central & Western', '中西區']) {
      const found = (await app.inject({ url: `/api/v1/devices?district=${encodeURIComponent(spelling)}`, headers: viewer })).json<{ items: Array<{ id: string }> }>();
      expect(found.items.map((d) => d.id), spelling).toEqual(['aq-1']);
    }
    const id = await insertIncident(db);
    const incidents = (await app.inject({ url: '/api/v1/incidents?district=wan%20chai', headers: viewer })).json<{ items: Array<Record<string, unknown>> }>();
    expect(incidents.items.find((i) => i.id === id)).toMatchObject({ district: 'B', districtNameEn: 'Wan Chai', districtNameZh: '灣仔' });
    expect((await app.inject({ url: `/api/v1/incidents/${id}`, headers: viewer })).json()).toMatchObject({ district: 'B', districtNameEn: 'Wan Chai', districtNameZh: '灣仔' });
    const acknowledged = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/acknowledge`, payload: { version: 1 }, headers: operators['op-7']! });
    expect(acknowledged.json()).toMatchObject({ status: 'acknowledged', district: 'B', districtNameEn: 'Wan Chai', districtNameZh: '灣仔' });
  });

  it('moves an incident open → acknowledged → dispatched → resolved, audited, and refuses a wrong step', async () => {
    const id = await insertIncident(db);
    const ack = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/acknowledge`, payload: { note: 'on camera', version: 1 }, headers: operators['op-7']! });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', version: 2 });
    const again = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/acknowledge`, payload: { version: 2 }, headers: operators['op-7']! });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'SW_CONSOLE_BAD_TRANSITION' });
    await db.query(`INSERT INTO units (id, name, kind) VALUES ('amb-1', 'Ambulance 1', 'ambulance') ON CONFLICT DO NOTHING`);
    const stale = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/dispatch`, payload: { version: 1, unitId: 'amb-1' }, headers: operators['op-7']! });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'SW_CONSOLE_VERSION_CONFLICT', incident: { id, version: 2, status: 'acknowledged' } });
    expect((await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/dispatch`, payload: { version: 2, unitId: 'amb-1' }, headers: operators['op-7']! })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/resolve`, payload: { version: 3, outcome: 'handled' }, headers: operators['op-8']! })).statusCode).toBe(200);
    const detail = (await app.inject({ url: `/api/v1/incidents/${id}`, headers: viewer })).json<{ status: string; version: number; log: Array<{ action: string; actor: string; actorKind: string }> }>();
    expect([detail.status, detail.version]).toEqual(['resolved', 4]);
    expect(detail.log.map((l) => `${l.action}:${l.actorKind}:${l.actor}`)).toEqual(['acknowledged:user:op-7', 'dispatched:user:op-7', 'resolved:user:op-8']);
    const missing = await app.inject({ method: 'POST', url: `/api/v1/incidents/${newMessageId()}/resolve`, payload: { version: 1, outcome: 'handled' }, headers: operators['op-7']! });
    expect(missing.statusCode).toBe(404);
    const active = (await app.inject({ url: '/api/v1/incidents?active=true', headers: viewer })).json<{ items: Array<{ id: string }> }>();
    expect(active.items.map((i) => i.id)).not.toContain(id);
  });

  it('pushes committed notifications to socket.io clients', async () => {
    const live = await build({ db });
    const { url } = await listen(live, 0);
    const socket: Socket = connectSocket(url, { transports: ['websocket'], auth: { token: viewer.authorization.slice('Bearer '.length) } });
    try {
      await waitFor(() => (socket.connected ? true : undefined), { timeoutMs: 10_000, what: 'socket connected' });
      const received: unknown[] = [];
      socket.on('incident', (body: unknown) => received.push(body));
      // Not the sw_incidents message shape: dropped. Then a message as ingest sends it, then an operator's action.
      await db.transaction(async (tx) => notify(tx, NOTIFY_CHANNELS.incidents, { id: 'x-1', status: 'open' }));
      const id = await insertIncident(db, 'cam-9');
      const incident = (await live.inject({ url: `/api/v1/incidents/${id}`, headers: viewer })).json<IncidentView & { log: unknown[]; units: unknown[]; events: unknown[]; device: unknown }>();
      const { log: _log, units: _units, events: _events, device: _device, districtNameEn: _en0, districtNameZh: _zh0, ...view } = incident as typeof incident & { districtNameEn: string; districtNameZh: string };
      const opened = buildIncidentMessage('opened', view, { kind: 'system', id: 'ingest' });
      await notify(db, NOTIFY_CHANNELS.incidents, opened);
      const ack = await live.inject({ method: 'POST', url: `/api/v1/incidents/${id}/acknowledge`, payload: { version: 1 }, headers: operators['op-9']! });
      await waitFor(() => (received.length >= 2 ? received : undefined), { timeoutMs: 10_000, what: 'incident notifications' });
      // The HTTP answer puts the district's names beside its code; the message carries the incident as stored (code only).
      const { districtNameEn: _en, districtNameZh: _zh, ...stored } = ack.json<IncidentView & { districtNameEn: string; districtNameZh: string }>();
      expect(_en).toBe('Wan Chai');
      expect(received).toEqual([opened, { v: 1, action: 'acknowledged', incident: stored, actor: { kind: 'user', id: 'op-9' }, at: stored.updatedAt }]);
    } finally {
      socket.close();
      await live.close();
    }
  });
});

describe('two console nodes on the socket.io Redis adapter (this machine\'s Redis)', () => {
  let db: Database;
  let nodes: FastifyInstance[] = [];
  let token: string;
  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    token = (await bearerFor(db, 'viewer-1', 'viewer')).authorization.slice('Bearer '.length);
    nodes = [await build({ db, redisUrl: 'redis://127.0.0.1:6379' }), await build({ db, redisUrl: 'redis://127.0.0.1:6379' })];
  });
  afterAll(async () => {
    for (const node of nodes) await node.close();
    await db?.close();
  });

  it('a broadcast on one node reaches a browser on the other, and a NOTIFY reaches each browser once', async () => {
    const urls = await Promise.all(nodes.map(async (node) => (await listen(node, 0)).url));
    const sockets = urls.map((url) => connectSocket(url, { transports: ['websocket'], auth: { token } }));
    try {
      await waitFor(() => (sockets.every((s) => s.connected) ? true : undefined), { timeoutMs: 10_000, what: 'both sockets connected' });
      const presence: unknown[] = [];
      sockets[1]!.on('presence', (body: unknown) => presence.push(body));
      // Redis subscriptions settle asynchronously: broadcast until node 2's browser hears it.
      await waitFor(() => {
        nodes[0]!.io.emit('presence', { operator: 'op-1' });
        return presence.length > 0 ? true : undefined;
      }, { timeoutMs: 10_000, what: 'cross-node broadcast' });
      expect(presence[0]).toEqual({ operator: 'op-1' });
      const seen = [0, 0];
      sockets.forEach((s, i) => s.on('event', () => seen[i]!++));
      await notify(db, NOTIFY_CHANNELS.events, { id: 'e-1' });
      await waitFor(() => (seen[0]! >= 1 && seen[1]! >= 1 ? true : undefined), { timeoutMs: 10_000, what: 'event on both nodes' });
      await new Promise((resolve) => setTimeout(resolve, 300)); // a duplicate would arrive within this window
      expect(seen).toEqual([1, 1]);
    } finally {
      for (const s of sockets) s.close();
    }
  });
});
