import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { ConfigMessage, ModelChunk, ModelUpdate } from '@streetwise/protocol';
import { formatProblems } from '../config/problems.js';
import type { DeviceConfig } from '../config/schema.js';
import { createOnnxDetector, type OnnxDetector } from '../detect/onnx-detector.js';
import { ChunkAssembler, fetchModel, ModelRejected, storeModel, verifyModelBytes } from '../manage/model-update.js';
import type { Publisher } from '../publish/publisher.js';
import { createOnnxForecaster, type Forecaster } from '../traffic/forecaster.js';
import { detectorOptions } from './detector-options.js';
import { applyPatch } from './remote-config.js';

/** What remote management needs from the device it manages (the Agent). */
export interface ManagedDevice {
  readonly publisher: Publisher;
  readonly deviceConfig: DeviceConfig;
  readonly runningDetector: OnnxDetector | undefined;
  readonly runningForecasterSha: string | undefined;
  hotReload(next: DeviceConfig): void;
  setConfigVersion(configVersion: number): void;
  swapDetector(next: OnnxDetector): void;
  swapForecaster(next: Forecaster, sha256: string): void;
}

type Report = 'config_applied' | 'config_rejected' | 'model_applied' | 'model_rejected';

/**
 * The `config` downlink: hot reload of rules and thresholds, and verified model updates (URL or MQTT chunks).
 * Messages arrive checked against the protocol (decodeConfig, in the publisher); they are handled one at a
 * time, and every outcome is reported as an event.
 */
export class RemoteManagement {
  private readonly chunks = new ChunkAssembler();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly device: ManagedDevice, private readonly log: Logger, private readonly publicKey: KeyObject | undefined) {}

  handle(message: ConfigMessage): Promise<void> {
    this.queue = this.queue.then(() => this.apply(message)).catch((err) => this.log.error({ err }, 'config handling failed'));
    return this.queue;
  }

  /** Resolves when the message in hand (if any) is done. */
  idle(): Promise<void> {
    return this.queue;
  }

  private report(type: Report, attrs: Record<string, string | number | boolean>): void {
    const severity = type.endsWith('rejected') ? 'medium' : 'info';
    const detector = this.device.runningDetector;
    this.device.publisher.publishEvent({ type, severity, ...(detector ? { modelVersion: detector.modelVersion } : {}), attrs });
    this.log[severity === 'info' ? 'info' : 'warn']({ type, ...attrs }, 'remote management');
  }

  private async apply(message: ConfigMessage): Promise<void> {
    const current = this.device.deviceConfig;
    const { modelChunk, ...patch } = message.patch ?? {};
    const isChunk = modelChunk !== undefined; // the protocol makes a chunk come with its model
    if (message.configVersion < current.configVersion || (message.configVersion === current.configVersion && !isChunk && Object.keys(patch).length > 0)) {
      this.report('config_rejected', { configVersion: message.configVersion, reason: `stale: the device runs configVersion ${current.configVersion}` });
      return;
    }
    if (Object.keys(patch).length > 0) {
      const result = applyPatch(current, patch);
      if (!result.ok) {
        this.report('config_rejected', { configVersion: message.configVersion, reason: formatProblems(result.problems).slice(0, 256) });
        return;
      }
      this.device.hotReload({ ...result.config, configVersion: message.configVersion });
      this.device.setConfigVersion(message.configVersion);
      await this.saveApplied(this.device.deviceConfig);
      this.report('config_applied', { configVersion: message.configVersion, changed: result.changed.join(',').slice(0, 256) });
    } else if (message.configVersion > current.configVersion && !message.model) {
      this.device.setConfigVersion(message.configVersion);
      this.report('config_applied', { configVersion: message.configVersion, changed: '' });
    }
    if (message.model) await this.updateModel(message.model, modelChunk);
  }

  /** The config now in force, for a restart (written next to the outbox). */
  private async saveApplied(config: DeviceConfig): Promise<void> {
    const path = join(dirname(config.outbox.dir), 'applied-config.json');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(`${path}.tmp`, JSON.stringify(config, null, 2));
    await rename(`${path}.tmp`, path);
  }

  /** The model to load at the next start. */
  private async recordInForce(modelDir: string, file: string, path: string, update: ModelUpdate): Promise<void> {
    await writeFile(join(modelDir, `${file}.tmp`), JSON.stringify({ path, version: update.version, sha256: update.sha256 }));
    await rename(join(modelDir, `${file}.tmp`), join(modelDir, file));
  }

  /** Receive, verify, store, load, then swap: a model that fails any step is deleted and the old one stays. */
  private async updateModel(update: ModelUpdate, chunk: ModelChunk | undefined): Promise<void> {
    const attrs = { name: update.name, version: update.version, sha256: update.sha256.slice(0, 16) };
    const det = this.device.deviceConfig.detector;
    const detector = this.device.runningDetector;
    if (update.name !== 'detector' && update.name !== 'forecaster') return this.report('model_rejected', { ...attrs, reason: 'unknown model name: expected detector or forecaster' });
    if (!det || !detector) return this.report('model_rejected', { ...attrs, reason: 'this device has no detector (and so no traffic series to forecast)' });
    const running = update.name === 'detector' ? detector.sha256 : this.device.runningForecasterSha;
    if (update.sha256 === running) return this.report('model_applied', { ...attrs, note: 'already running' });
    let path: string | undefined;
    try {
      let bytes: Buffer | undefined;
      if (chunk !== undefined) {
        bytes = this.chunks.add(update, chunk);
        if (!bytes) return; // more chunks to come
      } else if (update.url) {
        bytes = await fetchModel(update);
      } else {
        throw new ModelRejected('the update has neither a url nor chunks');
      }
      verifyModelBytes(bytes, update, this.publicKey);
      path = await storeModel(bytes, update, det.modelDir);
      if (update.name === 'detector') {
        // The same options as at start-up: the new model's settings come from its manifest entry (by sha256),
        // its metadata and the config, never from the model it replaces.
        const next = await createOnnxDetector({ modelPath: path, modelVersion: update.version, ...detectorOptions(det) }).catch((err: Error) => {
          throw new ModelRejected(`the new model does not load (${err.message.slice(0, 120)}); the previous model keeps running`);
        });
        await this.recordInForce(det.modelDir, 'current.json', path, update).catch(async (err: unknown) => {
          await next.dispose();
          throw err;
        });
        this.device.swapDetector(next);
      } else {
        const utcOffsetMinutes = this.device.deviceConfig.traffic.forecaster?.utcOffsetMinutes ?? 480;
        const next = await createOnnxForecaster({ modelPath: path, utcOffsetMinutes }).catch((err: Error) => {
          throw new ModelRejected(`the new forecaster does not load (${err.message.slice(0, 120)}); the previous one keeps running`);
        });
        await this.recordInForce(det.modelDir, 'current-forecaster.json', path, update).catch(async (err: unknown) => {
          await next.dispose();
          throw err;
        });
        this.device.swapForecaster(Object.assign(next, { version: update.version }), update.sha256);
      }
      this.report('model_applied', attrs);
    } catch (err) {
      if (path) await rm(path, { force: true });
      if (!(err instanceof ModelRejected)) this.log.error({ err }, 'model update failed');
      this.report('model_rejected', { ...attrs, reason: (err as Error).message.slice(0, 256) });
    }
  }
}
