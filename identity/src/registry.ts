import type { Database, Queryable } from '@streetwise/db';
import { isDeviceId } from '@streetwise/protocol';
import { SW_IDENTITY_BLOCKED, SW_IDENTITY_EXISTS, SW_IDENTITY_ID_INVALID, SW_IDENTITY_UNKNOWN } from './errors.js';
import { generateToken, hashToken, mosquittoHash } from './token.js';
import type { CredentialKind, CredentialRecord, CredentialStatus } from './types.js';

/**
 * The credential registry in the database (device_credentials, migration 0007). Every change sends
 * NOTIFY on CREDENTIALS_CHANNEL with the id, so a broker's cache reloads that one row.
 */
export const CREDENTIALS_CHANNEL = 'sw_credentials';

export interface ProvisionOptions {
  id: string;
  kind?: CredentialKind;
  /** Gateways (and optionally downlink credentials): device ids or "prefix*" entries. */
  scope?: string[];
}

/** A new secret: shown once, never stored. */
export interface Issued {
  id: string;
  kind: CredentialKind;
  token: string;
}

export interface CredentialListing {
  id: string;
  kind: CredentialKind;
  status: CredentialStatus;
  scope: string[];
  createdAt: Date;
  rotatedAt: Date | null;
  previousValidUntil: Date | null;
}

interface Row {
  id: string;
  kind: CredentialKind;
  token_sha256: Buffer | Uint8Array;
  previous_sha256: Buffer | Uint8Array | null;
  previous_valid_until: Date | null;
  scope: string[];
  status: CredentialStatus;
}

const COLUMNS = 'id, kind, token_sha256, previous_sha256, previous_valid_until, scope, status';

export function toRecord(row: Row): CredentialRecord {
  return {
    id: row.id,
    kind: row.kind,
    tokenSha256: Buffer.from(row.token_sha256),
    previousSha256: row.previous_sha256 === null ? null : Buffer.from(row.previous_sha256),
    previousValidUntilMs: row.previous_valid_until === null ? null : new Date(row.previous_valid_until).getTime(),
    scope: row.scope ?? [],
    status: row.status,
  };
}

function assertId(id: string): void {
  if (!isDeviceId(id)) throw SW_IDENTITY_ID_INVALID([id.slice(0, 80)]);
}

async function changed(q: Queryable, id: string): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [CREDENTIALS_CHANNEL, JSON.stringify({ id })]);
}

export async function loadCredentials(q: Queryable): Promise<CredentialRecord[]> {
  return (await q.query<Row>(`SELECT ${COLUMNS} FROM device_credentials`)).rows.map(toRecord);
}

export async function loadCredential(q: Queryable, id: string): Promise<CredentialRecord | undefined> {
  const row = (await q.query<Row>(`SELECT ${COLUMNS} FROM device_credentials WHERE id = $1`, [id])).rows[0];
  return row === undefined ? undefined : toRecord(row);
}

export async function provisionCredential(db: Database, options: ProvisionOptions): Promise<Issued> {
  assertId(options.id);
  const kind = options.kind ?? 'device';
  const token = generateToken();
  return db.transaction(async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO device_credentials (id, kind, token_sha256, mosquitto_hash, scope) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
      [options.id, kind, hashToken(token), mosquittoHash(token), options.scope ?? []],
    );
    if (inserted.rowCount === 0) throw SW_IDENTITY_EXISTS([options.id, options.id]);
    await changed(tx, options.id);
    return { id: options.id, kind, token };
  });
}

/**
 * A new secret. The old one stays valid for graceMs (0: at once invalid). A revoked credential comes
 * back active with the new secret; a blocked one must be unblocked first.
 */
export async function rotateCredential(db: Database, id: string, graceMs: number): Promise<Issued> {
  const token = generateToken();
  return db.transaction(async (tx) => {
    const row = (await tx.query<{ kind: CredentialKind; status: CredentialStatus }>('SELECT kind, status FROM device_credentials WHERE id = $1 FOR UPDATE', [id])).rows[0];
    if (row === undefined) throw SW_IDENTITY_UNKNOWN([id, id]);
    if (row.status === 'blocked') throw SW_IDENTITY_BLOCKED([id, id]);
    const keepPrevious = row.status === 'active' && graceMs > 0;
    await tx.query(
      `UPDATE device_credentials SET
         previous_sha256 = CASE WHEN $5 THEN token_sha256 END,
         previous_valid_until = CASE WHEN $5 THEN now() + make_interval(secs => $4::double precision / 1000) END,
         token_sha256 = $2, mosquitto_hash = $3, rotated_at = now(),
         status_changed_at = CASE WHEN status <> 'active' THEN now() ELSE status_changed_at END, status = 'active'
       WHERE id = $1`,
      [id, hashToken(token), mosquittoHash(token), graceMs, keepPrevious],
    );
    await changed(tx, id);
    return { id, kind: row.kind, token };
  });
}

/** revoked: no secret works any more (rotate issues a new one); blocked: refused until unblocked, and devices.blocked set; active: unblock. */
export async function setCredentialStatus(db: Database, id: string, status: CredentialStatus): Promise<void> {
  await db.transaction(async (tx) => {
    const result = await tx.query(
      `UPDATE device_credentials SET status = $2, status_changed_at = now(),
         previous_sha256 = CASE WHEN $2 = 'active' THEN previous_sha256 END,
         previous_valid_until = CASE WHEN $2 = 'active' THEN previous_valid_until END
       WHERE id = $1`,
      [id, status],
    );
    if (result.rowCount === 0) throw SW_IDENTITY_UNKNOWN([id, id]);
    // A blocked device is blocked for ingest too (devices.blocked: its messages become dead letters), which
    // matters on an external broker until its password file is regenerated.
    if (status !== 'revoked') await tx.query('UPDATE devices SET blocked = $2 WHERE id = $1', [id, status === 'blocked']);
    await changed(tx, id);
  });
}

export async function listCredentials(q: Queryable): Promise<CredentialListing[]> {
  const { rows } = await q.query<{ id: string; kind: CredentialKind; status: CredentialStatus; scope: string[]; created_at: Date; rotated_at: Date | null; previous_valid_until: Date | null }>(
    'SELECT id, kind, status, scope, created_at, rotated_at, previous_valid_until FROM device_credentials ORDER BY kind, id',
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, status: r.status, scope: r.scope ?? [], createdAt: r.created_at, rotatedAt: r.rotated_at, previousValidUntil: r.previous_valid_until }));
}

/** Rows for the Mosquitto password file: username and its $7$ hash, active credentials only. */
export async function loadMosquittoUsers(q: Queryable): Promise<Array<{ id: string; kind: CredentialKind; scope: string[]; mosquittoHash: string }>> {
  const { rows } = await q.query<{ id: string; kind: CredentialKind; scope: string[]; mosquitto_hash: string }>(
    `SELECT id, kind, scope, mosquitto_hash FROM device_credentials WHERE status = 'active' ORDER BY kind, id`,
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, scope: r.scope ?? [], mosquittoHash: r.mosquitto_hash }));
}
