import { computeHomography, latLonToMeters, type Point } from '../track/homography.js';
import { polygonArea } from '../rules/geometry.js';
import type { CameraConfig, DeviceConfig, SensorConfig } from './schema.js';
import type { ConfigProblem } from './problems.js';

type Path = Array<string | number>;

/** Every line, zone, lane and calibration point must lie inside the camera frame they are drawn on. */
export function verifyLinesInsideFrame(camera: CameraConfig, at: Path): ConfigProblem[] {
  const { width, height } = camera.frame;
  const problems: ConfigProblem[] = [];
  const check = (p: Point, path: Path) => {
    if (p[0] < 0 || p[0] > width || p[1] < 0 || p[1] > height) problems.push({ path: [...at, ...path], value: p, message: `point is outside the ${width}×${height} frame` });
  };
  camera.lines.forEach((l, i) => {
    check(l.from, ['lines', i, 'from']);
    check(l.to, ['lines', i, 'to']);
  });
  camera.zones.forEach((z, i) => z.polygon.forEach((p, j) => check(p, ['zones', i, 'polygon', j])));
  camera.lanes.forEach((l, i) => {
    l.polygon.forEach((p, j) => check(p, ['lanes', i, 'polygon', j]));
    if (l.queue?.head) check(l.queue.head, ['lanes', i, 'queue', 'head']);
  });
  camera.calibration?.points.forEach((p, i) => check(p.image, ['calibration', 'points', i, 'image']));
  return problems;
}

/** Names identify rules in events: unique per camera and kind. Lines need length, polygons area. */
export function verifyRuleShapes(camera: CameraConfig, at: Path): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const kind of ['lines', 'zones', 'lanes'] as const) {
    const seen = new Set<string>();
    camera[kind].forEach((r, i) => {
      if (seen.has(r.name)) problems.push({ path: [...at, kind, i, 'name'], value: r.name, message: `another of the camera's ${kind} has this name` });
      seen.add(r.name);
    });
  }
  camera.lines.forEach((l, i) => {
    if (l.from[0] === l.to[0] && l.from[1] === l.to[1]) problems.push({ path: [...at, 'lines', i, 'to'], value: l.to, message: 'a line needs two different points' });
  });
  for (const kind of ['zones', 'lanes'] as const) {
    camera[kind].forEach((z, i) => {
      if (polygonArea(z.polygon) === 0) problems.push({ path: [...at, kind, i, 'polygon'], value: z.polygon, message: 'the polygon has no area' });
    });
  }
  return problems;
}

export function verifySource(camera: CameraConfig, at: Path): ConfigProblem[] {
  const s = camera.source;
  const path = [...at, 'source'];
  if (s.kind === 'images' && !s.path) return [{ path: [...path, 'path'], value: undefined, message: 'an images source needs a path (file or folder)' }];
  if ((s.kind === 'snapshot' || s.kind === 'mjpeg') && !/^https?:\/\//.test(s.url ?? '')) return [{ path: [...path, 'url'], value: s.url, message: `a ${s.kind} source needs an http(s):// URL` }];
  if (s.kind === 'rtsp' && !s.url) return [{ path: [...path, 'url'], value: undefined, message: 'an rtsp source needs a URL (rtsp://…)' }];
  return [];
}

/** Each calibration point gives ground metres or lat/lon (not both); the 4 points must fix a homography. */
export function verifyCalibration(camera: CameraConfig, at: Path, origin: { lat: number; lon: number }): ConfigProblem[] {
  const c = camera.calibration;
  if (!c) return [];
  const problems: ConfigProblem[] = [];
  c.points.forEach((p, i) => {
    const hasLatLon = p.lat !== undefined && p.lon !== undefined;
    if ((p.ground !== undefined) === hasLatLon || (p.lat === undefined) !== (p.lon === undefined)) {
      problems.push({ path: [...at, 'calibration', 'points', i], value: p, message: 'give either ground [east, north] metres or both lat and lon' });
    }
  });
  if (problems.length === 0 && !calibrationHomography(camera, origin)) {
    problems.push({ path: [...at, 'calibration', 'points'], value: c.points.map((p) => p.image), message: 'these 4 points do not fix a ground plane (3 of them lie on one line?)' });
  }
  return problems;
}

export function calibrationHomography(camera: CameraConfig, origin: { lat: number; lon: number }) {
  const c = camera.calibration;
  if (!c) return undefined;
  return computeHomography(c.points.map((p) => ({ image: p.image, ground: p.ground ?? latLonToMeters(origin, p.lat!, p.lon!) })));
}

export function verifySensor(sensor: SensorConfig, at: Path): ConfigProblem[] {
  if ((sensor.http === undefined) === (sensor.file === undefined)) return [{ path: at, value: { http: sensor.http, file: sensor.file }, message: 'give exactly one of http or file' }];
  return [];
}

/** All cross-field rules of a schema-valid config. */
export function crossCheck(config: DeviceConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const cameras = Object.entries(config.cameras);
  if (cameras.length > 0 && !config.detector) problems.push({ path: ['detector'], value: undefined, message: 'cameras need a detector (detector -> model)' });
  for (const [name, camera] of cameras) {
    const at = ['cameras', name];
    problems.push(...verifySource(camera, at), ...verifyLinesInsideFrame(camera, at), ...verifyRuleShapes(camera, at), ...verifyCalibration(camera, at, config.device.location));
  }
  config.sensors.forEach((s, i) => problems.push(...verifySensor(s, ['sensors', i])));
  return problems;
}
