/** The one table of `npm run faults`, as fixed-width text and as markdown (the README's fault-suite section). */
import { passed, type FaultResult } from './scenario.js';

export interface FaultRow {
  scenario: string;
  result?: FaultResult;
  /** Why the scenario could not give a result (it threw). */
  error?: string;
  /** Wall time when it threw. */
  seconds: number;
}

const COLUMNS = ['scenario', 'sent', 'stored', 'duplicates', 'lost', 'seconds', 'verdict'] as const;
const NUMERIC = new Set([1, 2, 3, 4, 5]);

export function verdict(row: FaultRow): string {
  if (!row.result) return `ERROR: ${row.error ?? 'no result'}`;
  if (passed(row.result)) return 'pass';
  const r = row.result;
  const why = [r.lost > 0 ? `${r.lost} lost` : '', r.duplicates > 0 ? `${r.duplicates} duplicated` : '', r.deadLetters > 0 ? `${r.deadLetters} dead-lettered` : '', r.stored !== r.sent ? `${r.stored} stored of ${r.sent}` : '']
    .filter((s) => s !== '');
  return `FAIL (${why.join(', ')})`;
}

const thousands = (n: number): string => n.toLocaleString('en-GB');

export function tableRows(rows: readonly FaultRow[]): string[][] {
  return rows.map((row) => {
    const r = row.result;
    return [row.scenario, r ? thousands(r.sent) : '', r ? thousands(r.stored) : '', r ? String(r.duplicates) : '', r ? String(r.lost) : '', (r?.seconds ?? row.seconds).toFixed(0), verdict(row)];
  });
}

export function textTable(rows: readonly FaultRow[]): string {
  const body = tableRows(rows);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (NUMERIC.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(COLUMNS), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function markdownTable(rows: readonly FaultRow[]): string {
  const body = tableRows(rows);
  const align = COLUMNS.map((_, i) => (NUMERIC.has(i) ? '---:' : '---'));
  return [`| ${COLUMNS.join(' | ')} |`, `|${align.join('|')}|`, ...body.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`)].join('\n');
}
