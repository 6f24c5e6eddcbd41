/** A parameterised SQL statement, and the accumulator that numbers its placeholders. */
export interface SqlQuery {
  text: string;
  values: unknown[];
}

export class SqlParams {
  readonly values: unknown[] = [];

  /** Add a value; returns its placeholder ($1, $2, …). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A timestamp parameter from epoch ms. */
export const isoParam = (ms: number): string => new Date(ms).toISOString();

/** Numbers from SQL come back as number (PGlite) or string (pg, for bigint/numeric): read either. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Timestamps come back as Date (both adapters); accept an ISO string too. */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}
