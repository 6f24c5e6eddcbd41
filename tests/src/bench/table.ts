/** The one benchmark table, as fixed-width text (and the same columns as markdown for the README). */
import { describeGoal, format, type JudgedFigure } from './goals.js';

const COLUMNS = ['suite', 'figure', 'value', 'baseline', 'ratio', 'goal', 'met?'] as const;

export function tableRows(rows: readonly JudgedFigure[]): string[][] {
  return rows.map((r) => [
    r.suite,
    r.name,
    `${format(r.value)} ${shortUnit(r.unit)}`.trim(),
    r.baseline ? `${r.baseline} = ${format(r.baselineValue)}` : '',
    r.ratio === undefined ? '' : `${format(r.ratio)} ×`,
    describeGoal(r.goal),
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
}

/** The unit's first word (ms, events/s, ratio…): the table stays narrow, the JSON keeps the whole text. */
function shortUnit(unit: string): string {
  return unit.trim().split(/\s+/)[0] ?? '';
}

export function printTable(rows: readonly JudgedFigure[]): void {
  const body = tableRows(rows);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 2 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  console.log(`\n${line(COLUMNS)}`);
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
}

export function markdownTable(rows: readonly JudgedFigure[]): string {
  const body = tableRows(rows);
  return [`| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`)].join('\n');
}
