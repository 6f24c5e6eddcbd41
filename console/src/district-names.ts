/**
 * Districts in the console's answers: the database stores the official code letter; every answer that
 * carries one puts the English and Chinese names beside it (the same three fields analytics answers
 * with), and a `district` filter given as a name or alias is matched as its code.
 */
import { districtByCode, findDistrict } from '@streetwise/districts';

export interface DistrictNames {
  districtNameEn: string | null;
  districtNameZh: string | null;
}

export function withDistrictNames<R extends { district: string | null }>(row: R): R & DistrictNames {
  const district = row.district === null ? undefined : districtByCode(row.district);
  return { ...row, districtNameEn: district?.nameEn ?? null, districtNameZh: district?.nameZh ?? null };
}

/** The code to filter on: any spelling findDistrict knows becomes its code; other text is passed through (and matches nothing). */
export function districtFilterCode(text: string | undefined): string | null {
  if (text === undefined) return null;
  return findDistrict(text)?.code ?? text;
}
