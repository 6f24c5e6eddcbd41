/**
 * The layer control on the map: a labelled group of checkboxes (keyboard: Tab to each, Space to switch),
 * one per layer the signed-in role may see (catalogue.ts), with a short legend of what the colours mean.
 */
import type { MessageKey } from '../../i18n/en.js';
import { t } from '../../i18n/i18n.js';
import { session } from '../../live/store.js';
import { CONGESTION_COLOURS, HOTSPOT_COLOURS, layersFor, type MapLayerId } from './catalogue.js';
import { activeLayers, failedLayers } from './map-layers.js';

function toggle(layer: MapLayerId, on: boolean): void {
  const next = new Set(activeLayers.value);
  if (on) next.add(layer);
  else next.delete(layer);
  activeLayers.value = next;
}

const KEYS: Record<MapLayerId, { label: MessageKey; hint: MessageKey }> = {
  congestion: { label: 'layers.congestion', hint: 'layers.congestionHint' },
  crowd: { label: 'layers.crowd', hint: 'layers.crowdHint' },
  hotspots: { label: 'layers.hotspots', hint: 'layers.hotspotsHint' },
  coverage: { label: 'layers.coverage', hint: 'layers.coverageHint' },
};

function Swatches({ layer }: { layer: MapLayerId }) {
  const colours = layer === 'congestion' ? [CONGESTION_COLOURS.jammed, CONGESTION_COLOURS.slow, CONGESTION_COLOURS.free] : layer === 'hotspots' ? [...HOTSPOT_COLOURS] : [];
  return (
    <>
      {colours.map((colour) => (
        <span key={colour} class="swatch" style={{ background: colour }} aria-hidden="true" />
      ))}
    </>
  );
}

export function LayerControl() {
  const available = layersFor(session.value?.role);
  if (available.length === 0) return null;
  return (
    <fieldset class="layer-control" data-testid="layer-control">
      <legend>{t('layers.title')}</legend>
      {available.map((layer) => {
        const id = `layer-toggle-${layer}`;
        return (
          <div key={layer} class="layer-option">
            <input id={id} type="checkbox" checked={activeLayers.value.has(layer)} aria-describedby={`${id}-hint`} onChange={(event) => toggle(layer, event.currentTarget.checked)} />
            <label for={id}>
              <Swatches layer={layer} />
              {t(KEYS[layer].label)}
            </label>
            <small id={`${id}-hint`}>{failedLayers.value.has(layer) ? t('layers.failed') : t(KEYS[layer].hint)}</small>
          </div>
        );
      })}
    </fieldset>
  );
}
