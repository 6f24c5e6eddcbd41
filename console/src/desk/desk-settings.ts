/**
 * The incident desk's settings, shared by every program that serves the console (`npm start`, the
 * console's own main): time-to-acknowledge thresholds per severity and the escalation webhook. Spread
 * into the program's settings table, then turned into DeskOptions.
 */
import { SEVERITIES, type Severity } from '@streetwise/protocol';
import { integer, text, url, type Parse } from '@streetwise/settings';

/** How long an open incident may wait for acknowledgement before the desk shows it amber, then red. */
export interface AckThreshold {
  amberS: number;
  redS: number;
}

export type AckThresholds = Record<Severity, AckThreshold>;

export const DEFAULT_ACK_THRESHOLDS: Readonly<AckThresholds> = Object.freeze({
  info: { amberS: 14_400, redS: 86_400 },
  low: { amberS: 3_600, redS: 14_400 },
  medium: { amberS: 900, redS: 3_600 },
  high: { amberS: 300, redS: 900 },
  critical: { amberS: 60, redS: 180 },
});

export interface DeskOptions {
  ackThresholds: AckThresholds;
  /** Unacknowledged incidents of these severities sound the desk's alert. */
  soundSeverities: Severity[];
  /** Where a critical incident left unacknowledged past its red threshold is POSTed; undefined: nowhere. */
  webhookUrl: string | undefined;
  /** Shared secret of the HMAC-SHA256 signature; required with webhookUrl. */
  webhookSecret: string | undefined;
  /** Tries per incident, the first included. */
  webhookAttempts: number;
  /** Wait before the second try; doubled before each next one (1 s, 2 s, 4 s, …). */
  webhookBackoffMs: number;
  /** One try gives up after this long. */
  webhookTimeoutMs: number;
  /** How often each console node looks for incidents due for escalation. */
  scanIntervalMs: number;
  /** The clock the scan compares thresholds with (ms since the epoch); tests move it. */
  clock: () => number;
}

export const DEFAULT_DESK: Readonly<Omit<DeskOptions, 'clock'>> = Object.freeze({
  ackThresholds: DEFAULT_ACK_THRESHOLDS,
  soundSeverities: ['critical' as const],
  webhookUrl: undefined,
  webhookSecret: undefined,
  webhookAttempts: 5,
  webhookBackoffMs: 1000,
  webhookTimeoutMs: 10_000,
  scanIntervalMs: 5000,
});

/** `amber/red` in seconds, amber below red: `60/180`. */
export const amberRed: Parse<AckThreshold> = (raw) => {
  const m = /^(\d{1,7})\/(\d{1,7})$/.exec(raw.trim());
  const amberS = Number(m?.[1]);
  const redS = Number(m?.[2]);
  return m && amberS >= 1 && redS > amberS ? { ok: true, value: { amberS, redS } } : { ok: false, expected: 'AMBER/RED in whole seconds, amber at least 1 and below red, e.g. 60/180' };
};

const thresholdSetting = (severity: Severity) => ({
  env: `ACK_${severity.toUpperCase()}_S`,
  flag: `--ack-${severity}-s`,
  defaultValue: `${DEFAULT_ACK_THRESHOLDS[severity].amberS}/${DEFAULT_ACK_THRESHOLDS[severity].redS}`,
  description: `seconds an open ${severity} incident waits for acknowledgement before the desk shows it amber/red${severity === 'critical' ? ' (red: escalated to the webhook)' : ''}`,
  parse: amberRed,
});

export const DESK_SETTINGS = {
  ackInfoS: thresholdSetting('info'),
  ackLowS: thresholdSetting('low'),
  ackMediumS: thresholdSetting('medium'),
  ackHighS: thresholdSetting('high'),
  ackCriticalS: thresholdSetting('critical'),
  escalationWebhookUrl: {
    env: 'ESCALATION_WEBHOOK_URL', flag: '--escalation-webhook-url',
    description: 'a critical incident unacknowledged past its red threshold is POSTed here, signed (see console/README.md); unset: no webhook',
    parse: url(['http', 'https']),
  },
  escalationWebhookSecret: {
    env: 'ESCALATION_WEBHOOK_SECRET', flag: '--escalation-webhook-secret',
    description: 'shared secret of the webhook\'s HMAC-SHA256 signature (required with ESCALATION_WEBHOOK_URL; at least 16 characters)',
    parse: ((raw) => (raw.length >= 16 ? text(raw) : { ok: false, expected: 'at least 16 characters' })) as Parse<string>,
  },
  escalationWebhookAttempts: { env: 'ESCALATION_WEBHOOK_ATTEMPTS', flag: '--escalation-webhook-attempts', defaultValue: '5', description: 'tries per incident before giving up, the first included', parse: integer(1, 20) },
  escalationWebhookBackoffMs: { env: 'ESCALATION_WEBHOOK_BACKOFF_MS', flag: '--escalation-webhook-backoff-ms', defaultValue: '1000', description: 'wait before the second try, doubled before each next one', parse: integer(1, 600_000) },
};

export interface DeskSettingValues {
  ackInfoS: AckThreshold;
  ackLowS: AckThreshold;
  ackMediumS: AckThreshold;
  ackHighS: AckThreshold;
  ackCriticalS: AckThreshold;
  escalationWebhookUrl?: string | undefined;
  escalationWebhookSecret?: string | undefined;
  escalationWebhookAttempts: number;
  escalationWebhookBackoffMs: number;
}

/** Settings that are wrong together, as `SETTING | value | what is expected` lines (empty when fine). */
export function deskSettingProblems(settings: DeskSettingValues): string[] {
  if (settings.escalationWebhookUrl !== undefined && settings.escalationWebhookSecret === undefined) {
    return ['ESCALATION_WEBHOOK_SECRET | (not set) | required with ESCALATION_WEBHOOK_URL: receivers check the signature with it'];
  }
  return [];
}

export function deskOptionsFrom(settings: DeskSettingValues): Partial<DeskOptions> {
  const ackThresholds: AckThresholds = {
    info: settings.ackInfoS, low: settings.ackLowS, medium: settings.ackMediumS, high: settings.ackHighS, critical: settings.ackCriticalS,
  };
  return {
    ackThresholds,
    webhookUrl: settings.escalationWebhookUrl,
    webhookSecret: settings.escalationWebhookSecret,
    webhookAttempts: settings.escalationWebhookAttempts,
    webhookBackoffMs: settings.escalationWebhookBackoffMs,
  };
}

/** Every severity has a threshold (a partial table from a caller is filled from the defaults). */
export function resolveDeskOptions(partial: Partial<DeskOptions> = {}): DeskOptions {
  const given: Partial<AckThresholds> = partial.ackThresholds ?? {};
  const ackThresholds = Object.fromEntries(SEVERITIES.map((s) => [s, given[s] ?? DEFAULT_ACK_THRESHOLDS[s]])) as AckThresholds;
  return { ...DEFAULT_DESK, clock: Date.now, ...definedOnly(partial), ackThresholds };
}

const definedOnly = <T extends object>(value: T): Partial<T> => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
