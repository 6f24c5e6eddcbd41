/**
 * `api(method, path, body?)`: one call to the console's HTTP API, same origin, with the session cookie
 * and (for every state change) the x-csrf-token header the session gave at sign-in. A non-2xx answer
 * throws ApiError carrying the API's error body.
 */
import type { ApiErrorBody } from './types.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: ApiErrorBody | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | undefined;

/** Set by the store when a session starts (sign-in, GET /session) and cleared when it ends. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called on every 401 from an API call, so the app can go back to the sign-in page. */
let onUnauthorized: (() => void) | undefined;
export function onSessionLost(handler: () => void): void {
  onUnauthorized = handler;
}

const API_PREFIX = '/api/v1';

export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path.startsWith('/api/') ? path : `${API_PREFIX}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (cause) {
    throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause), undefined);
  }
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const errorBody = isErrorBody(parsed) ? parsed : undefined;
    if (response.status === 401 && !path.endsWith('/session')) onUnauthorized?.();
    throw new ApiError(response.status, errorBody?.code ?? `HTTP_${response.status}`, errorBody?.message ?? response.statusText, errorBody);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}
