import type { Database } from '@streetwise/db';
import type { Logger } from 'pino';
import { isDeviceId } from '@streetwise/protocol';
import { CREDENTIALS_CHANNEL, loadCredential, loadCredentials } from './registry.js';
import type { CredentialRecord } from './types.js';

export interface CredentialCacheOptions {
  /** Reload the whole registry this often as well, ms (LISTEN covers changes; this covers a lost notification). Default 60,000. */
  fullReloadMs?: number;
  /** After a miss, answer "unknown" for this long before asking the database again, ms. Default 5,000. */
  missTtlMs?: number;
  logger?: Logger;
}

export interface CredentialCache {
  /** The record for a username: from memory, or one database lookup on a miss. */
  get(id: string): Promise<CredentialRecord | undefined>;
  /** Read one id again now (the registry changed it). */
  refresh(id: string): Promise<void>;
  readonly size: number;
  /** Called after a registry change was read (record undefined: the credential is gone). Returns a function that removes the listener. */
  onChange(listener: (id: string, record: CredentialRecord | undefined) => void): () => void;
  close(): Promise<void>;
}

/**
 * The registry in memory, for the broker's hot path: a reconnect storm of 2,000 devices must not be
 * 2,000 database round trips through the embedded database's one connection. Loaded whole at start,
 * kept current by LISTEN sw_credentials (every registry change notifies its id), reloaded whole every
 * fullReloadMs in case a notification was lost. A miss asks the database once, then is remembered.
 */
export async function createCredentialCache(db: Database, options: CredentialCacheOptions = {}): Promise<CredentialCache> {
  const fullReloadMs = options.fullReloadMs ?? 60_000;
  const missTtlMs = options.missTtlMs ?? 5_000;
  const records = new Map<string, CredentialRecord>();
  const misses = new Map<string, number>();
  const inFlight = new Map<string, Promise<CredentialRecord | undefined>>();
  const listeners = new Set<(id: string, record: CredentialRecord | undefined) => void>();

  const reloadAll = async (): Promise<void> => {
    const all = await loadCredentials(db);
    records.clear();
    for (const record of all) records.set(record.id, record);
    misses.clear();
  };
  const refresh = async (id: string): Promise<void> => {
    const record = await loadCredential(db, id);
    misses.delete(id);
    if (record === undefined) records.delete(id);
    else records.set(id, record);
    for (const listener of listeners) listener(id, record);
  };

  await reloadAll();
  const unlisten = await db.listen(CREDENTIALS_CHANNEL, (payload) => {
    let id: unknown;
    try {
      id = (JSON.parse(payload) as { id?: unknown }).id;
    } catch {
      id = undefined;
    }
    const reload = typeof id === 'string' ? refresh(id) : reloadAll();
    reload.catch((err: unknown) => options.logger?.error({ err }, 'credential cache: reload after a registry change failed; the periodic reload will retry'));
  });
  const timer = setInterval(() => {
    reloadAll().catch((err: unknown) => options.logger?.error({ err }, 'credential cache: periodic reload failed; keeping the last good copy'));
  }, fullReloadMs);
  timer.unref();

  return {
    async get(id) {
      // Every credential id is a device id (the registry refuses others): a user name that is not one (NUL, a
      // bidi control, 20 KiB of text) is unknown without asking the database, which would fail on a NUL and so
      // answer "server unavailable" instead of "bad user name or password".
      if (!isDeviceId(id)) return undefined;
      const known = records.get(id);
      if (known !== undefined) return known;
      const missedAt = misses.get(id);
      if (missedAt !== undefined && Date.now() - missedAt < missTtlMs) return undefined;
      // One lookup per id however many connect at once.
      let pending = inFlight.get(id);
      if (pending === undefined) {
        pending = loadCredential(db, id).then((record) => {
          if (record === undefined) {
            // Bounded: a flood of made-up usernames must not grow memory without end.
            if (misses.size >= 10_000) misses.clear();
            misses.set(id, Date.now());
          }
          else records.set(id, record);
          return record;
        }).finally(() => inFlight.delete(id));
        inFlight.set(id, pending);
      }
      return pending;
    },
    refresh,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get size() {
      return records.size;
    },
    async close() {
      clearInterval(timer);
      await unlisten();
    },
  };
}
