/**
 * fast-check arbitraries built from the protocol's own TypeBox schemas, so "every valid message" means what
 * the schema says rather than what a hand-written generator remembers. Overrides (by property path) pin the
 * fields whose valid values depend on more than their schema: the topic's device id, a timestamp inside the
 * decoder's window.
 */
import fc from 'fast-check';
import type { TSchema } from '@sinclair/typebox';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = TSchema & {
  type?: string;
  const?: Json;
  anyOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  patternProperties?: Record<string, SchemaNode>;
  items?: SchemaNode | SchemaNode[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  uniqueItems?: boolean;
};

/** Overrides by slash path from the root ("/ts", "/patch/modelChunk"); a path ending in "/*" matches any key below it. */
export type Overrides = Record<string, fc.Arbitrary<unknown>>;

/**
 * Text a stored message may hold: no NUL, no lone surrogates, no bidirectional-override controls (ingest
 * refuses those as bad_text), no other C0 controls (valid JSON, but nothing a device should name things with).
 */
export const SAFE_TEXT_CHAR = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !UNSAFE_TEXT.test(c));
// eslint-disable-next-line no-control-regex -- the control characters are what this matches
export const UNSAFE_TEXT = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function text(min: number, max: number): fc.Arbitrary<string> {
  // Graphemes may be several UTF-16 units; JSON Schema lengths count code points, TypeBox counts units: keep to both.
  return fc.array(SAFE_TEXT_CHAR, { minLength: min, maxLength: Math.min(max, 24) }).map((chars) => chars.join('')).filter((s) => s.length >= min && s.length <= max);
}

function stringArbitrary(node: SchemaNode): fc.Arbitrary<string> {
  const min = node.minLength ?? 0;
  const max = node.maxLength ?? 200;
  if (node.pattern === undefined) return text(min, max);
  return fc.stringMatching(new RegExp(node.pattern)).filter((s) => s.length >= min && s.length <= max);
}

function numberArbitrary(node: SchemaNode, integer: boolean): fc.Arbitrary<number> {
  const min = node.minimum ?? (integer ? -(2 ** 31) : -1e12);
  const max = node.maximum ?? (integer ? 2 ** 31 - 1 : 1e12);
  if (integer) return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
  // Includes the awkward ones a schema allows: 0, -0, the bounds, subnormals.
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** An arbitrary of the values a TypeBox schema accepts. */
export function arbitraryOf(schema: TSchema, overrides: Overrides = {}, path = ''): fc.Arbitrary<unknown> {
  const over = overrides[path] ?? overrides[`${path.slice(0, path.lastIndexOf('/'))}/*`];
  if (over) return over;
  const node = schema as SchemaNode;
  if (node.const !== undefined) return fc.constant(node.const);
  if (node.anyOf) return fc.oneof(...node.anyOf.map((branch) => arbitraryOf(branch, overrides, path)));
  switch (node.type) {
    case 'string':
      return stringArbitrary(node);
    case 'number':
      return numberArbitrary(node, false);
    case 'integer':
      return numberArbitrary(node, true);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      if (Array.isArray(node.items)) return fc.tuple(...node.items.map((item, i) => arbitraryOf(item, overrides, `${path}/${i}`)));
      const item = arbitraryOf(node.items!, overrides, `${path}/*`);
      const constraints = { minLength: node.minItems ?? 0, maxLength: Math.min(node.maxItems ?? 4, 4) };
      return node.uniqueItems ? fc.uniqueArray(item, { ...constraints, selector: (v) => JSON.stringify(v) }) : fc.array(item, constraints);
    }
    case 'object': {
      if (node.patternProperties) {
        const [[pattern, value]] = Object.entries(node.patternProperties) as [[string, SchemaNode]];
        const keys = stringArbitrary({ pattern } as SchemaNode).filter((k) => k !== '__proto__' && k !== 'constructor' && k !== 'prototype');
        return fc.dictionary(keys, arbitraryOf(value, overrides, `${path}/*`), { maxKeys: Math.min(node.maxProperties ?? 4, 4), noNullPrototype: true });
      }
      const required = new Set(node.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, child] of Object.entries(node.properties ?? {})) record[key] = arbitraryOf(child, overrides, `${path}/${key}`);
      const requiredKeys = Object.keys(record).filter((k) => required.has(k));
      return fc.record(record, { requiredKeys, noNullPrototype: true });
    }
    default:
      throw new Error(`schema-arbitrary: no arbitrary for ${JSON.stringify(node).slice(0, 120)}`);
  }
}

/** The JSON Schema type of the node at a path, for mutations that need to know what to break. */
export function schemaKeys(schema: TSchema): string[] {
  return Object.keys((schema as SchemaNode).properties ?? {});
}
