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
