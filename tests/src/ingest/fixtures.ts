import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { pino, type Logger } from 'pino';
import { createEmbeddedDatabase, migrate, type EmbeddedDatabase } from '@streetwise/db';
import type { Publication } from './messages.js';

/** A silent logger for tests (LOG_LEVEL=debug to see ingest's logs). */
export function testLogger(): Logger {
  return pino({ level: process.env.LOG_LEVEL ?? 'silent' });
}

/** The embedded database, in memory, migrated. */
export async function embeddedDb(options: { wirePort?: number | null; dataDir?: string; migrate?: boolean } = {}): Promise<EmbeddedDatabase> {
  const db = await createEmbeddedDatabase({ dataDir: options.dataDir ?? 'memory://', wirePort: options.wirePort ?? null });
  if (options.migrate ?? true) await migrate(db, { logger: testLogger() });
  return db;
}

/** An MQTT.js publisher (MQTT 3.1.1, so it talks to aedes and Mosquitto alike). */
export async function connectPublisher(url: string, clientId: string, options: Partial<IClientOptions> = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { clientId, protocolVersion: 4, clean: true, reconnectPeriod: 0, connectTimeout: 10_000, ...options });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

export async function publishAll(client: MqttClient, publications: readonly Publication[], retain = false): Promise<void> {
  await Promise.all(publications.map((p) => client.publishAsync(p.topic, p.payload, { qos: 1, retain })));
}

/** Count rows with a small helper that reads numbers the same from both adapters. */
export async function count(db: { query: EmbeddedDatabase['query'] }, sql: string, params: unknown[] = []): Promise<number> {
  const result = await db.query<{ n: number | string }>(sql, params);
  return Number(result.rows[0]?.n ?? 0);
}
