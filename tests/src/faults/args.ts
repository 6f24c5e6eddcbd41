/**
 * The arguments of `npm run faults`: pure, so a unit test gives it bad input and reads the error. The
 * program prints the error and the usage and exits 2.
 */
export const SCENARIO_NAMES = ['broker-restart', 'device-offline', 'ingest-sigkill', 'database-outage', 'console-failover'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface FaultArgs {
  /** Multiplies each scenario's stream (1 = the size `npm test` runs). */
  scale: number;
  /** The scenarios to run, in the order of SCENARIO_NAMES. */
  only: ScenarioName[];
  json: string | undefined;
  markdown: string | undefined;
  help: boolean;
}

export const DEFAULT_SCALE = 10;
export const MAX_SCALE = 100;

export const USAGE = `Usage: npm run faults -- [--scale N] [--only NAME,NAME] [--json FILE] [--markdown FILE]
  Every fault scenario of the test suite at a larger scale, one table at the end; exit 1 if any scenario
  lost, duplicated or dead-lettered a message (or could not run), 2 on bad arguments.
  --scale N        1 = the size npm test runs, N multiplies the stream (default ${DEFAULT_SCALE}, 1–${MAX_SCALE})
  --only a,b       run only these scenarios (default: all): ${SCENARIO_NAMES.join(', ')}
  --json FILE      write the results and the machine they ran on as JSON
  --markdown FILE  write the table as markdown
  --help           this text`;

export class FaultArgsError extends Error {
  override readonly name = 'FaultArgsError';
}

export function parseFaultArgs(argv: readonly string[]): FaultArgs {
  const args: FaultArgs = { scale: DEFAULT_SCALE, only: [...SCENARIO_NAMES], json: undefined, markdown: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new FaultArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--scale': {
        const text = value();
        const scale = Number(text);
        if (!/^\d+$/.test(text) || !Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) {
          throw new FaultArgsError(`--scale | ${text} | a whole number from 1 to ${MAX_SCALE} (1 = the size npm test runs)`);
        }
        args.scale = scale;
        break;
      }
      case '--only': {
        const names = value().split(',').map((n) => n.trim()).filter((n) => n !== '');
        const unknown = names.filter((n) => !(SCENARIO_NAMES as readonly string[]).includes(n));
        if (unknown.length > 0) throw new FaultArgsError(`--only | ${unknown.join(',')} | ${unknown.length === 1 ? 'not a scenario' : 'not scenarios'}; known: ${SCENARIO_NAMES.join(', ')}`);
        if (names.length === 0) throw new FaultArgsError(`--only needs at least one scenario: ${SCENARIO_NAMES.join(', ')}`);
        args.only = SCENARIO_NAMES.filter((n) => names.includes(n));
        break;
      }
      case '--json':
        args.json = value();
        break;
      case '--markdown':
        args.markdown = value();
        break;
      default:
        throw new FaultArgsError(`unknown argument ${arg}`);
    }
  }
  return args;
}
