import { describe, expect, it } from 'vitest';
import { createDatabase } from './create-database.js';

describe('createDatabase', () => {
  // The embedded choice is tested in embedded-adapter.test.ts (it shares an instance there).
  it('uses DATABASE_URL when set, and says what to do when that server lacks TimescaleDB', async () => {
    const err = await createDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres', dataDir: 'memory://' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SW_DB_NO_TIMESCALE' });
    expect((err as Error).message).toContain('postgres://postgres@127.0.0.1:5432/postgres');
  });
});
