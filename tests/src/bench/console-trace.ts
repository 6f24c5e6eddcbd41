/**
 * A Chromium performance trace of one page (CDP Tracing, over playwright's CDP session) and the figure the
 * console bench reports from it: the renderer main thread's busy time per rendered frame. Headless Chromium
 * caps the frame rate, so time between frames says nothing; the main thread's work per frame does.
 */
import type { CDPSession, Page } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of an 'X' event, when Chromium records it. */
  tdur?: number;
  args?: { name?: string };
}

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'toplevel', '__metadata'];

export async function traceFor(page: Page, durationMs: number): Promise<TraceEvent[]> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordContinuously' }, transferMode: 'ReturnAsStream' });
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  const complete = new Promise<{ stream?: string }>((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await complete;
  if (!stream) throw new Error('Chromium returned no trace stream');
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  await cdp.detach();
  const parsed = JSON.parse(text) as TraceEvent[] | { traceEvents: TraceEvent[] };
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

export interface FrameCost {
  /** Median over one-second windows of (main-thread busy ms) / (frames begun on the main thread). */
  busyMsPerFrame: number;
  frames: number;
  windows: number;
  /** The main thread's CPU time per second of trace, frames or not. */
  busyMsPerSecond: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Busy time: the top-level tasks (RunTask) of the renderer's main thread (CrRendererMain; the one with the
 * most work, when there are several), as thread CPU time (`tdur`; wall time `dur` where a task has none):
 * on a shared machine wall time counts the waits for a core as work. Frames: its BeginMainThreadFrame events (one per frame the page
 * produced).
 */
export function frameCost(events: readonly TraceEvent[]): FrameCost {
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
  // Which renderer is the page: the main thread with the most work.
  const busyByThread = new Map<string, number>();
  for (const e of events) if (e.ph === 'X' && e.name === 'RunTask' && mains.includes(`${e.pid}:${e.tid}`)) busyByThread.set(`${e.pid}:${e.tid}`, (busyByThread.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
  const main = [...busyByThread.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!main) throw new Error('the trace has no renderer main thread with tasks');
  const on = (e: TraceEvent) => `${e.pid}:${e.tid}` === main;
  const tasks = events.filter((e) => on(e) && e.ph === 'X' && e.name === 'RunTask');
  const frames = events.filter((e) => on(e) && e.name === 'BeginMainThreadFrame');
  if (frames.length === 0) throw new Error('the trace has no BeginMainThreadFrame on the main thread');
  const start = Math.min(...tasks.map((e) => e.ts));
  const windowUs = 1_000_000;
  const busy = new Map<number, number>();
  const count = new Map<number, number>();
  for (const e of tasks) busy.set(Math.floor((e.ts - start) / windowUs), (busy.get(Math.floor((e.ts - start) / windowUs)) ?? 0) + (e.tdur ?? e.dur ?? 0) / 1000);
  for (const e of frames) count.set(Math.floor((e.ts - start) / windowUs), (count.get(Math.floor((e.ts - start) / windowUs)) ?? 0) + 1);
  const perWindow = [...count.entries()].filter(([, n]) => n > 0).map(([w, n]) => (busy.get(w) ?? 0) / n);
  const totalMs = tasks.reduce((sum, e) => sum + (e.tdur ?? e.dur ?? 0) / 1000, 0);
  const spanS = (Math.max(...tasks.map((e) => e.ts + (e.dur ?? 0))) - start) / 1e6;
  return { busyMsPerFrame: median(perWindow), frames: frames.length, windows: perWindow.length, busyMsPerSecond: totalMs / spanS };
}
