import { pino, type Logger } from 'pino';
import { buildCity, selectSites, type DeviceSite } from '../city/city.js';
import { SW_SIM_CONNECT_FAILED, SW_SIM_DEVICE_UNKNOWN, SW_SIM_OPTIONS_INVALID } from '../errors.js';
import { createRandom, type Random } from '../random.js';
import { incidentsStarting, type Incident } from '../traffic/incidents.js';
import { measureSite } from '../traffic/measure.js';
import { birthMessage, healthMessage, incidentEvent, offlineMessage, telemetryMessage } from './messages.js';
import { MqttTransport, type DeviceTransport } from './transport.js';

export interface FleetOptions {
  /** Broker URL, e.g. mqtt://127.0.0.1:1883. */
  mqttUrl: string;
  /** How many devices, spread over the 18 districts. Default 50. */
  devices?: number;
  /** Seed of the city, traffic, incidents and noise. Default 1. */
  seed?: number;
  /** MQTT topic prefix. Default "streetwise". */
  prefix?: string;
  /** Prefix of device ids (and MQTT client ids). Default "sim". */
  idPrefix?: string;
  logger?: Logger;
  /** Telemetry messages per second per device. Default 0.1 (one every 10 s). Bounds 0.001–50. */
  ratePerDevice?: number;
  /** Seconds between health messages. Default 30. */
  healthIntervalS?: number;
  /** Safety incidents per camera per hour. Default 0.5; 0 turns them off. */
  incidentsPerHour?: number;
  /** Devices connecting at once while the fleet starts. Default 50. */
  connectConcurrency?: number;
  /** Make the transport of one device; default a bare MQTT.js client. */
  transportFactory?: (site: DeviceSite, context: TransportContext) => DeviceTransport;
  /** Called after every message a device sends (for load figures and tests). */
  onPublish?: (deviceId: string, kind: 'telemetry' | 'health' | 'event') => void;
}

export interface TransportContext {
  mqttUrl: string;
  topicPrefix: string;
  models: Record<string, string>;
  onError: (err: Error) => void;
}

export interface FleetStats {
  devices: number;
  connected: number;
  byKind: Record<string, number>;
  published: { telemetry: number; health: number; event: number };
  failed: number;
  pending: number;
  incidents: number;
  uptimeS: number;
}

export interface Fleet {
  stop(): Promise<void>;
  stats(): FleetStats;
  /** The device sites, in start order. */
  readonly sites: readonly DeviceSite[];
  /** Ground truth of every incident that has started so far. */
  groundTruth(): Incident[];
  /** Drop one device's network connection for `seconds` (it reconnects by itself). */
  dropConnection(deviceId: string, seconds: number): void;
}

/** Versions the simulated cameras report until they run the real detector. */
export const SIM_MODELS: Readonly<Record<string, string>> = { detector: 'sw-det-sim' };

export const DEFAULT_FLEET_OPTIONS = {
  devices: 50,
  seed: 1,
  prefix: 'streetwise',
  idPrefix: 'sim',
  ratePerDevice: 0.1,
  healthIntervalS: 30,
  incidentsPerHour: 0.5,
  connectConcurrency: 50,
} as const;

function check(ok: boolean, path: string, value: unknown, expected: string): void {
  if (!ok) throw SW_SIM_OPTIONS_INVALID([path, JSON.stringify(value), expected]);
}

interface RunningDevice {
  site: DeviceSite;
  transport: DeviceTransport;
  random: Random;
  lastTickMs: number;
  timers: NodeJS.Timeout[];
}

/**
 * Start a simulated fleet: one MQTT client per device (client id = device id) with a retained birth
 * and a last will, telemetry every 1/ratePerDevice seconds, health every healthIntervalS and safety
 * events when an incident starts in view of a camera.
 */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const o = { ...DEFAULT_FLEET_OPTIONS, ...options };
  check(typeof o.mqttUrl === 'string' && /^(mqtts?|wss?|tcp):\/\//.test(o.mqttUrl), 'mqttUrl', o.mqttUrl, 'an mqtt://, mqtts://, ws:// or wss:// URL');
  check(Number.isInteger(o.devices) && o.devices >= 1 && o.devices <= 100_000, 'devices', o.devices, 'an integer 1–100000');
  check(Number.isInteger(o.seed), 'seed', o.seed, 'an integer');
  check(o.ratePerDevice >= 0.001 && o.ratePerDevice <= 50, 'ratePerDevice', o.ratePerDevice, 'messages per second per device, 0.001–50');
  check(o.healthIntervalS >= 1 && o.healthIntervalS <= 3600, 'healthIntervalS', o.healthIntervalS, 'seconds, 1–3600');
  check(o.incidentsPerHour >= 0 && o.incidentsPerHour <= 60, 'incidentsPerHour', o.incidentsPerHour, 'per camera per hour, 0–60');
  const logger = (o.logger ?? pino({ level: 'silent' })).child({ component: 'fleet' });

  const city = buildCity({ seed: o.seed, idPrefix: o.idPrefix });
  const sites = selectSites(city, o.devices, o.idPrefix);
  const intervalMs = Math.max(20, Math.round(1000 / o.ratePerDevice));
  const intervalS = Math.max(1, Math.round(intervalMs / 1000));
  const published = { telemetry: 0, health: 0, event: 0 };
  let failed = 0;
  const incidents: Incident[] = [];
  const startedAt = Date.now();
  let stopping = false;

  const context = (site: DeviceSite): TransportContext => ({
    mqttUrl: o.mqttUrl,
    topicPrefix: o.prefix,
    models: { ...SIM_MODELS },
    onError: (err) => logger.debug({ deviceId: site.id, err: err.message }, 'device transport error'),
  });
  const makeTransport =
    o.transportFactory ??
    ((site: DeviceSite, ctx: TransportContext): DeviceTransport =>
      new MqttTransport({
        url: ctx.mqttUrl,
        deviceId: site.id,
        topicPrefix: ctx.topicPrefix,
        birth: () => birthMessage(site, ctx.models),
        will: () => offlineMessage(site),
        onError: ctx.onError,
      }));

  const running: RunningDevice[] = sites.map((site) => ({
    site,
    transport: makeTransport(site, context(site)),
    random: createRandom(o.seed).fork(`device:${site.id}`),
    lastTickMs: Date.now(),
    timers: [],
  }));
  const byId = new Map(running.map((d) => [d.site.id, d]));

  const send = (device: RunningDevice, kind: 'telemetry' | 'health' | 'event', message: Parameters<DeviceTransport['publish']>[1]): void => {
    device.transport.publish(kind, message as never).then(
      () => {
        published[kind]++;
        o.onPublish?.(device.site.id, kind);
      },
      (err: Error) => {
        failed++;
        if (!stopping) logger.warn({ deviceId: device.site.id, kind, err: err.message }, 'publish failed');
      },
    );
  };

  const tick = (device: RunningDevice): void => {
    const now = Date.now();
    const measurement = measureSite(device.site, now, intervalS, { seed: o.seed, random: device.random, incidentsPerHour: o.incidentsPerHour });
    send(device, 'telemetry', telemetryMessage(device.site, measurement, intervalS, now));
    for (const incident of incidentsStarting(o.seed, device.site, device.lastTickMs, now, o.incidentsPerHour)) {
      incidents.push(incident);
      logger.info({ deviceId: device.site.id, type: incident.type, incident: incident.id }, 'incident');
      send(device, 'event', incidentEvent(device.site, incident, SIM_MODELS['detector'], now));
    }
    device.lastTickMs = now;
  };

  const health = (device: RunningDevice): void => {
    const figures = { uptimeS: (Date.now() - startedAt) / 1000, outboxDepth: device.transport.pending, rssMb: Math.round(process.memoryUsage().rss / 1e5) / 10 };
    send(device, 'health', healthMessage(device.site, figures, { ...SIM_MODELS }));
  };

  // Connect in waves so a few thousand devices do not all hit the broker at once.
  for (let i = 0; i < running.length; i += o.connectConcurrency) {
    const wave = running.slice(i, i + o.connectConcurrency);
    const results = await Promise.allSettled(wave.map((d) => d.transport.start()));
    const failures = results.flatMap((r, j) => (r.status === 'rejected' ? [{ device: wave[j]!, reason: r.reason as Error }] : []));
    if (failures.length > 0) {
      await Promise.allSettled(running.map((d) => d.transport.stop()));
      const first = failures[0]!;
      throw SW_SIM_CONNECT_FAILED([first.device.site.id, o.mqttUrl, 15_000], { cause: first.reason });
    }
  }
  logger.info({ devices: running.length, intervalS, url: o.mqttUrl }, 'fleet connected');

  for (const device of running) {
    const phase = Math.floor(device.random.next() * intervalMs);
    device.lastTickMs = Date.now();
    const first = setTimeout(() => {
      tick(device);
      device.timers.push(setInterval(() => tick(device), intervalMs));
    }, phase);
    const healthTimer = setInterval(() => health(device), o.healthIntervalS * 1000);
    device.timers.push(first, healthTimer);
    health(device);
  }

  return {
    sites,
    stats: () => {
      const byKind: Record<string, number> = {};
      for (const site of sites) byKind[site.kind] = (byKind[site.kind] ?? 0) + 1;
      return {
        devices: running.length,
        connected: running.filter((d) => d.transport.connected).length,
        byKind,
        published: { ...published },
        failed,
        pending: running.reduce((sum, d) => sum + d.transport.pending, 0),
        incidents: incidents.length,
        uptimeS: Math.round((Date.now() - startedAt) / 100) / 10,
      };
    },
    groundTruth: () => [...incidents],
    dropConnection: (deviceId, seconds) => {
      const device = byId.get(deviceId);
      if (!device) throw SW_SIM_DEVICE_UNKNOWN([deviceId]);
      logger.info({ deviceId, seconds }, 'dropping connection');
      device.transport.dropFor(seconds * 1000);
    },
    stop: async () => {
      stopping = true;
      for (const device of running) for (const timer of device.timers) clearTimeout(timer);
      await Promise.allSettled(running.map((d) => d.transport.stop()));
      logger.info(published, 'fleet stopped');
    },
  };
}
