import { describe, expect, it } from 'vitest';
import { isStreetwiseError } from '@streetwise/errors';
import { hk } from '../testing/fixture.js';
import { planQuery } from './planner.js';
import { alignRange, parseRange } from './time-range.js';

const range = (from: string, to: string) => ({ fromMs: Date.parse(from), toMs: Date.parse(to) });

function caught(fn: () => unknown): { code: string; parameter: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isStreetwiseError(err) && err.parameter !== undefined) return { code: err.code, parameter: err.parameter, message: err.message };
    throw err;
  }
  throw new Error('expected an error');
}

describe('planner picks the coarsest aggregate that answers exactly', () => {
  it('day, week and whole-range buckets over Hong Kong days read telemetry_1d', () => {
    for (const bucket of ['1d', '1w', 'all'] as const) {
      expect(planQuery({ range: { fromMs: hk('2024-03-04'), toMs: hk('2024-03-11') }, bucket }).grain).toBe('1d');
    }
    // Not on Hong Kong midnights: the hourly aggregate answers a whole-range total.
    expect(planQuery({ range: range('2024-03-01T00:00Z', '2024-03-08T00:00Z'), bucket: 'all' }).grain).toBe('1h');
  });
  it('hourly buckets, and requests that need hourly rows, read telemetry_1h', () => {
    expect(planQuery({ range: range('2024-03-01T00:00Z', '2024-03-08T00:00Z'), bucket: '1h' }).grain).toBe('1h');
    expect(planQuery({ range: { fromMs: hk('2024-03-04'), toMs: hk('2024-03-11') }, bucket: '1d', coarsest: '1h' }).grain).toBe('1h');
    expect(caught(() => planQuery({ range: { fromMs: hk('2024-03-04'), toMs: hk('2024-03-11') }, bucket: '1d', source: '1d', coarsest: '1h' })))
      .toMatchObject({ parameter: 'source' });
  });
  it('5- and 15-minute buckets read telemetry_5m', () => {
    expect(planQuery({ range: range('2024-03-01T00:00Z', '2024-03-02T00:00Z'), bucket: '5m' }).grain).toBe('5m');
    expect(planQuery({ range: range('2024-03-01T00:00Z', '2024-03-02T00:00Z'), bucket: '15m' }).grain).toBe('5m');
  });
  it('a total over a range on 5-minute boundaries reads telemetry_5m', () => {
    expect(planQuery({ range: range('2024-03-01T00:05Z', '2024-03-01T02:00Z'), bucket: 'all' }).grain).toBe('5m');
  });
  it('sub-5-minute buckets and source=raw read raw rows', () => {
    expect(planQuery({ range: range('2024-03-01T00:00Z', '2024-03-01T01:00Z'), bucket: '1m' }).grain).toBe('raw');
    expect(planQuery({ range: range('2024-03-01T00:00Z', '2024-03-01T01:00Z'), bucket: '1h', source: 'raw' }).grain).toBe('raw');
  });
  it('aligns the range outwards to whole buckets, days to Hong Kong midnight', () => {
    const plan = planQuery({ range: range('2024-03-01T10:17Z', '2024-03-01T10:18Z'), bucket: '1d' });
    expect(plan.range).toEqual({ fromMs: hk('2024-03-01'), toMs: hk('2024-03-02') });
    expect(alignRange(range('2024-03-01T10:17Z', '2024-03-01T10:18Z'), '15m')).toEqual(range('2024-03-01T10:15Z', '2024-03-01T10:30Z'));
  });
  it('an empty range is planned as empty (no query)', () => {
    expect(planQuery({ range: range('2024-03-01T10:17Z', '2024-03-01T10:17Z'), bucket: '1h' }).empty).toBe(true);
  });
  it('an explicit source that cannot answer exactly is a 400 naming source', () => {
    const err = caught(() => planQuery({ range: range('2024-03-01T00:00Z', '2024-03-02T00:00Z'), bucket: '15m', source: '1h' }));
    expect(err).toMatchObject({ code: 'SW_ANALYTICS_SOURCE_MISMATCH', parameter: 'source' });
  });
  it('raw rows over more than 7 days is a 400 naming to', () => {
    const err = caught(() => planQuery({ range: range('2024-03-01T00:00Z', '2024-03-09T00:00Z'), bucket: '1h', source: 'raw' }));
    expect(err).toMatchObject({ code: 'SW_ANALYTICS_RANGE_TOO_LARGE_FOR_RAW', parameter: 'to' });
    expect(err.message).toContain('at most 7 days');
  });
  it('too many buckets is a 400 naming bucket', () => {
    const err = caught(() => planQuery({ range: range('2020-01-01T00:00Z', '2024-01-01T00:00Z'), bucket: '5m' }));
    expect(err).toMatchObject({ code: 'SW_ANALYTICS_RANGE_TOO_LARGE', parameter: 'bucket' });
  });
});

describe('time range', () => {
  it('an inverted range is a 400 naming to', () => {
    expect(caught(() => parseRange({ from: '2024-03-02T00:00:00Z', to: '2024-03-01T00:00:00Z' }, 0))).toMatchObject({
      code: 'SW_API_BAD_PARAMETER',
      parameter: 'to',
    });
  });
  it('a date alone is Hong Kong midnight; a date-time needs a zone', () => {
    expect(parseRange({ from: '2024-03-04', to: '2024-03-05' }, 0)).toEqual({ fromMs: hk('2024-03-04'), toMs: hk('2024-03-05') });
    expect(caught(() => parseRange({ from: '2024-03-04T00:00:00' }, 0))).toMatchObject({ code: 'SW_API_BAD_PARAMETER', parameter: 'from' });
    expect(caught(() => parseRange({ to: '2024-02-31' }, 0))).toMatchObject({ parameter: 'to' });
  });
  it('defaults to the last 24 hours', () => {
    expect(parseRange({}, hk('2024-03-05'))).toEqual({ fromMs: hk('2024-03-04'), toMs: hk('2024-03-05') });
  });
});
