import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { build, deskOptionsFrom, deskSettingProblems, DESK_SETTINGS, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@streetwise/console';
import { waitFor } from '@streetwise/testing';
import { bearerFor, TEST_SCRYPT_COST } from '../src/console-auth.js';
import { raiseIncident } from '../src/desk-fixtures.js';

const SECRET = 'a shared secret of the city control room';
const BACKOFF_MS = 40;

interface Received {
  atMs: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on a free port that answers each POST with the next status of `answers` (then 200). */
async function receiver(answers: number[]): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ atMs: performance.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/streetwise?token=path-secret`, received };
}

/** What a receiver does (console/README.md): HMAC-SHA256 of the raw body with the secret, compared in constant time. */
function verifies(body: string, header: string | string[] | undefined, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(String(header));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A logger that keeps every line, to check that no secret is logged. */
function recordingLogger(lines: string[]): FastifyBaseLogger {
  const write = (level: string) => (...args: unknown[]) => void lines.push(`${level} ${inspect(args, { depth: 8, breakLength: Infinity })}`);
  const logger: Record<string, unknown> = {
    level: 'trace', fatal: write('fatal'), error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug'), trace: write('trace'), silent: () => undefined,
    child: () => logger,
  };
  return logger as unknown as FastifyBaseLogger;
}

describe('escalation webhook: a critical incident left unacknowledged past its red threshold', () => {
  let db: Database;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const nodes: FastifyInstance[] = [];
  const lines: string[] = [];
  let nowMs = Date.now();

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    hook = await receiver([500, 500]);
    // Two console nodes on one database, both scanning; the clock is the test's.
    for (let n = 0; n < 2; n++) {
      nodes.push(await build({
        db, analytics: false, logger: recordingLogger(lines), accounts: { scryptCost: TEST_SCRYPT_COST },
        desk: { webhookUrl: hook.url, webhookSecret: SECRET, webhookAttempts: 4, webhookBackoffMs: BACKOFF_MS, scanIntervalMs: 3_600_000, clock: () => nowMs },
      }));
    }
  }, 60_000);
  afterAll(async () => {
    for (const node of nodes) await node.close();
    await new Promise((resolve) => hook?.server.close(resolve));
    await db?.close();
  });

  it('is POSTed once by one of two racing nodes, signed, retried after two failures, and every attempt is logged', async () => {
    const openedMs = Date.now() - 1000;
    const critical = await raiseIncident(db, 'cam-1', 'collision', [{ atMs: openedMs, severity: 'critical' }]);
    const acknowledged = await raiseIncident(db, 'cam-2', 'collision', [{ atMs: openedMs, severity: 'critical' }]);
    const high = await raiseIncident(db, 'cam-3', 'collision', [{ atMs: openedMs - 3_600_000, severity: 'high' }]);
    const operator = await bearerFor(db, 'op-a', 'operator');
    expect((await nodes[0]!.inject({ method: 'POST', url: `/api/v1/incidents/${acknowledged.id}/acknowledge`, payload: { version: 1 }, headers: operator })).statusCode).toBe(200);
    const scanners = nodes.map((node) => node.desk.escalation!);

    nowMs = openedMs + 179_000; // red is 180 s for critical: not yet
    expect(await Promise.all(scanners.map((s) => s.scanOnce()))).toEqual([[], []]);

    nowMs = openedMs + 181_000;
    const claimed = await Promise.all(scanners.map((s) => s.scanOnce()));
    expect(claimed.flat()).toEqual([critical.id]); // exactly one node claimed it; the acknowledged and the high one are not due
    await Promise.all(scanners.map((s) => s.idle()));
    expect(hook.received.map(() => 'POST')).toHaveLength(3);

    // Every attempt carried the same signed body; a receiver's check passes with the secret and fails without it.
    for (const r of hook.received) {
      expect(verifies(r.body, r.headers[SIGNATURE_HEADER], SECRET)).toBe(true);
      expect(verifies(r.body, r.headers[SIGNATURE_HEADER], 'another secret')).toBe(false);
      expect(Number(r.headers[TIMESTAMP_HEADER])).toBe(Math.floor(nowMs / 1000));
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);
    const body = JSON.parse(hook.received[0]!.body) as { incident: Record<string, unknown>; reason: string; at: string };
    expect(body).toEqual({ incident: expect.objectContaining({ id: critical.id, severity: 'critical', status: 'open', version: 1, districtNameEn: 'Wan Chai' }), reason: 'critical_unacknowledged', at: new Date(openedMs + 181_000).toISOString() });
    // Backoff: BACKOFF_MS before the second try, twice that before the third.
    expect(hook.received[1]!.atMs - hook.received[0]!.atMs).toBeGreaterThanOrEqual(BACKOFF_MS - 5);
    expect(hook.received[2]!.atMs - hook.received[1]!.atMs).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 5);

    const { rows } = await db.query<{ action: string; actor: string; actor_kind: string; details: Record<string, unknown> }>(
      `SELECT action, actor, actor_kind, details FROM incident_log WHERE action = 'notified' ORDER BY id`,
    );
    const host = new URL(hook.url).host;
    expect(rows).toEqual([1, 2, 3].map((attempt) => ({
      action: 'notified', actor: 'console', actor_kind: 'system',
      details: { host, status: attempt < 3 ? 500 : 200, attempt, attempts: 4, ok: attempt === 3 },
    })));
    // The log rows change nothing an operator acts on: the incident keeps its version.
    expect((await nodes[1]!.inject({ url: `/api/v1/incidents/${critical.id}`, headers: operator })).json()).toMatchObject({ version: 1, status: 'open' });

    // Scanning again sends nothing more, from either node.
    expect(await Promise.all(scanners.map((s) => s.scanOnce()))).toEqual([[], []]);
    expect(hook.received).toHaveLength(3);
    expect(high.id).not.toBe(critical.id);

    // Neither the secret nor the URL's path and query are logged anywhere.
    const everything = JSON.stringify(rows) + lines.join('\n');
    expect(lines.some((l) => l.includes('escalation webhook attempt failed'))).toBe(true);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('path-secret');
  });

  it('gives up after the last attempt and stays claimed, each failure logged', async () => {
    const down = await receiver([503, 503, 503, 503]);
    const node = await build({
      db, analytics: false, accounts: { scryptCost: TEST_SCRYPT_COST },
      desk: { webhookUrl: down.url, webhookSecret: SECRET, webhookAttempts: 2, webhookBackoffMs: 1, scanIntervalMs: 3_600_000, clock: () => nowMs + 3_600_000 },
    });
    try {
      const incident = await raiseIncident(db, 'cam-4', 'collision', [{ atMs: Date.now(), severity: 'critical' }]);
      expect(await node.desk.escalation!.scanOnce()).toEqual([incident.id]);
      await node.desk.escalation!.idle();
      expect(down.received).toHaveLength(2);
      const statuses = await db.query<{ status: number; ok: boolean }>(
        `SELECT (details->>'status')::int AS status, (details->>'ok')::boolean AS ok FROM incident_log WHERE incident_id = $1 AND action = 'notified' ORDER BY id`, [incident.id],
      );
      expect(statuses.rows).toEqual([{ status: 503, ok: false }, { status: 503, ok: false }]);
      expect(await node.desk.escalation!.scanOnce()).toEqual([]);
    } finally {
      await node.close();
      await new Promise((resolve) => down.server.close(resolve));
    }
  });

  it('runs the scan on its own every scanIntervalMs', async () => {
    const quick = await receiver([]);
    const node = await build({
      db, analytics: false, accounts: { scryptCost: TEST_SCRYPT_COST },
      desk: { webhookUrl: quick.url, webhookSecret: SECRET, scanIntervalMs: 50, clock: () => Date.now() + 3_600_000 },
    });
    try {
      const incident = await raiseIncident(db, 'cam-5', 'collision', [{ atMs: Date.now(), severity: 'critical' }]);
      await waitFor(() => (quick.received.some((r) => r.body.includes(incident.id)) ? true : undefined), { timeoutMs: 10_000, what: 'the scheduled scan\'s webhook' });
    } finally {
      await node.close();
      await new Promise((resolve) => quick.server.close(resolve));
    }
  });

  it('reads its settings: thresholds as AMBER/RED, and a webhook URL needs its secret', () => {
    const parse = (raw: string) => DESK_SETTINGS.ackCriticalS.parse(raw);
    expect(parse('30/90')).toEqual({ ok: true, value: { amberS: 30, redS: 90 } });
    expect(parse('90/30')).toMatchObject({ ok: false });
    expect(parse('0/30')).toMatchObject({ ok: false });
    expect(DESK_SETTINGS.escalationWebhookSecret.parse('short')).toMatchObject({ ok: false });
    const values = {
      ackInfoS: { amberS: 1, redS: 2 }, ackLowS: { amberS: 1, redS: 2 }, ackMediumS: { amberS: 1, redS: 2 }, ackHighS: { amberS: 1, redS: 2 }, ackCriticalS: { amberS: 30, redS: 90 },
      escalationWebhookUrl: 'https://hooks.example/x', escalationWebhookAttempts: 3, escalationWebhookBackoffMs: 500,
    };
    expect(deskSettingProblems(values)).toEqual([expect.stringMatching(/^ESCALATION_WEBHOOK_SECRET \| \(not set\) \| required with ESCALATION_WEBHOOK_URL/)]);
    expect(deskSettingProblems({ ...values, escalationWebhookSecret: SECRET })).toEqual([]);
    expect(deskOptionsFrom({ ...values, escalationWebhookSecret: SECRET })).toMatchObject({ ackThresholds: { critical: { amberS: 30, redS: 90 } }, webhookAttempts: 3, webhookBackoffMs: 500 });
  });
});
