import { Registry } from 'prom-client';
import type { ServerDatabase } from '@streetwise/db';
import { createIngest, type Ingest } from '@streetwise/ingest';
import { testLogger } from '../ingest/fixtures.js';

/** Ingest in this process on the MQTT 5 transport (4 shared-subscription connections, persistent sessions) against a broker on `port`. */
export function startIngestOn(db: ServerDatabase, run: string, port: number): Ingest {
  return createIngest({
    db,
    transport: { kind: 'mqtt', url: `mqtt://127.0.0.1:${port}`, connections: 4, group: `g${run}`, clientIdPrefix: `ing-${run}`, sessionExpirySeconds: 600, reconnectPeriodMs: 100 },
    prefix: run,
    logger: testLogger(),
    registry: new Registry(),
  });
}
