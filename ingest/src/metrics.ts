import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DistrictMismatchReason } from './intake/district-intake.js';
import type { IngestResult } from './types.js';

/** prom-client metrics of ingest, registered on the registry the process shares. */
export interface IngestMetrics {
  messages: Counter<'result'>;
  batchSize: Histogram;
  commitSeconds: Histogram;
  buffered: Gauge;
  backlogged: Gauge;
  commitFailures: Counter<'kind'>;
  downlinksIgnored: Counter;
  districtMismatches: Counter<'reason'>;
  incidentStepEvents: Histogram;
  incidentStepFailures: Counter;
}

/** gauges: read at scrape time, so they are always current. */
export function createIngestMetrics(registry: Registry, gauges: { buffered: () => number; backlogged: () => number }): IngestMetrics {
  const existing = registry.getSingleMetric('streetwise_ingest_messages_total');
  if (existing !== undefined) throw new Error('ingest metrics are already registered on this registry: one ingest per registry');
  const registers = [registry];
  const messages = new Counter({
    name: 'streetwise_ingest_messages_total',
    help: 'Messages ingest answered, by result: stored, duplicate (a redelivery) or dead_letter',
    labelNames: ['result'] as const,
    registers,
  });
  for (const result of ['stored', 'duplicate', 'dead_letter'] satisfies IngestResult[]) messages.inc({ result }, 0);
  const districtMismatches = new Counter({
    name: 'streetwise_ingest_district_mismatches_total',
    help: 'Status messages whose district text named no district (unknown_name: stored from the location, or NULL) or another district than the location (location_differs: the named one is stored)',
    labelNames: ['reason'] as const,
    registers,
  });
  for (const reason of ['unknown_name', 'location_differs'] satisfies DistrictMismatchReason[]) districtMismatches.inc({ reason }, 0);
  return {
    messages,
    batchSize: new Histogram({
      name: 'streetwise_ingest_batch_size',
      help: 'Messages per committed batch',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
      registers,
    }),
    commitSeconds: new Histogram({
      name: 'streetwise_ingest_commit_seconds',
      help: 'Time to commit one batch (the transaction), seconds',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers,
    }),
    buffered: new Gauge({
      name: 'streetwise_ingest_buffered_messages',
      help: 'Messages received and not yet committed (queued, deferred or committing)',
      registers,
      collect() {
        this.set(gauges.buffered());
      },
    }),
    backlogged: new Gauge({
      name: 'streetwise_ingest_backlogged_messages',
      help: 'Messages held back because the buffer is full (their senders are not read meanwhile)',
      registers,
      collect() {
        this.set(gauges.backlogged());
      },
    }),
    commitFailures: new Counter({
      name: 'streetwise_ingest_commit_failures_total',
      help: 'Batches the database did not commit, by kind: unavailable (retried with backoff) or data (split to find the refused row)',
      labelNames: ['kind'] as const,
      registers,
    }),
    downlinksIgnored: new Counter({ name: 'streetwise_ingest_downlinks_ignored_total', help: 'Well-formed config (downlink) messages seen on the shared subscription and left alone', registers }),
    districtMismatches,
    incidentStepEvents: new Histogram({
      name: 'streetwise_ingest_incident_step_events',
      help: 'Safety events one incident step took from incident_queue and decided (one transaction)',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000],
      registers,
    }),
    incidentStepFailures: new Counter({ name: 'streetwise_ingest_incident_step_failures_total', help: 'Incident steps the database did not commit (the queue stays; retried with backoff)', registers }),
  };
}
