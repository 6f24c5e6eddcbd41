import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { functionReader, httpJsonReader, pickSample, SensorAggregator, SensorInput } from './sensor.js';
import type { TelemetryBody } from '../../publish/publisher.js';

describe('sensors', () => {
  it('aggregates an interval: means, Leq for sound, sums for vehicles', () => {
    const agg = new SensorAggregator();
    agg.add({ pm25: 10, no2: 40, noiseDba: 60, vehicles: 3, occupancyPct: 10 });
    agg.add({ pm25: 20, no2: 50, noiseDba: 70, vehicles: 4, occupancyPct: 30 });
    // Leq of 60 and 70 dBA = 10·log10((10^6 + 10^7) / 2) = 67.40
    expect(agg.flush(60)).toEqual({ intervalS: 60, pm25: 15, no2: 45, noiseDba: 67.4, counts: { car: 7 }, occupancyPct: 20 });
    expect(agg.flush(60)).toBeUndefined();
  });

  it('keeps only known, finite, non-negative numbers from a reading', () => {
    expect(pickSample({ pm25: 3, no2: 'x', noiseDba: -1, vehicles: Infinity, __proto__: { pm25: 1 }, other: 5 })).toEqual({ pm25: 3 });
    expect(pickSample(null)).toEqual({});
  });

  it('a sensor input samples its reader and publishes telemetry only', async () => {
    const published: TelemetryBody[] = [];
    const readings = [{ noiseDba: 50 }, { noiseDba: 50 }];
    const input = new SensorInput({ name: 'n1', kind: 'noise', reader: functionReader(() => readings.shift() ?? {}), publish: (b) => published.push(b), now: () => Date.parse('2024-01-01T00:01:00Z') });
    await input.sample();
    await input.sample();
    input.flush();
    expect(published).toEqual([{ intervalS: 60, noiseDba: 50, ts: '2024-01-01T00:01:00.000Z' }]);
  });

  it('reads an HTTP JSON sensor', async () => {
    const server = createServer((_req, res) => res.end(JSON.stringify({ pm25: 8.5, no2: 31 })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const reader = httpJsonReader(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(await reader.read()).toEqual({ pm25: 8.5, no2: 31 });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
