export { startFleet, validateFleetOptions, DEFAULT_FLEET_OPTIONS, SIM_MODELS } from './fleet/fleet.js';
export type { Fleet, FleetOptions, FleetStats } from './fleet/fleet.js';
export { createFaultProxy, connectClientId } from './fleet/fault-proxy.js';
export { startLiveCamera, stagedAsIncidents } from './fleet/live-camera.js';
export type { LiveCamera, LiveCameraOptions } from './fleet/live-camera.js';
export { LiveStreet } from './scenes/live-street.js';
export type { LiveStreetOptions, StagedIncident, StreetCameraConfig } from './scenes/live-street.js';
export type { FaultProxy } from './fleet/fault-proxy.js';
export { birthInfo, telemetryBody, incidentEventBody, birthMessage, telemetryMessage, incidentEvent, CAPABILITIES, SIM_FIRMWARE } from './fleet/messages.js';
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
export { incidentsStarting, incidentsActive, forcedIncident } from './traffic/incidents.js';
export { simulateSeries, FIVE_MINUTES_MS } from './traffic/series.js';
export type { SeriesPoint } from './traffic/series.js';
export { randomScene, DEFAULT_DENSITY, CLASS_SIZE, groundY, heightY, screenX, nearestVisibleZ } from './scenes/scene-spec.js';
export type { SceneSpec, SceneObject, CameraView, Lighting, View, Building, RandomSceneOptions } from './scenes/scene-spec.js';
export { renderScene, sceneSvg, objectBox, MIN_BOX_HEIGHT_PX, MIN_BOX_WIDTH_PX, MIN_VISIBLE } from './scenes/render.js';
export type { RenderedScene, RenderOptions, LabelledBox, PixelBox } from './scenes/render.js';
export { renderTrainingSample, exportDetectorDataset, DETECTOR_INPUT, LETTERBOX_GREY } from './scenes/dataset.js';
export type { TrainingSample, DatasetOptions } from './scenes/dataset.js';
export type { Incident, IncidentType } from './traffic/incidents.js';
export { createRandom } from './random.js';
export type { Random } from './random.js';
export {
  SW_SIM_DATA_MISSING,
  SW_SIM_DATA_INVALID,
  SW_SIM_FLAG_INVALID,
  SW_SIM_OPTIONS_INVALID,
  SW_SIM_CONNECT_FAILED,
  SW_SIM_DEVICE_UNKNOWN,
  SW_SIM_RENDER_FAILED,
  SW_SIM_FAULTS_DISABLED,
  SW_SIM_FLAGS_INVALID,
  SIMULATOR_ERRORS,
} from './errors.js';
export { startLoad } from './load/load-run.js';
export type { LoadOptions, LoadProgress, LoadSummary, LoadRun } from './load/load-run.js';
