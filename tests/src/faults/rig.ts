import type { OutboxStore, Publisher } from '@streetwise/edge-agent';
import type { Database } from '@streetwise/db';
import type { Ingest } from '@streetwise/ingest';
import { startPrivateMosquitto, type PrivateMosquitto } from '../ingest/brokers.js';
import { createPlainPostgresDatabase, type PlainPostgresDatabase } from '../ingest/plain-postgres.js';
import { startTcpProxy, type TcpProxy } from '../ingest/tcp-proxy.js';
import { startIngestOn } from './in-process-ingest.js';

/**
 * What the broker-restart and device-offline scenarios run on: a throw-away database on the machine's
 * PostgreSQL, a private Mosquitto, ingest on it in this process, and the devices' own network path to the
 * broker (a TCP relay the scenario cuts and restores). The scenario adds its devices and outboxes here, so
 * close() stops them first, then ingest, the relay, the broker and the database.
 */
export interface FaultRig {
  db: Database;
  mosquitto: PrivateMosquitto;
  ingest: Ingest;
  proxy: TcpProxy;
  /** The URL devices connect to: through the relay. */
  deviceUrl: string;
  devices: Publisher[];
  outboxes: OutboxStore[];
  close(): Promise<void>;
}

export async function startFaultRig(run: string, options: { persistence?: boolean } = {}): Promise<FaultRig> {
  let pg: PlainPostgresDatabase | undefined;
  let mosquitto: PrivateMosquitto | undefined;
  let ingest: Ingest | undefined;
  let proxy: TcpProxy | undefined;
  const devices: Publisher[] = [];
  const outboxes: OutboxStore[] = [];
  const close = async (): Promise<void> => {
    for (const d of devices) await d.stop();
    for (const o of outboxes) o.close();
    await ingest?.stop({ endSessions: true });
    await proxy?.close();
    await mosquitto?.stop();
    await pg?.drop();
  };
  try {
    pg = await createPlainPostgresDatabase('faults');
    mosquitto = await startPrivateMosquitto(undefined, { persistence: options.persistence === true });
    ingest = startIngestOn(pg.db, run, mosquitto.port);
    await ingest.start();
    proxy = await startTcpProxy(mosquitto.port);
  } catch (err) {
    await close();
    throw err;
  }
  return { db: pg.db, mosquitto, ingest, proxy, deviceUrl: `mqtt://127.0.0.1:${proxy.port}`, devices, outboxes, close };
}
