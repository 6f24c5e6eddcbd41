/** The map pane: the live map (live-map.ts), its legend, and what it counts. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { DEVICE_STATES, SEVERITIES } from '../api/types.js';
import { t } from '../i18n/i18n.js';
import { devices, incidents } from '../live/store.js';
import { DEVICE_STATE_COLOURS, SEVERITY_COLOURS } from './colours.js';
import type { LiveMap } from './live-map.js';

function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

export function MapView() {
  const container = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!container.current) return;
    if (!webglAvailable()) return setFailed(true);
    // maplibre is most of the bundle: loaded only once someone has signed in, so the sign-in page is light.
    let live: LiveMap | undefined;
    let gone = false;
    import('./live-map.js')
      .then((module) => {
        if (!gone && container.current) live = new module.LiveMap(container.current);
      })
      .catch((error: unknown) => {
        console.error('the map failed to load', error);
        setFailed(true);
      });
    return () => {
      gone = true;
      live?.destroy();
    };
  }, []);

  let open = 0;
  for (const incident of incidents.value.values()) if (incident.status !== 'resolved') open++;

  return (
    <>
      {failed ? <p class="map-error" role="alert">{t('map.noWebgl')}</p> : <div class="map" ref={container} data-testid="map" />}
      <aside class="map-legend" aria-label={t('map.legend')}>
        <p class="counts" data-testid="map-counts">{t('map.counts', { devices: devices.value.size, incidents: open })}</p>
        <details>
          <summary>{t('map.legend')}</summary>
        <h2>{t('map.devices')}</h2>
        <ul>
          {DEVICE_STATES.map((state) => (
            <li key={state}>
              <span class="swatch" style={{ background: DEVICE_STATE_COLOURS[state] }} aria-hidden="true" />
              {t(`deviceState.${state}`)}
            </li>
          ))}
          <li>{t('map.cluster')}</li>
        </ul>
        <h2>{t('map.incidents')}</h2>
        <ul>
          {SEVERITIES.map((severity) => (
            <li key={severity}>
              <span class="swatch" style={{ background: SEVERITY_COLOURS[severity] }} aria-hidden="true" />
              {t(`severity.${severity}`)}
            </li>
          ))}
          <li>{t('map.pulsing')}</li>
        </ul>
        </details>
      </aside>
    </>
  );
}
