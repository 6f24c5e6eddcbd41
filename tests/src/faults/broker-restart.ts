import { createMemoryOutbox } from '@streetwise/edge-agent';
import { waitFor } from '@streetwise/testing';
import { faultReport } from '../ingest/fault-report.js';
import { connectPublisher, count, publishAll } from '../ingest/fixtures.js';
import { event, publication } from '../ingest/messages.js';
import { runId } from '../ingest/wait.js';
import { detectSteadily, startDevice } from './devices.js';
import { waitForCount, withProgress } from './progress.js';
import { startFaultRig } from './rig.js';
import { checkScale, premise, resultFrom, type FaultResult, type FaultScenarioOptions } from './scenario.js';

/**
 * The broker restarted mid-stream. Devices (the edge agent's publisher, memory outbox) publish 1,000
 * events/s through their own network path (a TCP relay that goes down with the broker); ingest runs in
 * this process on the MQTT 5 transport against a private Mosquitto with persistence, writing to a
 * throw-away database on the machine's PostgreSQL. Scale 1: 3,000 events from 5 devices, one restart;
 * scale N: 3,000 × N events, 5 devices (10 from scale 10), one restart per 5 of scale (at least one),
 * evenly spaced through the first part of the stream. Each restart adds one canary event, so sent = 3,000 × N + restarts.
 */
export function brokerRestartSizes(scale: number): { events: number; devices: number; restarts: number } {
  checkScale(scale);
  return { events: 3_000 * scale, devices: scale >= 10 ? 10 : 5, restarts: Math.max(1, Math.floor(scale / 5)) };
}

export async function brokerRestart({ scale, progress }: FaultScenarioOptions): Promise<FaultResult> {
  const startedMs = performance.now();
  const { events: total, devices: deviceCount, restarts } = brokerRestartSizes(scale);
  const run = runId('br');
  // The devices reach the broker through their own network path, which goes down with the broker.
  const rig = await startFaultRig(run, { persistence: true });
  const { db, mosquitto, proxy, devices } = rig;
  try {
    for (let i = 0; i < deviceCount; i++) {
      rig.outboxes.push(createMemoryOutbox());
      devices.push(startDevice(`d${run}-${i}`, rig.deviceUrl, run, rig.outboxes[i]!));
    }
    await Promise.all(devices.map((d) => d.whenConnected(10_000)));
    const rows = (): Promise<number> => count(db, 'select count(*) n from events where device_id like $1', [`d${run}-%`]);
    progress(`${total} events from ${deviceCount} devices at 1,000/s, the broker restarted ${restarts}×`);

    const ids: string[] = [];
    const detecting = detectSteadily(devices, total, ids);
    const sentAtRestarts: number[] = [];
    let rowsBefore = 0;
    for (let k = 1; k <= restarts; k++) {
      const at = Math.floor((total * k) / (restarts + 2)); // the last restart leaves a third or more of the stream after it
      await waitFor(() => ids.length >= at, { timeoutMs: 60_000, what: `${at} sent`, intervalMs: 5 });
      await waitFor(async () => (await rows()) > rowsBefore, { timeoutMs: 30_000, what: 'rows stored since the last restart' });
      // SIGTERM: mosquitto writes its sessions and queued messages to its persistence file; then the same
      // config and port again, and ingest reconnects by itself. Mosquitto 2.0.11 restores the sessions but
      // not their shared subscriptions: ingest subscribes again, and until it has, what a device publishes
      // is heard by nobody (yet acked). So the devices get back in once a canary event is stored.
      proxy.cut();
      await mosquitto.restart();
      sentAtRestarts.push(ids.length);
      const canaryDevice = `d${run}-0`;
      const canary = event(canaryDevice, { trackId: total + k });
      ids.push(canary.id);
      const direct = await connectPublisher(`mqtt://127.0.0.1:${mosquitto.port}`, `canary-${run}-${k}`);
      try {
        await waitFor(async () => {
          await publishAll(direct, [publication(run, canaryDevice, 'event', canary)]);
          return (await count(db, 'select count(*) n from events where id = $1', [canary.id])) === 1;
        }, { timeoutMs: 30_000, what: 'ingest subscribed again (the canary stored)', intervalMs: 200 });
      } finally {
        await direct.endAsync();
      }
      proxy.restore();
      rowsBefore = await rows();
      progress(`restart ${k} of ${restarts} at ${sentAtRestarts[k - 1]} of ${total} sent; ingest subscribed again, ${rowsBefore} rows so far`);
      premise(sentAtRestarts[k - 1]! < total, `the devices were no longer sending at restart ${k} (${sentAtRestarts[k - 1]} of ${total} sent)`);
    }
    await withProgress(detecting, () => `${ids.length} of ${total} sent`, progress);
    progress(`all ${total} sent; waiting for the devices' outboxes to drain and the rows`);
    await Promise.all(devices.map((d) => d.whenDrained(30_000 * scale)));
    await waitForCount(rows, total + restarts, 'rows stored', progress, 30_000 * scale);

    const report = await faultReport(db, `broker restarted ${restarts}× (at ${sentAtRestarts.join(', ')} of ${total} sent)`, ids, `d${run}-%`);
    const deadLetters = await count(db, 'select count(*) n from dead_letters where topic like $1', [`${run}/%`]);
    return resultFrom('broker-restart', report, deadLetters, startedMs, {
      restarts,
      devices: deviceCount,
      sentAtRestarts: sentAtRestarts.join(' '),
      minDeviceConnects: Math.min(...devices.map((d) => d.stats().connects)),
    });
  } finally {
    await rig.close();
  }
}
