/**
 * `npm run bench -- e2e`: end-to-end latency on the real stack (embedded broker with authentication,
 * ingest, embedded database, console) with an operator signed in in headless Chromium, under a paced load
 * of E2E_BENCH_RATE events/s in all (default 2,000) from E2E_BENCH_DEVICES device ids (default 500) over 8
 * gateway connections, for E2E_BENCH_SECONDS (default 30). One event in ten is a safety event (intrusion,
 * high): those reach the browser one by one (socket.io `event`, with the device's `ts`); the info events
 * arrive as counts. For each safety event, timed from the device's publish (its `ts`, stamped as it is
 * published):
 *   publish → commit: this process hears the sw_events NOTIFY (sent by the batch's commit) naming it;
 *   publish → page:   the page's JavaScript receives its socket.io frame (a WebSocket hook installed before
 *                     the app loads, so it costs the page what the app's own socket costs it).
 * The first E2E_WARMUP_S seconds (default 5) are not timed: devices' incidents open then, the JIT warms.
 * Baseline in the same run: the commit latency (the page's share is the rest).
 */
import type { BenchOptions, Figure, SuiteResult } from './main.js';
import { startLiveStack } from './live-stack.js';
import { percentile } from './percentile.js';

const RATE_PER_S = Number(process.env.E2E_BENCH_RATE ?? 2_000);
const SECONDS = Number(process.env.E2E_BENCH_SECONDS ?? 30);
const DEVICES = Number(process.env.E2E_BENCH_DEVICES ?? 500);
const WARMUP_S = Number(process.env.E2E_WARMUP_S ?? 5);
const SAFETY_EVERY = 10;
const GATEWAYS = 8;

/** Runs in the page before the app: notes, for every safety event the live feed brings, how late it is. */
const PAGE_HOOK = `(() => {
  const state = (window.__e2eLatency = { safety: [], infoCounted: 0, safetySeen: 0, incidentMessages: 0 });
  const Native = window.WebSocket;
  class Watched extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (m) => {
        if (typeof m.data !== 'string' || !m.data.startsWith('42[')) return;
        const at = Date.now();
        let frame;
        try { frame = JSON.parse(m.data.slice(2)); } catch { return; }
        const [name, body] = frame;
        if (name === 'incident') state.incidentMessages++;
        if (name !== 'event' || !body) return;
        for (const e of body.events ?? []) {
          state.safetySeen++;
          state.safety.push([Date.parse(e.ts), at]);
        }
        for (const c of body.counts ?? []) state.infoCounted += Number(c[2]);
      });
    }
  }
  window.WebSocket = Watched;
})()`;

interface PageState {
  /** [device ts, received] per safety event, ms since the epoch. */
  safety: Array<[number, number]>;
  infoCounted: number;
  safetySeen: number;
  incidentMessages: number;
}

export async function run(options: BenchOptions): Promise<SuiteResult> {
  const live = await startLiveStack({ devices: DEVICES, gateways: GATEWAYS, pageInitScript: PAGE_HOOK });
  try {
    const commitMs: number[] = [];
    let loadStartMs = Number.POSITIVE_INFINITY; // nothing is timed before the load starts
    const unlisten = await live.stack.db.listen('sw_events', (payload) => {
      const at = Date.now();
      const body = JSON.parse(payload) as { events?: Array<{ ts: string }> };
      for (const e of body.events ?? []) {
        const ts = Date.parse(e.ts);
        if (ts >= loadStartMs + WARMUP_S * 1000) commitMs.push(at - ts);
      }
    });
    options.progress(`${DEVICES} devices born; publishing ${RATE_PER_S} events/s for ${SECONDS} s (1 in ${SAFETY_EVERY} a safety event)`);
    loadStartMs = Date.now();
    const load = await live.startLoad(RATE_PER_S, SECONDS, SAFETY_EVERY);
    const counts = await load.finished;
    const expectedSafety = Math.ceil(counts.published / SAFETY_EVERY);
    // Everything published was acked (stored: ingest acks after the commit); wait for the page to hear the last.
    const state = () => live.page.evaluate(() => (globalThis as unknown as { __e2eLatency: PageState }).__e2eLatency);
    const deadline = Date.now() + 60_000;
    while ((await state()).safetySeen < expectedSafety && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    await unlisten();
    const seen = await state();
    const fromMs = loadStartMs + WARMUP_S * 1000;
    const pageMs = seen.safety.filter(([ts]) => ts >= fromMs).map(([ts, at]) => at - ts);
    const stored = Number((await live.stack.db.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE device_id LIKE 'load-%'`)).rows[0]?.n);
    options.progress(`published ${counts.published} in ${counts.seconds.toFixed(1)} s (${counts.acked} acked after ${counts.ackedSeconds.toFixed(1)} s), ${stored} rows stored; page saw ${seen.safetySeen}/${expectedSafety} safety events, ${seen.infoCounted} info events in counts, ${seen.incidentMessages} incident messages; ${commitMs.length} commits timed after ${new Date(fromMs).toISOString()}`);
    if (pageMs.length === 0 || commitMs.length === 0) throw new Error('no safety event was timed: is the load reaching the stack?');
    const figures: Figure[] = [
      { name: 'rate_events_per_s', value: counts.acked / counts.ackedSeconds, unit: `events/s stored and acked, until the last PUBACK (asked ${RATE_PER_S})`, goal: { min: RATE_PER_S * 0.98 } },
      { name: 'stored_vs_published', value: stored / counts.published, unit: 'ratio (rows stored / events published)', goal: { min: 1 } },
      { name: 'page_saw_vs_safety_published', value: seen.safetySeen / expectedSafety, unit: 'ratio (safety events the page received / published)', goal: { min: 1 } },
      { name: 'commit_latency_p50_ms', value: percentile(commitMs, 50), unit: `ms publish → NOTIFY after commit (${commitMs.length} safety events)` },
      { name: 'commit_latency_p99_ms', value: percentile(commitMs, 99), unit: 'ms publish → NOTIFY after commit' },
      { name: 'latency_p50_ms', value: percentile(pageMs, 50), unit: `ms publish → in the page (${pageMs.length} safety events)`, baseline: 'commit_latency_p50_ms' },
      { name: 'latency_p99_ms', value: percentile(pageMs, 99), unit: 'ms publish → in the page', baseline: 'commit_latency_p99_ms', goal: { max: 250 } },
    ];
    return { suite: 'e2e', figures };
  } finally {
    await live.close();
  }
}
