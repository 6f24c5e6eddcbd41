/**
 * The database port: everything the services need from PostgreSQL/TimescaleDB, with two adapters —
 * `pg.Pool` for a server (pg-adapter.ts) and the embedded PGlite+TimescaleDB (embedded-adapter.ts).
 * Services depend on this interface only.
 */
export interface QueryResult<Row> {
  rows: Row[];
  /** Rows affected (INSERT/UPDATE/DELETE) or returned. */
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export type DatabaseKind = 'embedded' | 'server';

/** How a transaction starts and ends; on the embedded database each part shares a round trip with BEGIN or COMMIT. */
export interface TransactionOptions {
  /** SQL without parameters run right after BEGIN (e.g. taking an advisory lock); its failure rolls back and rejects. */
  atBegin?: string;
}

/** A transaction's queries, plus one statement that may go with the COMMIT. */
export interface TransactionQueryable extends Queryable {
  /**
   * Run this statement last, right before COMMIT (the same round trip on the embedded database): for work
   * whose result nobody waits for, such as NOTIFY. Its failure rolls the transaction back and rejects it.
   * At most one per transaction; a second call replaces the first.
   */
  queryAtCommit(sql: string, params?: readonly unknown[]): void;
}

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Run fn inside BEGIN … COMMIT; ROLLBACK when it throws (the error is rethrown). */
  transaction<T>(fn: (tx: TransactionQueryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** LISTEN on a channel; resolves to a function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Cheap liveness probe for /api/health; never throws. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
