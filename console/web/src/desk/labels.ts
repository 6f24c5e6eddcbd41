/** Words for the server's codes: incident types and outcomes, with the raw code where no word exists. */
import { t, type MessageKey } from '../i18n/i18n.js';

const KNOWN_TYPES = new Set(['detection', 'line_crossing', 'zone_occupancy', 'dwell', 'loitering', 'intrusion', 'crowd_density', 'stopped_vehicle', 'wrong_way', 'queue_length', 'collision', 'device_offline']);

/** A new incident type from a newer ingest shows as its code rather than as nothing. */
export function typeLabel(type: string): string {
  return KNOWN_TYPES.has(type) ? t(`desk.type.${type}` as MessageKey) : type;
}

export function outcomeLabel(outcome: string): string {
  switch (outcome) {
    case 'handled':
    case 'false_alarm':
    case 'duplicate':
    case 'no_action_needed':
      return t(`desk.outcome.${outcome}`);
    default:
      return outcome;
  }
}

const HEALTH_FIELDS = new Set(['time', 'uptimeS', 'fps', 'inferenceMsP50', 'inferenceMsP95', 'cpuPct', 'rssMb', 'outboxDepth', 'outboxDropped', 'configVersion']);

/** A health report's field, named for people; a field from a newer server shows as its name. */
export function healthLabel(field: string): string {
  return HEALTH_FIELDS.has(field) ? t(`desk.health.${field}` as MessageKey) : field;
}

const KNOWN_CLASSES = new Set(['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck']);

/** A detector's object class in words; a class from another model shows as its name. */
export function classLabel(objectClass: string): string {
  return KNOWN_CLASSES.has(objectClass) ? t(`desk.class.${objectClass}` as MessageKey) : objectClass;
}
