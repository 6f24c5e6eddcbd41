import type { MessageByKind, RejectCode, Severity, UplinkKind } from '@streetwise/protocol';

/** What happened to one message: the label values of streetwise_ingest_messages_total. */
export type IngestResult = 'stored' | 'duplicate' | 'dead_letter';

/** Why a message went to dead_letters: the protocol's reject codes plus ingest's own checks. */
export type DeadLetterCode =
  | RejectCode
  | 'unauthorized_publisher'
  | 'unknown_device'
  | 'blocked_device'
  | 'bad_text'
  | 'db_rejected';

/** One message as the transport received it. */
export interface Received {
  topic: string;
  payload: Buffer;
  /** MQTT client id of the publisher when the transport knows it (embedded broker), else null. */
  clientId: string | null;
  /** When ingest received it, ms since the epoch. */
  receivedAtMs: number;
}

/** One per protocol uplink kind, each with its own message type (a new kind in the protocol adds its member here). */
export type AcceptedMessage = { [K in UplinkKind]: { kind: K; deviceId: string; message: MessageByKind[K] } }[UplinkKind];

export type AcceptedItem = Received & AcceptedMessage & { accepted: true };

export interface RejectedItem extends Received {
  accepted: false;
  reasonCode: DeadLetterCode;
  reason: string;
  deviceId: string | null;
}

/** A classified message on its way to the batch writer. */
export type IntakeItem = AcceptedItem | RejectedItem;

/** Compact summary of a stored event, for listeners (bus and NOTIFY sw_events). */
export interface StoredEvent {
  id: string;
  deviceId: string;
  type: string;
  severity: Severity;
  ts: string;
  lat: number;
  lon: number;
}

export interface DeviceChange {
  id: string;
  state: 'online' | 'offline';
  /** True when the birth registered the device for the first time. */
  registered: boolean;
}

export interface DeadLetterSummary {
  topic: string;
  reasonCode: DeadLetterCode;
  reason: string;
  clientId: string | null;
  deviceId: string | null;
}
