import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase, migrate, type EmbeddedDatabase } from '@streetwise/db';
import { parseCommand, runCommand } from './cli.js';
import { loadCredential } from './registry.js';
import { ensureServiceCredentials } from './service-secrets.js';
import { tokenMatches } from './token.js';

describe('the registry through the devices CLI, on the embedded database', () => {
  let db: EmbeddedDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'sw-devices-'));
  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://', wirePort: null });
    await migrate(db);
  }, 120_000); // the embedded database starts in a worker and applies every migration
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = (...argv: string[]): Promise<string> => runCommand(db, parseCommand(argv));
  const secretOf = (text: string): string => /^ {2}(\S{43})$/m.exec(text)![1]!;

  it('provisions, rotates with a grace, revokes, blocks and lists, storing only hashes', async () => {
    const added = await run('add', 'cam-1');
    const first = secretOf(added);
    const stored = await loadCredential(db, 'cam-1');
    expect(tokenMatches(first, stored!.tokenSha256)).toBe(true);
    expect(JSON.stringify((await db.query('select * from device_credentials')).rows)).not.toContain(first);
    await expect(run('add', 'cam-1')).rejects.toThrow(/already exists/);

    const second = secretOf(await run('rotate', 'cam-1', '--grace', '1h'));
    const rotated = (await loadCredential(db, 'cam-1'))!;
    expect(tokenMatches(second, rotated.tokenSha256) && tokenMatches(first, rotated.previousSha256!)).toBe(true);
    expect(rotated.previousValidUntilMs! - Date.now()).toBeGreaterThan(3_500_000);

    await run('add', 'fleet', '--gateway', '--scope', 'sim-*,cam-9');
    await run('add', 'cam-2');
    await db.query(`insert into devices (id, kind, lat, lon) values ('cam-2', 'camera', 22.3, 114.2)`);
    await run('block', 'cam-2');
    expect((await db.query('select blocked from devices where id = $1', ['cam-2'])).rows[0]).toEqual({ blocked: true });
    expect(await run('unblock', 'cam-2')).toContain('cam-2: active again');
    expect((await db.query('select blocked from devices where id = $1', ['cam-2'])).rows[0]).toEqual({ blocked: false });
    await expect(run('add', 'gw2', '--gateway')).rejects.toThrow(/needs --scope/);
    expect(await run('revoke', 'cam-1')).toContain('cam-1: revoked');
    expect(await run('block', 'fleet')).toContain('fleet: blocked');
    await expect(run('rotate', 'fleet')).rejects.toThrow(/is blocked/);
    await expect(run('revoke', 'ghost')).rejects.toThrow(/no credential "ghost"/);
    const list = await run('list');
    expect(list).toMatch(/^cam-1\s+device\s+revoked\s+-/m);
    expect(list).toMatch(/^fleet\s+gateway\s+blocked\s+sim-\*,cam-9/m);
    // A revoked credential comes back with a new secret, and no grace for the old one.
    const third = secretOf(await run('rotate', 'cam-1'));
    expect((await loadCredential(db, 'cam-1'))).toMatchObject({ status: 'active', previousSha256: null });
    expect(tokenMatches(third, (await loadCredential(db, 'cam-1'))!.tokenSha256)).toBe(true);
  });

  it('writes Mosquitto files for the active credentials only', async () => {
    const out = join(dir, 'mosquitto');
    const said = await run('mosquitto-config', '--out', out);
    expect(said).toContain('(2 users)'); // cam-1 (active again) and cam-2; fleet is blocked
    expect(readFileSync(join(out, 'passwords'), 'utf8')).toMatch(/^cam-1:\$7\$101\$/);
    expect(statSync(join(out, 'passwords')).mode & 0o777).toBe(0o600);
  });

  it('keeps the stack\'s service secrets in 0600 files and reuses them while they match', async () => {
    const secrets = join(dir, 'secrets');
    const wanted = [{ id: 'fleet-gateway', kind: 'gateway' as const, scope: ['sim-*'] }];
    const first = await ensureServiceCredentials(db, secrets, wanted);
    expect(statSync(join(secrets, 'fleet-gateway.token')).mode & 0o777).toBe(0o600);
    expect((await ensureServiceCredentials(db, secrets, wanted)).get('fleet-gateway')).toBe(first.get('fleet-gateway'));
    rmSync(join(secrets, 'fleet-gateway.token'));
    const again = await ensureServiceCredentials(db, secrets, wanted);
    expect(again.get('fleet-gateway')).not.toBe(first.get('fleet-gateway'));
    expect(tokenMatches(again.get('fleet-gateway')!, (await loadCredential(db, 'fleet-gateway'))!.tokenSha256)).toBe(true);
  });
});
