/**
 * Field labels of the open-data tables in English and Traditional Chinese, published with every answer
 * so a citizen (or a spreadsheet) can read the columns in either language.
 */
export interface FieldLabel {
  name: string;
  labelEn: string;
  labelZh: string;
  unit: string | null;
}

const field = (name: string, labelEn: string, labelZh: string, unit: string | null = null): FieldLabel => ({ name, labelEn, labelZh, unit });

export const COMMON_FIELDS: readonly FieldLabel[] = [
  field('period_start', 'Period start (UTC, ISO 8601)', '時段開始（協調世界時，ISO 8601）'),
  field('period_end', 'Period end (UTC, ISO 8601)', '時段結束（協調世界時，ISO 8601）'),
  field('district_code', 'District code', '地區號碼'),
  field('district_en', 'District (English)', '地區（英文）'),
  field('district_zh', 'District (Chinese)', '地區（中文）'),
];

export const TRAFFIC_FIELDS: readonly FieldLabel[] = [
  ...COMMON_FIELDS,
  field('cars', 'Cars counted', '私家車數目', 'vehicles'),
  field('motorcycles', 'Motorcycles counted', '電單車數目', 'vehicles'),
  field('buses', 'Buses counted', '巴士數目', 'vehicles'),
  field('goods_vehicles', 'Goods vehicles counted', '貨車數目', 'vehicles'),
  field('unclassified_vehicles', 'Vehicles counted without a class (traffic detectors)', '未分類車輛數目（交通偵測器）', 'vehicles'),
  field('motor_vehicles', 'Motor vehicles counted (all of the above)', '機動車輛總數（以上各項）', 'vehicles'),
  field('bicycles', 'Bicycles counted', '單車數目', 'bicycles'),
  field('pedestrians', 'Pedestrians counted', '行人數目', 'people'),
  field('average_speed_kmh', 'Average speed', '平均車速', 'km/h'),
];

export const AIR_FIELDS: readonly FieldLabel[] = [
  ...COMMON_FIELDS,
  field('pm25_ugm3', 'Fine suspended particulates (PM2.5), mean', '微細懸浮粒子（PM2.5）平均濃度', 'µg/m³'),
  field('pm25_max_ugm3', 'Fine suspended particulates (PM2.5), highest reading', '微細懸浮粒子（PM2.5）最高讀數', 'µg/m³'),
  field('no2_ugm3', 'Nitrogen dioxide (NO2), mean', '二氧化氮（NO2）平均濃度', 'µg/m³'),
  field('no2_max_ugm3', 'Nitrogen dioxide (NO2), highest reading', '二氧化氮（NO2）最高讀數', 'µg/m³'),
  field('noise_dba', 'Noise level, mean', '平均噪音水平', 'dB(A)'),
];

export const DISTRICT_FIELDS: readonly FieldLabel[] = [
  field('district_code', 'District code', '地區號碼'),
  field('district_en', 'District (English)', '地區（英文）'),
  field('district_zh', 'District (Chinese)', '地區（中文）'),
  field('region_en', 'Region (English)', '區域（英文）'),
  field('region_zh', 'Region (Chinese)', '區域（中文）'),
];
