/**
 * The offline map style, built in code: nothing is fetched from the internet. It shows the sea (background),
 * the 18 districts' official boundaries with their names, the devices (clustered) and the open incidents.
 * There is no coastline finer than the district polygons and no road network: the polygons include sea
 * areas, so the "land" is the districts' extent.
 *
 * Text: the style has no `glyphs` URL, so maplibre draws every label with the browser's local fonts (CJK
 * included: fonts-noto-cjk on Debian), in the font family named by `text-font`.
 */
import type { ExpressionSpecification, Map as MaplibreMap, StyleSpecification } from 'maplibre-gl';
import { DEVICE_STATES, SEVERITIES } from '../api/types.js';
import type { Locale } from '../i18n/i18n.js';
import { TOKENS, type Theme } from '../theme/tokens.js';
import { DEVICE_STATE_COLOURS, SEVERITY_COLOURS, SEVERITY_RANK, STATE_RANK } from './colours.js';

export const DEVICE_SOURCE = 'devices';
export const INCIDENT_SOURCE = 'incidents';
export const DISTRICT_ATTRIBUTION = 'District boundaries: Home Affairs Department, DATA.GOV.HK · 地區界線：民政事務總署';
/** Hong Kong with a little sea around it: [west, south, east, north]. */
export const HONG_KONG_BOUNDS: [number, number, number, number] = [113.82, 22.14, 114.45, 22.58];
export const LABEL_FONT = ['Noto Sans CJK TC Regular'];

const stateRank: ExpressionSpecification = ['match', ['get', 'state'], 'offline', STATE_RANK.offline, 'degraded', STATE_RANK.degraded, STATE_RANK.online];
const severityRank: ExpressionSpecification = ['match', ['coalesce', ['get', 'severity'], 'none'], ...SEVERITIES.flatMap((s) => [s, SEVERITY_RANK[s]]), 0] as unknown as ExpressionSpecification;

/** Cluster aggregates: the worst state and the highest open severity among a cluster's devices. */
export const CLUSTER_PROPERTIES = {
  worstState: ['max', stateRank],
  maxSeverity: ['max', severityRank],
} as const;

const colourOfState: ExpressionSpecification = ['match', ['get', 'state'], ...DEVICE_STATES.flatMap((s) => [s, DEVICE_STATE_COLOURS[s]]), DEVICE_STATE_COLOURS.offline] as unknown as ExpressionSpecification;
const colourOfSeverity: ExpressionSpecification = ['match', ['get', 'severity'], ...SEVERITIES.flatMap((s) => [s, SEVERITY_COLOURS[s]]), '#888888'] as unknown as ExpressionSpecification;
const colourOfWorstState: ExpressionSpecification = ['step', ['get', 'worstState'], DEVICE_STATE_COLOURS.online, 1, DEVICE_STATE_COLOURS.degraded, 2, DEVICE_STATE_COLOURS.offline];
const colourOfMaxSeverity: ExpressionSpecification = ['step', ['get', 'maxSeverity'], 'rgba(0,0,0,0)', 1, SEVERITY_COLOURS.info, 2, SEVERITY_COLOURS.low, 3, SEVERITY_COLOURS.medium, 4, SEVERITY_COLOURS.high, 5, SEVERITY_COLOURS.critical];

export const districtNameField = (locale: Locale): ExpressionSpecification => ['get', locale === 'en' ? 'nameEn' : 'nameZh'];

export function buildStyle(theme: Theme, locale: Locale): StyleSpecification {
  const colours = TOKENS[theme];
  return {
    version: 8,
    name: 'Streetwise offline',
    sources: {
      districts: { type: 'geojson', data: '/data/districts.geojson', attribution: DISTRICT_ATTRIBUTION },
      'district-labels': { type: 'geojson', data: '/data/district-labels.geojson' },
      [DEVICE_SOURCE]: {
        type: 'geojson',
        data: { type: 'FeatureCollection', features: [] },
        cluster: true,
        clusterRadius: 40,
        clusterMaxZoom: 14,
        clusterProperties: CLUSTER_PROPERTIES as unknown as Record<string, [unknown, unknown]>,
      },
      [INCIDENT_SOURCE]: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': colours.mapBackground } },
      { id: 'district-fill', type: 'fill', source: 'districts', paint: { 'fill-color': colours.mapDistrictFill, 'fill-opacity': 0.95 } },
      { id: 'district-line', type: 'line', source: 'districts', paint: { 'line-color': colours.mapDistrictLine, 'line-width': 1.2 } },
      {
        id: 'district-label',
        type: 'symbol',
        source: 'district-labels',
        layout: { 'text-field': districtNameField(locale), 'text-font': LABEL_FONT, 'text-size': 13, 'text-allow-overlap': false, 'text-padding': 4 },
        paint: { 'text-color': colours.mapLabel, 'text-halo-color': colours.mapLabelHalo, 'text-halo-width': 1.5 },
      },
      {
        id: 'device-cluster',
        type: 'circle',
        source: DEVICE_SOURCE,
        filter: ['has', 'point_count'],
        paint: {
          'circle-color': colourOfWorstState,
          'circle-radius': ['step', ['get', 'point_count'], 12, 10, 16, 100, 22, 1000, 28],
          'circle-opacity': 0.85,
          'circle-stroke-color': colourOfMaxSeverity,
          'circle-stroke-width': ['case', ['>', ['get', 'maxSeverity'], 0], 4, 0],
        },
      },
      {
        id: 'device-cluster-count',
        type: 'symbol',
        source: DEVICE_SOURCE,
        filter: ['has', 'point_count'],
        layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': LABEL_FONT, 'text-size': 12, 'text-allow-overlap': true },
        paint: { 'text-color': '#111111' },
      },
      {
        id: 'device-point',
        type: 'circle',
        source: DEVICE_SOURCE,
        filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-color': colourOfState,
          'circle-radius': 5,
          'circle-stroke-color': ['case', ['to-boolean', ['get', 'severity']], colourOfSeverity, colours.mapLabelHalo],
          'circle-stroke-width': ['case', ['to-boolean', ['get', 'severity']], 3, 1],
        },
      },
      {
        id: 'incident',
        type: 'circle',
        source: INCIDENT_SOURCE,
        paint: {
          'circle-color': colourOfSeverity,
          'circle-radius': ['match', ['get', 'severity'], 'critical', 10, 'high', 9, 'medium', 8, 7],
          'circle-stroke-color': colours.mapLabelHalo,
          'circle-stroke-width': 2,
        },
      },
    ],
  };
}

/** Paint values that follow the theme, for switching without rebuilding the style. */
type PaintName = Parameters<MaplibreMap['setPaintProperty']>[1];

export function themePaint(theme: Theme): Array<[layer: string, property: PaintName, value: string]> {
  const colours = TOKENS[theme];
  return [
    ['background', 'background-color', colours.mapBackground],
    ['district-fill', 'fill-color', colours.mapDistrictFill],
    ['district-line', 'line-color', colours.mapDistrictLine],
    ['district-label', 'text-color', colours.mapLabel],
    ['district-label', 'text-halo-color', colours.mapLabelHalo],
    ['incident', 'circle-stroke-color', colours.mapLabelHalo],
  ];
}
