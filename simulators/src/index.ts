export { startFleet, DEFAULT_FLEET_OPTIONS, SIM_MODELS } from './fleet/fleet.js';
export type { Fleet, FleetOptions, FleetStats, TransportContext } from './fleet/fleet.js';
export { MqttTransport } from './fleet/transport.js';
export type { DeviceTransport, MqttTransportOptions } from './fleet/transport.js';
export { birthMessage, offlineMessage, telemetryMessage, healthMessage, incidentEvent, CAPABILITIES } from './fleet/messages.js';
export { buildCity, selectSites, districtAt, DISTRICT_CHARACTER } from './city/city.js';
export type { City, District, DeviceSite, DistrictCharacter, SimDeviceKind, CityOptions } from './city/city.js';
export type { Arterial, Junction, RoadGraph, RoadClass } from './city/roads.js';
export { loadHkData, DEFAULT_DATA_DIR } from './city/hk-data.js';
export type { HkData, DetectorSite, DistrictShape, AqStation } from './city/hk-data.js';
export type { LonLat } from './city/geo.js';
export { demandFactor, localTime, HK_OFFSET_MS } from './traffic/profile.js';
export { measureSite } from './traffic/measure.js';
export type { SiteMeasurement, MeasureContext } from './traffic/measure.js';
export { rainIntensity } from './traffic/weather.js';
export { publicEventsOnDay, eventActivity, VENUES } from './traffic/public-events.js';
export type { PublicEvent, Venue } from './traffic/public-events.js';
export { incidentsStarting, incidentsActive } from './traffic/incidents.js';
export type { Incident, IncidentType } from './traffic/incidents.js';
export { createRandom } from './random.js';
export type { Random } from './random.js';
export {
  SW_SIM_DATA_MISSING,
  SW_SIM_DATA_INVALID,
  SW_SIM_FLAG_INVALID,
  SW_SIM_OPTIONS_INVALID,
  SW_SIM_CONNECT_FAILED,
  SW_SIM_MESSAGE_INVALID,
  SW_SIM_DEVICE_UNKNOWN,
  SW_SIM_RENDER_FAILED,
} from './errors.js';
