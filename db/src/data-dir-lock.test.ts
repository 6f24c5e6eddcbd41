import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.js';

describe('data directory lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-db-lock-'));
  const lockFile = join(dir, 'pgdata.lock');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is held once per process and released', () => {
    const release = lockDataDir(dir);
    expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(expect.objectContaining({ code: 'SW_DB_DATA_DIR_IN_USE' }));
    release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('takes over a lock whose pid is gone, or belongs to a program that is not node', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = child.pid ?? 0;
    await new Promise((resolve) => child.on('exit', resolve));
    writeFileSync(lockFile, String(deadPid));
    lockDataDir(dir)();
    writeFileSync(lockFile, '1'); // init: alive, but not a node process
    lockDataDir(dir)();
  });

  it('refuses while another live node process holds it, naming its pid', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(lockFile, String(holder.pid));
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${holder.pid}`));
    } finally {
      holder.kill();
      rmSync(lockFile, { force: true });
    }
  });
});
