/**
 * The dashboards' filters: time range (last 24 h, 7 d, 30 d, or custom Hong Kong dates), district (the 18
 * districts with their English and Chinese names from the map's district data), H3 cell (typed, or picked
 * on the hex map), and whether to overlay the previous period.
 */
import { useEffect, useState } from 'preact/hooks';
import { locale, t } from '../i18n/i18n.js';
import { choosePreset, comparePrevious, customDates, district, h3Cell, H3_CELL_PATTERN, preset, RANGE_PRESETS, anchorMs } from './filters.js';

interface DistrictName {
  code: string;
  nameEn: string;
  nameZh: string;
}

export function FilterBar() {
  const [districts, setDistricts] = useState<DistrictName[]>([]);
  const [cellText, setCellText] = useState(h3Cell.value);
  useEffect(() => {
    void fetch('/data/district-labels.geojson')
      .then((response) => response.json() as Promise<{ features: Array<{ properties: DistrictName }> }>)
      .then((collection) => setDistricts(collection.features.map((f) => f.properties).sort((a, b) => a.code.localeCompare(b.code))));
  }, []);
  useEffect(() => setCellText(h3Cell.value), [h3Cell.value]);
  const cellValid = cellText === '' || H3_CELL_PATTERN.test(cellText);
  const zh = locale.value === 'zh-HK';

  return (
    <form class="filter-bar" aria-label={t('planning.filters')} onSubmit={(e) => e.preventDefault()} data-testid="planning-filters">
      <fieldset class="range-presets">
        <legend>{t('planning.range')}</legend>
        {RANGE_PRESETS.map((p) => (
          <label key={p} class="inline">
            <input type="radio" name="range" value={p} checked={preset.value === p} onChange={() => choosePreset(p)} data-testid={`range-${p}`} />
            {t(`planning.range.${p}`)}
          </label>
        ))}
      </fieldset>
      {preset.value === 'custom' && (
        <>
          <label class="inline">
            <span>{t('planning.from')}</span>
            <input type="date" value={customDates.value.from} onChange={(e) => { customDates.value = { ...customDates.value, from: e.currentTarget.value }; anchorMs.value = Date.now(); }} data-testid="range-from" />
          </label>
          <label class="inline">
            <span>{t('planning.to')}</span>
            <input type="date" value={customDates.value.to} onChange={(e) => { customDates.value = { ...customDates.value, to: e.currentTarget.value }; anchorMs.value = Date.now(); }} data-testid="range-to" />
          </label>
        </>
      )}
      <label class="inline">
        <span>{t('planning.district')}</span>
        <select value={district.value} onChange={(e) => (district.value = e.currentTarget.value)} data-testid="district">
          <option value="">{t('planning.allDistricts')}</option>
          {districts.map((d) => (
            <option key={d.code} value={d.code}>{zh ? `${d.nameZh} ${d.nameEn}` : `${d.nameEn} ${d.nameZh}`}</option>
          ))}
        </select>
      </label>
      <label class="inline">
        <span>{t('planning.h3')}</span>
        <input
          value={cellText}
          size={17}
          placeholder="8830e1d8c1fffff"
          aria-invalid={!cellValid}
          onInput={(e) => setCellText(e.currentTarget.value.trim().toLowerCase())}
          onChange={() => cellValid && (h3Cell.value = cellText)}
          data-testid="h3"
        />
      </label>
      {h3Cell.value && (
        <button type="button" onClick={() => (h3Cell.value = '')} data-testid="h3-clear">
          {t('planning.clearCell')}
        </button>
      )}
      {!cellValid && <span class="problem" role="alert">{t('planning.badCell')}</span>}
      <label class="inline">
        <input type="checkbox" checked={comparePrevious.value} onChange={(e) => (comparePrevious.value = e.currentTarget.checked)} data-testid="compare" />
        {t('planning.compare')}
      </label>
    </form>
  );
}
