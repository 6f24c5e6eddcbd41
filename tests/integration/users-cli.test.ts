import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedDatabase } from '@streetwise/db';
import { REPO_ROOT } from '../src/spawn-stack.js';

/** Runs `npm run users -- …` as its script does (node console/dist/users-cli.js), on an embedded data folder. */
function users(dataDir: string, args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'console/dist/users-cli.js'), ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdin.end(stdin);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run users', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-users-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds users, changes a role, makes a token, and says so clearly when `npm start` holds the data folder', async () => {
    const added = await users(dataDir, ['add', 'op-1', '--role', 'operator']);
    expect(added.code).toBe(0);
    const oneTime = /one-time password: (\S+)/.exec(added.stdout)?.[1];
    expect(oneTime).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await users(dataDir, ['add', 'boss', '--role', 'admin', '--password-stdin'], 'a long admin passphrase\n')).stdout).toBe('added boss (admin)\n');
    expect((await users(dataDir, ['set-role', 'op-1', 'planner'])).stdout).toContain('op-1 is now planner');
    const token = await users(dataDir, ['token', 'add', 'op-1', '--label', 'qgis']);
    expect(token.stdout).toMatch(/^token [0-9a-f]{16} for op-1 \(planner\): swt_[A-Za-z0-9_-]{43}\n/);
    const bad = await users(dataDir, ['set-role', 'op-1', 'boss']);
    expect([bad.code, bad.stderr]).toEqual([1, 'SW_CONSOLE_BAD_ROLE: role "boss" is not one of viewer, operator, planner, admin\n']);

    const db = await createEmbeddedDatabase({ dataDir: join(dataDir, '') });
    try {
      const held = await users(dataDir, ['list']);
      expect(held.code).toBe(1);
      expect(held.stderr).toContain(`SW_CONSOLE_DATA_DIR_IN_USE: the embedded database in ${dataDir} is in use (is \`npm start\` running?)`);
      const { rows } = await db.query<{ username: string; role: string; must_change_password: boolean; tokens: number }>(
        `SELECT u.username, u.role, u.must_change_password, (SELECT count(*)::int FROM api_tokens t WHERE t.username = u.username) AS tokens FROM users u ORDER BY username`,
      );
      expect(rows).toEqual([
        { username: 'boss', role: 'admin', must_change_password: false, tokens: 0 },
        { username: 'op-1', role: 'planner', must_change_password: true, tokens: 1 },
      ]);
    } finally {
      await db.close();
    }
  }, 180_000);
});

describe('npm run users -- export | erase (PRIVACY.md, DPP6)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-users-privacy-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists everything stored about an operator, then erases it and pseudonymises the trail', async () => {
    expect((await users(dataDir, ['add', 'op-9', '--role', 'operator', '--password-stdin'], 'a long operator passphrase\n')).code).toBe(0);
    expect((await users(dataDir, ['token', 'add', 'op-9', '--label', 'qgis'])).code).toBe(0);
    const db = await createEmbeddedDatabase({ dataDir });
    try {
      // An incident action and an export by op-9, as the console would have recorded them.
      await db.query(`INSERT INTO incidents (id, type, severity, device_id, lat, lon, first_event_id, last_event_id, opened_at, last_event_at)
        VALUES ('00000000-0000-4000-8000-000000000009', 'collision', 'high', 'cam-9', 22.3, 114.2, gen_random_uuid(), gen_random_uuid(), now(), now())`);
      await db.query(`INSERT INTO incident_log (incident_id, action, actor, actor_kind, note) VALUES ('00000000-0000-4000-8000-000000000009', 'acknowledged', 'op-9', 'user', 'on it')`);
      await db.query(`INSERT INTO audit_log (username, action, what) VALUES ('op-9', 'export', '/api/v1/analytics/volume?format=csv')`);
    } finally {
      await db.close();
    }

    const exported = await users(dataDir, ['export', 'op-9']);
    expect(exported.code, exported.stderr).toBe(0);
    const data = JSON.parse(exported.stdout) as { user: { username: string; role: string }; tokens: Array<{ label: string }>; incidentLog: Array<{ action: string; note: string }>; audit: Array<{ what: string }> };
    expect(data.user).toMatchObject({ username: 'op-9', role: 'operator' });
    expect(data.tokens.map((t) => t.label)).toEqual(['qgis']);
    expect(data.incidentLog).toEqual([expect.objectContaining({ action: 'acknowledged', note: 'on it' })]);
    expect(data.audit.map((a) => a.what)).toEqual(['/api/v1/analytics/volume?format=csv']);
    expect(exported.stdout).not.toMatch(/hash|salt|scrypt/i);

    const erased = await users(dataDir, ['erase', 'op-9']);
    expect(erased.code, erased.stderr).toBe(0);
    const pseudonym = /now (erased-[0-9a-f]{16}) in 1 incident_log, 1 audit_log and 0 fleet_pushes rows/.exec(erased.stdout)?.[1];
    expect(pseudonym, erased.stdout).toBeDefined();
    expect(erased.stdout).toContain('erased op-9: 1 account, 0 sessions, 1 tokens deleted');
    expect(await users(dataDir, ['erase', 'op-9'])).toMatchObject({ code: 1, stderr: 'SW_CONSOLE_NOT_FOUND: user "op-9" does not exist\n' });

    const after = await createEmbeddedDatabase({ dataDir });
    try {
      const { rows } = await after.query<{ actor: string }>(`SELECT actor FROM incident_log WHERE incident_id = '00000000-0000-4000-8000-000000000009'`);
      expect(rows).toEqual([{ actor: pseudonym }]);
      const trail = await after.query<{ username: string; action: string; what: string }>('SELECT username, action, what FROM audit_log ORDER BY at');
      expect(trail.rows.map((r) => r.username)).not.toContain('op-9');
      expect(trail.rows.map((r) => r.what)).not.toContain('op-9');
      expect(trail.rows.map((r) => r.action)).toEqual(['export', 'personal_data_export', 'personal_data_erase']);
      expect(trail.rows[2]!.username).toMatch(/^cli:/);
      const left = await after.query<{ n: number }>(`SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM api_tokens) AS n`);
      expect(Number(left.rows[0]!.n)).toBe(0);
    } finally {
      await after.close();
    }
  }, 180_000);
});
