import { v7 as uuidv7, validate as uuidValidate, version as uuidVersion } from 'uuid';

/** A new message id: a UUIDv7, so ids sort by the time they were made. */
export function newMessageId(atMs?: number): string {
  return atMs === undefined ? uuidv7() : uuidv7({ msecs: atMs });
}

export function isMessageId(value: string): boolean {
  return uuidValidate(value) && uuidVersion(value) === 7;
}

/** The millisecond timestamp a UUIDv7 carries in its first 48 bits. */
export function messageIdTimeMs(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}
