import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { EmbeddedDatabase } from '@streetwise/db';
import { createCredentialCache, installIdentityHooks, provisionCredential, type CredentialCache } from '@streetwise/identity';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { createTdFeed, startTdGateway } from '@streetwise/connectors';
import { startEmbeddedBroker, TD_GATEWAY, TD_GATEWAY_SCOPE, type EmbeddedBroker } from '@streetwise/stack';
import { shiftTdTimes, tdSnapshotOfYesterday, withoutDetector } from '../src/connectors/td-snapshot.js';
import { count, embeddedDb, testLogger } from '../src/ingest/fixtures.js';
import { waitFor } from '@streetwise/testing';

/**
 * The TD connector as `npm start` runs it: a gateway credential on the embedded broker with identity's hooks,
 * ingest behind them, the database. A web server answers every poll with the same snapshot (200, no ETag), and
 * the connector is run twice, as after a restart: every message is published twice, each period stored once.
 */
describe('TD feed connector → embedded broker → ingest → database', () => {
  let db: EmbeddedDatabase;
  let broker: EmbeddedBroker;
  let credentials: CredentialCache;
  let ingest: Ingest;
  let server: Server;
  let feedUrl = '';
  let password = '';
  let requests = 0;
  let served = '';
  const registry = new Registry();
  const snapshot = tdSnapshotOfYesterday();
  served = snapshot.xml;
  const feed = createTdFeed();
  const read = feed.read(Buffer.from(snapshot.xml), { nowMs: Date.now(), source: 'yesterday' });
  const detectors = new Set(read.periods.flatMap((p) => p.readings.map((r) => r.siteId)));
  const readings = read.periods.reduce((n, p) => n + p.readings.length, 0);

  beforeAll(async () => {
    db = await embeddedDb();
    const logger = testLogger();
    credentials = await createCredentialCache(db, { logger });
    broker = await startEmbeddedBroker(
      0,
      async (aedes) => {
        installIdentityHooks(aedes, { credentials, registry, logger, prefix: 'streetwise', requireTls: false });
        ingest = createIngest({ db, transport: { kind: 'aedes', aedes, brokerAuthorizes: true }, prefix: 'streetwise', logger, registry });
        await ingest.start();
      },
      { plain: true },
    );
    password = (await provisionCredential(db, { id: TD_GATEWAY, kind: 'gateway', scope: TD_GATEWAY_SCOPE })).token;
    await credentials.refresh(TD_GATEWAY);
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'text/xml' }).end(served);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rawSpeedVol-all.xml`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await ingest?.stop();
    await credentials?.close();
    await broker?.close();
    await db?.close();
  });

  const telemetryRows = (): Promise<number> => count(db, `select count(*) n from telemetry where device_id like 'AID%' or device_id like 'TDS%'`);
  const ingested = async (result: 'stored' | 'duplicate' | 'dead_letter'): Promise<number> =>
    Number(new RegExp(`streetwise_ingest_messages_total\\{result="${result}"\\} (\\d+)`).exec(await registry.metrics())?.[1] ?? 0);

  async function runConnectorOnce(): Promise<void> {
    const gateway = await startTdGateway({ feed: feedUrl, mqttUrl: broker.url, username: TD_GATEWAY, password, healthIntervalMs: 3_600_000, logger: testLogger() });
    try {
      await waitFor(() => gateway.stats().snapshots === 1, { timeoutMs: 60_000, what: 'one poll published' });
      expect(gateway.stats()).toMatchObject({ telemetry: readings, periods: 2, problems: 0 });
    } finally {
      await gateway.stop();
    }
  }

  it('the snapshot of yesterday holds two periods: 752 + 754 readings, 754 detectors', () => {
    expect(read.problems).toEqual([]);
    expect(readings).toBe(1506);
    expect(detectors.size).toBe(754);
  });

  it('the same snapshot polled twice (a restart between) stores each period once', async () => {
    await runConnectorOnce();
    await waitFor(async () => (await telemetryRows()) === readings, { timeoutMs: 60_000, what: 'every reading of the first run stored' });
    expect(await ingested('duplicate')).toBe(0);
    await runConnectorOnce();
    expect(requests).toBe(2);
    // Ingest answers each repeat as a duplicate: once it has answered all 1,506, nothing more can come.
    await waitFor(async () => (await ingested('duplicate')) >= readings, { timeoutMs: 60_000, what: 'every reading of the second run answered' });
    expect(await ingested('duplicate')).toBe(readings);
    expect(await telemetryRows()).toBe(readings);
    expect((await db.query(`select reason_code, reason from dead_letters limit 3`)).rows).toEqual([]);
    expect(await count(db, `select count(*) n from devices where (id like 'AID%' or id like 'TDS%') and kind = 'loop_detector' and state = 'online'`)).toBe(detectors.size);
  });

  it('stores AID01101 as worked out by hand, with its place, district code and the published end', async () => {
    const device = await db.query<{ district: string; road: string; lat: number; lon: number }>(`select district, road, lat, lon from devices where id = 'AID01101'`);
    expect(device.rows).toEqual([{ district: 'D', road: 'Aberdeen Praya Road', lat: 22.248091, lon: 114.152525 }]);
    const rows = await db.query<{ volume: number; speed: number; occupancy_pct: number; lanes_valid: number; lanes_invalid: number; interval_s: number; same: boolean }>(
      `select volume, round(speed_kmh_avg::numeric, 2)::float8 speed, occupancy_pct, lanes_valid, lanes_invalid, interval_s, observed_at = time same
       from telemetry where device_id = 'AID01101' order by time`,
    );
    // 21:27:00–21:27:30: 3 + 7 + 1 = 11 vehicles, (66·3 + 59·7 + 55·1) / 11 = 60.55 km/h, occupancy (1 + 5 + 0) / 3 = 2 %.
    expect(rows.rows[0]).toEqual({ volume: 11, speed: 60.55, occupancy_pct: 2, lanes_valid: 3, lanes_invalid: 0, interval_s: 30, same: true });
    expect(rows.rows).toHaveLength(2);
  });

  it('the gateway is a device of its own with its health: feed age, no detector silent', async () => {
    const health = await db.query<{ feed_age_s: number; devices_stale: number; devices_offline: number }>(
      `select feed_age_s, devices_stale, devices_offline from health where device_id = $1 order by time desc limit 1`,
      [TD_GATEWAY],
    );
    expect(health.rows[0]).toMatchObject({ devices_stale: 0, devices_offline: 0 });
    expect(health.rows[0]!.feed_age_s).toBeGreaterThan(0);
    expect(await count(db, `select count(*) n from devices where id = $1 and kind = 'multi'`, [TD_GATEWAY])).toBe(1);
  });

  it('a detector missing from the feed for 10 minutes of feed time goes offline (retained status), and the gateway health counts it', async () => {
    const gateway = await startTdGateway({ feed: feedUrl, mqttUrl: broker.url, username: TD_GATEWAY, password, periodS: 1, healthIntervalMs: 3_600_000, logger: testLogger() });
    try {
      await waitFor(() => gateway.stats().snapshots >= 1, { timeoutMs: 60_000, what: 'the snapshot read' });
      // 11 minutes later (feed time) every detector but AID01101 reports again.
      served = withoutDetector(shiftTdTimes(snapshot.xml, 660), 'AID01101');
      await waitFor(() => gateway.stats().offline === 1, { timeoutMs: 60_000, what: 'AID01101 declared offline' });
      expect(gateway.health().sites.offline).toEqual(['AID01101']);
      await waitFor(async () => (await count(db, `select count(*) n from devices where id = 'AID01101' and state = 'offline'`)) === 1, { timeoutMs: 60_000, what: 'AID01101 offline in the registry' });
      await waitFor(async () => (await count(db, `select count(*) n from health where device_id = $1 and devices_offline = 1`, [TD_GATEWAY])) >= 1, { timeoutMs: 60_000, what: 'the gateway health counting it' });
      expect(await count(db, `select count(*) n from devices where (id like 'AID%' or id like 'TDS%') and state = 'offline'`)).toBe(1);
    } finally {
      await gateway.stop();
      served = snapshot.xml;
    }
  });
});
