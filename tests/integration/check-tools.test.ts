/**
 * `npm test` starts with scripts/check-tools.mjs: within seconds it names every OS tool or service the tests
 * use that is missing, with the command that installs or starts it, and exits non-zero.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/spawn-stack.js';

const SCRIPT = join(REPO_ROOT, 'scripts', 'check-tools.mjs');
const run = (env: Record<string, string | undefined>) => {
  const started = Date.now();
  const result = spawnSync(process.execPath, [SCRIPT], { env, encoding: 'utf8', timeout: 30_000 });
  return { ...result, seconds: (Date.now() - started) / 1000 };
};

describe('scripts/check-tools.mjs', () => {
  it('passes on this machine (npm run setup has run), in a few seconds', () => {
    const result = run(process.env);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^check-tools: all \d+ OS tools and services the tests use are here \(\d+\.\d s\)\n$/);
    expect(result.seconds).toBeLessThan(10);
  });

  it('names each missing tool with its fix and exits 1: here no PATH (so no fc-list, no mosquitto_pub, no openssl) and no Chromium', () => {
    // psql and python3 are looked for at their Debian paths and mosquitto also in /usr/sbin, so they stay found.
    const result = run({ PATH: '', CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      'check-tools: 4 of the OS tools and services the tests use are missing:',
      '  Chromium (/nonexistent/chromium) | for console tests in a headless browser | apt-get install chromium',
      '  CJK fonts (fc-list :lang=zh) | for console pages drawn in Chromium with Chinese district and road names | apt-get install fonts-noto-cjk',
      '  mosquitto_pub | for hostile-input tests (a real MQTT 3.1.1 client) | apt-get install mosquitto-clients',
      '  openssl | for TLS tests (a throw-away CA and server certificates) | apt-get install openssl',
      'Install and start them all with `npm run setup` (as root, Debian/Ubuntu), then run `npm test` again.',
      '',
    ]);
  });
});
