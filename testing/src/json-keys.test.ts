import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { repeatedJsonKeys } from './json-keys.js';

describe('repeatedJsonKeys', () => {
  it('finds top-level keys written twice, which JSON.parse would hide', () => {
    const text = '{"level":30,"component":"fleet","component":"device","msg":"hi"}';
    expect((JSON.parse(text) as { component: string }).component).toBe('device');
    expect(repeatedJsonKeys(text)).toEqual(['component']);
  });

  it('ignores keys of nested objects and text inside strings', () => {
    expect(repeatedJsonKeys('{"type":"a","err":{"type":"Error","msg":"x\\"type\\":1"},"list":[{"type":1}],"msg":"\\"msg\\": 2"}')).toEqual([]);
  });

  it('catches what a pino child that re-binds a key really prints', () => {
    const lines: string[] = [];
    const logger = pino({ base: null }, { write: (line: string) => { lines.push(line); } });
    logger.child({ component: 'fleet' }).child({ component: 'device' }).info('hello');
    expect(repeatedJsonKeys(lines[0]!)).toEqual(['component']);
  });
});
