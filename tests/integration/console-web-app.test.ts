import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { build } from '@streetwise/console';

/** How the console serves the built web app (console/web/dist), and what `/` says without a build. */
describe('the console serves the operators\' web app', () => {
  let db: Database;
  const dist = mkdtempSync(join(tmpdir(), 'sw-web-dist-'));
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    mkdirSync(join(dist, 'assets'));
    mkdirSync(join(dist, 'data'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Streetwise</title><script type="module" src="/assets/index-abc123.js"></script>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1);');
    writeFileSync(join(dist, 'data', 'districts.geojson'), '{"type":"FeatureCollection","features":[]}');
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('answers / with the app\'s page, hashed assets cached for a year, the district data, all without signing in', async () => {
    const app = await build({ db, analytics: false, webApp: { dist } });
    apps.push(app);
    const page = await app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body).toContain('/assets/index-abc123.js');
    const script = await app.inject({ url: '/assets/index-abc123.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['cache-control']).toContain('max-age=31536000');
    expect(script.headers['cache-control']).toContain('immutable');
    const data = await app.inject({ url: '/data/districts.geojson' });
    expect(data.statusCode).toBe(200);
    expect(data.json()).toEqual({ type: 'FeatureCollection', features: [] });
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    // The API stays guarded.
    expect((await app.inject({ url: '/api/v1/devices' })).statusCode).toBe(401);
  });

  it('says how to build the app when there is no build', async () => {
    const app = await build({ db, analytics: false, webApp: { dist: join(dist, 'nowhere') } });
    apps.push(app);
    const page = await app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('npm run build');
    expect((await app.inject({ url: '/assets/index-abc123.js' })).statusCode).toBe(404);
  });
});
