import type { IClientOptions } from 'mqtt';
import { Agent, createGeneratorSource, createMemoryOutbox, validateConfig, formatProblems, type FrameSource } from '@streetwise/edge-agent';
import { findDetectorByRole, loadManifest, modelPath } from '@streetwise/models';
import type { Logger } from 'pino';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceSite } from '../city/city.js';
import { SW_SIM_OPTIONS_INVALID } from '../errors.js';
import { incidentsStarting, type Incident, type IncidentType } from '../traffic/incidents.js';
import { LiveStreet, type StagedIncident } from '../scenes/live-street.js';
import { toLocation } from './messages.js';

export interface LiveCameraOptions {
  site: DeviceSite;
  seed: number;
  mqttUrl: string;
  prefix: string;
  /** Extra MQTT options for the camera's connection: a gateway login (username, password), a TLS ca. */
  mqtt?: Partial<IClientOptions>;
  /** Frames per second rendered and run through the detector. Default 2. */
  fps?: number;
  /** Seconds still before a vehicle counts as stopped. Default 20. */
  stoppedS?: number;
  /** Incidents per hour drawn from the city's incident model (0: only staged ones). Default 0.5. */
  incidentsPerHour?: number;
  /** Seconds between health messages. Default 30. */
  healthIntervalS?: number;
  /**
   * Simulated clock for tests: frames are stamped start + k * stepMs and rendered as fast as the
   * pipeline takes them, instead of in real time.
   */
  simulatedClock?: { startMs: number; stepMs: number };
  logger: Logger;
}

/** A simulated camera that runs the real edge agent: rendered frames → ONNX detector → tracker → rules → publisher. */
export interface LiveCamera {
  readonly agent: Agent;
  readonly street: LiveStreet;
  /** Stage an incident in front of the camera now (simulated time when a simulated clock is used). */
  stage(type: IncidentType, durationS: number): StagedIncident;
  /** Everything staged so far (drawn from the incident model or asked for). */
  groundTruth(): StagedIncident[];
  /** Frames rendered so far. */
  readonly frames: number;
  /** The current time of the camera's clock. */
  now(): number;
  stop(): Promise<void>;
}

export async function startLiveCamera(options: LiveCameraOptions): Promise<LiveCamera> {
  const { site } = options;
  const fps = options.fps ?? 2;
  if (!(fps > 0 && fps <= 15)) throw SW_SIM_OPTIONS_INVALID(['liveCameraFps', JSON.stringify(fps), 'frames per second, above 0 and at most 15']);
  // Named explicitly: a camera config without a model gets the real-camera detector (YOLOX-Nano, COCO), which
  // does not know our rendered sprites; the simulator's cameras run the detector trained on rendered scenes.
  const detector = findDetectorByRole(loadManifest(), 'simulated-scenes');
  const street = new LiveStreet({ site, seed: options.seed, ...(options.stoppedS ? { stoppedS: options.stoppedS } : {}) });
  const camera = street.cameraConfig();
  const raw = {
    device: { id: site.id, kind: 'camera', name: site.name, location: toLocation(site.location), district: site.district, road: site.road },
    mqtt: { url: options.mqttUrl, prefix: options.prefix, healthIntervalS: options.healthIntervalS ?? 30 },
    detector: { model: modelPath(detector), version: detector.version, thresholds: { default: 0.4 }, modelDir: join(tmpdir(), 'streetwise-sim-models', site.id) },
    cameras: { street: { source: { kind: 'synthetic', fps }, ...camera } },
    traffic: { intervalS: 60, freeFlowKmh: site.freeFlowKmh },
    logLevel: 'warn',
  };
  const checked = validateConfig(raw);
  if (!checked.ok) throw SW_SIM_OPTIONS_INVALID([`live camera ${site.id}`, 'config', formatProblems(checked.problems)]);

  const clock = options.simulatedClock;
  let frameIndex = 0;
  let lastIncidentCheck = clock?.startMs ?? Date.now();
  const now = (): number => (clock ? clock.startMs + frameIndex * clock.stepMs : Date.now());
  const perHour = options.incidentsPerHour ?? 0.5;
  const periodMs = 1000 / fps;
  let nextAt = Date.now();
  let stopped = false;

  const source = (): FrameSource =>
    createGeneratorSource(`street-${site.id}`, async () => {
      if (stopped) return undefined;
      if (!clock) {
        // Real time: pace frames at fps; a slow pipeline just gets fewer.
        const wait = nextAt - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        nextAt = Math.max(nextAt + periodMs, Date.now());
        if (stopped) return undefined;
      }
      const t = now();
      for (const incident of perHour > 0 ? incidentsStarting(options.seed, site, lastIncidentCheck, t, perHour) : []) {
        street.stage(incident.type, t, Math.round((incident.endMs - incident.startMs) / 1000), incident.id);
      }
      lastIncidentCheck = t;
      street.step(t);
      const frame = await street.frame(t, frameIndex);
      frameIndex++;
      return { kind: 'raw', data: frame.data, width: frame.width, height: frame.height, channels: 3, capturedAt: t };
    });

  const agent = await Agent.create(checked.value, {
    logger: options.logger,
    sources: { street: source },
    outbox: createMemoryOutbox(),
    // Ingest checks that the MQTT client id is the device id.
    mqtt: { ...options.mqtt, clientId: site.id },
  });
  agent.start();
  return {
    agent,
    street,
    stage: (type, durationS) => street.stage(type, now(), durationS),
    groundTruth: () => street.stagedIncidents(),
    get frames() {
      return frameIndex;
    },
    now,
    stop: async () => {
      stopped = true;
      await agent.stop();
    },
  };
}

/** Incidents as ground truth records (the fleet's format) from what a live street staged. */
export function stagedAsIncidents(site: DeviceSite, staged: readonly StagedIncident[]): Incident[] {
  return staged.map((s) => ({
    id: s.id,
    type: s.type,
    deviceId: site.id,
    location: site.location,
    startMs: s.startMs,
    endMs: s.endMs,
    severity: s.type === 'wrong_way' ? 'critical' : s.type === 'collision' ? 'high' : s.type === 'crowd_density' ? 'low' : 'medium',
    class: s.type === 'crowd_density' || s.type === 'intrusion' ? 'person' : 'car',
    count: 1,
  }));
}
