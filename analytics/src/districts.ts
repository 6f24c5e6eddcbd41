/**
 * Hong Kong's 18 districts for analytics: everything comes from @streetwise/districts (the one copy of
 * the official boundaries, codes, names and aliases); this adds the 400 for an unknown `district`
 * parameter and the English/Chinese labels analytics puts beside a stored code.
 */
import { districtByCode } from '@streetwise/districts';

export { districtGeometry, districtsOfRegion, findDistrict, listDistricts, REGION_IDS, REGIONS } from '@streetwise/districts';
export type { District, DistrictGeometry, Region } from '@streetwise/districts';

/** The names put beside a stored district code in every answer (null names for a null or unknown code). */
export interface DistrictNames {
  districtNameEn: string | null;
  districtNameZh: string | null;
}

export function districtNames(code: string | null): DistrictNames {
  const district = code === null ? undefined : districtByCode(code);
  return { districtNameEn: district?.nameEn ?? null, districtNameZh: district?.nameZh ?? null };
}
