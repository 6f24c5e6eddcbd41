/**
 * The desk's keys: j/k or the arrow keys move in the queue, Enter opens, `a` acknowledges, Escape
 * closes. Never while the operator is typing (a note, a filter): those keys belong to the field then.
 */

export type DeskKeyCommand = 'next' | 'previous' | 'open' | 'acknowledge' | 'close';

/** The parts of a KeyboardEvent the model reads (a real event has them all). */
export interface DeskKeyEvent {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  target: EventTarget | null;
}

interface TypingTarget {
  tagName?: string;
  isContentEditable?: boolean;
  type?: string;
  closest?: (selector: string) => unknown;
}

/** The map keeps its own keys (arrows pan, +/- zoom) while it has the focus. */
const OWN_KEYS_SELECTOR = '.maplibregl-map';

/**
 * Fields where letters and arrows are text (or a choice), not commands, and the map, whose arrows pan.
 * Buttons and checkboxes are not fields.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (target === null || typeof target !== 'object') return false;
  const element = target as TypingTarget;
  if (element.isContentEditable === true) return true;
  if (typeof element.closest === 'function' && element.closest(OWN_KEYS_SELECTOR) !== null) return true;
  switch (element.tagName?.toUpperCase()) {
    case 'TEXTAREA':
    case 'SELECT':
      return true;
    case 'INPUT':
      return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes((element.type ?? 'text').toLowerCase());
    default:
      return false;
  }
}

const KEYS: Readonly<Record<string, DeskKeyCommand>> = {
  j: 'next',
  ArrowDown: 'next',
  k: 'previous',
  ArrowUp: 'previous',
  Enter: 'open',
  a: 'acknowledge',
  Escape: 'close',
};

export function deskKeyCommand(event: DeskKeyEvent): DeskKeyCommand | null {
  if (event.altKey || event.ctrlKey || event.metaKey) return null;
  const command = KEYS[event.key];
  if (command === undefined) return null;
  // In a field every key is the field's (Escape too: a select closes its list with it).
  if (isTypingTarget(event.target)) return null;
  // Enter on a button or link is that control's own click.
  if (command === 'open' && isControl(event.target)) return null;
  return command;
}

function isControl(target: EventTarget | null): boolean {
  if (target === null || typeof target !== 'object') return false;
  const tag = (target as TypingTarget).tagName?.toUpperCase();
  return tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || tag === 'INPUT';
}

/** The id after (or before) the current one in the queue; the first (or last) when none is current. */
export function moveInQueue(ids: readonly string[], currentId: string | null, step: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const at = currentId === null ? -1 : ids.indexOf(currentId);
  if (at === -1) return step === 1 ? ids[0]! : ids[ids.length - 1]!;
  const next = Math.min(ids.length - 1, Math.max(0, at + step));
  return ids[next]!;
}
