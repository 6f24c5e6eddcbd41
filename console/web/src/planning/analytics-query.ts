/**
 * Reading /api/v1/analytics/* for a chart: the URL (the same one the CSV button asks for with
 * format=csv), and a hook that fetches it whenever it changes and ignores answers that arrive late.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';

export type Params = Record<string, string | undefined>;

export function analyticsUrl(path: string, params: Params): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, value);
  return `/api/v1/analytics/${path}?${query.toString()}`;
}

export function csvUrl(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}format=csv`;
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
}

/** Fetches `url` (null: nothing to fetch) and re-fetches when it changes. */
export function useAnalytics<T>(url: string | null): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined, loading: url !== null });
  useEffect(() => {
    if (url === null) return setState({ data: undefined, error: undefined, loading: false });
    let current = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    api<T>('GET', url).then(
      (data) => current && setState({ data, error: undefined, loading: false }),
      (err: unknown) => current && setState({ data: undefined, error: err instanceof ApiError ? `${err.code}: ${err.message}` : String(err), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [url]);
  return state;
}
