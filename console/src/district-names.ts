/**
 * Districts in the console's answers: the database stores the official code letter; every answer that
 * carries one puts the English and Chinese names beside it (the same three fields analytics answers
 * with). A `district` filter is resolved to codes by analytics' resolveDistricts, like every /api/v1 route.
 */
import { districtNames, type DistrictNames } from '@streetwise/analytics';

export function withDistrictNames<R extends { district: string | null }>(row: R): R & DistrictNames {
  return { ...row, ...districtNames(row.district) };
}
