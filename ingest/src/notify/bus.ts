import { EventEmitter } from 'node:events';
import type { IncidentMessage } from '@streetwise/incidents';
import type { DeadLetterSummary, DeviceChange, StoredEvent } from '../types.js';

/** What one committed batch did, for listeners that want counts rather than rows. */
export interface BatchSummary {
  stored: number;
  duplicates: number;
  deadLetters: number;
  commitSeconds: number;
}

/** Events of the in-process bus; each fires once per committed batch, only when non-empty. */
export interface IngestBusEvents {
  events: StoredEvent[];
  /** One sw_incidents message per incident the batch opened or touched. */
  incidents: IncidentMessage[];
  devices: DeviceChange[];
  deadLetters: DeadLetterSummary[];
  batch: BatchSummary;
}

export type IngestBusListener<K extends keyof IngestBusEvents> = (payload: IngestBusEvents[K]) => void;

/**
 * In-process listeners of committed data (the same facts ingest sends with NOTIFY). A listener that
 * throws is reported to onListenerError and never reaches ingest.
 */
export class IngestBus {
  private readonly emitter = new EventEmitter();

  constructor(private readonly onListenerError: (err: unknown, event: keyof IngestBusEvents) => void = () => {}) {
    this.emitter.setMaxListeners(100);
  }

  /** Returns a function that removes the listener. */
  on<K extends keyof IngestBusEvents>(event: K, listener: IngestBusListener<K>): () => void {
    this.emitter.on(event, listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof IngestBusEvents>(event: K, listener: IngestBusListener<K>): void {
    this.emitter.off(event, listener);
  }

  /** Resolves with the next payload of `event`. */
  once<K extends keyof IngestBusEvents>(event: K): Promise<IngestBusEvents[K]> {
    return new Promise((resolve) => this.emitter.once(event, resolve));
  }

  emit<K extends keyof IngestBusEvents>(event: K, payload: IngestBusEvents[K]): void {
    for (const listener of this.emitter.listeners(event) as Array<IngestBusListener<K>>) {
      try {
        listener(payload);
      } catch (err) {
        this.onListenerError(err, event);
      }
    }
  }
}
