import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { createCredentialCache, hashToken, installIdentityHooks, mosquittoHash, generateToken } from '@streetwise/identity';
import { startEmbeddedBroker } from '@streetwise/stack';
import type { SuiteGoals } from './goals.js';
import type { BenchOptions, Figure, SuiteResult } from './main.js';
import type { StormArgs } from './identity-storm-client.js';

/**
 * Reconnect storm: DEVICES devices connecting at once to the embedded broker, each with its own
 * credential (SHA-256 check against the in-memory cache fed by the registry), against the same storm
 * on the same broker set-up without authentication, in the same run, alternating, ROUNDS times each.
 * The clients run in a separate process. Also counted: database queries during the authenticated
 * storms (the cache should make them zero) and the broker process's CPU per login.
 */
const DEVICES = Number(process.env.BENCH_STORM_DEVICES ?? 2_000);
const ROUNDS = 3;
const CLIENT = fileURLToPath(new URL('./identity-storm-client.js', import.meta.url));

function countingDb(db: Database): { db: Database; queries: () => number } {
  let queries = 0;
  const wrapped: Database = {
    kind: db.kind,
    query: (sql, params) => {
      queries++;
      return db.query(sql, params);
    },
    transaction: (fn) => db.transaction(fn),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    ping: () => db.ping(),
    close: () => db.close(),
  };
  return { db: wrapped, queries: () => queries };
}

async function storm(url: string, logins: StormArgs['logins']): Promise<{ ms: number; cpuMs: number }> {
  const child = spawn(process.execPath, [CLIENT], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.write(`${JSON.stringify({ url, logins } satisfies StormArgs)}\n`);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  if ((await lines.next()).value !== 'ready') throw new Error('storm client did not start');
  const cpuBefore = process.cpuUsage();
  child.stdin.write('go\n');
  const answer = JSON.parse(String((await lines.next()).value)) as { ms?: number; error?: string };
  const cpu = process.cpuUsage(cpuBefore);
  child.stdin.end();
  await once(child, 'exit');
  if (answer.ms === undefined) throw new Error(`storm failed: ${answer.error}`);
  return { ms: answer.ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function run(options: BenchOptions): Promise<SuiteResult> {
  const logger = pino({ level: 'silent' });
  const raw = await createEmbeddedDatabase({ dataDir: 'memory://', wirePort: null });
  await migrate(raw);
  options.progress(`provisioning ${DEVICES} device credentials`);
  const logins: StormArgs['logins'] = [];
  for (let start = 0; start < DEVICES; start += 500) {
    const rows = Array.from({ length: Math.min(500, DEVICES - start) }, (_, i) => {
      const id = `storm-${String(start + i).padStart(5, '0')}`;
      const token = generateToken();
      logins.push({ clientId: id, username: id, password: token });
      return [id, hashToken(token), mosquittoHash(token)] as const;
    });
    await raw.query(
      'INSERT INTO device_credentials (id, kind, token_sha256, mosquitto_hash) SELECT id, \'device\', h, m FROM unnest($1::text[], $2::bytea[], $3::text[]) AS t(id, h, m)',
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
    );
  }
  const { db, queries } = countingDb(raw);
  const credentials = await createCredentialCache(db, { logger });
  const registry = new Registry();
  const withAuth = await startEmbeddedBroker(0, async (aedes) => installIdentityHooks(aedes, { credentials, registry, logger }));
  const open = await startEmbeddedBroker(0);
  const anonymous = logins.map(({ clientId }) => ({ clientId }));
  const results = { auth: [] as number[], open: [] as number[], authCpu: [] as number[], openCpu: [] as number[] };
  const queriesBefore = queries();
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const o = await storm(open.url, anonymous);
      results.open.push(o.ms);
      results.openCpu.push(o.cpuMs);
      const a = await storm(withAuth.url, logins);
      results.auth.push(a.ms);
      results.authCpu.push(a.cpuMs);
      options.progress(`round ${round}/${ROUNDS}: ${DEVICES} devices connected in ${a.ms.toFixed(0)} ms with authentication, ${o.ms.toFixed(0)} ms without`);
    }
  } finally {
    await withAuth.close();
    await open.close();
    await credentials.close();
    await raw.close();
  }
  const refused = /streetwise_broker_auth_refused_total\{reason="[a-z_]+"\} [1-9]/.test(await registry.metrics());
  if (refused) throw new Error('a storm login was refused');
  const figures: Figure[] = [
    { name: 'storm_devices', value: DEVICES, unit: 'devices' },
    { name: 'storm_all_connected_ms_auth', value: median(results.auth), unit: 'ms (median of 3)' },
    { name: 'storm_all_connected_ms_open', value: median(results.open), unit: 'ms (median of 3)' },
    { name: 'storm_auth_vs_open', value: median(results.auth) / median(results.open), unit: 'ratio' },
    { name: 'broker_cpu_ms_per_login_auth', value: median(results.authCpu) / DEVICES, unit: 'ms' },
    { name: 'broker_cpu_ms_per_login_open', value: median(results.openCpu) / DEVICES, unit: 'ms' },
    { name: 'db_queries_during_auth_storms', value: queries() - queriesBefore, unit: 'queries' },
  ];
  return { suite: 'identity', figures };
}

export const GOALS: SuiteGoals = {
  storm_all_connected_ms_auth: { against: 'storm_all_connected_ms_open' },
  broker_cpu_ms_per_login_auth: { against: 'broker_cpu_ms_per_login_open' },
};
