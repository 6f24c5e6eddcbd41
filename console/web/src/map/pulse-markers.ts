/**
 * Unacknowledged critical incidents pulse: a DOM marker over each, animated by CSS (the compositor, not the
 * map's render loop), and only while the tab is visible (the `pulsing` class is dropped when it is hidden,
 * so a background tab does no work for it). Each marker is a button: focusable, and it opens the incident.
 */
import { Marker, type Map as MaplibreMap } from 'maplibre-gl';
import type { IncidentView } from '../api/types.js';

export class PulseMarkers {
  private readonly markers = new Map<string, Marker>();
  private readonly onVisibility = () => this.applyVisibility();

  constructor(
    private readonly map: MaplibreMap,
    private readonly onSelect: (id: string) => void,
    private readonly labelOf: (incident: IncidentView) => string,
  ) {
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  update(incidents: readonly IncidentView[]): void {
    const wanted = new Set(incidents.map((incident) => incident.id));
    for (const [id, marker] of this.markers) {
      if (!wanted.has(id)) {
        marker.remove();
        this.markers.delete(id);
      }
    }
    for (const incident of incidents) {
      const existing = this.markers.get(incident.id);
      if (existing) {
        existing.setLngLat([incident.lon, incident.lat]);
        existing.getElement().setAttribute('aria-label', this.labelOf(incident));
        continue;
      }
      const element = document.createElement('button');
      element.type = 'button';
      element.className = 'pulse-marker';
      element.dataset['incidentId'] = incident.id;
      element.setAttribute('aria-label', this.labelOf(incident));
      element.addEventListener('click', (event) => {
        event.stopPropagation();
        this.onSelect(incident.id);
      });
      this.markers.set(incident.id, new Marker({ element }).setLngLat([incident.lon, incident.lat]).addTo(this.map));
    }
    this.applyVisibility();
  }

  /** Relabels every marker (the language changed). */
  relabel(incidents: ReadonlyMap<string, IncidentView>): void {
    for (const [id, marker] of this.markers) {
      const incident = incidents.get(id);
      if (incident) marker.getElement().setAttribute('aria-label', this.labelOf(incident));
    }
  }

  private applyVisibility(): void {
    const visible = document.visibilityState === 'visible';
    for (const marker of this.markers.values()) marker.getElement().classList.toggle('pulsing', visible);
  }

  destroy(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    for (const marker of this.markers.values()) marker.remove();
    this.markers.clear();
  }
}
