/**
 * Hong Kong's 18 districts for analytics: everything comes from @streetwise/districts (the one copy of
 * the official boundaries, codes, names and aliases); this adds the 400 for an unknown `district`
 * parameter and the English/Chinese labels analytics puts beside a stored code.
 */
import { districtByCode, findDistrict, type District } from '@streetwise/districts';
import { SW_ANALYTICS_UNKNOWN_DISTRICT, parameterError } from './errors.js';

export { districtGeometry, districtsOfRegion, findDistrict, listDistricts, REGION_IDS, REGIONS } from '@streetwise/districts';
export type { District, DistrictGeometry, Region } from '@streetwise/districts';

/** Like findDistrict, but a 400 naming `parameter` when there is no such district. */
export function resolveDistrict(text: string, parameter = 'district'): District {
  const district = findDistrict(text);
  if (!district) throw parameterError(SW_ANALYTICS_UNKNOWN_DISTRICT, parameter, [text]);
  return district;
}

/** The names put beside a stored district code in every answer (null names for a null or unknown code). */
export interface DistrictNames {
  districtNameEn: string | null;
  districtNameZh: string | null;
}

export function districtNames(code: string | null): DistrictNames {
  const district = code === null ? undefined : districtByCode(code);
  return { districtNameEn: district?.nameEn ?? null, districtNameZh: district?.nameZh ?? null };
}
