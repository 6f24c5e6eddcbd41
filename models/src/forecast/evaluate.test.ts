import { describe, expect, it } from 'vitest';
import { historicalAverage, STEPS_PER_DAY } from './evaluate.js';

describe('historical average', () => {
  it('is the mean of the same time on earlier days', () => {
    const values = Array.from({ length: 3 * STEPS_PER_DAY }, (_, i) => Math.floor(i / STEPS_PER_DAY) * 10 + (i % STEPS_PER_DAY));
    const ha = historicalAverage(values);
    expect(Number.isNaN(ha[5]!)).toBe(true);
    expect(ha[STEPS_PER_DAY + 5]).toBe(5);
    expect(ha[2 * STEPS_PER_DAY + 5]).toBe(10); // mean of 5 and 15
  });
});
