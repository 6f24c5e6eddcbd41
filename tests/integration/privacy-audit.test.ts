import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { build, createToken, pseudonymFor } from '@streetwise/console';
import { addUser, bearerFor, signIn, TEST_SCRYPT_COST, type SessionHeaders } from '../src/console-auth.js';
import { raiseIncident } from '../src/desk-fixtures.js';

/**
 * PRIVACY.md, DPP4 and DPP6: every export (analytics CSV/GeoJSON, open data by a signed-in user) is audited
 * with its user; admins read the trail; an admin lists and erases an operator's data, and the trail keeps
 * one stable pseudonym for the erased person.
 */
describe('privacy: audit of exports, personal data export and erasure', () => {
  let db: Database;
  let app: FastifyInstance;
  let admin: { authorization: string };
  let planner: SessionHeaders;
  let plannerToken: { authorization: string };
  let operator: SessionHeaders;

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    app = await build({ db, accounts: { scryptCost: TEST_SCRYPT_COST, loginRateLimit: 1000 }, analytics: { rateLimit: false } });
    admin = await bearerFor(db, 'admin-1', 'admin');
    await addUser(db, 'plan-1', 'planner');
    planner = await signIn(app, 'plan-1');
    plannerToken = await bearerFor(db, 'plan-2', 'planner');
    await addUser(db, 'op-1', 'operator');
    operator = await signIn(app, 'op-1');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const audit = async (query = ''): Promise<Array<{ username: string; action: string; what: string }>> => {
    const res = await app.inject({ url: `/api/v1/audit${query}`, headers: admin });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Array<{ username: string; action: string; what: string }> }>().items;
  };

  it('records every CSV or GeoJSON export and signed-in open-data download with its user, and nothing else', async () => {
    const volume = '/api/v1/analytics/volume?from=2024-03-04&to=2024-03-05&bucket=1d&groupBy=device&class=car';
    const csv = await app.inject({ url: `${volume}&format=csv`, headers: planner });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect((await app.inject({ url: `${volume}&format=geojson`, headers: plannerToken })).statusCode).toBe(200);
    expect((await app.inject({ url: volume, headers: planner })).statusCode).toBe(200); // JSON on screen: not an export
    const openData = '/api/v1/open-data/traffic?from=2024-03-04&to=2024-03-05&bucket=1d&format=csv';
    expect((await app.inject({ url: openData, headers: plannerToken })).statusCode).toBe(200);
    expect((await app.inject({ url: openData })).statusCode).toBe(200); // anonymous: nobody to name
    expect((await app.inject({ url: `${volume}&format=csv&bucket=nonsense`, headers: planner })).statusCode).toBe(400); // refused: nothing left

    const rows = await audit('?action=export');
    expect(rows.map((r) => [r.username, r.what]).sort()).toEqual(
      [['plan-1', `${volume}&format=csv`], ['plan-2', `${volume}&format=geojson`], ['plan-2', openData]].sort(),
    );
    expect((await app.inject({ url: '/api/v1/audit', headers: planner })).statusCode).toBe(403);
    // An export whose audit row cannot be written is not sent.
    await db.query('ALTER TABLE audit_log RENAME TO audit_log_away');
    try {
      const unrecorded = await app.inject({ url: `${volume}&format=csv`, headers: planner });
      expect(unrecorded.statusCode).toBe(500);
      expect(unrecorded.headers['content-type']).toContain('application/json');
      expect(unrecorded.json()).toMatchObject({ statusCode: 500 });
    } finally {
      await db.query('ALTER TABLE audit_log_away RENAME TO audit_log');
    }
    expect((await app.inject({ url: '/api/v1/audit?action=looked', headers: admin })).json()).toMatchObject({ statusCode: 400, parameter: 'action' });
  });

  it('exports everything stored about an operator, then erases it, keeping a stable pseudonym in the trail', async () => {
    const incident = await raiseIncident(db, 'cam-p1', 'collision', [{ atMs: Date.now() - 60_000, severity: 'high' }]);
    const viewed = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/view`, payload: {}, headers: operator });
    expect(viewed.statusCode, viewed.body).toBe(200);
    await createToken(db, 'op-1', 'operator', 'scripts', new Date());
    await db.query(`INSERT INTO audit_log (username, action, what) VALUES ('op-1', 'export', '/api/v1/some/export?format=csv')`);
    await db.query(`INSERT INTO fleet_pushes (id, pushed_by, target, patch) VALUES (gen_random_uuid(), 'op-1', '{"devices":["cam-p1"]}', '{}')`);

    const exported = await app.inject({ url: '/api/v1/users/op-1/personal-data', headers: admin });
    expect(exported.statusCode, exported.body).toBe(200);
    const data = exported.json<{ user: Record<string, unknown>; sessions: unknown[]; tokens: unknown[]; incidentLog: Array<{ incidentId: string; action: string }>; audit: Array<{ what: string }> }>();
    expect(data.user).toMatchObject({ username: 'op-1', role: 'operator' });
    expect(JSON.stringify(data)).not.toMatch(/password_hash|passwordHash|secret_hash|scrypt|id_hash/);
    expect(data.sessions).toHaveLength(1);
    expect(data.tokens).toHaveLength(1);
    expect(data.incidentLog).toEqual([expect.objectContaining({ incidentId: incident.id, action: 'viewed' })]);
    expect(data.audit.map((a) => a.what)).toEqual(['/api/v1/some/export?format=csv']);
    expect((data as unknown as { fleetPushes: Array<{ target: unknown }> }).fleetPushes.map((p) => p.target)).toEqual([{ devices: ['cam-p1'] }]);

    const erased = await app.inject({ method: 'DELETE', url: '/api/v1/users/op-1/personal-data', headers: admin });
    expect(erased.statusCode, erased.body).toBe(200);
    const pseudonym = pseudonymFor('op-1');
    expect(pseudonym).toMatch(/^erased-[0-9a-f]{16}$/);
    expect(erased.json()).toEqual({ username: 'op-1', pseudonym, deleted: { users: 1, sessions: 1, tokens: 1, loginFailures: 0 }, pseudonymised: { incidentLog: 1, audit: 1, fleetPushes: 1 } });

    const left = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM users WHERE username = 'op-1') + (SELECT count(*) FROM sessions WHERE username = 'op-1')
            + (SELECT count(*) FROM api_tokens WHERE username = 'op-1') + (SELECT count(*) FROM incident_log WHERE actor = 'op-1')
            + (SELECT count(*) FROM audit_log WHERE username = 'op-1' OR what = 'op-1') + (SELECT count(*) FROM fleet_pushes WHERE pushed_by = 'op-1') AS n`,
    );
    expect(Number(left.rows[0]!.n)).toBe(0);
    const log = await db.query<{ actor: string }>(`SELECT actor FROM incident_log WHERE incident_id = $1 AND action = 'viewed'`, [incident.id]);
    expect(log.rows).toEqual([{ actor: pseudonym }]);
    // The erased person's session no longer signs anyone in.
    expect((await app.inject({ url: '/api/v1/session', headers: operator })).statusCode).toBe(401);
    const trail = await audit();
    expect(trail.filter((r) => r.action.startsWith('personal_data')).map((r) => [r.username, r.action, r.what])).toEqual([
      ['admin-1', 'personal_data_erase', pseudonym],
      ['admin-1', 'personal_data_export', pseudonym],
    ]);
    expect(trail.find((r) => r.username === pseudonym)?.what).toBe('/api/v1/some/export?format=csv');

    expect((await app.inject({ method: 'DELETE', url: '/api/v1/users/op-1/personal-data', headers: admin })).json()).toMatchObject({ statusCode: 404, code: 'SW_CONSOLE_NOT_FOUND' });
    const lastAdmin = await app.inject({ method: 'DELETE', url: '/api/v1/users/admin-1/personal-data', headers: admin });
    expect(lastAdmin.json()).toMatchObject({ statusCode: 409, code: 'SW_CONSOLE_LAST_ADMIN' });
  }, 60_000);
});
