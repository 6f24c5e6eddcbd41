/**
 * Hong Kong's 18 districts as data: the official code letter (A–T, no I or O, as the Home Affairs
 * Department numbers them), the English and Traditional Chinese names exactly as in
 * data/districts.geojson, the region, and the other ways people and data sets write them. A test keeps
 * this table in step with the GeoJSON's properties.
 */
export type DistrictCode = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'J' | 'K' | 'L' | 'M' | 'N' | 'P' | 'Q' | 'R' | 'S' | 'T';
export type Region = 'hong-kong-island' | 'kowloon' | 'new-territories';

export interface District {
  /** Code letter A–T (no I or O), as in the source data: what the database stores. */
  code: DistrictCode;
  /** English name as the boundary data writes it: "Central & Western". */
  nameEn: string;
  /** Traditional Chinese name as the boundary data writes it: "中西區". */
  nameZh: string;
  region: Region;
}

export interface DistrictEntry extends District {
  /**
   * Other spellings seen in the wild, besides the names themselves and the "… District" / "…區" forms
   * (which findDistrict accepts for every district): simplified Chinese, and the Transport
   * Department detector list's "Central and Western".
   */
  aliases: readonly string[];
}

export const DISTRICT_TABLE: readonly DistrictEntry[] = [
  { code: 'A', nameEn: 'Central & Western', nameZh: '中西區', region: 'hong-kong-island', aliases: ['Central and Western', 'Central/Western', 'Central-Western', '中西区'] },
  { code: 'B', nameEn: 'Wan Chai', nameZh: '灣仔', region: 'hong-kong-island', aliases: ['Wanchai', '湾仔'] },
  { code: 'C', nameEn: 'Eastern', nameZh: '東區', region: 'hong-kong-island', aliases: ['东区'] },
  { code: 'D', nameEn: 'Southern', nameZh: '南區', region: 'hong-kong-island', aliases: ['南区'] },
  { code: 'E', nameEn: 'Yau Tsim Mong', nameZh: '油尖旺', region: 'kowloon', aliases: [] },
  { code: 'F', nameEn: 'Sham Shui Po', nameZh: '深水埗', region: 'kowloon', aliases: [] },
  { code: 'G', nameEn: 'Kowloon City', nameZh: '九龍城', region: 'kowloon', aliases: ['九龙城'] },
  { code: 'H', nameEn: 'Wong Tai Sin', nameZh: '黃大仙', region: 'kowloon', aliases: ['黄大仙'] },
  { code: 'J', nameEn: 'Kwun Tong', nameZh: '觀塘', region: 'kowloon', aliases: ['观塘'] },
  { code: 'K', nameEn: 'Tsuen Wan', nameZh: '荃灣', region: 'new-territories', aliases: ['荃湾'] },
  { code: 'L', nameEn: 'Tuen Mun', nameZh: '屯門', region: 'new-territories', aliases: ['屯门'] },
  { code: 'M', nameEn: 'Yuen Long', nameZh: '元朗', region: 'new-territories', aliases: [] },
  { code: 'N', nameEn: 'North', nameZh: '北區', region: 'new-territories', aliases: ['Northern', '北区'] },
  { code: 'P', nameEn: 'Tai Po', nameZh: '大埔', region: 'new-territories', aliases: [] },
  { code: 'Q', nameEn: 'Sai Kung', nameZh: '西貢', region: 'new-territories', aliases: ['西贡'] },
  { code: 'R', nameEn: 'Sha Tin', nameZh: '沙田', region: 'new-territories', aliases: ['Shatin'] },
  { code: 'S', nameEn: 'Kwai Tsing', nameZh: '葵青', region: 'new-territories', aliases: [] },
  { code: 'T', nameEn: 'Islands', nameZh: '離島', region: 'new-territories', aliases: ['离岛'] },
];

/** The three regions planners speak of (Hong Kong Island A–D, Kowloon E–J, New Territories K–T). */
export const REGIONS: Readonly<Record<Region, { nameEn: string; nameZh: string; codes: readonly DistrictCode[] }>> = {
  'hong-kong-island': { nameEn: 'Hong Kong Island', nameZh: '香港島', codes: ['A', 'B', 'C', 'D'] },
  kowloon: { nameEn: 'Kowloon', nameZh: '九龍', codes: ['E', 'F', 'G', 'H', 'J'] },
  'new-territories': { nameEn: 'New Territories', nameZh: '新界', codes: ['K', 'L', 'M', 'N', 'P', 'Q', 'R', 'S', 'T'] },
};
export const REGION_IDS = Object.keys(REGIONS) as Region[];
