#!/usr/bin/env node
/**
 * npm run forecast -- --input SERIES.csv [--column SENSOR] [--units mph] [--evaluate] [--json] [--utc-offset 8]
 * Forecast flow and speed 15/30/60 minutes past the end of one detector's series; with --evaluate, a
 * rolling-origin evaluation against historical average and last value, and the model's skill against
 * the better of the two.
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_UTC_OFFSET_HOURS, type SeriesRow } from '@streetwise/inference';
import { SW_MODEL_FLAG_INVALID } from './errors.js';
import { evaluateSeries } from './forecast/evaluate.js';
import { openForecaster } from './forecast/open-forecaster.js';
import { parseSensorTableCsv, toKmh, type SpeedUnits } from './forecast/sensor-table-csv.js';
import { parseSeriesCsv } from './forecast/series-csv.js';
import { readFlags } from './cli-flags.js';

const HELP = `Usage: npm run forecast -- --input SERIES.csv [options]

Forecast one detector's flow and speed 15, 30 and 60 minutes ahead with models/forecaster.onnx.

Input: CSV "timestamp,speed[,flow]" at 5-minute steps, one sensor, in time order, no gaps; an optional
header row; speed in km/h, flow in vehicles per 5 minutes. Timestamps without a zone are local time.
Or, with --column, a wide table "time,SENSOR,SENSOR,…" (one speed column per sensor, as METR-LA).

Options:
  --input FILE        the series (required)
  --column SENSOR     read this sensor's column of a wide table (header: time, then sensor ids)
  --units UNITS       speed units of the input: kmh (default) or mph (converted to km/h)
  --evaluate          rolling-origin evaluation over the whole series: MAE at 15/30/60 min for the model,
                      historical average (same time of day on earlier days) and last value, and skill =
                      1 - model MAE / MAE of the better baseline; at each origin the model sees only the
                      rows up to it; needs more than one day of data
  --json              print JSON instead of a table
  --utc-offset HOURS  offset of local time from UTC, for time-of-day features and zone-less timestamps
                      (default ${DEFAULT_UTC_OFFSET_HOURS}, Hong Kong; -12 to 14; a negative one as --utc-offset=-8,
                      e.g. Los Angeles in winter)
  --manifest FILE     model manifest (default models/manifest.json)
  -h, --help          this help
`;

/** One sensor's rows in km/h: the `timestamp,speed[,flow]` CSV, or with a column, from a wide table (speed only). */
function readSeries(text: string, name: string, options: { column: string | undefined; units: SpeedUnits; utcOffsetHours: number }): { rows: SeriesRow[]; hasFlow: boolean } {
  if (options.column !== undefined) return { rows: parseSensorTableCsv(text, options.column, { name, ...options }), hasFlow: false };
  const { rows, hasFlow } = parseSeriesCsv(text, name, options.utcOffsetHours);
  return { rows: toKmh(rows, options.units), hasFlow };
}

async function main(): Promise<number> {
  const flags = readFlags(
    {
      input: { type: 'string' },
      evaluate: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'utc-offset': { type: 'string' },
      column: { type: 'string' },
      units: { type: 'string', default: 'kmh' },
      manifest: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    HELP,
  );
  if ('exitCode' in flags) return flags.exitCode;
  const { values } = flags;
  if (!values.input) throw SW_MODEL_FLAG_INVALID(['--input', '(missing)', 'a CSV file: timestamp,speed[,flow]']);
  const offset = values['utc-offset'] === undefined ? DEFAULT_UTC_OFFSET_HOURS : Number(values['utc-offset']);
  if (!Number.isFinite(offset) || offset < -12 || offset > 14) throw SW_MODEL_FLAG_INVALID(['--utc-offset', String(values['utc-offset']), 'hours, -12 to 14']);
  const units = values.units as SpeedUnits;
  if (units !== 'kmh' && units !== 'mph') throw SW_MODEL_FLAG_INVALID(['--units', String(values.units), 'kmh or mph']);
  const text = await readFile(values.input, 'utf8');
  const { rows, hasFlow } = readSeries(text, values.input, { column: values.column, units, utcOffsetHours: offset });
  const forecaster = await openForecaster({ utcOffsetHours: offset, ...(values.manifest ? { manifestPath: values.manifest } : {}) });
  try {
    const forecasts = await forecaster.forecast(rows);
    const evaluation = values.evaluate ? await evaluateSeries(forecaster, rows) : undefined;
    if (values.json) {
      const body = {
        model: { name: 'forecaster', version: forecaster.version },
        rows: rows.length,
        hasFlow,
        forecasts: forecasts.map((f) => ({
          minutes: f.minutes,
          timestamp: new Date(f.timeMs).toISOString(),
          speedKmh: Math.round(f.speedKmh * 10) / 10,
          ...(f.flow === undefined ? {} : { flow: Math.round(f.flow * 10) / 10 }),
        })),
        ...(evaluation ? { origins: evaluation.origins, horizons: evaluation.horizons } : {}),
      };
      process.stdout.write(`${JSON.stringify(body)}\n`);
      return 0;
    }
    const last = rows[rows.length - 1]!;
    process.stdout.write(`forecaster ${forecaster.version}: ${rows.length} rows, last at ${new Date(last.timeMs).toISOString()}\n\n`);
    process.stdout.write(`horizon  time (UTC)                speed km/h${hasFlow ? '  flow veh/5min' : ''}\n`);
    for (const f of forecasts) {
      process.stdout.write(`${String(f.minutes).padStart(4)} min ${new Date(f.timeMs).toISOString()}  ${f.speedKmh.toFixed(1).padStart(10)}${f.flow === undefined ? '' : f.flow.toFixed(1).padStart(15)}\n`);
    }
    if (evaluation) {
      process.stdout.write(`\nrolling-origin evaluation over ${evaluation.origins} origins (MAE; lower is better)\n`);
      process.stdout.write(`horizon   speed km/h: model      HA    last   skill vs better${hasFlow ? '   flow: model      HA    last' : ''}\n`);
      for (const h of evaluation.horizons) {
        const f = (x: number | undefined): string => (x === undefined ? '' : x.toFixed(2).padStart(8));
        const skill = `${(h.skill * 100).toFixed(1)}% (${h.better_baseline === 'last_value' ? 'last' : 'HA'})`;
        process.stdout.write(`${String(h.minutes).padStart(4)} min  ${f(h.mae_model).padStart(17)}${f(h.mae_ha)}${f(h.mae_last)}${skill.padStart(18)}${hasFlow ? `${f(h.mae_model_flow).padStart(14)}${f(h.mae_ha_flow)}${f(h.mae_last_flow)}` : ''}\n`);
      }
      process.stdout.write('skill = 1 - model MAE / MAE of the better baseline (speed); positive = the model is better\n');
    }
    return 0;
  } finally {
    await forecaster.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error & { code?: string }) => {
    process.stderr.write(`${err.code ?? 'error'}: ${err.message}\n`);
    process.exitCode = 1;
  },
);
