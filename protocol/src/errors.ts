/**
 * Stable error codes of the protocol package. Each code is documented in docs/errors.md
 * (a test keeps the two in step).
 */
export interface StreetwiseError extends Error {
  readonly code: string;
  readonly statusCode?: number;
}

type Formatter = (...args: Array<string | number>) => string;

export interface ErrorFactory {
  (args?: ReadonlyArray<string | number>, options?: { cause?: unknown }): StreetwiseError;
  readonly code: string;
}

/** Registry of every code made by createError, so tests can check documentation coverage. */
export const errorCodes = new Map<string, string>();

/**
 * Make a factory for one error code; `template` uses %s placeholders filled in order.
 * Modelled on fastify's @fastify/error.
 */
export function createError(code: string, template: string, statusCode?: number): ErrorFactory {
  if (errorCodes.has(code)) throw new Error(`error code ${code} defined twice`);
  errorCodes.set(code, template);
  const format: Formatter = (...args) => {
    let i = 0;
    return template.replace(/%s/g, () => String(args[i++] ?? ''));
  };
  const factory = ((args: ReadonlyArray<string | number> = [], options: { cause?: unknown } = {}) => {
    const err = new Error(format(...args), options.cause === undefined ? undefined : { cause: options.cause }) as Error & {
      code: string;
      statusCode?: number;
    };
    err.name = 'StreetwiseError';
    err.code = code;
    if (statusCode !== undefined) err.statusCode = statusCode;
    return err as StreetwiseError;
  }) as ErrorFactory;
  Object.defineProperty(factory, 'code', { value: code });
  return factory;
}

export function isStreetwiseError(value: unknown, code?: string): value is StreetwiseError {
  return value instanceof Error && typeof (value as { code?: unknown }).code === 'string' &&
    (code === undefined || (value as unknown as { code: string }).code === code);
}

export const SW_PROTOCOL_TOPIC_INVALID = createError('SW_PROTOCOL_TOPIC_INVALID', 'topic "%s" is not a Streetwise v1 topic: %s');
export const SW_PROTOCOL_DEVICE_ID_INVALID = createError('SW_PROTOCOL_DEVICE_ID_INVALID', 'device id "%s" is invalid: use 1-64 letters, digits, "-" or "_", starting with a letter or digit');
