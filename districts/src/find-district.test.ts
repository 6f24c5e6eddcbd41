import { describe, expect, it } from 'vitest';
import { DISTRICT_TABLE, districtSpellings, districtsOfRegion, findDistrict, listDistricts, readDistrictFeatures, REGION_IDS } from './index.js';

describe('findDistrict', () => {
  it('knows the 18 districts, in code order, each in exactly one region', () => {
    expect(listDistricts().map((d) => d.code).join('')).toBe('ABCDEFGHJKLMNPQRST');
    expect(REGION_IDS.flatMap((r) => districtsOfRegion(r).map((d) => d.code)).sort().join('')).toBe('ABCDEFGHJKLMNPQRST');
  });

  it('finds a district by its code letter in either case', () => {
    expect(findDistrict('A')?.nameEn).toBe('Central & Western');
    expect(findDistrict(' r ')?.nameEn).toBe('Sha Tin');
    expect(findDistrict('T')?.nameZh).toBe('離島');
    expect(findDistrict('I')).toBeUndefined();
    expect(findDistrict('O')).toBeUndefined();
    expect(findDistrict('Z')).toBeUndefined();
  });

  it('finds Central & Western however it is written', () => {
    for (const text of [
      'Central & Western', 'Central and Western', 'Central/Western', 'central / western', 'CENTRAL AND WESTERN',
      '  Central   and  Western ', 'Central & Western District', 'Central-Western', '中西區', '中西区', ' 中西區 ',
    ]) expect(findDistrict(text)?.code, text).toBe('A');
  });

  it('finds English and Chinese names with or without "District" / "區"', () => {
    expect(findDistrict('wan chai')?.code).toBe('B');
    expect(findDistrict('Wanchai')?.code).toBe('B');
    expect(findDistrict('灣仔區')?.code).toBe('B');
    expect(findDistrict('Eastern District')?.code).toBe('C');
    expect(findDistrict('東區')?.code).toBe('C');
    expect(findDistrict('Yau Tsim Mong')?.code).toBe('E');
    expect(findDistrict('油尖旺區')?.code).toBe('E');
    expect(findDistrict('North')?.code).toBe('N');
    expect(findDistrict('北區')?.code).toBe('N');
    expect(findDistrict('Shatin')?.code).toBe('R');
    expect(findDistrict('沙田')?.code).toBe('R');
    expect(findDistrict('Ｓｈａ Ｔｉｎ')?.code).toBe('R'); // full-width letters
  });

  it('answers undefined for text that names no district', () => {
    for (const text of ['', '   ', 'District', 'Centr al', 'Central', 'Kowloon', 'Atlantis', 'A & B', '區']) expect(findDistrict(text), text).toBeUndefined();
  });

  it('finds every district by every spelling in its table entry, and no two districts share a spelling', () => {
    for (const { code } of DISTRICT_TABLE) for (const spelling of districtSpellings(code)) expect(findDistrict(spelling)?.code, spelling).toBe(code);
  });

  it('finds every District spelling of the Transport Department detector list (19 spellings, 786 detectors)', () => {
    // The District column's distinct values (simulators/data/hk/traffic_detectors.csv), written out here.
    const tdSpellings = [
      'Yuen Long', 'Sha Tin', 'Tsuen Wan', 'Tuen Mun', 'Kwun Tong', 'Tai Po', 'Sham Shui Po', 'Kowloon City', 'Eastern', 'Islands',
      'North', 'Yau Tsim Mong', 'Southern', 'Kwai Tsing', 'Wong Tai Sin', 'Central & Western', 'Wan Chai', 'Sai Kung', 'Central and Western',
    ];
    expect(new Set(tdSpellings.map((s) => findDistrict(s)?.code)).size).toBe(18);
  });

  it('keeps the table in step with the boundary file (codes, English and Chinese names)', () => {
    const fromFile = readDistrictFeatures().map((f) => ({ code: f.properties['地區號碼'], nameEn: f.properties['District'], nameZh: f.properties['地區'] }));
    expect(fromFile).toEqual(DISTRICT_TABLE.map(({ code, nameEn, nameZh }) => ({ code, nameEn, nameZh })));
  });
});
