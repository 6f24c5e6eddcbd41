import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import mqtt from 'mqtt';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repeatedJsonKeys, waitFor } from '@streetwise/testing';
import { REPO_ROOT, spawnStack, type SpawnedStack } from '../src/spawn-stack.js';
import { signInOverHttp, type SessionHeaders } from '../src/console-auth.js';

/** The one-command stack, started as `npm start` starts it, on ephemeral ports. */
describe('npm start: the embedded stack', () => {
  let stack: SpawnedStack;
  let consoleUrl: string;
  let dbPort: number;
  let admin: SessionHeaders;
  const dataDir = mkdtempSync(join(tmpdir(), 'sw-stack-'));

  beforeAll(async () => {
    stack = spawnStack({ PORT: '0', MQTT_PORT: '0', DB_PORT: '0', DATA_DIR: dataDir, SIM_DEVICES: '8', ADMIN_USER: 'chief', ADMIN_PASSWORD: 'stack test passphrase' });
    const ready = await stack.waitForLog((l) => l['msg'] === 'Streetwise is running; Ctrl+C stops it', 90_000);
    consoleUrl = String(ready['console']);
    dbPort = Number(String(ready['psql']).match(/-p (\d+)/)?.[1]);
    admin = await signInOverHttp(consoleUrl, 'chief', 'stack test passphrase');
  }, 120_000);

  afterAll(async () => {
    const code = await stack?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  it('reports every component up on /api/health', async () => {
    const body = await waitFor(async () => {
      const res = await fetch(`${consoleUrl}/api/health`);
      return res.status === 200 ? ((await res.json()) as { status: string; components: Record<string, { status: string }> }) : undefined;
    }, { intervalMs: 100, timeoutMs: 30_000, what: 'health 200' });
    expect(body.status).toBe('up');
    expect(Object.keys(body.components).sort()).toEqual(['broker', 'database', 'ingest']);
  });

  it('makes the first admin from ADMIN_USER / ADMIN_PASSWORD and asks everyone else to sign in', async () => {
    expect((await fetch(`${consoleUrl}/api/v1/devices`)).status).toBe(401);
    const me = (await (await fetch(`${consoleUrl}/api/v1/session`, { headers: admin })).json()) as { username: string; role: string };
    expect(me).toMatchObject({ username: 'chief', role: 'admin', mustChangePassword: false });
    expect(stack.stderr()).not.toContain('one-time password');
  });

  it('registers the simulated fleet from birth messages and stores what it sends', async () => {
    const devices = await waitFor(async () => {
      const res = (await (await fetch(`${consoleUrl}/api/v1/devices`, { headers: admin })).json()) as { total: number };
      return res.total >= 8 ? res : undefined;
    }, { intervalMs: 100, timeoutMs: 60_000, what: '8 registered devices' });
    expect(devices.total).toBe(8);
    const stored = await waitFor(async () => {
      const text = await (await fetch(`${consoleUrl}/metrics`)).text();
      const m = text.match(/streetwise_ingest_messages_total\{result="stored"\} (\d+)/);
      return m && Number(m[1]) > 8 ? Number(m[1]) : undefined;
    }, { intervalMs: 100, timeoutMs: 60_000, what: 'stored messages in /metrics' });
    expect(stored).toBeGreaterThan(8);
  });

  it('lets the fleet in with its gateway credential and refuses a client without one, counting it in /metrics', async () => {
    const mqttUrl = String(stack.logs.find((l) => l['msg'] === 'Streetwise is running; Ctrl+C stops it')!['mqtt']);
    const anonymous = mqtt.connect(mqttUrl, { clientId: 'sim-cam-cw1', protocolVersion: 4, reconnectPeriod: 0 });
    const refusal = await new Promise<Error>((resolve) => anonymous.once('error', resolve));
    anonymous.end(true);
    expect(refusal.message).toMatch(/Bad username or password/);
    const metrics = await (await fetch(`${consoleUrl}/metrics`)).text();
    expect(metrics).toMatch(/streetwise_broker_auth_refused_total\{reason="no_credentials"\} [1-9]/);
    // The stack's own secrets: files only its user can read, never in its log.
    for (const name of ['fleet-gateway', 'console']) {
      const file = join(dataDir, 'mqtt-secrets', `${name}.token`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.stringify(stack.logs)).not.toContain(readFileSync(file, 'utf8').trim());
    }
  });

  it('gives the console its downlink credential: the fleet view publishes a config push to a device through the broker', async () => {
    const fleet = await waitFor(async () => {
      const page = (await (await fetch(`${consoleUrl}/api/v1/fleet?sort=id`, { headers: admin })).json()) as { downlink: string; items: Array<{ id: string }> };
      return page.downlink === 'connected' && page.items.length > 0 ? page : undefined;
    }, { intervalMs: 100, timeoutMs: 30_000, what: 'the console\'s downlink connected' });
    const res = await fetch(`${consoleUrl}/api/v1/fleet/config`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ devices: [fleet.items[0]!.id], patch: { thresholds: { default: 0.5 } } }),
    });
    expect(res.status).toBe(201);
    const answer = (await res.json()) as { devices: Array<{ id: string; publishedAt: string | null; publishError: string | null }> };
    // The broker took it (a refused credential or ACL would close the connection and name the error here).
    expect(answer.devices).toEqual([{ id: fleet.items[0]!.id, version: expect.any(Number), publishedAt: expect.any(String), publishError: null }]);
  });

  it('answers planners from the live data and documents the API at /docs', async () => {
    const volume = await waitFor(async () => {
      const res = await fetch(`${consoleUrl}/api/v1/analytics/volume?bucket=5m&groupBy=district`, { headers: admin });
      if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
      const body = (await res.json()) as { data: Array<Record<string, unknown>> };
      return body.data.length > 0 ? body : undefined;
    }, { intervalMs: 100, timeoutMs: 60_000, what: 'volume rows' });
    expect(volume.data.length).toBeGreaterThan(0);
    const doc = (await (await fetch(`${consoleUrl}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/v1/devices', '/api/v1/analytics/volume']));
  });

  it('lets psql attach to the embedded database as typed', async () => {
    const psql = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(dbPort), '-U', 'postgres', '-tAc', 'select count(*) > 0 from devices'], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
    });
    expect(psql.stderr).toBe('');
    expect(psql.stdout.trim()).toBe('t');
  });

  it('prints each binding once in every log line (pino repeats a key that a child binds again)', () => {
    const components = new Set(stack.logs.map((l) => l['component']));
    expect([...components]).toEqual(expect.arrayContaining(['db-embedded', 'migrate', 'console', 'fleet']));
    expect(stack.lines.length).toBe(stack.logs.length);
    for (const text of stack.lines) expect(repeatedJsonKeys(text), text).toEqual([]);
  });
});

describe('npm start: settings a user gets wrong', () => {
  it('lists every setting with its default on --help', () => {
    const out = spawnSync(process.execPath, [join(REPO_ROOT, 'stack/dist/main.js'), '--help'], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    for (const name of ['PORT', 'MQTT_PORT', 'MQTT_URL', 'DATABASE_URL', 'DATA_DIR', 'DB_PORT', 'SIM_DEVICES', 'LOG_LEVEL', 'ADMIN_USER', 'ADMIN_PASSWORD', 'SESSION_IDLE_MINUTES']) {
      expect(out.stdout).toContain(name);
    }
  });

  it('reports every bad setting at once and exits 2', () => {
    const out = spawnSync(process.execPath, [join(REPO_ROOT, 'stack/dist/main.js')], {
      encoding: 'utf8',
      env: { ...process.env, PORT: 'eighty', SIM_DEVICES: '-1', MQTT_URL: 'http://x' },
    });
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('PORT | "eighty" | a whole number from 0 to 65535');
    expect(out.stderr).toContain('SIM_DEVICES | "-1"');
    expect(out.stderr).toContain('MQTT_URL | "http://x" | a URL starting with mqtt://');
  });

  it('says what to do when the MQTT port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'sw-stack-'));
    const stack = spawnStack({ PORT: '0', MQTT_PORT: String(port), DB_PORT: '0', DATA_DIR: dataDir, SIM_DEVICES: '0' });
    try {
      const code = await new Promise<number | null>((resolve) => stack.child.once('exit', (exitCode) => resolve(exitCode)));
      expect(code).toBe(1);
      expect(stack.stderr()).toContain(`SW_MQTT_PORT_IN_USE: MQTT port ${port} is already in use`);
      expect(stack.stderr()).toContain(`MQTT_URL=mqtt://127.0.0.1:${port}`);
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm start: the first admin without ADMIN_PASSWORD', () => {
  it('prints a one-time password once, to stderr only, and never again on the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sw-stack-'));
    const env = { PORT: '0', MQTT_PORT: '0', DB_PORT: '0', DATA_DIR: dataDir, SIM_DEVICES: '0' };
    try {
      const first = spawnStack(env);
      const ready = await first.waitForLog((l) => l['msg'] === 'Streetwise is running; Ctrl+C stops it', 90_000);
      const printed = [...first.stderr().matchAll(/one-time password (\S+)/g)].map((m) => m[1]!);
      expect(printed).toHaveLength(1);
      expect(JSON.stringify(first.logs)).not.toContain(printed[0]);
      const session = await signInOverHttp(String(ready['console']), 'admin', printed[0]!);
      const devices = await fetch(`${String(ready['console'])}/api/v1/devices`, { headers: session });
      expect(devices.status).toBe(403);
      expect(((await devices.json()) as { code: string }).code).toBe('SW_CONSOLE_PASSWORD_CHANGE_REQUIRED');
      expect(await first.stop('SIGTERM')).toBe(0);

      const second = spawnStack(env);
      await second.waitForLog((l) => l['msg'] === 'Streetwise is running; Ctrl+C stops it', 90_000);
      expect(second.stderr()).not.toContain('one-time password');
      expect(await second.stop('SIGTERM')).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
