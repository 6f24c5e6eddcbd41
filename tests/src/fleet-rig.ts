/**
 * The fleet view's proving ground, as `npm start` wires it: an embedded database, the embedded aedes
 * broker with identity's authentication in front of ingest, the console publishing config pushes as its
 * `downlink` credential, and real edge agents (@streetwise/edge-agent's Agent) logged in with their own
 * device credentials: a camera with a tiny constant ONNX model reading frames from a folder, and an
 * air-quality sensor (no detector: it refuses a thresholds patch, so a push to it is rejected).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import sharp from 'sharp';
import { build, listen } from '@streetwise/console';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { Agent, validateConfig, formatProblems } from '@streetwise/edge-agent';
import { createCredentialCache, installIdentityHooks, provisionCredential, type CredentialCache } from '@streetwise/identity';
import { buildConstantModel, yolov8Output } from '@streetwise/inference/testing';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { startEmbeddedBroker, type EmbeddedBroker } from '@streetwise/stack';
import { waitFor } from '@streetwise/testing';
import { addUser, TEST_SCRYPT_COST } from './console-auth.js';

export const FLEET_PREFIX = 'streetwise';
/** Both in Yau Tsim Mong (district E). */
export const FLEET_CAMERA = 'fleet-cam-1';
export const FLEET_SENSOR = 'fleet-aq-1';

export interface FleetRig {
  db: Database;
  broker: EmbeddedBroker;
  app: FastifyInstance;
  /** The console's URL when started with listen. */
  url: string | undefined;
  camera: Agent;
  sensor: Agent;
  /** Every config downlink the broker delivered to a subscriber, in order: topic and JSON. */
  delivered: Array<{ topic: string; json: Record<string, unknown> }>;
  stop(): Promise<void>;
}

async function startAgent(raw: Record<string, unknown>): Promise<Agent> {
  const checked = validateConfig(raw);
  if (!checked.ok) throw new Error(`edge agent config: ${formatProblems(checked.problems)}`);
  const agent = await Agent.create(checked.value, { logger: pino({ level: 'silent' }) });
  agent.start();
  await agent.publisher.whenConnected();
  return agent;
}

export async function startFleetRig(options: { listen?: boolean } = {}): Promise<FleetRig> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-fleet-'));
  const logger = pino({ level: 'silent' });
  const registry = new Registry();
  const db = await createEmbeddedDatabase({ dataDir: 'memory://' });
  await migrate(db);
  const stops: Array<() => Promise<void>> = [async () => db.close(), async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    const tokens = new Map<string, string>();
    tokens.set('console', (await provisionCredential(db, { id: 'console', kind: 'downlink' })).token);
    for (const id of [FLEET_CAMERA, FLEET_SENSOR]) tokens.set(id, (await provisionCredential(db, { id })).token);
    let credentials: CredentialCache | undefined;
    let ingest: Ingest | undefined;
    const broker = await startEmbeddedBroker(0, async (aedes) => {
      credentials = await createCredentialCache(db, { logger });
      installIdentityHooks(aedes, { credentials, registry, logger, prefix: FLEET_PREFIX, requireTls: false });
      ingest = createIngest({ db, transport: { kind: 'aedes', aedes, brokerAuthorizes: true }, prefix: FLEET_PREFIX, logger, registry });
      await ingest.start();
    });
    stops.push(async () => broker.close(), async () => credentials?.close(), async () => ingest?.stop());
    const delivered: FleetRig['delivered'] = [];
    broker.aedes.on('publish', (packet, client) => {
      if (client && packet.topic.endsWith('/config')) delivered.push({ topic: packet.topic, json: JSON.parse(packet.payload.toString()) as Record<string, unknown> });
    });

    const app = await build({
      db,
      accounts: { scryptCost: TEST_SCRYPT_COST, loginRateLimit: 1000 },
      analytics: false,
      downlink: { url: broker.url, prefix: FLEET_PREFIX, username: 'console', password: tokens.get('console')! },
    });
    stops.push(async () => app.close());
    const url = options.listen ? (await listen(app, 0)).url : undefined;
    for (const [name, role] of [['ada', 'admin'], ['olivia', 'operator'], ['victor', 'viewer']] as const) await addUser(db, name, role);

    const o = yolov8Output([[100, 100, 40, 80, 0.9]]);
    writeFileSync(join(dir, 'model.onnx'), buildConstantModel({ inputWidth: 320, inputHeight: 320, outputDims: o.dims, outputData: o.data, metadata: { names: "{0: 'person'}", version: 'v1' } }));
    mkdirSync(join(dir, 'frames'));
    writeFileSync(join(dir, 'frames', 'a.jpg'), await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 120, g: 120, b: 120 } } }).jpeg().toBuffer());
    writeFileSync(join(dir, 'aq.json'), JSON.stringify({ pm25: 12, no2: 40 }));
    for (const id of [FLEET_CAMERA, FLEET_SENSOR]) writeFileSync(join(dir, `${id}.token`), tokens.get(id)!, { mode: 0o600 });
    const mqtt = (id: string) => ({ url: broker.url, prefix: FLEET_PREFIX, healthIntervalS: 1, reconnectPeriodMs: 200, credentialFile: join(dir, `${id}.token`) });
    const camera = await startAgent({
      device: { id: FLEET_CAMERA, kind: 'camera', name: 'Nathan Road camera', district: 'E', location: { lat: 22.3119, lon: 114.1707 } },
      mqtt: mqtt(FLEET_CAMERA),
      outbox: { dir: join(dir, FLEET_CAMERA, 'outbox'), fsync: 'never' },
      detector: { model: join(dir, 'model.onnx'), modelDir: join(dir, FLEET_CAMERA, 'models') },
      cameras: { street: { source: { kind: 'images', path: join(dir, 'frames'), fps: 2 }, frame: { width: 640, height: 480 } } },
      logLevel: 'silent',
    });
    stops.push(() => camera.stop());
    const sensor = await startAgent({
      device: { id: FLEET_SENSOR, kind: 'air_quality', name: 'Jordan air quality', district: 'E', location: { lat: 22.305, lon: 114.1716 } },
      mqtt: mqtt(FLEET_SENSOR),
      outbox: { dir: join(dir, FLEET_SENSOR, 'outbox'), fsync: 'never' },
      sensors: [{ name: 'aq', kind: 'air_quality', file: join(dir, 'aq.json'), sampleS: 1, intervalS: 60 }],
      logLevel: 'silent',
    });
    stops.push(() => sensor.stop());
    // Both registered (their births stored) and reporting health before a test pushes anything.
    await waitFor(
      async () => Number((await db.query<{ n: string }>('SELECT count(DISTINCT device_id) AS n FROM health WHERE device_id = ANY($1)', [[FLEET_CAMERA, FLEET_SENSOR]])).rows[0]?.n) === 2,
      { timeoutMs: 20_000, what: 'both agents registered and reporting health' },
    );
    return { db, broker, app, url, camera, sensor, delivered, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
