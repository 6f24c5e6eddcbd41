import { describe, expect, it } from 'vitest';
import { hkWallClockToUtcMs } from './hk-time.js';

describe('hkWallClockToUtcMs', () => {
  it('is UTC+8 all year: no daylight saving in Hong Kong', () => {
    expect(hkWallClockToUtcMs('2024-04-06', '21:27:30')).toBe(Date.parse('2024-04-06T13:27:30Z'));
    expect(hkWallClockToUtcMs('2024-01-15', '12:00:00')).toBe(Date.parse('2024-01-15T04:00:00Z'));
    expect(hkWallClockToUtcMs('2024-07-15', '12:00:00')).toBe(Date.parse('2024-07-15T04:00:00Z'));
  });

  it('crosses the UTC date line backwards before 08:00 HKT', () => {
    expect(hkWallClockToUtcMs('2024-03-01', '07:59:59')).toBe(Date.parse('2024-02-29T23:59:59Z'));
  });

  it('refuses what is not a real date or time of day', () => {
    for (const [date, time] of [['2024-02-30', '00:00:00'], ['2024-04-06', '24:00:00'], ['2024-04-06', '21:27'], ['06/04/2024', '21:27:00'], ['2024-04-06', 'abc']]) {
      expect(hkWallClockToUtcMs(date!, time!), `${date} ${time}`).toBeUndefined();
    }
  });
});
