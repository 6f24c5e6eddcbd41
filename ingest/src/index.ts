export { createIngest } from './ingest.js';
export type { Ingest, IngestOptions, IngestHealth, IngestState, ComponentState } from './ingest.js';
export { IngestBus } from './notify/bus.js';
export type { IngestBusEvents, IngestBusListener, BatchSummary } from './notify/bus.js';
export { DEFAULT_BATCH_WRITER_OPTIONS } from './write/batch-writer.js';
export type { BatchWriterOptions } from './write/batch-writer.js';
export { DEFAULT_MQTT_TRANSPORT } from './intake/transport-mqtt.js';
export { installAckWindow, supportsAckWindow } from './intake/ack-window.js';
export type { AckWindowStats } from './intake/ack-window.js';
export type { MqttTransportOptions, TransportRole, SessionObserver } from './intake/transport-mqtt.js';
export { drainSessions } from './drain/drain-sessions.js';
export type { DrainOptions, DrainReport, DrainOutcome } from './drain/drain-sessions.js';
export type { AedesTransportOptions } from './intake/transport-aedes.js';
export { DEFAULT_INCIDENT_RULES, applyIncidentRules, isSafetyEvent, severityRank } from './incidents/incident-rules.js';
export type { IncidentRule, IncidentRules, SafetyEvent, OpenIncident, RuleDecision } from './incidents/incident-rules.js';
export { classifyMessage, isRealCalendarTime } from './intake/classify-message.js';
export type { Classified, ClassifyOptions } from './intake/classify-message.js';
export { checkPublisher, matchesClientPattern } from './intake/publisher-check.js';
export type { PublisherPolicy } from './intake/publisher-check.js';
export { INGEST_SETTINGS, parseIngestSettings, ingestHelp } from './settings.js';
export type { IngestSettings } from './settings.js';
export type {
  IngestResult,
  DeadLetterCode,
  Received,
  IntakeItem,
  StoredEvent,
  DeviceChange,
  DeadLetterSummary,
} from './types.js';
export {
  SW_INGEST_SETTINGS_INVALID,
  SW_INGEST_OPTIONS_INVALID,
  SW_INGEST_STOPPING,
  SW_INGEST_BROKER_UNREACHABLE,
  SW_INGEST_SUBSCRIBE_FAILED,
  SW_INGEST_DB_UNAVAILABLE,
  SW_INGEST_DEAD_LETTER_LOST,
  SW_INGEST_HTTP_PORT_IN_USE,
  SW_INGEST_DRAIN_INCOMPLETE,
  INGEST_ERRORS,
} from './errors.js';
