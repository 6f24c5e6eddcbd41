import { SW_CONNECTOR_FETCH_FAILED, SW_CONNECTOR_OPTIONS_INVALID } from '../errors.js';
import type { StreetwiseError } from '@streetwise/errors';

export interface HttpPollerOptions {
  url: string;
  /** Feed name, for error messages. */
  feedName: string;
  /** Time between polls while all is well, ms; the feed's own period. Default 30 000. */
  periodMs?: number;
  /** Delay after the first failure, ms; doubles with each failure in a row. Default 2 000. */
  backoffMs?: number;
  /** Longest delay between tries while failing, ms. Default 300 000. */
  maxBackoffMs?: number;
  /** One request is abandoned after this long, ms. Default 10 000. */
  timeoutMs?: number;
  /** A reply body larger than this is refused, bytes (the real file is about 0.7 MB). Default 16 MiB. */
  maxBytes?: number;
  /** Wall clock, ms (tests pass their own). */
  now?: () => number;
}

export const DEFAULT_HTTP_POLLER_OPTIONS = { periodMs: 30_000, backoffMs: 2_000, maxBackoffMs: 300_000, timeoutMs: 10_000, maxBytes: 16 * 1024 * 1024 } as const;

export type PollOutcome =
  | { kind: 'snapshot'; bytes: Uint8Array; fetchedAtMs: number }
  /** 304: the server says the file has not changed since the last one read. */
  | { kind: 'not_modified'; fetchedAtMs: number }
  | { kind: 'failed'; error: StreetwiseError; fetchedAtMs: number };

/**
 * Fetches one URL with conditional requests: after a 200 it sends the validators the server gave (ETag as
 * If-None-Match, Last-Modified as If-Modified-Since), so an unchanged file costs a 304 and no body. It says how
 * long to wait before the next poll: the feed's period while all is well, exponential backoff while failing.
 */
export class HttpPoller {
  private readonly options: Required<Omit<HttpPollerOptions, 'now'>>;
  private readonly now: () => number;
  private etag: string | undefined;
  private lastModified: string | undefined;
  private failures = 0;

  constructor(options: HttpPollerOptions) {
    this.options = { ...DEFAULT_HTTP_POLLER_OPTIONS, ...options };
    this.now = options.now ?? Date.now;
    for (const key of ['periodMs', 'backoffMs', 'maxBackoffMs', 'timeoutMs', 'maxBytes'] as const) {
      const value = this.options[key];
      if (!(Number.isFinite(value) && value >= 1)) throw SW_CONNECTOR_OPTIONS_INVALID([key, value, key === 'maxBytes' ? 'a number of bytes, at least 1' : 'a number of milliseconds, at least 1']);
    }
    if (!/^https?:\/\//.test(this.options.url)) throw SW_CONNECTOR_OPTIONS_INVALID(['url', this.options.url, 'an http:// or https:// URL']);
  }

  get url(): string {
    return this.options.url;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Milliseconds to wait before the next poll, given the outcomes so far. */
  nextDelayMs(): number {
    if (this.failures === 0) return this.options.periodMs;
    return Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** (this.failures - 1));
  }

  async pollOnce(): Promise<PollOutcome> {
    const headers: Record<string, string> = {};
    if (this.etag !== undefined) headers['if-none-match'] = this.etag;
    if (this.lastModified !== undefined) headers['if-modified-since'] = this.lastModified;
    const fetchedAtMs = this.now();
    const fail = (reason: string, cause?: unknown): PollOutcome => {
      this.failures++;
      const error = SW_CONNECTOR_FETCH_FAILED([this.options.feedName, this.options.url, reason], cause === undefined ? {} : { cause });
      return { kind: 'failed', error, fetchedAtMs };
    };
    let response: Response;
    try {
      response = await fetch(this.options.url, { headers, signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      return fail(cause?.code ?? (err as Error).message, err);
    }
    if (response.status === 304) {
      await response.body?.cancel();
      this.failures = 0;
      return { kind: 'not_modified', fetchedAtMs };
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return fail(`HTTP ${response.status} ${response.statusText}`);
    }
    let bytes: Uint8Array;
    try {
      const body = await readLimited(response, this.options.maxBytes);
      if (body === undefined) return fail(`the reply is larger than ${this.options.maxBytes} bytes`);
      bytes = body;
    } catch (err) {
      return fail(`reading the body: ${(err as Error).message}`, err);
    }
    this.etag = response.headers.get('etag') ?? undefined;
    this.lastModified = response.headers.get('last-modified') ?? undefined;
    this.failures = 0;
    return { kind: 'snapshot', bytes, fetchedAtMs };
  }
}

/** The body, or undefined as soon as it passes maxBytes (the rest is not read). */
async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
