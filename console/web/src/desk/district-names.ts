/**
 * District names in both languages for the desk's rows and filter. Live messages carry only the code
 * letter, so the names come from the data the map already draws (/data/district-labels.geojson, made at
 * build time from the official boundaries), read once.
 */
import { signal } from '@preact/signals';
import type { Locale } from '../i18n/i18n.js';

interface Names {
  nameEn: string;
  nameZh: string;
}

export const districtNames = signal<ReadonlyMap<string, Names>>(new Map());

export async function loadDistrictNames(): Promise<void> {
  const response = await fetch('/data/district-labels.geojson');
  if (!response.ok) return;
  const body = (await response.json()) as { features: Array<{ properties: { code?: string; nameEn?: string; nameZh?: string } }> };
  const names = new Map<string, Names>();
  for (const { properties } of body.features) {
    if (properties.code && properties.nameEn && properties.nameZh) names.set(properties.code, { nameEn: properties.nameEn, nameZh: properties.nameZh });
  }
  districtNames.value = names;
}

/** The district's name in the locale, or its code letter while the names are not loaded. */
export function districtName(code: string | null, target: Locale): string | null {
  if (code === null) return null;
  const names = districtNames.value.get(code);
  if (!names) return code;
  return target === 'zh-HK' ? names.nameZh : names.nameEn;
}
