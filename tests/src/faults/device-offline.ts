import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileOutbox } from '@streetwise/edge-agent';
import { waitFor } from '@streetwise/testing';
import { faultReport } from '../ingest/fault-report.js';
import { count } from '../ingest/fixtures.js';
import { runId } from '../ingest/wait.js';
import { detectSteadily, startDevice } from './devices.js';
import { waitForCount, withProgress } from './progress.js';
import { startFaultRig } from './rig.js';
import { checkScale, premise, resultFrom, type FaultResult, type FaultScenarioOptions } from './scenario.js';

/**
 * Devices offline, rebooted while offline, then back. Each device (the edge agent's publisher) keeps its
 * outbox on disk; the devices' network path (a TCP relay) is cut, they go on detecting, lose power halfway
 * (the process ends, the outbox folder stays, a new process opens it) and detect more; then the network
 * comes back and the outboxes replay. Scale 1: one device, 500 events online, 1,000 offline; scale N:
 * 1,500 × N events in the same proportions from round(N / 2) devices (at most 10), all behind one path.
 */
export function deviceOfflineSizes(scale: number): { online: number; offline: number; devices: number } {
  checkScale(scale);
  const devices = Math.min(10, Math.max(1, Math.round(scale / 2)));
  // Whole events per device in each of the three phases (online, offline before and after the reboot).
  const per = (n: number): number => Math.ceil(n / devices) * devices;
  return { online: per(500 * scale), offline: 2 * per(500 * scale), devices };
}

export async function deviceOffline({ scale, progress }: FaultScenarioOptions): Promise<FaultResult> {
  const startedMs = performance.now();
  const { online, offline, devices: deviceCount } = deviceOfflineSizes(scale);
  const run = runId('off');
  const dirs: string[] = [];
  const rig = await startFaultRig(run);
  const { db, proxy, devices, outboxes } = rig;
  const url = rig.deviceUrl;
  try {
    const ids = Array.from({ length: deviceCount }, (_, i) => `d${run}-${i}`);
    for (const id of ids) {
      dirs.push(mkdtempSync(join(tmpdir(), 'sw-outbox-')));
      outboxes.push(openFileOutbox({ dir: dirs.at(-1)! }));
      devices.push(startDevice(id, url, run, outboxes.at(-1)!));
    }
    await Promise.all(devices.map((d) => d.whenConnected(10_000)));
    progress(`${deviceCount} device(s) with disk outboxes: ${online} events online, then ${offline} offline (rebooted halfway)`);

    const sent: string[] = [];
    await detectSteadily(devices, online, sent);
    await Promise.all(devices.map((d) => d.whenDrained(30_000)));

    proxy.cut();
    const cutAtMs = performance.now();
    await waitFor(() => devices.every((d) => !d.stats().connected), { timeoutMs: 10_000, what: 'the devices offline' });
    const sentOnline = sent.length;
    progress(`network cut after ${sentOnline} events; detecting ${offline / 2} offline`);
    await detectSteadily(devices, offline / 2, sent);
    // Power lost while offline: each process ends, its outbox folder stays; a new process opens it.
    for (let i = 0; i < deviceCount; i++) {
      await devices[i]!.stop();
      outboxes[i]!.close();
      outboxes[i] = openFileOutbox({ dir: dirs[i]! });
    }
    const depth = (): number => outboxes.reduce((sum, o) => sum + o.stats().depth, 0);
    premise(depth() === offline / 2, `the outboxes kept ${depth()} of the ${offline / 2} events sent offline across the reboot`);
    for (let i = 0; i < deviceCount; i++) devices[i] = startDevice(ids[i]!, url, run, outboxes[i]!);
    progress(`rebooted with ${depth()} events waiting on disk; detecting ${offline / 2} more offline`);
    await detectSteadily(devices, offline / 2, sent);
    premise(devices.every((d) => !d.stats().connected), 'a device got through while its network was cut');
    premise(depth() === offline, `the outboxes hold ${depth()} of the ${offline} events sent offline`);

    proxy.restore();
    const downMs = Math.round(performance.now() - cutAtMs);
    progress(`network back after ${(downMs / 1000).toFixed(1)} s; ${offline} events replaying from the outboxes`);
    await withProgress(Promise.all(devices.map((d) => d.whenDrained(30_000 * scale))), () => `${depth()} of ${offline} still waiting in the outboxes`, progress);
    const total = online + offline;
    const rows = (): Promise<number> => count(db, 'select count(*) n from events where device_id like $1', [`d${run}-%`]);
    await waitForCount(rows, total, 'rows stored', progress, 30_000 * scale);
    const report = await faultReport(db, `${deviceCount} device(s) offline for ${sent.length - sentOnline} events (rebooted halfway), then back`, sent, `d${run}-%`);
    const deadLetters = await count(db, 'select count(*) n from dead_letters where topic like $1', [`${run}/%`]);
    return resultFrom('device-offline', report, deadLetters, startedMs, { devices: deviceCount, sentOffline: sent.length - sentOnline, downMs });
  } finally {
    await rig.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
