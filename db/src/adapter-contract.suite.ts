/**
 * The Database port's contract, written once as a function of a factory and run against every adapter
 * (embedded, pg through the wire server, pg on a plain PostgreSQL). Modelled on MQTT.js abstract_store.
 * Not compiled into dist (tsconfig excludes *.suite.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@streetwise/testing';
import type { Database } from './port.js';

export interface ContractTarget {
  db: Database;
  /** Called after the close() test, for what the factory started (a wire server, a temp database). */
  teardown?: () => Promise<void>;
}

export function describeDatabaseContract(name: string, factory: () => Promise<ContractTarget>): void {
  describe(`Database contract: ${name}`, () => {
    let target: ContractTarget;
    let db: Database;
    const table = `contract_${Math.random().toString(36).slice(2, 10)}`;

    beforeAll(async () => {
      target = await factory();
      db = target.db;
      await db.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, label text NOT NULL)`);
    }, 60_000);

    afterAll(async () => {
      await target?.teardown?.();
    }, 30_000);

    it('runs a query and reports rows and rowCount', async () => {
      const result = await db.query<{ n: number; word: string }>("SELECT 41 + 1 AS n, 'hi' AS word");
      expect(result.rows).toEqual([{ n: 42, word: 'hi' }]);
      expect(result.rowCount).toBe(1);
      const inserted = await db.query(`INSERT INTO ${table} (id, label) VALUES (1, 'a'), (2, 'b')`);
      expect(inserted.rowCount).toBe(2);
      const updated = await db.query(`UPDATE ${table} SET label = 'z' WHERE id > $1`, [5]);
      expect(updated.rowCount).toBe(0);
      await db.query(`DELETE FROM ${table}`);
    });

    it('round-trips parameters: arrays, timestamptz, jsonb, bytea, uuid, int8, null', async () => {
      const at = new Date('2025-03-04T05:06:07.089Z');
      const doc = { a: 1, nested: { list: [1, 'two', null] }, text: 'ünïcode ✓' };
      const bytes = Buffer.from([0, 1, 2, 254, 255]);
      const id = '0190f5e4-7c2a-7b3e-9d4f-0123456789ab';
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT $1::text[] AS words, $2::int[] AS numbers, $3::timestamptz AS at, $4::jsonb AS doc,
                $5::bytea AS bytes, $6::uuid AS id, $7::int8 AS big, $8::text AS nothing,
                cardinality($1::text[]) AS n_words, 9007199254740991::int8 AS max_safe`,
        [['a', 'b c', 'd"e'], [1, 2, 3], at, JSON.stringify(doc), bytes, id, 1234567890123, null],
      );
      const row = rows[0]!;
      expect(row.words).toEqual(['a', 'b c', 'd"e']);
      expect(row.numbers).toEqual([1, 2, 3]);
      expect(row.at).toBeInstanceOf(Date);
      expect((row.at as Date).toISOString()).toBe(at.toISOString());
      expect(row.doc).toEqual(doc);
      expect(Buffer.isBuffer(row.bytes)).toBe(true);
      expect([...(row.bytes as Buffer)]).toEqual([...bytes]);
      expect(row.id).toBe(id);
      expect(row.big).toBe(1234567890123);
      expect(row.nothing).toBeNull();
      expect(row.n_words).toBe(3);
      expect(row.max_safe).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('inserts a batch with unnest over array parameters', async () => {
      const ids = Array.from({ length: 500 }, (_, i) => i + 1);
      const labels = ids.map((i) => `label-${i}`);
      const result = await db.query(`INSERT INTO ${table} (id, label) SELECT * FROM unnest($1::int[], $2::text[])`, [ids, labels]);
      expect(result.rowCount).toBe(500);
      const { rows } = await db.query<{ n: number; s: number }>(`SELECT count(*) AS n, sum(id) AS s FROM ${table}`);
      expect(rows[0]).toEqual({ n: 500, s: 125_250 });
      await db.query(`DELETE FROM ${table}`);
    });

    it('runs several statements in one parameterless query, returning the last result', async () => {
      const { rows } = await db.query<{ n: number }>(`INSERT INTO ${table} VALUES (7, 'x'); SELECT count(*) AS n FROM ${table}`);
      expect(rows).toEqual([{ n: 1 }]);
      await db.query(`DELETE FROM ${table}`);
    });

    it('keeps the SQLSTATE of engine errors in err.code', async () => {
      await db.query(`INSERT INTO ${table} VALUES (1, 'a')`);
      await expect(db.query(`INSERT INTO ${table} VALUES ($1, 'again')`, [1])).rejects.toMatchObject({ code: '23505' });
      await expect(db.query('SELECT * FROM no_such_table_here')).rejects.toMatchObject({ code: '42P01' });
      // The session is still usable after an error.
      expect((await db.query<{ ok: number }>('SELECT 1 AS ok')).rows[0]?.ok).toBe(1);
      await db.query(`DELETE FROM ${table}`);
    });

    it('commits a transaction and returns its value', async () => {
      const value = await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${table} VALUES (1, 'one')`);
        await tx.query(`INSERT INTO ${table} VALUES ($1, $2)`, [2, 'two']);
        return (await tx.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n;
      });
      expect(value).toBe(2);
      expect((await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n).toBe(2);
    });

    it('rolls a transaction back when the callback throws, and rethrows', async () => {
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${table} VALUES (3, 'three')`);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${table} VALUES (4, 'four')`);
          await tx.query(`INSERT INTO ${table} VALUES (1, 'duplicate')`);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      const { rows } = await db.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`);
      expect(rows.map((r) => r.id)).toEqual([1, 2]);
    });

    it('runs atBegin with BEGIN and queryAtCommit with COMMIT; a failure in either rolls everything back', async () => {
      const value = await db.transaction(
        async (tx) => {
          await tx.query(`INSERT INTO ${table} VALUES (5, 'five')`);
          tx.queryAtCommit(`INSERT INTO ${table} VALUES ($1, $2)`, [6, 'six']);
          // atBegin ran inside this transaction: its lock is held (pg_locks lists it).
          return (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 7412`)).rows[0]?.n;
        },
        { atBegin: 'SELECT pg_advisory_xact_lock(7412)' },
      );
      expect(value).toBe(1);
      expect((await db.query<{ id: number }>(`SELECT id FROM ${table} WHERE id >= 5 ORDER BY id`)).rows.map((r) => r.id)).toEqual([5, 6]);
      // The lock went with the commit.
      expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 7412`)).rows[0]?.n).toBe(0);

      // The last statement fails (duplicate key): the row inserted before it is rolled back too, and the error is the statement's.
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${table} VALUES (7, 'seven')`);
          tx.queryAtCommit(`INSERT INTO ${table} VALUES ($1, $2)`, [5, 'again']);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      // atBegin fails: nothing of the callback runs.
      let ran = false;
      await expect(
        db.transaction(
          async () => {
            ran = true;
          },
          { atBegin: 'SELECT * FROM no_such_table_here' },
        ),
      ).rejects.toMatchObject({ code: '42P01' });
      expect(ran).toBe(false);
      expect((await db.query<{ id: number }>(`SELECT id FROM ${table} WHERE id >= 5 ORDER BY id`)).rows.map((r) => r.id)).toEqual([5, 6]);
      await db.query(`DELETE FROM ${table} WHERE id >= 5`);
      // The session is usable afterwards.
      expect((await db.transaction((tx) => tx.query<{ ok: number }>('SELECT 1 AS ok'))).rows[0]?.ok).toBe(1);
    });

    it('isolates a transaction: other queries never see it half-done', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const tx = db.transaction(async (q) => {
        await q.query(`UPDATE ${table} SET label = 'changing' WHERE id = 1`);
        await gate;
        await q.query(`UPDATE ${table} SET label = 'changed' WHERE id = 1`);
      });
      const outside = db.query<{ label: string }>(`SELECT label FROM ${table} WHERE id = 1`);
      release();
      await tx;
      const label = (await outside).rows[0]?.label;
      expect(['one', 'changed']).toContain(label);
    });

    it('serves many concurrent queries', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => db.query<{ i: number }>('SELECT $1::int AS i', [i])));
      expect(results.map((r) => r.rows[0]?.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('delivers NOTIFY to listeners, after COMMIT only, and stops after unlisten', async () => {
      const channel = `${table}_ch`;
      const received: string[] = [];
      const unlisten = await db.listen(channel, (payload) => received.push(payload));
      await db.query('SELECT pg_notify($1, $2)', [channel, 'plain']);
      await waitFor(() => received.length === 1, { timeoutMs: 5_000, what: 'the first notification' });
      let seenBeforeCommit = -1;
      await db.transaction(async (tx) => {
        await tx.query('SELECT pg_notify($1, $2)', [channel, 'from-tx']);
        await tx.query('SELECT 1');
        seenBeforeCommit = received.length;
      });
      await waitFor(() => received.length === 2, { timeoutMs: 5_000, what: 'the notification sent in a transaction' });
      expect(seenBeforeCommit).toBe(1);
      await db.transaction(async (tx) => {
        await tx.query('SELECT pg_notify($1, $2)', [channel, 'rolled-back']);
        throw new Error('roll back');
      }).catch(() => undefined);
      await unlisten();
      await db.query('SELECT pg_notify($1, $2)', [channel, 'after-unlisten']);
      await db.query('SELECT pg_notify($1, $2)', [`${channel}_other`, 'other']);
      // A round trip on the listening path after the last notify: anything late would have arrived.
      const sentinel: string[] = [];
      const stop = await db.listen(`${channel}_end`, (payload) => sentinel.push(payload));
      await db.query('SELECT pg_notify($1, $2)', [`${channel}_end`, 'end']);
      await waitFor(() => sentinel.length === 1, { timeoutMs: 5_000, what: 'the sentinel notification' });
      await stop();
      expect(received).toEqual(['plain', 'from-tx']);
    });

    it('answers ping', async () => {
      expect(await db.ping()).toBe(true);
    });

    it('closes: ping is false and queries are refused', async () => {
      await db.query(`DROP TABLE ${table}`);
      await db.close();
      expect(await db.ping()).toBe(false);
      await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: 'SW_DB_CLOSED' });
      await db.close(); // idempotent
    });
  });
}
