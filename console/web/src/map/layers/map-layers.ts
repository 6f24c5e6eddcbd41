/**
 * Puts the switched-on layers (catalogue.ts) on the live map and takes them off: one GeoJSON source per
 * layer, loaded from the API when switched on and refreshed every minute while on. Layers go under the
 * devices and incidents, so those stay clickable on top.
 */
import { effect, signal } from '@preact/signals';
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MaplibreMap } from 'maplibre-gl';
import type { Theme } from '../../theme/tokens.js';
import { theme } from '../../theme/theme.js';
import { layerDataPath, layerSpecs, sourceIdOf, type MapLayerId } from './catalogue.js';

/** The layers the user has switched on (the layer control writes it). */
export const activeLayers = signal<ReadonlySet<MapLayerId>>(new Set());
/** Layers whose data failed to load, for the control to say so. */
export const failedLayers = signal<ReadonlySet<MapLayerId>>(new Set());

const REFRESH_MS = 60_000;
/** The first layer of the live map's own that the switchable layers go beneath. */
const BENEATH = 'device-cluster';

export class MapLayers {
  private readonly shown = new Set<MapLayerId>();
  private theme: Theme | undefined;
  private readonly dispose: () => void;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly map: MaplibreMap) {
    this.dispose = effect(() => this.sync(activeLayers.value, theme.value));
    this.timer = setInterval(() => {
      for (const layer of this.shown) void this.refresh(layer);
    }, REFRESH_MS);
  }

  private sync(active: ReadonlySet<MapLayerId>, currentTheme: Theme): void {
    const themeChanged = this.theme !== currentTheme;
    this.theme = currentTheme;
    for (const layer of [...this.shown]) {
      // Off, or in the other theme's paint: taken down (and put back below in the new paint).
      if (!active.has(layer) || themeChanged) this.remove(layer);
    }
    for (const layer of active) if (!this.shown.has(layer)) this.add(layer, currentTheme);
  }

  private add(layer: MapLayerId, currentTheme: Theme): void {
    const source = sourceIdOf(layer);
    if (!this.map.getSource(source)) this.map.addSource(source, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    const beneath = this.map.getLayer(BENEATH) ? BENEATH : undefined;
    for (const spec of layerSpecs(layer, currentTheme)) this.map.addLayer(spec, beneath);
    this.shown.add(layer);
    void this.refresh(layer);
  }

  private remove(layer: MapLayerId): void {
    for (const spec of layerSpecs(layer, 'dark')) if (this.map.getLayer(spec.id)) this.map.removeLayer(spec.id);
    this.shown.delete(layer);
  }

  private async refresh(layer: MapLayerId): Promise<void> {
    const failed = new Set(failedLayers.peek());
    try {
      // The session cookie authorises it; GeoJSON is fetched here (not by maplibre) to see a refusal.
      const response = await fetch(layerDataPath(layer, new Date()), { credentials: 'same-origin', headers: { accept: 'application/geo+json, application/json' } });
      if (!response.ok) throw new Error(`${response.status}`);
      const data = (await response.json()) as FeatureCollection;
      if (this.shown.has(layer)) void this.map.getSource<GeoJSONSource>(sourceIdOf(layer))?.setData(data);
      failed.delete(layer);
    } catch (error) {
      console.error(`map layer ${layer} failed to load`, error);
      failed.add(layer);
    }
    failedLayers.value = failed;
  }

  destroy(): void {
    this.dispose();
    clearInterval(this.timer);
  }
}
