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

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Run fn inside BEGIN … COMMIT; ROLLBACK when it throws (the error is rethrown). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; resolves to a function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Cheap liveness probe for /api/health; never throws. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
