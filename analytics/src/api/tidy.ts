/**
 * Figures leave the API rounded to 12 significant digits: sums added in a different order (raw rows vs
 * each aggregate) differ in the last bits, and nobody reads the 16th digit of a mean speed.
 */
export const tidy = (value: number | null | undefined): number | null =>
  value === null || value === undefined ? null : Number(value.toPrecision(12));
