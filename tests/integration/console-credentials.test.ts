import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import { Registry } from 'prom-client';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { build } from '@streetwise/console';
import { checkConnect, createCredentialCache, installIdentityHooks, type CredentialCache, type CredentialRecord } from '@streetwise/identity';
import { startEmbeddedBroker, type EmbeddedBroker } from '@streetwise/stack';
import { bearerFor } from '../src/console-auth.js';
import { capturingLogger } from '../src/identity/log-capture.js';

const HOUR_MS = 3_600_000;

/**
 * /api/v1/credentials on the embedded database, checked the way the broker checks: a credential cache on
 * the same database (kept current by LISTEN sw_credentials, as in npm start) and identity's checkConnect;
 * and, as npm start runs them in one process, the embedded broker with identity's hooks on that cache.
 */
describe('console credentials API', () => {
  let db: Database;
  let app: FastifyInstance;
  let cache: CredentialCache;
  let broker: EmbeddedBroker;
  const clients: MqttClient[] = [];
  let admin: { authorization: string };
  let operator: { authorization: string };
  let viewer: { authorization: string };
  const capture = capturingLogger();
  const secrets: string[] = [];

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    app = await build({ db, analytics: false, logger: capture.logger });
    cache = await createCredentialCache(db);
    broker = await startEmbeddedBroker(0, async (aedes) => {
      installIdentityHooks(aedes, { credentials: cache, registry: new Registry(), logger: capture.logger, prefix: 'streetwise', requireTls: false });
    });
    admin = await bearerFor(db, 'root', 'admin');
    operator = await bearerFor(db, 'op-chan', 'operator');
    viewer = await bearerFor(db, 'viewer-lee', 'viewer');
  });
  afterAll(async () => {
    for (const client of clients) await client.endAsync(true);
    await broker?.close();
    await cache?.close();
    await app?.close();
    await db?.close();
  });

  /** Every secret any answer carried, to prove none reached the log. */
  const issued: string[] = [];
  const call = async (method: 'GET' | 'POST', url: string, payload?: object, headers = admin) => {
    const res = await app.inject({ method, url: `/api/v1/credentials${url}`, headers, ...(payload === undefined ? {} : { payload }) });
    const secret = res.body.startsWith('{') ? (res.json<{ secret?: unknown }>()).secret : undefined;
    if (typeof secret === 'string') issued.push(secret);
    return res;
  };
  /** Resolves when the cache (through LISTEN, not a refresh of ours) holds a record of `id` that passes `ok`. */
  const cacheSees = (id: string, ok: (record: CredentialRecord | undefined) => boolean) =>
    new Promise<CredentialRecord | undefined>((resolve) => {
      const stop = cache.onChange((changed, record) => {
        if (changed !== id || !ok(record)) return;
        stop();
        resolve(record);
      });
    });
  const verdict = async (id: string, secret: string) => checkConnect(await cache.get(id), { clientId: id, username: id, password: secret }, Date.now());

  it('provisions a device: 201 with the secret once, a listing without it, and the secret logs in', async () => {
    const seen = cacheSees('cam-api-01', (r) => r !== undefined);
    const res = await call('POST', '', { id: 'cam-api-01' });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; kind: string; secret: string; graceEndsAt: null }>();
    expect(body).toEqual({ id: 'cam-api-01', kind: 'device', secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), graceEndsAt: null });
    secrets.push(body.secret);
    await seen;
    expect(await verdict('cam-api-01', body.secret)).toEqual({ ok: true });
    expect((await verdict('cam-api-01', `${body.secret.slice(0, -1)}x`)).ok).toBe(false);

    const list = await call('GET', '');
    expect(list.statusCode).toBe(200);
    const items = (list.json<{ items: Array<Record<string, unknown>> }>()).items;
    expect(items).toEqual([{ id: 'cam-api-01', kind: 'device', scope: [], status: 'active', createdAt: expect.any(String), rotatedAt: null, graceEndsAt: null }]);
    expect(list.body).not.toContain(body.secret);
  });

  it('provisions a gateway with its scope; refuses a gateway without one, a bad scope entry and a bad id (400), and a duplicate (409)', async () => {
    const gw = await call('POST', '', { id: 'gw-api', kind: 'gateway', scope: ['sim-*', 'cam-7'] });
    expect(gw.statusCode).toBe(201);
    secrets.push((gw.json<{ secret: string }>()).secret);
    const listed = (await call('GET', '')).json<{ items: Array<{ id: string; scope: string[]; kind: string }> }>();
    expect(listed.items.find((c) => c.id === 'gw-api')).toMatchObject({ kind: 'gateway', scope: ['sim-*', 'cam-7'] });

    const noScope = await call('POST', '', { id: 'gw-none', kind: 'gateway' });
    expect([noScope.statusCode, noScope.json().code]).toEqual([400, 'SW_IDENTITY_SCOPE_INVALID']);
    const comma = await call('POST', '', { id: 'gw-comma', kind: 'gateway', scope: ['a,b'] });
    expect([comma.statusCode, comma.json().code]).toEqual([400, 'SW_IDENTITY_SCOPE_INVALID']);
    const badEntry = await call('POST', '', { id: 'gw-bad', kind: 'gateway', scope: ['no spaces'] });
    expect([badEntry.statusCode, badEntry.json().code]).toEqual([400, 'SW_IDENTITY_SCOPE_INVALID']);
    const badId = await call('POST', '', { id: 'bad id!' });
    expect([badId.statusCode, badId.json().code]).toEqual([400, 'SW_IDENTITY_ID_INVALID']);
    const badKind = await call('POST', '', { id: 'cam-x', kind: 'superuser' });
    expect(badKind.statusCode).toBe(400);
    const duplicate = await call('POST', '', { id: 'cam-api-01' });
    expect([duplicate.statusCode, duplicate.json().code]).toEqual([409, 'SW_IDENTITY_EXISTS']);
    expect(((await call('GET', '')).json<{ items: unknown[] }>()).items).toHaveLength(2);
  });

  it('rotates: the new secret once, old and new both log in until the grace ends; graceHours 0 ends the old one at once', async () => {
    const oldSecret = secrets[0]!;
    const before = Date.now();
    const seen = cacheSees('cam-api-01', (r) => r?.previousSha256 != null);
    const res = await call('POST', '/cam-api-01/rotate', { graceHours: 2 });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ secret: string; graceEndsAt: string; kind: string }>();
    expect(body.kind).toBe('device');
    expect(body.secret).not.toBe(oldSecret);
    // now() + 2 h in the database, between our clock before the call and after it.
    const graceEndMs = new Date(body.graceEndsAt).getTime();
    expect(graceEndMs).toBeGreaterThanOrEqual(before + 2 * HOUR_MS - 1000);
    expect(graceEndMs).toBeLessThanOrEqual(Date.now() + 2 * HOUR_MS + 1000);
    await seen;
    expect(await verdict('cam-api-01', oldSecret)).toEqual({ ok: true });
    expect(await verdict('cam-api-01', body.secret)).toEqual({ ok: true });
    // Past the grace, the old one is refused (the same check, an hour after the grace end).
    expect(checkConnect(await cache.get('cam-api-01'), { clientId: 'cam-api-01', username: 'cam-api-01', password: oldSecret }, graceEndMs + HOUR_MS)).toMatchObject({ ok: false, reason: 'wrong_token' });
    const listed = ((await call('GET', '')).json<{ items: Array<{ id: string; rotatedAt: string | null; graceEndsAt: string | null }> }>()).items.find((c) => c.id === 'cam-api-01')!;
    expect(listed.graceEndsAt).toBe(body.graceEndsAt);
    expect(listed.rotatedAt).not.toBeNull();

    const noGrace = cacheSees('cam-api-01', (r) => r !== undefined && r.previousSha256 === null);
    const again = await call('POST', '/cam-api-01/rotate', { graceHours: 0 });
    expect([again.statusCode, again.json().graceEndsAt]).toEqual([200, null]);
    await noGrace;
    expect(await verdict('cam-api-01', body.secret)).toMatchObject({ ok: false, reason: 'wrong_token' });
    const newest = (again.json<{ secret: string }>()).secret;
    expect(await verdict('cam-api-01', newest)).toEqual({ ok: true });
    secrets[0] = newest;

    // No body: the default grace (24 h).
    const defaulted = await call('POST', '/cam-api-01/rotate');
    expect(defaulted.statusCode).toBe(200);
    const defaultGraceMs = new Date((defaulted.json<{ graceEndsAt: string }>()).graceEndsAt).getTime() - Date.now();
    expect(defaultGraceMs).toBeGreaterThan(24 * HOUR_MS - 60_000);
    expect(defaultGraceMs).toBeLessThanOrEqual(24 * HOUR_MS + 1000);
    secrets[0] = (defaulted.json<{ secret: string }>()).secret;
  });

  it('revoke and block are refused by the verifier; unblock lets the secret in again; rotate of a blocked one is 409', async () => {
    const secret = secrets[0]!;
    const revoked = cacheSees('cam-api-01', (r) => r?.status === 'revoked');
    expect((await call('POST', '/cam-api-01/revoke')).statusCode).toBe(204);
    await revoked;
    expect(await verdict('cam-api-01', secret)).toMatchObject({ ok: false, reason: 'revoked' });

    // A revoked credential comes back with a new secret from rotate.
    const back = await call('POST', '/cam-api-01/rotate', { graceHours: 1 });
    expect([back.statusCode, back.json().graceEndsAt]).toEqual([200, null]);
    const fresh = (back.json<{ secret: string }>()).secret;

    const blocked = cacheSees('cam-api-01', (r) => r?.status === 'blocked');
    expect((await call('POST', '/cam-api-01/block')).statusCode).toBe(204);
    await blocked;
    expect(await verdict('cam-api-01', fresh)).toMatchObject({ ok: false, reason: 'blocked' });
    const rotateBlocked = await call('POST', '/cam-api-01/rotate', {});
    expect([rotateBlocked.statusCode, rotateBlocked.json().code]).toEqual([409, 'SW_IDENTITY_BLOCKED']);
    expect(((await call('GET', '')).json<{ items: Array<{ id: string; status: string }> }>()).items.find((c) => c.id === 'cam-api-01')?.status).toBe('blocked');

    const unblocked = cacheSees('cam-api-01', (r) => r?.status === 'active');
    expect((await call('POST', '/cam-api-01/unblock')).statusCode).toBe(204);
    await unblocked;
    expect(await verdict('cam-api-01', fresh)).toEqual({ ok: true });
  });

  it('answers 404 for an unknown id on every action', async () => {
    for (const action of ['rotate', 'revoke', 'block', 'unblock']) {
      const res = await call('POST', `/nobody-here/${action}`, {});
      expect([action, res.statusCode, res.json().code]).toEqual([action, 404, 'SW_IDENTITY_UNKNOWN']);
    }
  });

  it('refuses operators and viewers (403) and anonymous callers (401), and changes nothing for them', async () => {
    for (const who of [operator, viewer]) {
      expect((await call('GET', '', undefined, who)).statusCode).toBe(403);
      expect((await call('POST', '', { id: 'cam-sneaky' }, who)).statusCode).toBe(403);
      expect((await call('POST', '/cam-api-01/revoke', undefined, who)).statusCode).toBe(403);
      expect((await call('POST', '/cam-api-01/rotate', {}, who)).statusCode).toBe(403);
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/credentials' })).statusCode).toBe(401);
    const ids = ((await call('GET', '')).json<{ items: Array<{ id: string; status: string }> }>()).items;
    expect(ids.map((c) => [c.id, c.status])).toEqual([['cam-api-01', 'active'], ['gw-api', 'active']]);
  });

  it('logs every action with the admin\'s username and never a secret', () => {
    const actions = capture.lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('credential ')).map((l) => [l.msg, l.by, l.credential]);
    expect(actions).toEqual([
      ['credential provisioned', 'root', 'cam-api-01'],
      ['credential provisioned', 'root', 'gw-api'],
      ['credential rotated', 'root', 'cam-api-01'],
      ['credential rotated', 'root', 'cam-api-01'],
      ['credential rotated', 'root', 'cam-api-01'],
      ['credential revoked', 'root', 'cam-api-01'],
      ['credential rotated', 'root', 'cam-api-01'],
      ['credential blocked', 'root', 'cam-api-01'],
      ['credential unblocked', 'root', 'cam-api-01'],
    ]);
    expect(issued).toHaveLength(6);
    for (const secret of issued) expect(capture.text()).not.toContain(secret);
  });

  it('cuts a connected device off when an admin revokes or blocks it, and refuses it from then on', async () => {
    const connect = (id: string, secret: string) => {
      const client = mqtt.connect(broker.url, { clientId: id, username: id, password: secret, protocolVersion: 4, clean: true, reconnectPeriod: 0, connectTimeout: 10_000 });
      clients.push(client);
      return new Promise<MqttClient>((resolve, reject) => {
        client.once('connect', () => resolve(client));
        client.once('error', reject);
      });
    };
    for (const [id, action, status] of [['cam-live-r', 'revoke', 'revoked'], ['cam-live-b', 'block', 'blocked']] as const) {
      const created = await call('POST', '', { id });
      expect(created.statusCode).toBe(201);
      const secret = (created.json<{ secret: string }>()).secret;
      const client = await connect(id, secret);
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      expect((await call('POST', `/${id}/${action}`)).statusCode).toBe(204);
      await closed;
      expect(capture.lines.some((l) => l.username === id && l.msg === `credential ${status}: disconnecting its clients`)).toBe(true);
      await expect(connect(id, secret)).rejects.toThrow(/Not authorized/i);
    }
  });
});
