import { mqttLoginOptions } from '../publish/credentials.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { pino, type Logger } from 'pino';
import type { IClientOptions } from 'mqtt';
import { calibrationHomography } from '../config/cross-checks.js';
import type { CameraConfig, DeviceConfig } from '../config/schema.js';
import { createOnnxDetector, type OnnxDetector } from '../detect/onnx-detector.js';
import { parsePublicKey } from '../manage/model-update.js';
import { openFileOutbox } from '../outbox/file-store.js';
import type { OutboxStore } from '../outbox/types.js';
import { CameraPipeline } from '../pipeline/camera-pipeline.js';
import { makeSnapshot } from '../privacy/snapshot.js';
import { createPublisher, type EventBody, type HealthFigures, type Publisher } from '../publish/publisher.js';
import { RuleEngine } from '../rules/engine.js';
import type { RulesConfig } from '../rules/types.js';
import { fileJsonReader, httpJsonReader, SensorInput } from '../sources/sensors/sensor.js';
import type { FrameSource } from '../sources/types.js';
import { ByteTracker } from '../track/byte-tracker.js';
import { createOnnxForecaster, type Forecaster } from '../traffic/forecaster.js';
import { TrafficReporter } from '../traffic/traffic-reporter.js';
import { toEventBody } from './event-body.js';
import { RemoteManagement, type ManagedDevice } from './remote-management.js';
import { buildSource } from './sources.js';
import { realCameraModelPath } from '../detect/manifest-names.js';
import { detectorOptions } from './detector-options.js';

export const AGENT_VERSION = '0.1.0';

export interface AgentOptions {
  logger?: Logger;
  /** Frame sources of `synthetic` cameras, by camera name (simulators). */
  sources?: Record<string, () => FrameSource>;
  /** Use this outbox instead of the disk one (simulators' load mode). */
  outbox?: OutboxStore;
  /** Extra MQTT.js options. */
  mqtt?: Partial<IClientOptions>;
  /** Wait before restarting a camera whose source failed, ms. Default 5000. */
  restartDelayMs?: number;
}

interface Camera {
  name: string;
  config: CameraConfig;
  pipeline: CameraPipeline;
  traffic: TrafficReporter;
  running: Promise<void>;
}

const rulesOf = (c: CameraConfig): RulesConfig => ({ lines: c.lines, zones: c.zones, lanes: c.lanes });

/** The field device: cameras and sensors in, events, telemetry and health out, managed over the config downlink. */
export class Agent implements ManagedDevice {
  readonly publisher: Publisher;
  readonly cameras = new Map<string, Camera>();
  private readonly log: Logger;
  private readonly outbox: OutboxStore;
  private readonly sensors: SensorInput[] = [];
  private readonly publicKey: KeyObject | undefined;
  private detector: OnnxDetector | undefined;
  private forecaster: Forecaster | undefined;
  private forecasterSha: string | undefined;
  private stopped = false;
  /** Camera pipeline runs that threw since start (health's inferenceErrors). */
  private pipelineErrors = 0;
  private readonly remote: RemoteManagement;

  private constructor(private config: DeviceConfig, private readonly options: AgentOptions) {
    const parentLogger = options.logger ?? pino({ level: config.logLevel });
    this.log = parentLogger.child({ component: 'agent', deviceId: config.device.id });
    this.publicKey = config.detector?.publicKey ? parsePublicKey(config.detector.publicKey) : undefined;
    this.outbox = options.outbox ?? openFileOutbox({ dir: config.outbox.dir, maxBytes: config.outbox.maxBytes, fsync: config.outbox.fsync, fsyncIntervalMs: config.outbox.fsyncIntervalMs });
    const d = config.device;
    this.publisher = createPublisher({
      deviceId: d.id,
      mqttUrl: config.mqtt.url,
      prefix: config.mqtt.prefix,
      outbox: this.outbox,
      healthIntervalS: config.mqtt.healthIntervalS,
      healthFigures: () => this.healthFigures(),
      // The publisher names itself (component, deviceId) on the parent; on this.log pino would print both twice.
      logger: parentLogger,
      mqtt: { reconnectPeriod: config.mqtt.reconnectPeriodMs, ...mqttLoginOptions(config.mqtt, d.id), ...options.mqtt },
      birth: {
        kind: d.kind,
        location: d.location,
        ...(d.name ? { name: d.name } : {}),
        ...(d.district ? { district: d.district } : {}),
        ...(d.road ? { road: d.road } : {}),
        capabilities: this.capabilities(),
        firmware: `streetwise-edge ${AGENT_VERSION}`,
        configVersion: config.configVersion,
      },
    });
    this.remote = new RemoteManagement(this, this.log, this.publicKey);
    this.publisher.onConfig((message) => this.remote.handle(message));
  }

  /** Load models and build everything; start() begins the work. */
  static async create(config: DeviceConfig, options: AgentOptions = {}): Promise<Agent> {
    const agent = new Agent(config, options);
    await agent.loadModels();
    return agent;
  }

  get configVersion(): number {
    return this.config.configVersion;
  }

  get modelVersion(): string | undefined {
    return this.detector?.modelVersion;
  }

  private capabilities(): string[] {
    const caps = new Set<string>();
    if (Object.keys(this.config.cameras).length) ['detect', 'track', 'rules', 'traffic', 'model_update'].forEach((c) => caps.add(c));
    for (const s of this.config.sensors) caps.add(s.kind);
    return [...caps];
  }

  modelVersions(): Record<string, string> {
    return { ...(this.detector ? { detector: this.detector.modelVersion } : {}), ...(this.forecaster ? { forecaster: this.forecaster.version } : {}) };
  }

  /** The model in force: the last verified update (modelDir/current.json) if there is one, else the configured file. */
  private async loadModels(): Promise<void> {
    const det = this.config.detector;
    if (det && Object.keys(this.config.cameras).length) {
      const current = await readFile(join(det.modelDir, 'current.json'), 'utf8').then((t) => JSON.parse(t) as { path: string; version: string }, () => undefined);
      const opts = detectorOptions(det);
      if (current) {
        try {
          this.detector = await createOnnxDetector({ modelPath: current.path, modelVersion: current.version, ...opts });
        } catch (err) {
          this.log.warn({ err }, 'updated model does not load; using the configured one');
        }
      }
      // A config that names no model gets the shipped real-camera detector, with its manifest settings.
      this.detector ??= await createOnnxDetector({ modelPath: det.model ?? realCameraModelPath(), ...(det.version ? { modelVersion: det.version } : {}), ...opts });
    }
    const fc = this.config.traffic.forecaster;
    const currentFc = det ? await readFile(join(det.modelDir, 'current-forecaster.json'), 'utf8').then((t) => JSON.parse(t) as { path: string; version: string; sha256: string }, () => undefined) : undefined;
    if (currentFc) {
      try {
        this.forecaster = Object.assign(await createOnnxForecaster({ modelPath: currentFc.path, utcOffsetMinutes: fc?.utcOffsetMinutes ?? 480 }), { version: currentFc.version });
        this.forecasterSha = currentFc.sha256;
      } catch (err) {
        this.log.warn({ err }, 'updated forecaster does not load; using the configured one');
      }
    }
    if (fc && !this.forecaster) this.forecaster = await createOnnxForecaster({ modelPath: fc.model, utcOffsetMinutes: fc.utcOffsetMinutes });
    this.publisher.updateBirth({ models: this.modelVersions() });
  }

  start(): void {
    this.publisher.start();
    for (const [name, camera] of Object.entries(this.config.cameras)) this.startCamera(name, camera);
    for (const s of this.config.sensors) {
      const input = new SensorInput({
        name: s.name,
        kind: s.kind,
        reader: s.http ? httpJsonReader(s.http) : fileJsonReader(s.file!),
        sampleS: s.sampleS,
        intervalS: s.intervalS,
        ...(s.approach ? { approach: s.approach } : {}),
        publish: (body) => this.publisher.publishTelemetry(body),
        onError: (err) => this.log.warn({ sensor: s.name, err: (err as Error).message }, 'sensor read failed'),
      });
      input.start();
      this.sensors.push(input);
    }
  }

  private startCamera(name: string, config: CameraConfig): void {
    const homography = calibrationHomography(config, this.config.device.location);
    const approaches = [...new Set(config.lines.map((l) => l.approach ?? l.name))];
    const traffic = new TrafficReporter({
      intervalS: this.config.traffic.intervalS,
      approaches,
      ...(this.config.traffic.freeFlowKmh ? { freeFlowKmh: this.config.traffic.freeFlowKmh } : {}),
      ...(this.forecaster ? { forecaster: this.forecaster } : {}),
      onForecastError: (err) => this.log.warn({ camera: name, err }, 'forecast failed'),
    });
    const pipeline = new CameraPipeline({
      name,
      source: buildSource(name, config, this.options.sources?.[name]),
      detector: this.detector!,
      tracker: new ByteTracker({ homography }),
      rules: new RuleEngine(rulesOf(config), homography),
      traffic,
      onEvents: async (events, context) => {
        const cam = this.cameras.get(name)!.config;
        for (const e of events) {
          const body: EventBody = toEventBody(e, name, this.detector?.modelVersion);
          if (cam.snapshots.enabled && e.severity !== 'info') {
            try {
              body.snapshot = await makeSnapshot(context.frame, context.result.detections, { width: cam.snapshots.width, quality: cam.snapshots.quality, blurSigma: cam.snapshots.blurSigma });
            } catch (err) {
              this.log.warn({ camera: name, err }, 'snapshot failed; event sent without it');
            }
          }
          this.publishSafely(() => this.publisher.publishEvent(body));
        }
      },
      onTelemetry: (list) => {
        for (const t of list) this.publishSafely(() => this.publisher.publishTelemetry({ ...t, ...(t.approach ? { approach: t.approach.slice(0, 64) } : {}) }));
      },
    });
    const run = async () => {
      while (!this.stopped) {
        try {
          await pipeline.run();
          if (config.source.kind === 'images' && !config.source.loop) return;
        } catch (err) {
          this.pipelineErrors++;
          this.log.error({ camera: name, err }, 'camera stopped; restarting');
        }
        if (this.stopped) return;
        await new Promise((r) => setTimeout(r, this.options.restartDelayMs ?? 5000));
        pipeline.setSource(buildSource(name, this.cameras.get(name)!.config, this.options.sources?.[name]));
      }
    };
    const camera: Camera = { name, config, pipeline, traffic, running: Promise.resolve() };
    this.cameras.set(name, camera);
    camera.running = run();
  }

  /** One malformed message is logged and dropped; it must not stop the camera. */
  private publishSafely(publish: () => unknown): void {
    try {
      publish();
    } catch (err) {
      this.log.error({ err }, 'message not queued');
    }
  }

  private healthFigures(): HealthFigures {
    const stats = [...this.cameras.values()].map((c) => c.pipeline.stats());
    const fps = stats.reduce((s, x) => s + x.fps, 0);
    // A camera taking frames as fast as it can (fps 0) has no target, so neither has the device.
    const targets = [...this.cameras.values()].map((c) => c.config.source.fps);
    const fpsTarget = targets.length > 0 && targets.every((t) => t > 0) ? targets.reduce((s, t) => s + t, 0) : undefined;
    const first = stats.find((s) => s.inferenceMsP50 !== undefined);
    const r = (v: number) => Math.round(v * 10) / 10;
    return {
      ...(stats.length ? { fps: r(Math.min(1000, fps)) } : {}),
      ...(fpsTarget !== undefined ? { fpsTarget: r(Math.min(1000, fpsTarget)) } : {}),
      ...(stats.length ? { inferenceErrors: Math.min(1_000_000, this.pipelineErrors) } : {}),
      ...(first ? { inferenceMsP50: r(first.inferenceMsP50!), inferenceMsP95: r(first.inferenceMsP95!) } : {}),
      models: this.modelVersions(),
      configVersion: this.config.configVersion,
    };
  }

  /** Hot reload: thresholds, rules and calibration from a validated config. */
  hotReload(next: DeviceConfig): void {
    if (next.detector && this.detector) this.detector.setThresholds(next.detector.thresholds);
    for (const [name, camera] of this.cameras) {
      const config = next.cameras[name]!;
      const homography = calibrationHomography(config, next.device.location);
      camera.pipeline.tracker.setHomography(homography);
      camera.pipeline.setRules(new RuleEngine(rulesOf(config), homography));
      camera.config = config;
    }
    this.config = next;
  }

  /** Put a loaded detector in force; the old session is released once frames in flight are done. */
  swapDetector(next: OnnxDetector): void {
    const previous = this.detector;
    this.detector = next;
    for (const camera of this.cameras.values()) camera.pipeline.setDetector(next);
    if (previous) setTimeout(() => void previous.dispose().catch(() => undefined), 2000).unref();
    this.publisher.updateBirth({ models: this.modelVersions() });
  }

  swapForecaster(next: Forecaster, sha256: string): void {
    const previous = this.forecaster;
    this.forecaster = next;
    this.forecasterSha = sha256;
    for (const camera of this.cameras.values()) camera.traffic.setForecaster(next);
    if (previous) setTimeout(() => void previous.dispose().catch(() => undefined), 2000).unref();
    this.publisher.updateBirth({ models: this.modelVersions() });
  }

  get runningDetector(): OnnxDetector | undefined {
    return this.detector;
  }

  get runningForecasterSha(): string | undefined {
    return this.forecasterSha;
  }

  get deviceConfig(): DeviceConfig {
    return this.config;
  }

  setConfigVersion(configVersion: number): void {
    this.config = { ...this.config, configVersion };
    this.publisher.updateBirth({ configVersion });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.sensors) s.stop();
    for (const c of this.cameras.values()) c.pipeline.stop();
    await Promise.all([...this.cameras.values()].map((c) => c.running.catch(() => undefined)));
    await this.remote.idle();
    await this.publisher.stop();
    if (!this.options.outbox) this.outbox.close();
    await this.detector?.dispose();
    await this.forecaster?.dispose();
  }
}
