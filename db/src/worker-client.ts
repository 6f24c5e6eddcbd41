/**
 * The main thread's side of the embedded database worker: start it, send requests and match replies by
 * id, pass notifications and log lines on, and fail every pending call if the worker dies.
 */
import { existsSync } from 'node:fs';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { deserializeError } from './embedded-messages.js';
import type { WorkerReply, WorkerRequest } from './embedded-messages.js';
import { SW_DB_CLOSED, SW_DB_EMBEDDED_START_FAILED, SW_DB_WORKER_EXITED, SW_DB_WORKER_MISSING } from './errors.js';

/** A request without its id (the client numbers them). */
export type WorkerCall = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface WorkerClient {
  /** Milliseconds the worker took to start PGlite + TimescaleDB. */
  readonly startMs: number;
  /** True once the worker is closed or has died. */
  readonly stopped: boolean;
  call<T>(this: void, request: WorkerCall, what: string): Promise<T>;
  /** How busy the database thread has been (Node's event-loop utilization of the worker). */
  utilization(): EventLoopUtilization;
  /** Ask the worker to close PGlite (at most closeTimeoutMs), then stop the thread. */
  close(closeTimeoutMs: number): Promise<void>;
}

/**
 * The worker runs compiled JS. From dist/ it sits next to this file; under vitest this file is the .ts
 * source in src/, so use the dist/ counterpart (vitest runs after `tsc --build`, as `npm test` does).
 */
export function resolveWorkerFile(moduleUrl: string = import.meta.url): string {
  const workerUrl = moduleUrl.endsWith('.ts') ? new URL('../dist/embedded-worker.js', moduleUrl) : new URL('./embedded-worker.js', moduleUrl);
  return fileURLToPath(workerUrl);
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

export async function startWorkerClient(options: {
  dataDir: string;
  logger: Logger;
  onNotify: (channel: string, payload: string) => void;
  onExit: () => void;
}): Promise<WorkerClient> {
  const { dataDir, logger } = options;
  const workerFile = resolveWorkerFile();
  if (!existsSync(workerFile)) throw SW_DB_WORKER_MISSING([workerFile]);
  // Workers inherit execArgv; --input-type (node --input-type=module -e …) makes a worker fail to start.
  const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--input-type'));
  const worker = new Worker(workerFile, { workerData: { dataDir }, execArgv });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;
  let failure: Error | null = null;

  const started: { message?: (m: WorkerReply) => void; error?: (e: Error) => void; exit?: (code: number) => void } = {};
  const startMs = await new Promise<number>((resolve, reject) => {
    started.message = (message) => {
      if (message.type === 'ready') resolve(message.startMs);
      if (message.type === 'failed') reject(SW_DB_EMBEDDED_START_FAILED([dataDir, message.error.message], { cause: deserializeError(message.error) }));
    };
    started.error = (err) => reject(SW_DB_EMBEDDED_START_FAILED([dataDir, err.message], { cause: err }));
    started.exit = (code) => reject(SW_DB_EMBEDDED_START_FAILED([dataDir, `worker exited with code ${code}`]));
    worker.on('message', started.message);
    worker.on('error', started.error);
    worker.on('exit', started.exit);
  }).catch(async (err: unknown) => {
    await worker.terminate();
    options.onExit();
    throw err;
  });
  // Node's Worker keeps internal listeners of its own: remove only ours (removeAllListeners broke replies).
  if (started.message) worker.off('message', started.message);
  if (started.error) worker.off('error', started.error);
  if (started.exit) worker.off('exit', started.exit);

  const failAll = (err: Error): void => {
    failure = err;
    for (const call of pending.values()) call.reject(err);
    pending.clear();
  };
  worker.on('error', (err) => {
    logger.error({ err }, 'embedded database worker failed');
    failAll(SW_DB_WORKER_EXITED([err.message], { cause: err }));
  });
  worker.on('exit', (code) => {
    if (!closed) failAll(SW_DB_WORKER_EXITED([`exit code ${code}`]));
    options.onExit();
  });
  worker.on('message', (message: WorkerReply) => {
    if (message.type === 'reply') {
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) call?.resolve(message.value);
      else call?.reject(deserializeError(message.error));
    } else if (message.type === 'notify') {
      options.onNotify(message.channel, message.payload);
    } else if (message.type === 'log') {
      logger[message.level](message.fields, message.msg);
    }
  });

  function call<T>(request: WorkerCall, what: string): Promise<T> {
    if (closed) return Promise.reject(SW_DB_CLOSED([what]));
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        worker.postMessage({ ...request, id });
      } catch (err) {
        pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  return {
    startMs,
    get stopped() {
      return closed || failure !== null;
    },
    call,
    utilization: () => worker.performance.eventLoopUtilization(),
    async close(closeTimeoutMs) {
      if (closed) return;
      if (!failure) {
        // A transaction that never ends would keep the worker's close waiting.
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            logger.warn({ closeTimeoutMs }, 'embedded database did not close in time (an open transaction?); stopping its worker');
            resolve();
          }, closeTimeoutMs);
        });
        await Promise.race([call({ op: 'close' }, 'close').catch((err: unknown) => logger.warn({ err }, 'close failed')), timeout]);
        clearTimeout(timer);
      }
      closed = true;
      await worker.terminate();
    },
  };
}
