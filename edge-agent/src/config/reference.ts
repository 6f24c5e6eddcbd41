import type { TSchema } from '@sinclair/typebox';
import { DeviceConfigSchema } from './schema.js';

/** One row per config field: path, type, default, bounds, description (for the README and --help). */
export function configReferenceRows(schema: TSchema = DeviceConfigSchema, path: string[] = []): string[][] {
  const rows: string[][] = [];
  const props = schema.properties as Record<string, TSchema> | undefined;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const visit = (sub: TSchema, at: string[], isRequired: boolean) => {
    rows.push([at.join('.'), typeOf(sub), sub.default !== undefined ? JSON.stringify(sub.default) : isRequired ? '(required)' : '', bounds(sub), String(sub.description ?? '')]);
    const inner = sub.type === 'array' && sub.items && !Array.isArray(sub.items) ? (sub.items as TSchema) : sub;
    if (inner.properties) rows.push(...configReferenceRows(inner, sub.type === 'array' ? [...at.slice(0, -1), `${at.at(-1)}[]`] : at));
    if (inner.patternProperties) {
      const value = Object.values(inner.patternProperties as Record<string, TSchema>)[0]!;
      rows.push(...configReferenceRows(value, [...at, '<name>']));
    }
  };
  if (props) for (const [key, sub] of Object.entries(props)) visit(sub, [...path, key], required.has(key));
  return rows;
}

function typeOf(s: TSchema): string {
  if (s.anyOf) return (s.anyOf as TSchema[]).map((x) => JSON.stringify(x.const)).join(' | ');
  if (s.type === 'array') {
    if (Array.isArray(s.items)) return `[${(s.items as TSchema[]).map(typeOf).join(', ')}]`;
    return `${typeOf(s.items as TSchema)}[]`;
  }
  if (s.patternProperties) return 'map';
  return String(s.type ?? 'any');
}

function bounds(s: TSchema): string {
  const b: string[] = [];
  if (s.minimum !== undefined) b.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) b.push(`≤ ${s.maximum}`);
  if (!Array.isArray(s.items) && s.minItems !== undefined) b.push(`${s.minItems}+ items`);
  if (!Array.isArray(s.items) && s.maxItems !== undefined) b.push(`≤ ${s.maxItems} items`);
  if (s.pattern !== undefined) b.push(`\`${String(s.pattern)}\``);
  return b.join(', ');
}

export function configReferenceMarkdown(): string {
  const rows = configReferenceRows();
  return ['| field | type | default | bounds | description |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r.map((c) => c.replace(/\n/g, ' ').replace(/\|/g, '\\|')).join(' | ')} |`)].join('\n');
}
