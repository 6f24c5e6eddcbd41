import type { MessageByKind, UplinkKind } from '@streetwise/protocol';

/**
 * How a stored message kind is described, once: its table and one [column, pgType, value(row)]
 * triple per column. Planning, statement building and committing loop over these; nothing matches
 * columns by position. kind.test.ts writes a valid message of every kind into the migrated database
 * and fails when a column, its cast and its value disagree.
 */

/** The types a column travels as: the cast of its array in `unnest($n::<pgType>[])`. */
export type PgType = 'text' | 'uuid' | 'timestamptz' | 'int' | 'real' | 'float8' | 'bool' | 'jsonb';

/** A value of each type as JS holds it: timestamps as ISO text, JSON as its text. */
export interface JsValueOf {
  text: string;
  uuid: string;
  timestamptz: string;
  int: number;
  real: number;
  float8: number;
  bool: boolean;
  jsonb: string;
}

/** One value in a column's array; undefined and null travel as NULL. */
export type Cell = JsValueOf[PgType] | null | undefined;

/**
 * [column, pgType, value(row)], and when the table stores something other than what travels, the SQL
 * that turns the travelled value (`u.<column>`) into it. The union over pgType makes the compiler check
 * that value returns what its pgType expects.
 */
export type ColumnSpec<R> = {
  [T in PgType]: readonly [column: string, pgType: T, value: (row: R) => JsValueOf[T] | null | undefined, stored?: (travelled: string) => string];
}[PgType];

/** Rows of one kind written to one table. */
export interface TableWrite<R> {
  table: string;
  columns: ReadonlyArray<ColumnSpec<R>>;
}

/** A message with the time ingest received it. */
export interface Timed<M> {
  message: M;
  receivedAtMs: number;
}

/** Uplink kinds whose every message is one row of their own table (status messages update devices). */
export type RowKindName = Exclude<UplinkKind, 'status'>;

/** A message kind stored one row per message, deduplicated by (id, time): "on conflict do nothing". */
export interface RowKind<K extends RowKindName> extends TableWrite<Timed<MessageByKind[K]>> {
  /** Columns of the rows really inserted that the statement reads back besides id (events' NOTIFY counts by device and type). */
  returning?: readonly string[];
}

export const isoFromMs = (ms: number): string => new Date(ms).toISOString();

/** JSON as text for a jsonb column; absent stays NULL. */
export const jsonText = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
