import { describe, expect, it } from 'vitest';
import { createDatabase } from './create-database.js';

describe('createDatabase', () => {
  it('uses the embedded database when DATABASE_URL is unset, exposed on the wire port', async () => {
    const db = await createDatabase({ databaseUrl: '', dataDir: 'memory://', wirePort: 0 });
    try {
      expect(db.kind).toBe('embedded');
      expect((db as { wirePort?: number | null }).wirePort).toBeGreaterThan(0);
      expect(await db.ping()).toBe(true);
    } finally {
      await db.close();
    }
  }, 30_000);

  it('uses DATABASE_URL when set, and says what to do when that server lacks TimescaleDB', async () => {
    const err = await createDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres', dataDir: 'memory://' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SW_DB_NO_TIMESCALE' });
    expect((err as Error).message).toContain('postgres://postgres@127.0.0.1:5432/postgres');
  });
});
