import { describe, expect, it } from 'vitest';
import { contrastRatio } from './contrast.js';
import { GRAPHIC_PAIRS, TEXT_PAIRS, THEMES, TOKENS } from './tokens.js';

describe('theme colours meet WCAG AA', () => {
  it('computes contrast as WCAG defines it', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
  });

  it.each(THEMES)('%s: every text colour reaches 4.5:1 on its background, focus and borders 3:1', (theme) => {
    const tokens = TOKENS[theme];
    const short = (pairs: typeof TEXT_PAIRS, minimum: number) =>
      pairs.map(([fg, bg]) => ({ pair: `${fg} on ${bg}`, ratio: Number(contrastRatio(tokens[fg], tokens[bg]).toFixed(2)) })).filter(({ ratio }) => ratio < minimum);
    expect(short(TEXT_PAIRS, 4.5)).toEqual([]);
    expect(short(GRAPHIC_PAIRS, 3)).toEqual([]);
  });
});
