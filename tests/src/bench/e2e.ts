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
 * Baselines in the same run: the commit latency (the page's share is the rest), and a light phase first
 * (E2E_BENCH_LIGHT_RATE, default 200 events/s, 15 s): the same path without a backlog. When the stack
 * cannot store the full rate, the full phase's latency is mostly the queue, and rate_events_per_s says so.
 */
import type { BenchOptions, Figure, SuiteResult } from './main.js';
import { startLiveStack, type LiveStack } from './live-stack.js';
import type { LoadResult } from './load-publisher.js';
import { percentile } from './percentile.js';

const RATE_PER_S = Number(process.env.E2E_BENCH_RATE ?? 2_000);
const SECONDS = Number(process.env.E2E_BENCH_SECONDS ?? 30);
const DEVICES = Number(process.env.E2E_BENCH_DEVICES ?? 500);
const WARMUP_S = Number(process.env.E2E_WARMUP_S ?? 5);
const SAFETY_EVERY = 10;
const GATEWAYS = 8;
/** First, a light phase: the same path without a backlog, so the page's and the commit's own costs show. */
const LIGHT_RATE_PER_S = Number(process.env.E2E_BENCH_LIGHT_RATE ?? 200);
const LIGHT_SECONDS = 15;

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

interface Phase {
  counts: LoadResult;
  commitMs: number[];
  pageMs: number[];
  /** Safety events the page received / published, in this phase. */
  pageSaw: number;
}

/** One paced load; times the safety events published after its warm-up, once the page has heard them all. */
async function phase(live: LiveStack, commits: Array<[number, number]>, ratePerS: number, seconds: number, warmupS: number, options: BenchOptions): Promise<Phase> {
  const state = () => live.page.evaluate(() => (globalThis as unknown as { __e2eLatency: PageState }).__e2eLatency);
  const seenBefore = (await state()).safetySeen;
  options.progress(`publishing ${ratePerS} events/s for ${seconds} s (1 in ${SAFETY_EVERY} a safety event)`);
  const startMs = Date.now();
  const load = await live.startLoad(ratePerS, seconds, SAFETY_EVERY);
  const counts = await load.finished;
  const expectedSafety = Math.ceil(counts.published / SAFETY_EVERY);
  // Everything published was acked (ingest acks after the commit); wait for the page to hear the last.
  const deadline = Date.now() + 60_000;
  while ((await state()).safetySeen - seenBefore < expectedSafety && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  const seen = await state();
  const fromMs = startMs + warmupS * 1000;
  const timed = ([ts]: [number, number]) => ts >= fromMs;
  const phaseResult = { counts, commitMs: commits.filter(timed).map(([ts, at]) => at - ts), pageMs: seen.safety.filter(timed).map(([ts, at]) => at - ts), pageSaw: (seen.safetySeen - seenBefore) / expectedSafety };
  options.progress(`published ${counts.published} in ${counts.seconds.toFixed(1)} s (${counts.acked} acked after ${counts.ackedSeconds.toFixed(1)} s); page saw ${seen.safetySeen - seenBefore}/${expectedSafety} safety events (${seen.infoCounted} info events in counts so far, ${seen.incidentMessages} incident messages); ${phaseResult.pageMs.length} timed`);
  // The next phase starts from an empty list.
  commits.length = 0;
  await live.page.evaluate(() => ((globalThis as unknown as { __e2eLatency: PageState }).__e2eLatency.safety = []));
  if (phaseResult.pageMs.length === 0 || phaseResult.commitMs.length === 0) throw new Error('no safety event was timed: is the load reaching the stack?');
  return phaseResult;
}

export async function run(options: BenchOptions): Promise<SuiteResult> {
  const live = await startLiveStack({ devices: DEVICES, gateways: GATEWAYS, pageInitScript: PAGE_HOOK });
  try {
    // [device ts, NOTIFY heard] per safety event: the NOTIFY is sent by the batch's commit.
    const commits: Array<[number, number]> = [];
    const unlisten = await live.stack.db.listen('sw_events', (payload) => {
      const at = Date.now();
      for (const e of (JSON.parse(payload) as { events?: Array<{ ts: string }> }).events ?? []) commits.push([Date.parse(e.ts), at]);
    });
    options.progress(`${DEVICES} devices born`);
    const light = await phase(live, commits, LIGHT_RATE_PER_S, LIGHT_SECONDS, 3, options);
    const full = await phase(live, commits, RATE_PER_S, SECONDS, WARMUP_S, options);
    await unlisten();
    const stored = Number((await live.stack.db.query<{ n: string }>(`SELECT count(*) AS n FROM events WHERE device_id LIKE 'load-%'`)).rows[0]?.n);
    const published = light.counts.published + full.counts.published;
    const figures: Figure[] = [
      { name: 'rate_events_per_s', value: full.counts.acked / full.counts.ackedSeconds, unit: `events/s stored and acked, until the last PUBACK (asked ${RATE_PER_S})`, goal: { min: RATE_PER_S * 0.98 } },
      { name: 'stored_vs_published', value: stored / published, unit: 'ratio (rows stored / events published)', goal: { min: 1 } },
      { name: 'page_saw_vs_safety_published', value: Math.min(light.pageSaw, full.pageSaw), unit: 'ratio (safety events the page received / published)', goal: { min: 1 } },
      { name: 'commit_latency_p50_ms', value: percentile(full.commitMs, 50), unit: `ms publish → NOTIFY after commit (${full.commitMs.length} safety events)` },
      { name: 'commit_latency_p99_ms', value: percentile(full.commitMs, 99), unit: 'ms publish → NOTIFY after commit' },
      { name: 'latency_p50_ms', value: percentile(full.pageMs, 50), unit: `ms publish → in the page (${full.pageMs.length} safety events)`, baseline: 'commit_latency_p50_ms' },
      { name: 'latency_p99_ms', value: percentile(full.pageMs, 99), unit: 'ms publish → in the page', baseline: 'commit_latency_p99_ms', goal: { max: 250 } },
      { name: 'light_rate_events_per_s', value: light.counts.acked / light.counts.ackedSeconds, unit: `events/s (asked ${LIGHT_RATE_PER_S}: the same path without a backlog)` },
      { name: 'light_commit_latency_p99_ms', value: percentile(light.commitMs, 99), unit: `ms publish → NOTIFY after commit at ${LIGHT_RATE_PER_S} events/s` },
      { name: 'light_latency_p50_ms', value: percentile(light.pageMs, 50), unit: `ms publish → in the page at ${LIGHT_RATE_PER_S} events/s (${light.pageMs.length} safety events)` },
      { name: 'light_latency_p99_ms', value: percentile(light.pageMs, 99), unit: `ms publish → in the page at ${LIGHT_RATE_PER_S} events/s`, baseline: 'light_commit_latency_p99_ms', goal: { max: 250 } },
    ];
    return { suite: 'e2e', figures };
  } finally {
    await live.close();
  }
}
