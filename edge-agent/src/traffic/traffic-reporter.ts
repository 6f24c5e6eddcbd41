import type { TelemetryMessage } from '@streetwise/protocol';
import type { RulesSnapshot } from '../rules/engine.js';
import type { Crossing } from '../rules/types.js';
import { TrafficAggregator } from './aggregator.js';
import { FlowSeries } from './flow-series.js';
import { seriesScales, type Forecaster } from './forecaster.js';

export type TrafficTelemetry = Omit<TelemetryMessage, 'v' | 'id' | 'deviceId'>;

export interface TrafficReporterOptions {
  /** Telemetry interval, seconds. Default 60. */
  intervalS?: number;
  /** Approaches (from the count lines), so quiet ones report zeros. */
  approaches?: readonly string[];
  /** Free-flow speed for the congestion index (speed / free-flow), km/h. */
  freeFlowKmh?: number;
  forecaster?: Forecaster;
  /** Fixed scales for the forecaster; default the series' own 95th percentiles. */
  scales?: { flowScale: number; speedScale: number };
  onForecastError?: (err: unknown) => void;
}

/** Counts and speeds per approach each interval; every five minutes, the on-device forecast when a model is set. */
export class TrafficReporter {
  private readonly aggregator: TrafficAggregator;
  private readonly series = new Map<string, FlowSeries>();

  constructor(private readonly options: TrafficReporterOptions = {}) {
    this.aggregator = new TrafficAggregator(options.intervalS ?? 60, options.approaches ?? []);
  }

  /** Swap the forecaster (model update); undefined turns forecasts off. */
  setForecaster(forecaster: Forecaster | undefined): void {
    this.options.forecaster = forecaster;
  }

  add(crossings: readonly Crossing[]): void {
    for (const c of crossings) this.aggregator.add(c);
  }

  observe(snapshot: RulesSnapshot): void {
    for (const q of snapshot.queues) this.aggregator.observeQueue(q.approach, q.lengthM);
  }

  async tick(now: number): Promise<TrafficTelemetry[]> {
    const out: TrafficTelemetry[] = [];
    for (const interval of this.aggregator.tick(now)) {
      const t: TrafficTelemetry = { ts: new Date(interval.endMs).toISOString(), intervalS: interval.intervalS, approach: interval.approach, counts: interval.counts };
      if (interval.speedKmhAvg !== undefined) t.speedKmhAvg = interval.speedKmhAvg;
      if (interval.speedKmhP85 !== undefined) t.speedKmhP85 = interval.speedKmhP85;
      if (interval.queueLengthM !== undefined) t.queueLengthM = interval.queueLengthM;
      if (this.options.freeFlowKmh && interval.speedKmhAvg !== undefined) {
        t.congestionIndex = Math.round(Math.min(2, interval.speedKmhAvg / this.options.freeFlowKmh) * 100) / 100;
      }
      let series = this.series.get(interval.approach);
      if (!series) this.series.set(interval.approach, (series = new FlowSeries()));
      const closed = series.add(interval);
      // The last hour and all the history kept (a week), so the history features have earlier days to read.
      const input = closed && series.forecastInput();
      if (input && this.options.forecaster) {
        try {
          t.forecast = await this.options.forecaster.forecast(input, this.options.scales ?? seriesScales(series.history()));
        } catch (err) {
          this.options.onForecastError?.(err);
        }
      }
      out.push(t);
    }
    return out;
  }
}
