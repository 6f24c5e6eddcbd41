/**
 * Messages between the main thread (embedded-adapter.ts) and the worker that owns PGlite
 * (embedded-worker.ts). Values cross by structured clone: Date, Uint8Array, arrays and plain objects
 * survive as they are.
 */
import type { QueryResult } from './port.js';

export interface WorkerInit {
  /** A directory path, or 'memory://' for a throw-away database. */
  dataDir: string;
}

export interface WireStartOptions {
  host: '127.0.0.1';
  port: number;
  password: string | null;
  idleTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  slotWaitMs: number;
  /** Wire clients served at once (their commands are serialised on PGlite's one session). */
  maxClients: number;
}

export type WorkerRequest =
  | { op: 'query'; id: number; sql: string; params: unknown[] | null; txId: number | null }
  /** sql: run right after BEGIN (no parameters). */
  | { op: 'begin'; id: number; sql?: string }
  /** last: run right before COMMIT; when it fails, ROLLBACK instead and the reply is its error. */
  | { op: 'end'; id: number; txId: number; commit: boolean; last?: { sql: string; params: unknown[] | null } }
  | { op: 'listen'; id: number; channel: string }
  | { op: 'unlisten'; id: number; channel: string }
  | { op: 'wire-start'; id: number; options: WireStartOptions }
  | { op: 'wire-stop'; id: number }
  | { op: 'close'; id: number };

export interface SerializedError {
  name: string;
  message: string;
  /** SQLSTATE for engine errors, SW_DB_* for ours. */
  code?: string;
  fields: Record<string, string>;
}

export type WorkerReply =
  | { type: 'ready'; startMs: number }
  | { type: 'failed'; error: SerializedError }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: SerializedError }
  | { type: 'notify'; channel: string; payload: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields: Record<string, unknown> };

export type WorkerQueryResult = QueryResult<Record<string, unknown>>;

const ERROR_FIELDS = ['severity', 'detail', 'hint', 'position', 'where', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine'];

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  const source = err as Error & Record<string, unknown>;
  const fields: Record<string, string> = {};
  for (const key of ERROR_FIELDS) {
    const value = source[key];
    if (typeof value === 'string' || typeof value === 'number') fields[key] = String(value);
  }
  const code = typeof source.code === 'string' ? source.code : undefined;
  return code === undefined ? { name: err.name, message: err.message, fields } : { name: err.name, message: err.message, code, fields };
}

/** Rebuild an Error on this side of the thread boundary, shaped like pg's DatabaseError. */
export function deserializeError(data: SerializedError): Error {
  const err = new Error(data.message) as Error & Record<string, unknown>;
  err.name = data.name;
  if (data.code !== undefined) err.code = data.code;
  for (const [key, value] of Object.entries(data.fields)) err[key] = value;
  return err;
}
