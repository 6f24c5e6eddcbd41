/**
 * The live map: a maplibre map on the offline style (style.ts), fed by the store. Devices change through
 * `updateData` diffs (never a whole setData each second), incidents through a small setData when they
 * change; the language and theme change labels and paint in place. Clicking an incident selects it (the
 * desk opens it); clicking a cluster zooms in to where it splits.
 */
import { effect } from '@preact/signals';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Feature } from 'geojson';
import { Map as MaplibreMap, NavigationControl, setWorkerUrl, type GeoJSONSource, type MapLayerMouseEvent } from 'maplibre-gl';
// maplibre's worker, as a file of the build (hashed name): maplibre would otherwise look for it beside its own script.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { DeviceFeature, IncidentView } from '../api/types.js';
import { locale, t } from '../i18n/i18n.js';
import { deviceDiffs, deviceResets, devices, incidents, selectedIncidentId } from '../live/store.js';
import { theme } from '../theme/theme.js';
import { toSourceDiff } from './device-diff.js';
import { incidentFeatures, unacknowledgedCritical } from './incident-features.js';
import { PulseMarkers } from './pulse-markers.js';
import { buildStyle, DEVICE_SOURCE, districtNameField, HONG_KONG_BOUNDS, INCIDENT_SOURCE, themePaint } from './style.js';

declare global {
  interface Window {
    /** The live map, for the browser tests and the bench (they read its sources). */
    streetwiseMap?: MaplibreMap;
  }
}

/** Fonts for text the style's `text-font` does not find: the local CJK family (fonts-noto-cjk). */
setWorkerUrl(workerUrl);

const LOCAL_IDEOGRAPH_FONTS = "'Noto Sans CJK TC', 'Noto Sans TC', 'PingFang TC', 'Microsoft JhengHei', sans-serif";

export class LiveMap {
  readonly map: MaplibreMap;
  private readonly knownDevices = new Set<string>();
  private readonly disposers: Array<() => void> = [];
  private pulses: PulseMarkers | undefined;
  private loaded = false;

  constructor(container: HTMLElement) {
    this.map = new MaplibreMap({
      container,
      style: buildStyle(theme.peek(), locale.peek()),
      bounds: HONG_KONG_BOUNDS,
      maxBounds: [HONG_KONG_BOUNDS[0] - 0.5, HONG_KONG_BOUNDS[1] - 0.4, HONG_KONG_BOUNDS[2] + 0.5, HONG_KONG_BOUNDS[3] + 0.4],
      localIdeographFontFamily: LOCAL_IDEOGRAPH_FONTS,
      attributionControl: { compact: false },
      // The map is keyboard-operable (arrows pan, +/− zoom) when focused.
      keyboard: true,
    });
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.getCanvas().setAttribute('aria-label', t('map.label'));
    window.streetwiseMap = this.map;
    this.map.on('load', () => this.onLoad());
  }

  private get deviceSource(): GeoJSONSource | undefined {
    return this.map.getSource<GeoJSONSource>(DEVICE_SOURCE);
  }

  private onLoad(): void {
    this.loaded = true;
    this.resetDevices([...devices.peek().values()]);
    this.pulses = new PulseMarkers(this.map, (id) => (selectedIncidentId.value = id), (incident) => this.incidentLabel(incident));
    this.disposers.push(
      deviceResets.on((features) => this.resetDevices(features)),
      deviceDiffs.on(({ diff, previous }) => {
        const change = toSourceDiff(diff, this.knownDevices, previous);
        if (change.add || change.update || change.remove) void this.deviceSource?.updateData(change);
      }),
      effect(() => this.showIncidents(incidents.value)),
      effect(() => {
        const current = locale.value;
        this.map.setLayoutProperty('district-label', 'text-field', districtNameField(current));
        this.map.getCanvas().setAttribute('aria-label', t('map.label'));
        this.labelZoomButtons();
        this.pulses?.relabel(incidents.peek());
      }),
      effect(() => {
        for (const [layer, property, value] of themePaint(theme.value)) this.map.setPaintProperty(layer, property, value);
      }),
    );
    this.map.on('click', 'incident', (event: MapLayerMouseEvent) => {
      const id = event.features?.[0]?.properties?.['id'] as string | undefined;
      if (id) selectedIncidentId.value = id;
    });
    this.map.on('click', 'device-cluster', (event: MapLayerMouseEvent) => void this.zoomIntoCluster(event));
    for (const layer of ['incident', 'device-cluster']) {
      this.map.on('mouseenter', layer, () => (this.map.getCanvas().style.cursor = 'pointer'));
      this.map.on('mouseleave', layer, () => (this.map.getCanvas().style.cursor = ''));
    }
  }

  /** maplibre names its zoom buttons in English; they follow the app's language instead. */
  private labelZoomButtons(): void {
    const container = this.map.getContainer();
    for (const [selector, key] of [['.maplibregl-ctrl-zoom-in', 'map.zoomIn'], ['.maplibregl-ctrl-zoom-out', 'map.zoomOut']] as const) {
      const button = container.querySelector(selector);
      button?.setAttribute('aria-label', t(key));
      button?.setAttribute('title', t(key));
    }
  }

  private resetDevices(features: readonly DeviceFeature[]): void {
    if (!this.loaded) return;
    this.knownDevices.clear();
    for (const feature of features) this.knownDevices.add(String(feature.id));
    void this.deviceSource?.setData({ type: 'FeatureCollection', features: features as unknown as Feature[] });
  }

  private showIncidents(all: ReadonlyMap<string, IncidentView>): void {
    void this.map.getSource<GeoJSONSource>(INCIDENT_SOURCE)?.setData(incidentFeatures(all.values()));
    this.pulses?.update(unacknowledgedCritical(all.values()));
  }

  private incidentLabel(incident: IncidentView): string {
    return `${t(`severity.${incident.severity}`)} · ${incident.type} · ${t(`status.${incident.status}`)}`;
  }

  private async zoomIntoCluster(event: MapLayerMouseEvent): Promise<void> {
    const feature = event.features?.[0];
    const clusterId = feature?.properties?.['cluster_id'] as number | undefined;
    if (clusterId === undefined || feature?.geometry.type !== 'Point') return;
    const zoom = await this.deviceSource!.getClusterExpansionZoom(clusterId);
    this.map.easeTo({ center: feature.geometry.coordinates as [number, number], zoom });
  }

  destroy(): void {
    for (const dispose of this.disposers) dispose();
    this.pulses?.destroy();
    if (window.streetwiseMap === this.map) delete window.streetwiseMap;
    this.map.remove();
  }
}
