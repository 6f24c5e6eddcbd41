/** The 18 districts with their English and Chinese names, from the map's district data (served by the console). */
import { useEffect, useState } from 'preact/hooks';

export interface DistrictName {
  code: string;
  nameEn: string;
  nameZh: string;
}

let cached: Promise<DistrictName[]> | undefined;

function loadDistricts(): Promise<DistrictName[]> {
  cached ??= fetch('/data/district-labels.geojson')
    .then((response) => response.json() as Promise<{ features: Array<{ properties: DistrictName }> }>)
    .then((collection) => collection.features.map((f) => f.properties).sort((a, b) => a.code.localeCompare(b.code)))
    .catch(() => {
      cached = undefined;
      return [];
    });
  return cached;
}

export function useDistricts(): DistrictName[] {
  const [districts, setDistricts] = useState<DistrictName[]>([]);
  useEffect(() => {
    let live = true;
    void loadDistricts().then((list) => live && setDistricts(list));
    return () => {
      live = false;
    };
  }, []);
  return districts;
}

/** "Yau Tsim Mong 油尖旺" in English, "油尖旺 Yau Tsim Mong" in Chinese. */
export const districtLabel = (d: DistrictName, zh: boolean): string => (zh ? `${d.nameZh} ${d.nameEn}` : `${d.nameEn} ${d.nameZh}`);
