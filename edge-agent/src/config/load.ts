import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { parse as parseYaml } from 'yaml';
import { SW_EDGE_CONFIG_INVALID } from '../errors.js';
import { crossCheck } from './cross-checks.js';
import { formatProblems, type ConfigProblem } from './problems.js';
import { DeviceConfigSchema, type DeviceConfig } from './schema.js';

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; problems: ConfigProblem[] };

const segments = (pointer: string): Array<string | number> =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

function messageFor(schema: TSchema, message: string, value: unknown): string {
  if (message === 'Unexpected property') return 'unknown key';
  if (message === 'Expected required property' || value === undefined) return 'missing: this field is required';
  const options = (schema.anyOf as TSchema[] | undefined)?.map((s) => s.const as unknown);
  if (options && options.every((o) => typeof o === 'string')) return `expected one of ${options.join(', ')}`;
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/**
 * Fill defaults in place, recursively: objects, records (TypeBox's Value.Default leaves record values alone)
 * and arrays. A missing field with a default gets a copy of it, then its own nested defaults.
 */
export function fillDefaults(schema: TSchema, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = schema.items as TSchema | TSchema[] | undefined;
    if (items && !Array.isArray(items)) value.forEach((v, i) => (value[i] = fillDefaults(items, v)));
    return value;
  }
  const obj = value as Record<string, unknown>;
  const props = schema.properties as Record<string, TSchema> | undefined;
  if (props) {
    for (const [key, sub] of Object.entries(props)) {
      if (obj[key] === undefined && sub.default !== undefined) obj[key] = structuredClone(sub.default);
      if (obj[key] !== undefined) obj[key] = fillDefaults(sub, obj[key]);
    }
  }
  const patterns = schema.patternProperties as Record<string, TSchema> | undefined;
  if (patterns) {
    const sub = Object.values(patterns)[0]!;
    for (const key of Object.keys(obj)) obj[key] = fillDefaults(sub, obj[key]);
  }
  return obj;
}

/** Fill defaults, then check a value against a schema; every problem has a path, the value and what is expected. */
export function validateSection<T>(schema: TSchema, raw: unknown, at: Array<string | number> = []): ValidationResult<T> {
  const value = fillDefaults(schema, structuredClone(raw ?? {}));
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(schema, value)) {
    if (seen.has(e.path)) continue;
    // A parent's error repeats its children's (e.g. a union of objects): keep the deepest first seen.
    seen.add(e.path);
    problems.push({ path: [...at, ...segments(e.path)], value: e.value, message: messageFor(e.schema, e.message, e.value) });
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: value as T };
}

/** Schema, defaults and cross-field rules of a whole device config. */
export function validateConfig(raw: unknown): ValidationResult<DeviceConfig> {
  const schema = validateSection<DeviceConfig>(DeviceConfigSchema, raw);
  if (!schema.ok) return schema;
  const problems = crossCheck(schema.value);
  return problems.length ? { ok: false, problems } : schema;
}

/** Relative paths in the file are relative to the file. */
function resolvePaths(config: DeviceConfig, baseDir: string): DeviceConfig {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  config.outbox.dir = abs(config.outbox.dir);
  if (config.detector) {
    if (config.detector.model !== undefined) config.detector.model = abs(config.detector.model);
    config.detector.modelDir = abs(config.detector.modelDir);
  }
  if (config.traffic.forecaster) config.traffic.forecaster.model = abs(config.traffic.forecaster.model);
  for (const camera of Object.values(config.cameras)) if (camera.source.path) camera.source.path = abs(camera.source.path);
  for (const sensor of config.sensors) if (sensor.file) sensor.file = abs(sensor.file);
  return config;
}

export function parseConfigText(text: string, fileName: string): unknown {
  return extname(fileName).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
}

/** Read device.yaml / device.json; throws SW_EDGE_CONFIG_INVALID listing every problem. */
export async function loadConfigFile(path: string): Promise<DeviceConfig> {
  let raw: unknown;
  try {
    raw = parseConfigText(await readFile(path, 'utf8'), path);
  } catch (err) {
    const problems: ConfigProblem[] = [{ path: [], value: path, message: `cannot read or parse the file: ${(err as Error).message.split('\n')[0]}` }];
    throw Object.assign(SW_EDGE_CONFIG_INVALID([path, formatProblems(problems)], { cause: err }), { problems });
  }
  const result = validateConfig(raw);
  if (!result.ok) throw Object.assign(SW_EDGE_CONFIG_INVALID([path, formatProblems(result.problems)]), { problems: result.problems });
  return resolvePaths(result.value, dirname(resolve(path)));
}
