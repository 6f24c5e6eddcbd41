/**
 * From whatever a person, a device or a data set calls a district to the district: the code letter,
 * the English or Chinese name, or an alias, in any case, with extra spaces, "and", "/" or "&" between
 * words, and with or without a trailing "District" / "區" / "区". Pure; unknown text is undefined, and
 * callers make their own errors.
 */
import { DISTRICT_TABLE, REGIONS, type District, type DistrictCode, type Region } from './district-table.js';

/**
 * The comparison key of a district name: NFKC (full-width letters), lower case, "and" / "/" / "&" as
 * one "&", no spaces, dots or hyphens, no trailing "district" / "區" / "区". db/migrations/0006 mirrors
 * this in SQL, and its test checks every alias of the table against it.
 */
export function districtKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+and\s+|\s*[/&]\s*/g, '&')
    .replace(/[\s.-]+/g, '')
    .replace(/(district|區|区)$/u, '');
}

const byCode = new Map<string, District>();
const byKey = new Map<string, District>();
for (const { aliases, ...district } of DISTRICT_TABLE) {
  byCode.set(district.code, district);
  for (const name of [district.nameEn, district.nameZh, ...aliases]) byKey.set(districtKey(name), district);
}

/** All 18, in code order. */
export function listDistricts(): readonly District[] {
  return [...byCode.values()];
}

/** The district with this code letter (exact, upper case), or undefined. */
export function districtByCode(code: string): District | undefined {
  return byCode.get(code);
}

/** The district a text names (code letter in either case, name or alias), or undefined. */
export function findDistrict(text: string): District | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 1) return byCode.get(trimmed.toUpperCase());
  const key = districtKey(trimmed);
  return key === '' ? undefined : byKey.get(key);
}

export function districtsOfRegion(region: Region): District[] {
  const codes: readonly DistrictCode[] = REGIONS[region].codes;
  return listDistricts().filter((d) => codes.includes(d.code));
}

/** Every spelling findDistrict knows for a district, besides its code: for tests and for the migration's check. */
export function districtSpellings(code: DistrictCode): string[] {
  const entry = DISTRICT_TABLE.find((d) => d.code === code);
  return entry ? [entry.nameEn, entry.nameZh, ...entry.aliases] : [];
}
