import { SW_CONNECTOR_FLAGS_INVALID } from './errors.js';

export interface CliFlags {
  /** Poll this URL (mutually exclusive with replay). */
  url: string | undefined;
  /** Replay this snapshot file or folder, re-timed to now. */
  replay: string | undefined;
  /** Seconds between polls while all is well. */
  periodS: number;
  /** Stop after this many polls (0: never). */
  polls: number;
  help: boolean;
}

export const CLI_HELP = `streetwise-connector-td — read the Transport Department's traffic feed and print what it reads

  --url URL        poll the feed (e.g. its rawSpeedVol-all.xml address)           default: none
  --replay PATH    replay a saved snapshot file or a folder of them, re-timed to now  default: none
  --period-s N     seconds between polls while all is well, 1-3600                  default: 30
  --polls N        stop after N polls, 0 = run until stopped                        default: 0
  --help           this text

Output: one JSON object per line — {"type":"period",…} per new period, {"type":"problem",…} per damage found,
{"type":"health",…} after each poll. Exactly one of --url and --replay.`;

/** Parse argv; every problem is one `flag | value | expected` line in one SW_CONNECTOR_FLAGS_INVALID. */
export function parseCliFlags(argv: readonly string[]): CliFlags {
  const flags: CliFlags = { url: undefined, replay: undefined, periodS: 30, polls: 0, help: false };
  const problems: string[] = [];
  const integer = (flag: string, raw: string | undefined, min: number, max: number): number => {
    const value = Number(raw);
    if (raw === undefined || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${flag} | ${raw ?? '(missing)'} | a whole number from ${min} to ${max}`);
      return min;
    }
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') flags.help = true;
    else if (flag === '--url') {
      flags.url = value;
      i++;
    } else if (flag === '--replay') {
      flags.replay = value;
      i++;
    } else if (flag === '--period-s') {
      flags.periodS = integer(flag, value, 1, 3600);
      i++;
    } else if (flag === '--polls') {
      flags.polls = integer(flag, value, 0, 1_000_000);
      i++;
    } else problems.push(`${flag} | ${value ?? ''} | one of --url, --replay, --period-s, --polls, --help`);
  }
  if (!flags.help && (flags.url === undefined) === (flags.replay === undefined)) {
    problems.push(`--url / --replay | ${flags.url ?? flags.replay ?? '(neither)'} | exactly one of them`);
  }
  if (flags.url !== undefined && !/^https?:\/\//.test(flags.url)) problems.push(`--url | ${flags.url} | an http:// or https:// URL`);
  if (problems.length > 0) throw SW_CONNECTOR_FLAGS_INVALID([problems.join('\n')]);
  return flags;
}
