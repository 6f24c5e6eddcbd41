/** The incidents layer's features: every incident not resolved, as a point with its severity and status. */
import type { IncidentView } from '../api/types.js';

export interface IncidentFeatureCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; id: string; geometry: { type: 'Point'; coordinates: [number, number] }; properties: { id: string; severity: string; status: string; type: string } }>;
}

export function incidentFeatures(incidents: Iterable<IncidentView>): IncidentFeatureCollection {
  const features: IncidentFeatureCollection['features'] = [];
  for (const incident of incidents) {
    if (incident.status === 'resolved') continue;
    features.push({
      type: 'Feature',
      id: incident.id,
      geometry: { type: 'Point', coordinates: [incident.lon, incident.lat] },
      properties: { id: incident.id, severity: incident.severity, status: incident.status, type: incident.type },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** Open critical incidents nobody has acknowledged yet: these pulse. */
export function unacknowledgedCritical(incidents: Iterable<IncidentView>): IncidentView[] {
  return [...incidents].filter((incident) => incident.severity === 'critical' && incident.status === 'open');
}
