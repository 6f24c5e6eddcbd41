/**
 * Mutations of a valid message: each turns it into one a validator must refuse, and says with which reason
 * code. They act anywhere in the message (any object, any leaf, any depth), chosen by fast-check.
 */
import fc from 'fast-check';

type Node = Record<string, unknown> | unknown[];
export type MutationName =
  | 'NaN as text'
  | 'Infinity as text'
  | '1e999'
  | 'null in place'
  | 'wrong type'
  | 'extra key'
  | 'oversize string'
  | '__proto__ key'
  | 'constructor key'
  | 'prototype key'
  | 'deep nesting'
  | 'NUL in text'
  | 'lone high surrogate'
  | 'lone low surrogate'
  | 'bidi override'
  | 'bidi isolate';

export interface Mutant {
  mutation: MutationName;
  /** Slash path of the node changed. */
  path: string;
  /** The JSON text to send. */
  text: string;
}

/** Reason codes each mutation may be refused with (the first is what a free-text field gives). */
export const EXPECTED_CODES: Record<MutationName, readonly string[]> = {
  'NaN as text': ['bad_json'],
  'Infinity as text': ['bad_json'],
  // Parses to Infinity: the schema refuses it (no field takes a non-finite number, strings are not numbers).
  '1e999': ['schema'],
  'null in place': ['schema'],
  'wrong type': ['schema'],
  'extra key': ['schema'],
  'oversize string': ['oversize'],
  '__proto__ key': ['forbidden_key'],
  'constructor key': ['forbidden_key'],
  'prototype key': ['forbidden_key'],
  'deep nesting': ['too_deep'],
  // Free text: ingest refuses it before the database does; a field with a pattern (ids, names, base64): the schema does.
  'NUL in text': ['bad_text', 'schema'],
  'lone high surrogate': ['bad_text', 'schema'],
  'lone low surrogate': ['bad_text', 'schema'],
  'bidi override': ['bad_text', 'schema'],
  'bidi isolate': ['bad_text', 'schema'],
};

/** The mutations refused by the protocol's decoder itself; the others are refused by ingest's intake. */
export const DECODER_MUTATIONS: readonly MutationName[] = ['NaN as text', 'Infinity as text', '1e999', 'null in place', 'wrong type', 'extra key', 'oversize string', '__proto__ key', 'constructor key', 'prototype key', 'deep nesting'];
export const TEXT_MUTATIONS: readonly MutationName[] = ['NUL in text', 'lone high surrogate', 'lone low surrogate', 'bidi override', 'bidi isolate'];

const TRICKS: Record<string, string> = {
  'NUL in text': 'a\u0000b',
  'lone high surrogate': 'a\ud83db',
  'lone low surrogate': 'a\ude00b',
  'bidi override': 'exit\u202eevil',
  'bidi isolate': 'a\u2066b\u2069',
};

interface Site {
  path: string;
  parent: Node | undefined;
  key: string | number | undefined;
  value: unknown;
}

function sites(value: unknown, path = '', parent?: Node, key?: string | number): Site[] {
  const here: Site = { path, parent, key, value };
  if (value === null || typeof value !== 'object') return [here];
  const children = Array.isArray(value)
    ? value.flatMap((child, i) => sites(child, `${path}/${i}`, value, i))
    : Object.entries(value).flatMap(([k, child]) => sites(child, `${path}/${k}`, value as Node, k));
  return [here, ...children];
}

const set = (site: Site, value: unknown): void => {
  (site.parent as Record<string | number, unknown>)[site.key!] = value;
};

const MARK = '"__mutation_marker__"';

/** Apply one mutation to a copy of `message` at the site chosen by `pick` (any number; taken modulo the candidates). */
export function mutate(message: object, mutation: MutationName, pick: number): Mutant | undefined {
  const copy = structuredClone(message) as Record<string, unknown>;
  const all = sites(copy);
  const objects = all.filter((s) => s.value !== null && typeof s.value === 'object' && !Array.isArray(s.value));
  const leaves = all.filter((s) => s.parent !== undefined && (s.value === null || typeof s.value !== 'object'));
  const strings = leaves.filter((s) => typeof s.value === 'string');
  const choose = <T>(list: T[]): T | undefined => (list.length === 0 ? undefined : list[pick % list.length]);
  const withMarker = (site: Site, replacement: string): Mutant => {
    set(site, '__mutation_marker__');
    return { mutation, path: site.path, text: JSON.stringify(copy).replace(MARK, replacement) };
  };
  switch (mutation) {
    case 'NaN as text':
    case 'Infinity as text':
    case '1e999': {
      const site = choose(leaves);
      return site && withMarker(site, mutation === 'NaN as text' ? 'NaN' : mutation === 'Infinity as text' ? '-Infinity' : '1e999');
    }
    case 'null in place': {
      const site = choose(all.filter((s) => s.parent !== undefined));
      return site && withMarker(site, 'null');
    }
    case 'wrong type': {
      const site = choose(leaves);
      if (!site) return undefined;
      // A type no field at that place takes: an object holding nothing for a leaf.
      return withMarker(site, '{"wrong":[]}');
    }
    case 'extra key': {
      const site = choose(objects)!;
      (site.value as Record<string, unknown>)['$extra'] = 1;
      return { mutation, path: site.path, text: JSON.stringify(copy) };
    }
    case 'oversize string': {
      const site = choose(leaves);
      return site && withMarker(site, JSON.stringify('x'.repeat(65 * 1024)));
    }
    case '__proto__ key':
    case 'constructor key':
    case 'prototype key': {
      const site = choose(objects)!;
      const key = mutation.split(' ')[0]!;
      // defineProperty: an assignment to __proto__ would set the prototype instead of adding a key.
      Object.defineProperty(site.value, key, { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
      return { mutation, path: site.path, text: JSON.stringify(copy) };
    }
    case 'deep nesting': {
      const site = choose(leaves);
      return site && withMarker(site, `${'{"d":['.repeat(6)}1${']}'.repeat(6)}`);
    }
    default: {
      const site = choose(strings);
      return site && withMarker(site, JSON.stringify(TRICKS[mutation]));
    }
  }
}

export const mutationArbitrary = (names: readonly MutationName[]): fc.Arbitrary<{ mutation: MutationName; pick: number }> =>
  fc.record({ mutation: fc.constantFrom(...names), pick: fc.nat() });
