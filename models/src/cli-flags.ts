/** The models programs' command lines (forecast, models:evaluate, models:eval): one reading of flags and --help. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type FlagOptions = NonNullable<ParseArgsConfig['options']> & { help: { type: 'boolean'; short: 'h'; default: false } };
export type Flags<O extends FlagOptions> = ReturnType<typeof parseArgs<{ options: O }>>['values'];

/**
 * The flags parseArgs reads from the command line, or the exit code when the program is done already: 0
 * after printing `help` for --help, 2 for flags parseArgs refuses (the reason, then the help, on stderr).
 */
export function readFlags<const O extends FlagOptions>(options: O, help: string): { values: Flags<O> } | { exitCode: number } {
  let values: Flags<O>;
  try {
    ({ values } = parseArgs({ options }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${help}`);
    return { exitCode: 2 };
  }
  if ((values as { help?: boolean }).help === true) {
    process.stdout.write(help);
    return { exitCode: 0 };
  }
  return { values };
}
