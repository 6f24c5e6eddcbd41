import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { MESSAGE_SCHEMAS, type ConfigMessage, type MessageByKind } from './schemas.js';
import { DEFAULT_TOPIC_PREFIX, parseTopic, type MessageKind, type UplinkKind } from './topics.js';

/** Default limits for decoding a message from the network. */
export const DEFAULT_DECODE_OPTIONS = {
  /** Topic prefix. Default 'streetwise'. */
  prefix: DEFAULT_TOPIC_PREFIX,
  /** Largest payload accepted, bytes. Default 64 KiB. */
  maxPayloadBytes: 64 * 1024,
  /** How far a timestamp may lie in the future (device clock skew), ms. Default 5 minutes. */
  maxFutureSkewMs: 5 * 60_000,
  /** How old a timestamp may be (a device back from a long outage), ms. Default 30 days. */
  maxAgeMs: 30 * 86_400_000,
  /** Deepest JSON nesting accepted. Default 8. */
  maxDepth: 8,
};
export type DecodeOptions = typeof DEFAULT_DECODE_OPTIONS;

/** Why a message was refused: a stable reason code plus a sentence for the dead-letter table. */
export type RejectCode =
  | 'oversize'
  | 'bad_topic'
  | 'bad_json'
  | 'forbidden_key'
  | 'too_deep'
  | 'schema'
  | 'device_mismatch'
  | 'ts_future'
  | 'ts_too_old'
  | 'downlink_on_uplink';

export type Decoded<K extends MessageKind = MessageKind> =
  | { ok: true; kind: K; deviceId: string; message: MessageByKind[K] }
  | { ok: false; code: RejectCode; reason: string; deviceId?: string; kind?: MessageKind };

const checkers = Object.fromEntries(
  Object.entries(MESSAGE_SCHEMAS).map(([kind, schema]) => [kind, TypeCompiler.Compile(schema as TSchema)]),
) as Record<MessageKind, TypeCheck<TSchema>>;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON.parse that refuses prototype-polluting keys and deep nesting, without throwing. */
export function parseJsonSafely(
  text: string,
  maxDepth: number,
): { ok: true; value: unknown } | { ok: false; code: 'bad_json' | 'forbidden_key' | 'too_deep'; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: 'bad_json', reason: `payload is not JSON: ${(err as Error).message.slice(0, 160)}` };
  }
  // Walk the parsed value: JSON.parse defines "__proto__" as an own property, which later spreads or merges would turn into pollution.
  // The walk builds no paths (it runs on every message); the path is found again only for the refusal.
  const found = findUnsafe(value, 0, maxDepth);
  if (found === undefined) return { ok: true, value };
  const path = pathTo(value, found, maxDepth);
  return found.what === 'too_deep'
    ? { ok: false, code: 'too_deep', reason: `payload nests deeper than ${maxDepth} levels at ${path || '/'}` }
    : { ok: false, code: 'forbidden_key', reason: `payload has forbidden key "${found.key}" at ${path || '/'}` };
}

interface Unsafe {
  what: 'too_deep' | 'forbidden_key';
  /** The object (or array) that nests too deep, or that holds the forbidden key. */
  node: object;
  key?: string;
}

/** The first node nesting deeper than maxDepth or holding a forbidden key, depth first in key order. */
function findUnsafe(node: unknown, depth: number, maxDepth: number): Unsafe | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  if (depth >= maxDepth) return { what: 'too_deep', node };
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findUnsafe(child, depth + 1, maxDepth);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(node)) {
    if (FORBIDDEN_KEYS.has(key)) return { what: 'forbidden_key', node, key };
    const found = findUnsafe((node as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The path ("/a/0/b") from the root to a node findUnsafe returned ('' for the root). */
function pathTo(root: unknown, target: Unsafe, maxDepth: number): string {
  const walk = (node: unknown, path: string, depth: number): string | undefined => {
    if (node === target.node) return path;
    if (node === null || typeof node !== 'object' || depth >= maxDepth) return undefined;
    for (const key of Object.keys(node)) {
      const found = walk((node as Record<string, unknown>)[key], `${path}/${key}`, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(root, '', 0) ?? '';
}

/** The first schema error of a message, as "path: message". */
function schemaError(kind: MessageKind, value: unknown): string | undefined {
  const checker = checkers[kind];
  if (checker.Check(value)) return kind === 'config' ? configRuleError(value as ConfigMessage) : undefined;
  const first = checker.Errors(value).First();
  if (!first) return 'does not match the schema';
  const allowed = Object.keys((first.schema.properties as Record<string, unknown> | undefined) ?? {});
  if (first.message === 'Unexpected property' && allowed.length > 0) return `${first.path} is not allowed here (allowed: ${allowed.join(', ')})`;
  const shown = JSON.stringify(first.value);
  return `${first.path || '/'} ${first.message}${shown === undefined ? '' : ` (got ${shown.slice(0, 80)})`}`;
}

/** Rules across fields of a config downlink that JSON Schema cannot state. */
function configRuleError(message: ConfigMessage): string | undefined {
  const chunk = message.patch?.modelChunk;
  if (chunk === undefined) return undefined;
  if (message.model === undefined) return '/patch/modelChunk needs /model (the model the chunks make up)';
  if (chunk.index >= chunk.count) return `/patch/modelChunk/index ${chunk.index} must be less than /patch/modelChunk/count ${chunk.count}`;
  return undefined;
}

/** Check a value against a kind's schema (and, for config, its cross-field rules); for senders that want to catch their own mistakes. */
export function validateMessage<K extends MessageKind>(kind: K, value: unknown): value is MessageByKind[K] {
  return schemaError(kind, value) === undefined;
}

/** Why a value is not a valid message of this kind ("path what"), or undefined when it is. */
export function describeInvalid(kind: MessageKind, value: unknown): string | undefined {
  return schemaError(kind, value);
}

/** The options as given when every one is set (ingest's, per message), else filled from the defaults. */
function completeOptions(options: Partial<DecodeOptions>): DecodeOptions {
  for (const key in DEFAULT_DECODE_OPTIONS) if (options[key as keyof DecodeOptions] === undefined) return { ...DEFAULT_DECODE_OPTIONS, ...options };
  return options as DecodeOptions;
}

/**
 * Decode one uplink message from the network: size, topic, JSON, forbidden keys, schema, device id
 * in topic vs payload, timestamp window. Never throws: every failure is a reason for dead_letters.
 */
export function decodeUplink(
  topic: string,
  payload: Uint8Array,
  options: Partial<DecodeOptions> = {},
  nowMs = Date.now(),
): Decoded<UplinkKind> {
  const opts = completeOptions(options);
  if (payload.byteLength > opts.maxPayloadBytes) {
    return { ok: false, code: 'oversize', reason: `payload is ${payload.byteLength} bytes; the limit is ${opts.maxPayloadBytes}` };
  }
  const parsedTopic = parseTopic(topic, opts.prefix);
  if (!parsedTopic.ok) return { ok: false, code: 'bad_topic', reason: parsedTopic.reason };
  const { deviceId, kind } = parsedTopic;
  if (kind === 'config') return { ok: false, code: 'downlink_on_uplink', reason: 'config is a downlink topic; devices may not publish it', deviceId, kind };
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  const json = parseJsonSafely(text, opts.maxDepth);
  if (!json.ok) return { ok: false, code: json.code, reason: json.reason, deviceId, kind };
  const error = schemaError(kind, json.value);
  if (error !== undefined) return { ok: false, code: 'schema', reason: `${kind}: ${error}`, deviceId, kind };
  const message = json.value as MessageByKind[UplinkKind];
  if (message.deviceId !== deviceId) {
    return { ok: false, code: 'device_mismatch', reason: `payload deviceId "${message.deviceId}" does not match topic device "${deviceId}"`, deviceId, kind };
  }
  const tsMs = Date.parse(message.ts);
  if (Number.isNaN(tsMs)) return { ok: false, code: 'schema', reason: `${kind}: /ts is not a real date (${message.ts})`, deviceId, kind };
  if (tsMs > nowMs + opts.maxFutureSkewMs) {
    return { ok: false, code: 'ts_future', reason: `ts ${message.ts} is more than ${opts.maxFutureSkewMs / 1000} s in the future`, deviceId, kind };
  }
  if (tsMs < nowMs - opts.maxAgeMs) {
    return { ok: false, code: 'ts_too_old', reason: `ts ${message.ts} is older than ${opts.maxAgeMs / 86_400_000} days`, deviceId, kind };
  }
  if (kind === 'status') {
    const status = message as MessageByKind['status'];
    if (status.state === 'online' && (status.kind === undefined || status.location === undefined)) {
      return { ok: false, code: 'schema', reason: 'status: a birth message (state "online") needs kind and location', deviceId, kind };
    }
  }
  return { ok: true, kind, deviceId, message };
}

/** Decode a downlink config message (on the device). */
export function decodeConfig(payload: Uint8Array, options: Partial<DecodeOptions> = {}): Decoded<'config'> {
  const opts = completeOptions(options);
  if (payload.byteLength > opts.maxPayloadBytes) {
    return { ok: false, code: 'oversize', reason: `payload is ${payload.byteLength} bytes; the limit is ${opts.maxPayloadBytes}` };
  }
  const json = parseJsonSafely(Buffer.from(payload).toString('utf8'), opts.maxDepth + 4);
  if (!json.ok) return { ok: false, code: json.code, reason: json.reason, kind: 'config' };
  const error = schemaError('config', json.value);
  if (error !== undefined) return { ok: false, code: 'schema', reason: `config: ${error}`, kind: 'config' };
  return { ok: true, kind: 'config', deviceId: '', message: json.value as MessageByKind['config'] };
}
