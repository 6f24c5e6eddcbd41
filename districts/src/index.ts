export { DISTRICT_TABLE, REGIONS, REGION_IDS } from './district-table.js';
export type { District, DistrictCode, DistrictEntry, Region } from './district-table.js';
export { districtKey, districtByCode, districtSpellings, districtsOfRegion, findDistrict, listDistricts } from './find-district.js';
export { DISTRICTS_FILE, districtAt, loadDistrictBoundaries, districtGeometry, districtPolygons, readDistrictFeatures } from './boundaries.js';
export type { DistrictFeature, DistrictGeometry } from './boundaries.js';
export { pointInPolygon } from './point-in-polygon.js';
export type { LonLat, Ring } from './point-in-polygon.js';
