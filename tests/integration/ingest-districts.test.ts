/**
 * Districts are data, end to end on the embedded broker and database: whatever district text a device's
 * birth carries (or none), ingest stores the official code, and the device's incidents show under that
 * district in the analytics answer, with the English and Chinese names beside the code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { EmbeddedDatabase } from '@streetwise/db';
import { build } from '@streetwise/console';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { aedesBroker, type BrokerUnderTest } from '../src/ingest/brokers.js';
import { connectPublisher, count, embeddedDb, publishAll } from '../src/ingest/fixtures.js';
import { birth, event, publication } from '../src/ingest/messages.js';
import { waitFor } from '@streetwise/testing';
import { runId } from '../src/ingest/wait.js';
import { bearerFor } from '../src/console-auth.js';

const CENTRAL = { lat: 22.2819, lon: 114.1577 }; // Des Voeux Rd C / Pedder St: polygon A
const SHA_TIN = { lat: 22.383, lon: 114.188 }; // polygon R
const YUEN_LONG = { lat: 22.4445, lon: 114.0322 }; // polygon M

describe('ingest stores district codes, and analytics answers by them', () => {
  let db: EmbeddedDatabase;
  let broker: BrokerUnderTest;
  let ingest: Ingest;
  let client: MqttClient;
  let consoleApp: FastifyInstance | undefined;
  const registry = new Registry();
  const warnings: Array<{ msg: string; district?: Record<string, unknown> }> = [];
  const run = runId('dist');
  const ids = { named: `cam-${run}-cw`, unnamed: `cam-${run}-st`, unknown: `cam-${run}-yl` };

  beforeAll(async () => {
    [db, broker] = await Promise.all([embeddedDb(), aedesBroker()]);
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line) as (typeof warnings)[number]) });
    ingest = createIngest({ db, transport: broker.transport(run), prefix: run, logger, registry });
    await ingest.start();
    client = await connectPublisher(broker.url, `gw-${run}`);
    // What a device written in another language sends (the protocol README's example spelling), one with
    // no district at all, and one with a district text that names none.
    await publishAll(client, [
      publication(run, ids.named, 'status', birth(ids.named, { district: 'Central and Western', location: CENTRAL })),
      publication(run, ids.unnamed, 'status', birth(ids.unnamed, { district: undefined, location: SHA_TIN })),
      publication(run, ids.unknown, 'status', birth(ids.unknown, { district: 'Yuen Long Town Centre', location: YUEN_LONG })),
    ], true);
    await waitFor(async () => (await count(db, 'select count(*) n from devices where id = any($1)', [Object.values(ids)])) === 3, { timeoutMs: 30_000, what: 'three births' });
  });
  afterAll(async () => {
    await consoleApp?.close();
    await client?.endAsync(true);
    await ingest?.stop({ endSessions: true });
    await broker?.close();
    await db?.close();
  });

  it('stores the code: from the name, from the location when there is none, from the location when the name is unknown', async () => {
    const { rows } = await db.query<{ id: string; district: string | null }>('select id, district from devices where id = any($1) order by id', [Object.values(ids)]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.district]))).toEqual({ [ids.named]: 'A', [ids.unnamed]: 'R', [ids.unknown]: 'M' });
  });

  it('logs the unknown name with what was sent, stored and located, and counts it', async () => {
    const logged = warnings.filter((w) => w.district !== undefined);
    expect(logged.map((w) => w.district)).toEqual([{ reason: 'unknown_name', deviceId: ids.unknown, sent: 'Yuen Long Town Centre', stored: 'M', located: 'M' }]);
    const metric = await registry.getSingleMetric('streetwise_ingest_district_mismatches_total')!.get();
    expect(Object.fromEntries(metric.values.map((v) => [v.labels['reason'], v.value]))).toEqual({ unknown_name: 1, location_differs: 0 });
  });

  it('its incident carries the code and shows under that district in the analytics answer', async () => {
    await publishAll(client, [publication(run, ids.unknown, 'event', event(ids.unknown, { type: 'intrusion', severity: 'high', location: YUEN_LONG }))]);
    await waitFor(async () => (await count(db, 'select count(*) n from incidents where device_id = $1', [ids.unknown])) === 1, { timeoutMs: 30_000, what: 'incident' });
    expect((await db.query<{ district: string }>('select district from incidents where device_id = $1', [ids.unknown])).rows).toEqual([{ district: 'M' }]);

    consoleApp = await build({ db });
    // The analytics routes are the planners' (the console's role matrix); a planner also reads /devices.
    const planner = await bearerFor(db, 'planner-districts', 'planner');
    const byDistrict = (await consoleApp.inject({ url: '/api/v1/analytics/incidents?bucket=all&groupBy=district', headers: planner })).json<{ data: Array<Record<string, unknown>> }>();
    expect(byDistrict.data.map((r) => [r.group, r.districtNameEn, r.districtNameZh, r.incidents])).toEqual([['M', 'Yuen Long', '元朗', 1]]);
    for (const spelling of ['Yuen Long', '元朗', 'm']) {
      const filtered = (await consoleApp.inject({ url: `/api/v1/analytics/incidents?bucket=all&district=${encodeURIComponent(spelling)}`, headers: planner })).json<{ data: Array<{ incidents: number }> }>();
      expect(filtered.data.map((r) => r.incidents), spelling).toEqual([1]);
    }
    const devices = (await consoleApp.inject({ url: '/api/v1/devices?district=Central%20and%20Western', headers: planner })).json<{ items: Array<Record<string, unknown>> }>();
    expect(devices.items.map((d) => [d.id, d.district, d.districtNameEn, d.districtNameZh])).toEqual([[ids.named, 'A', 'Central & Western', '中西區']]);
  });
});
