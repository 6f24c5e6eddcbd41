/**
 * Settings of a program, from the environment or flags (a flag wins): one table per program, every
 * setting with a default (or required), a one-line description and bounds. All problems are reported at
 * once as `SETTING | value | what is expected`, the way Frigate reports its config errors.
 */
export type Parse<T> = (raw: string) => { ok: true; value: T } | { ok: false; expected: string };

export interface SettingSpec<T = unknown> {
  /** Environment variable, e.g. PORT. */
  env: string;
  /** Flag, e.g. --port (`--port 3001` or `--port=3001`). */
  flag: string;
  /** Raw default; undefined means optional-without-default unless `required`. */
  defaultValue?: string;
  required?: boolean;
  description: string;
  parse: Parse<T>;
}

type Values<S extends Record<string, SettingSpec>> = {
  [K in keyof S]: S[K] extends SettingSpec<infer T> ? (S[K]['required'] extends true ? T : S[K]['defaultValue'] extends string ? T : T | undefined) : never;
};

export type ParsedSettings<V> = { ok: true; settings: V } | { ok: false; help: true } | { ok: false; help: false; problems: string[] };

export interface SettingsTable<S extends Record<string, SettingSpec>> {
  readonly specs: S;
  parse(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedSettings<Values<S>>;
  help(usage: string, about: string): string;
}

export function defineSettings<S extends Record<string, SettingSpec>>(specs: S): SettingsTable<S> {
  const entries = Object.entries(specs) as Array<[keyof S & string, SettingSpec]>;
  return {
    specs,
    parse(argv, env) {
      const problems: string[] = [];
      const fromFlags = new Map<string, string>();
      for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        if (arg === '--help' || arg === '-h') return { ok: false, help: true };
        const eq = arg.indexOf('=');
        const flag = eq > 0 ? arg.slice(0, eq) : arg;
        const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
        if (!entries.some(([, s]) => s.flag === flag)) {
          problems.push(`${flag} | | not a known flag; see --help`);
          // Skip its value too, so one mistake makes one line.
          if (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) i++;
          continue;
        }
        const value = inline ?? argv[++i];
        if (value === undefined) problems.push(`${flag} | | needs a value`);
        else fromFlags.set(flag, value);
      }
      const values: Record<string, unknown> = {};
      for (const [key, spec] of entries) {
        const fromEnv = env[spec.env];
        const raw = fromFlags.get(spec.flag) ?? (fromEnv === '' ? undefined : fromEnv) ?? spec.defaultValue;
        const source = fromFlags.has(spec.flag) ? spec.flag : spec.env;
        if (raw === undefined) {
          if (spec.required) problems.push(`${spec.env} | (not set) | required: ${spec.description}`);
          values[key] = undefined;
          continue;
        }
        const parsed = spec.parse(raw);
        if (parsed.ok) values[key] = parsed.value;
        else problems.push(`${source} | ${JSON.stringify(raw)} | ${parsed.expected}`);
      }
      return problems.length > 0 ? { ok: false, help: false, problems } : { ok: true, settings: values as Values<S> };
    },
    help(usage, about) {
      const width = Math.max(...entries.map(([, s]) => `${s.env} / ${s.flag}`.length)) + 2;
      const rows = entries.map(
        ([, s]) => `  ${`${s.env} / ${s.flag}`.padEnd(width)} ${s.description} (${s.required ? 'required' : `default: ${s.defaultValue ?? 'none'}`})`,
      );
      return [`Usage: ${usage}`, '', about, '', 'Settings (environment variable / flag):', ...rows].join('\n');
    },
  };
}

/** Print problems or help and exit, or return the settings. For a program's main. */
export function settingsOrExit<V>(parsed: ParsedSettings<V>, helpText: () => string, program: string): V {
  if (parsed.ok) return parsed.settings;
  if (parsed.help) {
    console.log(helpText());
    process.exit(0);
  }
  console.error(`${program} cannot start; fix these settings:`);
  for (const problem of parsed.problems) console.error(`  ${problem}`);
  console.error(`Run with --help for every setting and its default.`);
  process.exit(2);
}

export const integer =
  (min: number, max: number): Parse<number> =>
  (raw) => {
    const n = Number(raw);
    return /^\d+$/.test(raw.trim()) && n >= min && n <= max ? { ok: true, value: n } : { ok: false, expected: `a whole number from ${min} to ${max}` };
  };

export const text: Parse<string> = (raw) => (raw.length > 0 ? { ok: true, value: raw } : { ok: false, expected: 'a non-empty value' });

export const pattern =
  (re: RegExp, expected: string): Parse<string> =>
  (raw) =>
    re.test(raw) ? { ok: true, value: raw } : { ok: false, expected };

export const url =
  (schemes: readonly string[]): Parse<string> =>
  (raw) => {
    try {
      if (schemes.includes(new URL(raw).protocol.replace(/:$/, ''))) return { ok: true, value: raw };
    } catch {
      /* reported below */
    }
    return { ok: false, expected: `a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}` };
  };

export const oneOf =
  <T extends string>(values: readonly T[]): Parse<T> =>
  (raw) =>
    (values as readonly string[]).includes(raw) ? { ok: true, value: raw as T } : { ok: false, expected: `one of ${values.join(', ')}` };

export const bool: Parse<boolean> = (raw) =>
  raw === 'true' || raw === 'false' ? { ok: true, value: raw === 'true' } : { ok: false, expected: 'true or false' };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
