/**
 * The central forecast job: every 5 minutes (30 s after the boundary, so the last interval's readings are
 * in), for every device with its last 12 five-minute intervals, run the traffic ONNX model (verified against
 * models/manifest.json by the models package's openForecaster, run by @streetwise/inference's ForecasterRuntime)
 * and store flow and speed 15, 30 and 60 minutes ahead. Without a model it reports 'no model' and does
 * nothing; it looks again next run.
 * Once a day (first run after Hong Kong 04:00… or the first run at all) it also refreshes planner statistics
 * and free-flow speeds (maintenance.ts, free-flow.ts): each holds the single embedded connection for a few
 * seconds on 30 days × 500 devices, so not more often than that.
 */
import type { Queryable } from '@streetwise/db';
import { openForecaster } from '@streetwise/models';
import { pino, type Logger } from 'pino';
import { SW_ANALYTICS_FORECAST_FAILED, SW_ANALYTICS_MODEL_INVALID, SW_ANALYTICS_NO_MODEL } from '../errors.js';
import { analyzeAggregates } from '../maintenance.js';
import { computeFreeFlowSpeeds } from '../measures/free-flow.js';
import { DAY_MS, HK_ORIGIN_MS, HOUR_MS, floorToGrid } from '../query/bucket.js';
import { toNumber } from '../query/sql.js';
import { buildUpsertForecastsSql, type StoredForecast } from './forecast-store.js';
import { STEP_MS, buildHistorySql, buildScalesSql, completeHistories, type HistoryRow } from './history.js';

export interface Scales {
  flowScale: number;
  speedScale: number;
}

/** What the job needs of a model; @streetwise/inference's ForecasterRuntime provides it. */
export interface Forecaster {
  readonly name: string;
  readonly version: string;
  forecast(rows: readonly HistoryRow[], scales: Scales): Promise<Array<{ minutes: number; timeMs: number; flow: number | undefined; speedKmh: number }>>;
  close(): Promise<void>;
}

export type OpenForecaster = () => Promise<Forecaster>;

/** Open the forecaster listed in models/manifest.json (or the manifest at `manifestPath`). */
export function modelsForecaster(manifestPath?: string): OpenForecaster {
  return async () => {
    const model = await openForecaster(manifestPath === undefined ? {} : { manifestPath });
    return { name: 'forecaster', version: model.version, forecast: (rows, scales) => model.forecast(rows, scales), close: () => model.close() };
  };
}

/** The models package's "there is no model" errors, as opposed to a model that is there but wrong. */
const ABSENT_MODEL_CODES = new Set(['SW_MODEL_FILE_MISSING', 'SW_MODEL_NOT_FOUND']);

export interface ForecastRunReport {
  status: 'ok' | 'no model' | 'failed';
  issuedAt: string;
  /** Devices forecast. */
  devices: number;
  forecasts: number;
  /** Devices with readings but not all 12 intervals. */
  incomplete: number;
  ms: number;
  model?: string;
  reason?: string;
}

export interface ForecastJobOptions {
  db: Queryable;
  open?: OpenForecaster;
  now?: () => number;
  logger?: Logger;
  /** Delay after each 5-minute boundary before running, ms. Default 30 s. */
  delayMs?: number;
}

export class ForecastJob {
  private model: Forecaster | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ForecastRunReport> | undefined;
  private lastMaintenanceDay = -1;
  private stopped = false;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly open: OpenForecaster;
  lastReport: ForecastRunReport | undefined;

  constructor(private readonly options: ForecastJobOptions) {
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ component: 'analytics-forecast' });
    this.now = options.now ?? Date.now;
    this.open = options.open ?? modelsForecaster();
  }

  /** One run for the interval that ended at the last 5-minute boundary before `nowMs`. */
  runOnce(nowMs = this.now()): Promise<ForecastRunReport> {
    // Never two runs at once: a slow run makes the next tick wait for it.
    const previous = this.running?.catch(() => undefined) ?? Promise.resolve();
    this.running = previous.then(() => this.run(nowMs));
    return this.running;
  }

  private async run(nowMs: number): Promise<ForecastRunReport> {
    const started = performance.now();
    const issuedAtMs = floorToGrid(nowMs, STEP_MS);
    const base = { issuedAt: new Date(issuedAtMs).toISOString(), devices: 0, forecasts: 0, incomplete: 0 };
    const finish = (report: Omit<ForecastRunReport, 'ms'>): ForecastRunReport => {
      this.lastReport = { ...report, ms: Math.round(performance.now() - started) };
      return this.lastReport;
    };
    await this.maintain(nowMs);
    if (!this.model) {
      try {
        this.model = await this.open();
        this.log.info({ model: this.model.name, version: this.model.version }, 'forecast model loaded');
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (ABSENT_MODEL_CODES.has(code)) {
          const reason = SW_ANALYTICS_NO_MODEL([(err as Error).message], { cause: err }).message;
          this.log.info({ reason }, 'no forecast model: nothing to do');
          return finish({ status: 'no model', ...base, reason });
        }
        const invalid = SW_ANALYTICS_MODEL_INVALID(['forecaster', (err as Error).message], { cause: err });
        this.log.error({ err: invalid }, 'forecast model unusable');
        return finish({ status: 'failed', ...base, reason: invalid.message });
      }
    }
    try {
      const model = this.model;
      const history = buildHistorySql(issuedAtMs);
      const scalesSql = buildScalesSql(issuedAtMs);
      const [{ rows }, scaleRows] = await Promise.all([
        this.options.db.query<Record<string, unknown>>(history.text, history.values),
        this.options.db.query<Record<string, unknown>>(scalesSql.text, scalesSql.values),
      ]);
      const scales = new Map(scaleRows.rows.map((r) => [String(r['device_id']), { flowScale: toNumber(r['flow_scale']) ?? 1, speedScale: toNumber(r['speed_scale']) ?? 1 }]));
      const { ready, incomplete } = completeHistories(rows, issuedAtMs);
      const forecasts: StoredForecast[] = [];
      for (const device of ready) {
        for (const f of await model.forecast(device.rows, scales.get(device.deviceId) ?? { flowScale: 1, speedScale: 1 })) {
          forecasts.push({
            deviceId: device.deviceId,
            horizonMin: f.minutes,
            targetMs: f.timeMs,
            issuedAtMs,
            flow: f.flow ?? null,
            speedKmh: f.speedKmh,
            modelName: model.name,
            modelVersion: model.version,
          });
        }
      }
      for (let i = 0; i < forecasts.length; i += 3000) {
        const sql = buildUpsertForecastsSql(forecasts.slice(i, i + 3000));
        await this.options.db.query(sql.text, sql.values);
      }
      const report = finish({ status: 'ok', ...base, devices: ready.length, forecasts: forecasts.length, incomplete: incomplete.length, model: `${model.name}@${model.version}` });
      this.log.info(report, 'forecast run');
      return report;
    } catch (err) {
      const failed = SW_ANALYTICS_FORECAST_FAILED([base.issuedAt, (err as Error).message], { cause: err });
      this.log.error({ err: failed }, 'forecast run failed');
      return finish({ status: 'failed', ...base, reason: failed.message });
    }
  }

  /**
   * Daily (Hong Kong days starting 04:00, a quiet hour): planner statistics and free-flow speeds. Failures
   * are logged, never fatal to the forecast; the next run tries again.
   */
  private async maintain(nowMs: number): Promise<void> {
    const day = floorToGrid(nowMs, DAY_MS, HK_ORIGIN_MS + 4 * HOUR_MS);
    if (day === this.lastMaintenanceDay) return;
    this.lastMaintenanceDay = day;
    try {
      await analyzeAggregates(this.options.db);
      await computeFreeFlowSpeeds(this.options.db, nowMs);
    } catch (err) {
      this.log.warn({ err }, 'analytics maintenance failed; retrying on the next run');
      this.lastMaintenanceDay = -1;
    }
  }

  /** Run every 5 minutes, `delayMs` after each boundary, until stop(). */
  start(): void {
    this.stopped = false;
    const schedule = () => {
      if (this.stopped) return;
      const now = this.now();
      const wait = floorToGrid(now, STEP_MS) + STEP_MS + (this.options.delayMs ?? 30_000) - now;
      this.timer = setTimeout(() => {
        void this.runOnce().finally(schedule);
      }, wait);
      this.timer.unref();
    };
    schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.model?.close();
    this.model = undefined;
  }
}
