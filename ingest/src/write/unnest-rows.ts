import type { Cell, TableWrite } from './kinds/kind.js';

/**
 * A kind's rows as one `unnest($1::<pgType>[], …) as u(<column>, …)`: one array parameter per
 * column, made from the kind's [column, pgType, value] triples, so columns, casts and values come
 * from one place. Columns travel as array literal text (arrayLiteral below).
 */
export interface UnnestedRows {
  /** `time, id, …`: the table's columns, for the insert. */
  columns: string;
  /** `u.time, u.id, …`: what is stored in each, after the column's conversion if it has one. */
  values: string;
  /** `unnest($1::timestamptz[], …) as u(time, id, …)` */
  from: string;
}

/** Adds a parameter; returns its placeholder with the cast, e.g. `$3::text[]`. */
export type Bind = (value: unknown, cast: string) => string;

export function unnestRows<R>(write: TableWrite<R>, rows: readonly R[], bind: Bind): UnnestedRows {
  const names = write.columns.map(([column]) => column).join(', ');
  return {
    columns: names,
    values: write.columns.map(([column, , , stored]) => (stored ? stored(`u.${column}`) : `u.${column}`)).join(', '),
    from: `unnest(${write.columns.map(([, pgType, value]) => bind(columnLiteral(rows, pgType === 'real' ? asReal(value as (row: R) => Cell) : (value as (row: R) => Cell)), `${pgType}[]`)).join(', ')}) as u(${names})`,
  };
}

/**
 * PostgreSQL refuses a real (float4) literal too small to be one ("1e-50" is out of range for type real, SQLSTATE
 * 22003) where a float4 cast would give 0: a valid message (confidence 1e-50 is within 0–1) would fail its batch.
 * Such a number is sent as the 0 it is in float4; every other value is sent as it was.
 */
function asReal<R>(value: (row: R) => Cell): (row: R) => Cell {
  return (row) => {
    const cell = value(row);
    return typeof cell === 'number' && cell !== 0 && Math.fround(cell) === 0 ? 0 : cell;
  };
}

/** `insert into <table> (…) select … from unnest(…) as u(…)` */
export function insertRows(write: { table: string }, rows: UnnestedRows): string {
  return `insert into ${write.table} (${rows.columns})\n  select ${rows.values} from ${rows.from}`;
}

const NEEDS_ESCAPE = /["\\]/;

function appendElement(text: string, value: Cell): string {
  if (value === null || value === undefined) return `${text}NULL`;
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? `${text}"${value.replace(/["\\]/g, '\\$&')}"` : `${text}"${value}"`;
  if (typeof value === 'boolean') return text + (value ? 't' : 'f');
  return text + String(value);
}

/**
 * A column as PostgreSQL's array literal text (`{"a","b",NULL}`), made here rather than by the
 * database driver: the embedded database's driver would do it on its worker thread, the one that
 * inserts, and escape every element with two regular expressions; here only elements holding `"` or
 * `\` are escaped, and the worker gets one string per column instead of an array of values to copy.
 */
export function arrayLiteral(column: readonly Cell[]): string {
  let text = '{';
  for (let i = 0; i < column.length; i++) text = appendElement(i > 0 ? `${text},` : text, column[i]);
  return `${text}}`;
}

/** The array literal of one column of these rows, straight from the rows (no array of values in between). */
export function columnLiteral<R>(rows: readonly R[], value: (row: R) => Cell): string {
  let text = '{';
  for (let i = 0; i < rows.length; i++) text = appendElement(i > 0 ? `${text},` : text, value(rows[i]!));
  return `${text}}`;
}
