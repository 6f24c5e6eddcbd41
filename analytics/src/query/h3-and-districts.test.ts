import { describe, expect, it } from 'vitest';
import { findDistrict, listDistricts, districtsOfRegion } from '../districts.js';
import { cellOf, idsInCells, parseCell } from './h3-cells.js';

describe('districts', () => {
  it('has the 18 districts with English and Chinese names', () => {
    expect(listDistricts()).toHaveLength(18);
    expect(findDistrict('sha tin')).toEqual({ code: 'R', nameEn: 'Sha Tin', nameZh: '沙田', region: 'new-territories' });
    expect(findDistrict('沙田')?.nameEn).toBe('Sha Tin');
    expect(findDistrict('A')?.nameEn).toBe('Central & Western');
    expect(findDistrict('Central and Western')?.code).toBe('A');
    expect(districtsOfRegion('kowloon').map((d) => d.nameEn)).toEqual(['Yau Tsim Mong', 'Sham Shui Po', 'Kowloon City', 'Wong Tai Sin', 'Kwun Tong']);
  });
});

describe('H3 cells', () => {
  it('accepts resolutions 7–9 and rejects malformed ids', () => {
    const cell = cellOf(22.3817, 114.1885, 8);
    expect(parseCell(cell.toUpperCase())).toBe(cell);
    for (const [bad, code] of [
      ['zzz', 'SW_ANALYTICS_H3_INVALID'],
      ['8830e1d8c1ffff', 'SW_ANALYTICS_H3_INVALID'],
      [cellOf(22.3817, 114.1885, 5), 'SW_ANALYTICS_H3_RESOLUTION'],
    ] as const) {
      try {
        parseCell(bad);
        expect.unreachable();
      } catch (err) {
        expect(err).toMatchObject({ code, parameter: 'h3' });
      }
    }
  });
  it('finds the items inside cells of mixed resolutions', () => {
    const items = [
      { id: 'a', lat: 22.3817, lon: 114.1885 },
      { id: 'b', lat: 22.312, lon: 114.171 },
      { id: 'c', lat: null, lon: null },
    ];
    expect(idsInCells(items, [cellOf(22.3817, 114.1885, 9)])).toEqual(['a']);
    expect(idsInCells(items, [cellOf(22.3817, 114.1885, 7), cellOf(22.312, 114.171, 8)])).toEqual(['a', 'b']);
  });
});
