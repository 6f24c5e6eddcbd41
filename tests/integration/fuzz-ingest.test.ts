import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { MqttClient } from 'mqtt';
import type { EmbeddedDatabase } from '@streetwise/db';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { deviceTopic, type UplinkKind } from '@streetwise/protocol';
import { waitFor } from '@streetwise/testing';
import { aedesBroker, type BrokerUnderTest } from '../src/ingest/brokers.js';
import { connectPublisher, count, embeddedDb, publishAll, testLogger } from '../src/ingest/fixtures.js';
import { birth, event, publication } from '../src/ingest/messages.js';
import { runId } from '../src/ingest/wait.js';
import { DECODER_MUTATIONS, EXPECTED_CODES, TEXT_MUTATIONS, mutate, mutationArbitrary } from '../src/hostile/mutations.js';
import { FUZZ_SEED, anyValidUplink } from '../src/hostile/valid-messages.js';

/**
 * The fuzzers' messages through the whole path (embedded broker → ingest → database), not just the
 * validators: every valid message generated from the schemas is stored (none fails in PostgreSQL for a value
 * the protocol allows), every mutant is dead-lettered with its reason, and the good messages between them
 * are all stored.
 */
const SAMPLES = 120;

describe('fuzzed messages through the real ingest', () => {
  let db: EmbeddedDatabase;
  let broker: BrokerUnderTest;
  let ingest: Ingest;
  let client: MqttClient;
  const run = runId('f');
  const device = `cam-${run}`;

  beforeAll(async () => {
    db = await embeddedDb();
    broker = await aedesBroker();
    ingest = createIngest({ db, transport: broker.transport(run), prefix: run, unknownDeviceGraceMs: 300, logger: testLogger(), registry: new Registry() });
    await ingest.start();
    client = await connectPublisher(broker.url, device);
    await publishAll(client, [publication(run, device, 'status', birth(device))], true);
    await waitFor(async () => (await count(db, 'select count(*) n from devices where id = $1', [device])) === 1, { timeoutMs: 30_000, what: 'device registered' });
  });
  afterAll(async () => {
    await client?.endAsync(true);
    await ingest?.stop({ endSessions: true });
    await broker?.close();
    await db?.close();
  });

  it(`stores ${SAMPLES} valid messages of every kind generated from the schemas, and dead-letters none`, async () => {
    // Generated at the real clock: the timestamps must lie in the window ingest checks now.
    const messages = fc.sample(anyValidUplink(fc.constant(device), Date.now()), { seed: FUZZ_SEED, numRuns: SAMPLES });
    await Promise.all(messages.map(({ kind, message }) => publishAll(client, [{ topic: deviceTopic(device, kind, run), payload: Buffer.from(JSON.stringify(message)) }])));
    const ids = (kind: UplinkKind): string[] => messages.filter((m) => m.kind === kind).map((m) => m.message.id as string);
    const tables = { event: 'events', telemetry: 'telemetry', health: 'health' } as const;
    for (const [kind, table] of Object.entries(tables)) {
      const wanted = ids(kind as UplinkKind);
      await waitFor(async () => (await count(db, `select count(*) n from ${table} where id = any($1::uuid[])`, [wanted])) === wanted.length, { timeoutMs: 60_000, what: `${wanted.length} ${kind} rows` });
    }
    const dead = await db.query<{ reason_code: string; reason: string }>('select reason_code, reason from dead_letters where topic like $1', [`${run}/%`]);
    expect(dead.rows).toEqual([]);
    expect(ingest.health().ingest).toMatchObject({ status: 'up', state: 'running' });
  });

  it('dead-letters every generated mutant with its reason and stores the good message after each', async () => {
    const samples = fc.sample(fc.tuple(anyValidUplink(fc.constant(device), Date.now()), mutationArbitrary([...DECODER_MUTATIONS, ...TEXT_MUTATIONS])), { seed: FUZZ_SEED + 1, numRuns: SAMPLES });
    const mutants = samples.flatMap(([{ kind, message }, { mutation, pick }]) => {
      const mutant = mutate(message, mutation, pick);
      return mutant ? [{ kind, ...mutant, topic: deviceTopic(device, kind, run), payload: Buffer.from(mutant.text) }] : [];
    });
    const goodIds: string[] = [];
    await Promise.all(mutants.flatMap((m) => {
      const good = event(device);
      goodIds.push(good.id);
      return [publishAll(client, [m]), publishAll(client, [publication(run, device, 'event', good)])];
    }));
    const rows = await waitFor(async () => {
      const r = (await db.query<{ payload: Buffer; reason_code: string }>('select payload, reason_code from dead_letters where topic like $1', [`${run}/%`])).rows;
      return r.length >= mutants.length ? r : undefined;
    }, { timeoutMs: 60_000, what: `${mutants.length} dead letters` });
    await waitFor(async () => (await count(db, 'select count(*) n from events where id = any($1::uuid[])', [goodIds])) === goodIds.length, { timeoutMs: 30_000, what: 'the good messages' });
    const codeOf = new Map(rows.map((r) => [r.payload.toString('hex'), r.reason_code]));
    const wrong = mutants.filter((m) => !EXPECTED_CODES[m.mutation].includes(codeOf.get(m.payload.toString('hex')) ?? 'none'))
      .map((m) => `${m.kind} ${m.mutation} at ${m.path}: ${codeOf.get(m.payload.toString('hex')) ?? 'no dead letter'}`);
    expect(wrong).toEqual([]);
    expect(rows.length).toBe(mutants.length);
    expect(ingest.health().ingest).toMatchObject({ status: 'up', state: 'running' });
  });
});
