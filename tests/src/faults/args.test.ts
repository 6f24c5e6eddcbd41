import { describe, expect, it } from 'vitest';
import { DEFAULT_SCALE, FaultArgsError, SCENARIO_NAMES, parseFaultArgs } from './args.js';

describe('npm run faults: arguments', () => {
  it('defaults to every scenario at scale 10', () => {
    expect(parseFaultArgs([])).toEqual({ scale: DEFAULT_SCALE, only: [...SCENARIO_NAMES], json: undefined, markdown: undefined, help: false });
    expect(DEFAULT_SCALE).toBe(10);
  });

  it('reads --scale, --only (in the suite order), --json and --markdown, with a space or =', () => {
    expect(parseFaultArgs(['--scale', '3', '--only', 'database-outage,broker-restart', '--json', 'out.json', '--markdown=out.md'])).toEqual({
      scale: 3, only: ['broker-restart', 'database-outage'], json: 'out.json', markdown: 'out.md', help: false,
    });
    expect(parseFaultArgs(['--scale=1']).scale).toBe(1);
    expect(parseFaultArgs(['--help']).help).toBe(true);
  });

  it.each([
    [['--scale', '0'], '--scale | 0 | a whole number from 1 to 100'],
    [['--scale', '-2'], '--scale | -2 | a whole number from 1 to 100'],
    [['--scale', '2.5'], '--scale | 2.5 | a whole number from 1 to 100'],
    [['--scale', 'ten'], '--scale | ten | a whole number from 1 to 100'],
    [['--scale', '101'], '--scale | 101 | a whole number from 1 to 100'],
    [['--scale'], '--scale needs a value'],
    [['--scale', '--only', 'broker-restart'], '--scale needs a value'],
  ])('refuses a bad --scale: %j', (argv, message) => {
    expect(() => parseFaultArgs(argv)).toThrow(FaultArgsError);
    expect(() => parseFaultArgs(argv)).toThrow(message);
  });

  it('refuses an unknown --only name, naming it and the known ones', () => {
    expect(() => parseFaultArgs(['--only', 'broker-restart,disk-full'])).toThrow(`--only | disk-full | not a scenario; known: ${SCENARIO_NAMES.join(', ')}`);
    expect(() => parseFaultArgs(['--only', ','])).toThrow('--only needs at least one scenario');
  });

  it('refuses an unknown argument', () => {
    expect(() => parseFaultArgs(['--scael', '3'])).toThrow('unknown argument --scael');
    expect(() => parseFaultArgs(['broker-restart'])).toThrow('unknown argument broker-restart');
  });
});
