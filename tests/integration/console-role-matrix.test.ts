import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { build, ROLES, type Role } from '@streetwise/console';
import { bearerFor, signIn, TEST_SCRYPT_COST, type SessionHeaders } from '../src/console-auth.js';

type Expected = { access: 'public' } | { access: 'signed-in' | readonly Role[]; sessionOnly: boolean };

/**
 * The policy in words, written apart from console/src/accounts/role-matrix.ts so the two check each other:
 * viewer reads everything operational, operator also acts on incidents, planner also reads analytics,
 * admin does everything and administers accounts. A route this function does not know fails the test.
 */
function expectedAccess(verb: string, url: string): Expected {
  const method = verb === 'HEAD' ? 'GET' : verb; // fastify's automatic HEAD routes answer like their GET
  if (['/', '/api/health', '/metrics', '/assets/*', '/data/*'].includes(url) || url.startsWith('/docs') || url.startsWith('/api/v1/open-data/')) return { access: 'public' };
  if (method === 'POST' && url === '/api/v1/session') return { access: 'public' };
  if (url === '/api/v1/session' && method !== 'DELETE') return { access: 'signed-in', sessionOnly: false };
  if (url.startsWith('/api/v1/session')) return { access: 'signed-in', sessionOnly: true };
  if (url.startsWith('/api/v1/users') || url.startsWith('/api/v1/tokens')) return { access: ['admin'], sessionOnly: false };
  if (url.startsWith('/api/v1/credentials')) return { access: ['admin'], sessionOnly: false }; // the MQTT credential registry
  if (method === 'PATCH' && url.startsWith('/api/v1/devices/')) return { access: ['admin'], sessionOnly: false }; // key site
  if (url.startsWith('/api/v1/fleet')) return { access: ['admin'], sessionOnly: false }; // the fleet view: health table and config pushes
  if (url.startsWith('/api/v1/analytics/')) return { access: ['planner', 'admin'], sessionOnly: false };
  // "Seen by" records whoever opened an incident, a viewer or planner too: it changes nothing.
  if (method === 'POST' && url === '/api/v1/incidents/:id/view') return { access: ROLES, sessionOnly: false };
  if (method === 'POST' && url.startsWith('/api/v1/incidents/')) return { access: ['operator', 'admin'], sessionOnly: false };
  // The response units' registry: everyone reads it (GET below), admins manage it.
  if (url.startsWith('/api/v1/units') && method !== 'GET') return { access: ['admin'], sessionOnly: false };
  if (method === 'GET' && url.startsWith('/api/v1/')) return { access: ROLES, sessionOnly: false };
  throw new Error(`no expectation for ${method} ${url}: decide who may call it`);
}

const PARAMETERS: Record<string, string> = { id: '00000000-0000-4000-8000-000000000000', action: 'acknowledge', username: 'nobody' };
const concrete = (url: string) =>
  url
    .replace(/^\/api\/v1\/(session\/)?tokens\/:id$/, (m) => m.replace(':id', '0123456789abcdef'))
    .replace(/:([a-z]+)/g, (_m, name: string) => PARAMETERS[name] ?? 'x')
    .replace('*', 'x');

describe('role matrix: every route × every role, by session and by token, and without credentials', () => {
  let db: Database;
  let app: FastifyInstance;
  // A stand-in for the built web app (console/web/dist), so its static routes exist whether or not it is built.
  const webDist = mkdtempSync(join(tmpdir(), 'sw-web-dist-'));
  const credentials: Array<{ name: string; role?: Role; via?: 'session' | 'token'; headers: Record<string, string> }> = [{ name: 'nobody', headers: {} }];

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    for (const folder of ['assets', 'data']) mkdirSync(join(webDist, folder));
    writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(webDist, 'assets', 'index-abc.js'), 'export {};');
    app = await build({ db, accounts: { scryptCost: TEST_SCRYPT_COST, loginRateLimit: 1000 }, analytics: { rateLimit: false }, webApp: { dist: webDist } });
    for (const role of ROLES) {
      const bearer = await bearerFor(db, `${role}-1`, role);
      const session: SessionHeaders = await signIn(app, `${role}-1`);
      credentials.push({ name: `${role} session`, role, via: 'session', headers: { ...session } }, { name: `${role} token`, role, via: 'token', headers: bearer });
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    rmSync(webDist, { recursive: true, force: true });
  });

  it('answers 401 without credentials, 403 for a wrong role, and lets the right roles through', async () => {
    // Signing out last: it ends the sessions the other requests use.
    const routes = [...app.accounts.routes].sort((a, b) => Number(a.method === 'DELETE' && a.url === '/api/v1/session') - Number(b.method === 'DELETE' && b.url === '/api/v1/session'));
    expect(routes.length).toBeGreaterThan(40);
    for (const url of ['/api/v1/devices', '/api/v1/incidents/:id/:action', '/api/v1/incidents/:id/view', '/api/v1/units/:id', '/api/v1/desk/settings', '/api/v1/analytics/volume', '/api/v1/open-data/traffic', '/api/v1/users', '/docs/json', '/assets/*', '/data/*']) {
      expect(routes.map((r) => r.url)).toContain(url);
    }
    const wrong: string[] = [];
    let requests = 0;
    for (const { method, url } of routes) {
      const expected = expectedAccess(method, url);
      for (const who of credentials) {
        const hasBody = ['POST', 'PATCH', 'PUT'].includes(method);
        const res = await app.inject({ method: method as 'GET', url: concrete(url), headers: who.headers, ...(hasBody ? { payload: {} } : {}) });
        requests++;
        let want: string;
        if (expected.access === 'public') want = 'through';
        else if (!who.role) want = '401';
        else if (expected.sessionOnly && who.via === 'token') want = '403';
        else if (expected.access !== 'signed-in' && !expected.access.includes(who.role)) want = '403';
        else want = 'through';
        const got = res.statusCode === 401 || res.statusCode === 403 ? String(res.statusCode) : 'through';
        if (got !== want) wrong.push(`${method} ${url} as ${who.name}: want ${want}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(requests).toBe(routes.length * credentials.length);
  });

  it('refuses to start with a route the matrix does not list', async () => {
    const unlisted: FastifyPluginAsync = async (api) => {
      api.get('/secret', async () => ({ secret: true }));
    };
    await expect(build({ db, analytics: false, apiPlugins: [{ plugin: unlisted }] })).rejects.toMatchObject({ code: 'SW_CONSOLE_ROUTE_UNLISTED', message: expect.stringContaining('GET /api/v1/secret') });
  });
});
