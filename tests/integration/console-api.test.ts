import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { createEmbeddedDatabase, migrate, notify, NOTIFY_CHANNELS, type Database } from '@streetwise/db';
import { build, listen } from '@streetwise/console';
import { buildIncidentMessage, type IncidentView } from '@streetwise/incidents';
import { newMessageId } from '@streetwise/protocol';
import { waitFor } from '../src/spawn-stack.js';
import { bearerFor } from '../src/console-auth.js';

async function insertIncident(db: Database, deviceId = 'cam-1'): Promise<string> {
  const id = newMessageId();
  await db.query(
    `INSERT INTO incidents (id, type, severity, device_id, district, lat, lon, first_event_id, last_event_id, opened_at, last_event_at)
     VALUES ($1, 'collision', 'critical', $2, 'Wan Chai', 22.28, 114.17, $1, $1, now(), now())`,
    [id, deviceId],
  );
  return id;
}

describe('console API on the embedded database', () => {
  let db: Database;
  let app: FastifyInstance;
  let viewer: { authorization: string };
  const operators: Record<string, { authorization: string }> = {};

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    await db.query(
      `INSERT INTO devices (id, kind, name, district, lat, lon, state) VALUES
       ('cam-1', 'camera', 'Hennessy Rd', 'Wan Chai', 22.278, 114.173, 'online'),
       ('aq-1', 'air_quality', 'Central AQ', 'Central and Western', 22.281, 114.158, 'offline')`,
    );
    app = await build({ db });
    viewer = await bearerFor(db, 'viewer-1', 'viewer');
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
    const online = (await app.inject({ url: '/api/v1/devices?state=online', headers: viewer })).json() as { total: number; items: Array<{ id: string }> };
    expect(online.items.map((d) => d.id)).toEqual(['cam-1']);
    const bad = await app.inject({ url: '/api/v1/devices?limit=0', headers: viewer });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'SW_CONSOLE_BAD_PARAMETER', parameter: 'querystring.limit' });
    const unknown = await app.inject({ url: '/api/v1/devices?colour=red', headers: viewer });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ parameter: 'querystring.colour' });
  });

  it('moves an incident open → acknowledged → dispatched → resolved, audited, and refuses a wrong step', async () => {
    const id = await insertIncident(db);
    const ack = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/acknowledge`, payload: { note: 'on camera', version: 1 }, headers: operators['op-7']! });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', version: 2 });
    const again = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/acknowledge`, payload: {}, headers: operators['op-7']! });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'SW_CONSOLE_BAD_TRANSITION' });
    const stale = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/dispatch`, payload: { version: 1 }, headers: operators['op-7']! });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'SW_CONSOLE_VERSION_CONFLICT' });
    expect((await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/dispatch`, payload: { version: 2 }, headers: operators['op-7']! })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/resolve`, payload: {}, headers: operators['op-8']! })).statusCode).toBe(200);
    const detail = (await app.inject({ url: `/api/v1/incidents/${id}`, headers: viewer })).json() as { status: string; version: number; log: Array<{ action: string; actor: string; actorKind: string }> };
    expect([detail.status, detail.version]).toEqual(['resolved', 4]);
    expect(detail.log.map((l) => `${l.action}:${l.actorKind}:${l.actor}`)).toEqual(['acknowledged:user:op-7', 'dispatched:user:op-7', 'resolved:user:op-8']);
    const missing = await app.inject({ method: 'POST', url: `/api/v1/incidents/${newMessageId()}/resolve`, payload: {}, headers: operators['op-7']! });
    expect(missing.statusCode).toBe(404);
    const active = (await app.inject({ url: '/api/v1/incidents?active=true', headers: viewer })).json() as { items: Array<{ id: string }> };
    expect(active.items.map((i) => i.id)).not.toContain(id);
  });

  it('pushes committed notifications to socket.io clients', async () => {
    const live = await build({ db });
    const { url } = await listen(live, 0);
    const socket: Socket = connectSocket(url, { transports: ['websocket'], auth: { token: viewer.authorization.slice('Bearer '.length) } });
    try {
      await waitFor(() => (socket.connected ? true : undefined), 10_000, 'socket connected');
      const received: unknown[] = [];
      socket.on('incident', (body: unknown) => received.push(body));
      // Not the sw_incidents message shape: dropped. Then a message as ingest sends it, then an operator's action.
      await db.transaction(async (tx) => notify(tx, NOTIFY_CHANNELS.incidents, { id: 'x-1', status: 'open' }));
      const id = await insertIncident(db, 'cam-9');
      const incident = (await live.inject({ url: `/api/v1/incidents/${id}`, headers: viewer })).json() as IncidentView & { log: unknown[] };
      const { log: _log, ...view } = incident;
      const opened = buildIncidentMessage('opened', view, { kind: 'system', id: 'ingest' });
      await notify(db, NOTIFY_CHANNELS.incidents, opened);
      const ack = await live.inject({ method: 'POST', url: `/api/v1/incidents/${id}/acknowledge`, payload: {}, headers: operators['op-9']! });
      await waitFor(() => (received.length >= 2 ? received : undefined), 10_000, 'incident notifications');
      expect(received).toEqual([opened, { v: 1, action: 'acknowledged', incident: ack.json(), actor: { kind: 'user', id: 'op-9' }, at: (ack.json() as IncidentView).updatedAt }]);
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
      await waitFor(() => (sockets.every((s) => s.connected) ? true : undefined), 10_000, 'both sockets connected');
      const presence: unknown[] = [];
      sockets[1]!.on('presence', (body: unknown) => presence.push(body));
      // Redis subscriptions settle asynchronously: broadcast until node 2's browser hears it.
      await waitFor(() => {
        nodes[0]!.io.emit('presence', { operator: 'op-1' });
        return presence.length > 0 ? true : undefined;
      }, 10_000, 'cross-node broadcast');
      expect(presence[0]).toEqual({ operator: 'op-1' });
      const seen = [0, 0];
      sockets.forEach((s, i) => s.on('event', () => seen[i]!++));
      await notify(db, NOTIFY_CHANNELS.events, { id: 'e-1' });
      await waitFor(() => (seen[0]! >= 1 && seen[1]! >= 1 ? true : undefined), 10_000, 'event on both nodes');
      await new Promise((resolve) => setTimeout(resolve, 300)); // a duplicate would arrive within this window
      expect(seen).toEqual([1, 1]);
    } finally {
      for (const s of sockets) s.close();
    }
  });
});
