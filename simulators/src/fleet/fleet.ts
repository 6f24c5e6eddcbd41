import type { IClientOptions } from 'mqtt';
import { createMemoryOutbox, createPublisher, openFileOutbox, type OutboxStore, type Publisher } from '@streetwise/edge-agent';
import { pino, type Logger } from 'pino';
import { join } from 'node:path';
import { buildCity, selectSites, type DeviceSite } from '../city/city.js';
import { SW_SIM_CONNECT_FAILED, SW_SIM_DEVICE_UNKNOWN, SW_SIM_FAULTS_DISABLED, SW_SIM_OPTIONS_INVALID } from '../errors.js';
import { createRandom, type Random } from '../random.js';
import { forcedIncident, incidentsStarting, type Incident, type IncidentType } from '../traffic/incidents.js';
import { measureSite } from '../traffic/measure.js';
import { createFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startLiveCamera, stagedAsIncidents, type LiveCamera } from './live-camera.js';
import { birthInfo, incidentEventBody, telemetryBody } from './messages.js';

export interface FleetOptions {
  /** Broker URL, e.g. mqtt://127.0.0.1:1883. */
  mqttUrl: string;
  /** How many devices, spread over the 18 districts. Default 50. */
  devices?: number;
  /** Seed of the city, traffic, incidents and noise. Default 1. */
  seed?: number;
  /** MQTT topic prefix. Default "streetwise". */
  prefix?: string;
  /**
   * Extra MQTT options for every device connection: the fleet's gateway login (username = gateway
   * name, password = its secret; the client id stays the device id), a TLS ca. Default none.
   */
  mqtt?: Partial<IClientOptions>;
  /** Prefix of device ids (which are also the MQTT client ids). Default "sim". */
  idPrefix?: string;
  logger?: Logger;
  /** Telemetry messages per second per device. Default 0.1 (one every 10 s). Bounds 0.001–50. */
  ratePerDevice?: number;
  /** Seconds between health messages. Default 30. */
  healthIntervalS?: number;
  /** Safety incidents per camera per hour. Default 0.5; 0 turns them off. */
  incidentsPerHour?: number;
  /** Devices connecting at once while the fleet starts. Default 100. */
  connectConcurrency?: number;
  /** Wait for each device's first connection, ms. Default 15000. */
  connectTimeoutMs?: number;
  /** Route devices through an in-process relay so dropConnection() can cut them. Default false. */
  faults?: boolean;
  /** Outbox of each device: in memory (default), or on disk under this directory (one folder per device). */
  outboxDir?: string;
  /** Called for every message a device queues (for load figures and tests). */
  onPublish?: (deviceId: string, kind: 'telemetry' | 'event') => void;
  /**
   * How many cameras run the real edge agent on rendered frames (detector, tracker, rules); the others
   * publish modelled counts. Each costs roughly (render + inference) × fps of CPU: measured ~3% of a
   * core per camera at 2 frames/s. Default 2.
   */
  liveCameras?: number;
  /** Frames per second of each live camera. Default 2. */
  liveCameraFps?: number;
  /** Seconds still before a live camera calls a vehicle stopped. Default 20. */
  stoppedS?: number;
}

export interface FleetStats {
  devices: number;
  connected: number;
  byKind: Record<string, number>;
  /** Messages queued by the simulated devices. */
  queued: { telemetry: number; event: number };
  /** Acknowledged by the broker (PUBACK), events and telemetry. */
  acked: number;
  healthSent: number;
  /** Waiting in outboxes or in flight. */
  pending: number;
  outboxDropped: number;
  connects: number;
  incidents: number;
  /** Frames rendered and run through the detector by live cameras. */
  liveFrames: number;
  uptimeS: number;
}

export interface Fleet {
  stop(): Promise<void>;
  stats(): FleetStats;
  /** The device sites, in start order. */
  readonly sites: readonly DeviceSite[];
  /** Ground truth of every incident that has started so far. */
  groundTruth(): Incident[];
  /** Cut one device's network for `seconds`: the broker publishes its last will; it reconnects by itself afterwards. */
  dropConnection(deviceId: string, seconds: number): void;
  /** Resolves when every outbox is empty. */
  whenDrained(timeoutMs?: number): Promise<void>;
  /** Make an incident happen in front of a camera now (live cameras stage it in the rendered street). */
  stageIncident(deviceId: string, type: IncidentType, durationS: number): Incident;
  /** The live cameras (edge agents on rendered frames). */
  readonly liveCameras: readonly LiveCamera[];
}

/** Versions the simulated cameras report: the detector they would run. */
export const SIM_MODELS: Readonly<Record<string, string>> = { detector: 'sw-det-sim' };

export const DEFAULT_FLEET_OPTIONS = {
  devices: 50,
  seed: 1,
  prefix: 'streetwise',
  idPrefix: 'sim',
  ratePerDevice: 0.1,
  healthIntervalS: 30,
  incidentsPerHour: 0.5,
  connectConcurrency: 100,
  connectTimeoutMs: 15_000,
  faults: false,
  liveCameras: 2,
  liveCameraFps: 2,
  stoppedS: 20,
} as const;

function check(ok: boolean, path: string, value: unknown, expected: string): void {
  if (!ok) throw SW_SIM_OPTIONS_INVALID([path, JSON.stringify(value), expected]);
}

interface RunningDevice {
  site: DeviceSite;
  publisher: Publisher;
  outbox: OutboxStore;
  random: Random;
  lastTickMs: number;
  timers: NodeJS.Timeout[];
}

export function validateFleetOptions(o: Required<Omit<FleetOptions, 'logger' | 'outboxDir' | 'onPublish' | 'mqtt'>>): void {
  check(Number.isInteger(o.liveCameras) && o.liveCameras >= 0 && o.liveCameras <= 64, 'liveCameras', o.liveCameras, 'an integer 0–64');
  check(o.liveCameraFps > 0 && o.liveCameraFps <= 15, 'liveCameraFps', o.liveCameraFps, 'frames per second, above 0 and at most 15');
  check(o.stoppedS >= 1 && o.stoppedS <= 3600, 'stoppedS', o.stoppedS, 'seconds, 1–3600');
  check(typeof o.mqttUrl === 'string' && /^(mqtts?|wss?|tcp):\/\//.test(o.mqttUrl), 'mqttUrl', o.mqttUrl, 'an mqtt://, mqtts://, ws:// or wss:// URL');
  check(Number.isInteger(o.devices) && o.devices >= 1 && o.devices <= 100_000, 'devices', o.devices, 'an integer 1–100000');
  check(Number.isInteger(o.seed), 'seed', o.seed, 'an integer');
  check(o.ratePerDevice >= 0.001 && o.ratePerDevice <= 50, 'ratePerDevice', o.ratePerDevice, 'messages per second per device, 0.001–50');
  check(o.healthIntervalS >= 1 && o.healthIntervalS <= 3600, 'healthIntervalS', o.healthIntervalS, 'seconds, 1–3600');
  check(o.incidentsPerHour >= 0 && o.incidentsPerHour <= 60, 'incidentsPerHour', o.incidentsPerHour, 'per camera per hour, 0–60');
  check(Number.isInteger(o.connectConcurrency) && o.connectConcurrency >= 1, 'connectConcurrency', o.connectConcurrency, 'an integer ≥ 1');
}

/**
 * Start a simulated fleet. Every device runs the edge agent's real publisher (outbox, retained birth,
 * last will, health, QoS 1 with ack-before-remove) with MQTT client id = device id, and feeds it
 * telemetry every 1/ratePerDevice seconds from the traffic model; cameras raise safety events when an
 * incident starts in their view, and the incident is kept as ground truth.
 */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const o = { ...DEFAULT_FLEET_OPTIONS, ...options };
  validateFleetOptions(o);
  const parent = o.logger ?? pino({ level: 'silent' });
  const logger = parent.child({ component: 'fleet' });
  // Each device's publisher names itself (component 'publish', deviceId), so it gets the parent, not the
  // fleet's child: pino would print `component` twice.
  const deviceLogger = parent.child({}, { level: 'warn' });

  const city = buildCity({ seed: o.seed, idPrefix: o.idPrefix });
  const sites = selectSites(city, o.devices, o.idPrefix);
  const intervalMs = Math.max(20, Math.round(1000 / o.ratePerDevice));
  const intervalS = Math.max(1, Math.round(intervalMs / 1000));
  const queued = { telemetry: 0, event: 0 };
  const incidents: Incident[] = [];
  const startedAt = Date.now();
  const proxy: FaultProxy | undefined = o.faults ? await createFaultProxy(o.mqttUrl) : undefined;
  const brokerUrl = proxy?.url ?? o.mqttUrl;

  const liveIds = new Set(sites.filter((s) => s.kind === 'camera').slice(0, o.liveCameras).map((s) => s.id));
  const running: RunningDevice[] = sites.filter((site) => !liveIds.has(site.id)).map((site) => {
    const outbox = o.outboxDir ? openFileOutbox({ dir: join(o.outboxDir, site.id) }) : createMemoryOutbox();
    const publisher = createPublisher({
      deviceId: site.id,
      mqttUrl: brokerUrl,
      prefix: o.prefix,
      outbox,
      birth: birthInfo(site, { ...SIM_MODELS }),
      healthIntervalS: o.healthIntervalS,
      logger: deviceLogger,
      // Ingest checks that the MQTT client id is the device id.
      mqtt: { ...o.mqtt, clientId: site.id, reconnectPeriod: 1000 + Math.floor(Math.random() * 1000) },
    });
    return { site, publisher, outbox, random: createRandom(o.seed).fork(`device:${site.id}`), lastTickMs: Date.now(), timers: [] };
  });
  const byId = new Map(running.map((d) => [d.site.id, d]));

  const tick = (device: RunningDevice): void => {
    const now = Date.now();
    const measurement = measureSite(device.site, now, intervalS, { seed: o.seed, random: device.random, incidentsPerHour: o.incidentsPerHour });
    device.publisher.publishTelemetry(telemetryBody(device.site, measurement, intervalS));
    queued.telemetry++;
    o.onPublish?.(device.site.id, 'telemetry');
    for (const incident of incidentsStarting(o.seed, device.site, device.lastTickMs, now, o.incidentsPerHour)) {
      incidents.push(incident);
      logger.info({ deviceId: device.site.id, type: incident.type, incident: incident.id }, 'incident');
      device.publisher.publishEvent(incidentEventBody(incident, SIM_MODELS['detector'], now));
      queued.event++;
      o.onPublish?.(device.site.id, 'event');
    }
    device.lastTickMs = now;
  };

  const live: LiveCamera[] = [];
  const stopAll = async (): Promise<void> => {
    for (const device of running) for (const timer of device.timers) clearTimeout(timer);
    await Promise.allSettled([...running.map((d) => d.publisher.stop()), ...live.map((c) => c.stop())]);
    for (const device of running) device.outbox.close();
    await proxy?.close();
  };

  // Connect in waves so a few thousand devices do not all hit the broker at once.
  for (let i = 0; i < running.length; i += o.connectConcurrency) {
    const wave = running.slice(i, i + o.connectConcurrency);
    for (const device of wave) device.publisher.start();
    const results = await Promise.allSettled(wave.map((d) => d.publisher.whenConnected(o.connectTimeoutMs)));
    const failed = results.findIndex((r) => r.status === 'rejected');
    if (failed >= 0) {
      await stopAll();
      throw SW_SIM_CONNECT_FAILED([wave[failed]!.site.id, o.mqttUrl, o.connectTimeoutMs], { cause: (results[failed] as PromiseRejectedResult).reason });
    }
  }
  try {
    for (const site of sites.filter((s) => liveIds.has(s.id))) {
      const camera = await startLiveCamera({
        site,
        seed: o.seed,
        mqttUrl: brokerUrl,
        prefix: o.prefix,
        fps: o.liveCameraFps,
        stoppedS: o.stoppedS,
        incidentsPerHour: o.incidentsPerHour,
        healthIntervalS: o.healthIntervalS,
        logger: deviceLogger,
        ...(o.mqtt ? { mqtt: o.mqtt } : {}),
      });
      live.push(camera);
      await camera.agent.publisher.whenConnected(o.connectTimeoutMs);
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  const liveById = new Map(live.map((c) => [c.agent.publisher.deviceId, c]));
  logger.info({ devices: sites.length, live: live.length, intervalS, url: o.mqttUrl, faults: o.faults }, 'fleet connected');

  for (const device of running) {
    const phase = Math.floor(device.random.next() * intervalMs);
    device.lastTickMs = Date.now();
    device.timers.push(
      setTimeout(() => {
        tick(device);
        device.timers.push(setInterval(() => tick(device), intervalMs));
      }, phase),
    );
    device.publisher.publishHealth();
  }

  return {
    sites,
    stats: () => {
      const byKind: Record<string, number> = {};
      for (const site of sites) byKind[site.kind] = (byKind[site.kind] ?? 0) + 1;
      let connected = 0;
      let acked = 0;
      let healthSent = 0;
      let pending = 0;
      let outboxDropped = 0;
      let connects = 0;
      for (const d of [...running.map((r) => r.publisher), ...live.map((c) => c.agent.publisher)]) {
        const s = d.stats();
        if (s.connected) connected++;
        acked += s.acked;
        healthSent += s.healthSent;
        pending += s.outboxDepth;
        outboxDropped += s.outboxDropped;
        connects += s.connects;
      }
      return {
        devices: sites.length,
        connected,
        byKind,
        queued: { ...queued },
        acked,
        healthSent,
        pending,
        outboxDropped,
        connects,
        incidents: incidents.length + live.reduce((n, c) => n + c.groundTruth().length, 0),
        liveFrames: live.reduce((n, c) => n + c.frames, 0),
        uptimeS: Math.round((Date.now() - startedAt) / 100) / 10,
      };
    },
    liveCameras: live,
    groundTruth: () => [...incidents, ...live.flatMap((c) => stagedAsIncidents(sites.find((s) => s.id === c.agent.publisher.deviceId)!, c.groundTruth()))],
    stageIncident: (deviceId, type, durationS) => {
      const camera = liveById.get(deviceId);
      const site = sites.find((s) => s.id === deviceId);
      if (!site) throw SW_SIM_DEVICE_UNKNOWN([deviceId]);
      if (camera) return stagedAsIncidents(site, [camera.stage(type, durationS)])[0]!;
      const device = byId.get(deviceId)!;
      const now = Date.now();
      const incident = forcedIncident(site, type, now, durationS);
      incidents.push(incident);
      device.publisher.publishEvent(incidentEventBody(incident, SIM_MODELS['detector'], now));
      queued.event++;
      return incident;
    },
    dropConnection: (deviceId, seconds) => {
      if (!byId.has(deviceId) && !liveById.has(deviceId)) throw SW_SIM_DEVICE_UNKNOWN([deviceId]);
      if (!proxy) throw SW_SIM_FAULTS_DISABLED([deviceId]);
      logger.info({ deviceId, seconds }, 'dropping connection');
      proxy.drop(deviceId, seconds * 1000);
    },
    whenDrained: async (timeoutMs = 10_000) => {
      await Promise.all([...running.map((d) => d.publisher), ...live.map((c) => c.agent.publisher)].map((p) => p.whenDrained(timeoutMs)));
    },
    stop: async () => {
      await stopAll();
      logger.info({ ...queued }, 'fleet stopped');
    },
  };
}
