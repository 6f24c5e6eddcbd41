import { describe, expect, it } from 'vitest';
import { parseCommand, parseDurationMs } from './cli.js';

describe('devices CLI', () => {
  it('parses commands and flags', () => {
    expect(parseCommand(['add', 'fleet', '--gateway', '--scope', 'sim-*'])).toMatchObject({ name: 'add', id: 'fleet', flags: { gateway: true, scope: 'sim-*' } });
    expect(parseCommand(['rotate', 'cam-1', '--grace', '30m'])).toMatchObject({ name: 'rotate', id: 'cam-1', flags: { grace: '30m' } });
    expect(parseCommand([]).name).toBe('help');
  });
  it('says what is wrong', () => {
    expect(() => parseCommand(['add'])).toThrow(/"add" needs an id/);
    expect(() => parseCommand(['frob', 'x'])).toThrow(/unknown command "frob"/);
    expect(() => parseDurationMs('soon')).toThrow(/--grace \| soon \| a duration/);
    expect([parseDurationMs('24h'), parseDurationMs('30m'), parseDurationMs('0'), parseDurationMs('1.5s')]).toEqual([86_400_000, 1_800_000, 0, 1500]);
  });
});
