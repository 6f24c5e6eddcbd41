/**
 * One small helper for stable error codes, modelled on fastify's @fastify/error. No registry: each package
 * exports its catalogue as an array (`DB_ERRORS`, …), and one test checks every catalogue against
 * docs/errors.md.
 */

/** What a Streetwise error carries besides its message. */
export interface StreetwiseError extends Error {
  /** Stable code, `SW_<PACKAGE>_<WHAT>`, documented in docs/errors.md. */
  readonly code: string;
  /** HTTP status when the error answers a request. */
  readonly statusCode?: number;
  /** The request parameter at fault, as the user typed it (`limit`, `district`). */
  readonly parameter?: string;
  /** The values `parameter` may take, where they are a closed set. */
  readonly allowed?: readonly string[];
}

export interface ErrorOptions {
  cause?: unknown;
  /** Name of the request parameter at fault (sets `parameter`). */
  parameter?: string;
  /** The values that parameter accepts, when they are a closed set (sets `allowed`). */
  allowed?: readonly string[];
}

export interface ErrorFactory {
  (args?: ReadonlyArray<string | number>, options?: ErrorOptions): StreetwiseError;
  readonly code: string;
  readonly statusCode: number | undefined;
  /** The message template, `%s` filled in order. */
  readonly template: string;
}

const CODE_PATTERN = /^SW_[A-Z0-9]+(_[A-Z0-9]+)+$/;

/**
 * Make a factory for one error code; `template` uses %s placeholders filled in order. Pure: calling it
 * twice with one code makes two factories; the catalogue test finds duplicates across packages.
 */
export function createError(code: string, template: string, statusCode?: number): ErrorFactory {
  if (!CODE_PATTERN.test(code)) throw new TypeError(`error code "${code}" is not of the form SW_<PACKAGE>_<WHAT>`);
  const factory = (args: ReadonlyArray<string | number> = [], options: ErrorOptions = {}): StreetwiseError => {
    let next = 0;
    const message = template.replace(/%s/g, () => String(args[next++] ?? ''));
    const err = new Error(message, options.cause === undefined ? undefined : { cause: options.cause }) as Error & {
      code: string;
      statusCode?: number;
      parameter?: string;
      allowed?: readonly string[];
    };
    err.name = 'StreetwiseError';
    err.code = code;
    if (statusCode !== undefined) err.statusCode = statusCode;
    if (options.parameter !== undefined) err.parameter = options.parameter;
    if (options.allowed !== undefined) err.allowed = [...options.allowed];
    return err;
  };
  return Object.defineProperties(factory, {
    code: { value: code, enumerable: true },
    statusCode: { value: statusCode, enumerable: true },
    template: { value: template, enumerable: true },
  }) as ErrorFactory;
}

/** An Error with a string `code` (and, when `code` is given, that one). */
export function isStreetwiseError(value: unknown, code?: string): value is StreetwiseError {
  return value instanceof Error && typeof (value as { code?: unknown }).code === 'string' &&
    (code === undefined || (value as Error & { code: string }).code === code);
}

/** Is this an export of a catalogue (a factory made by createError)? For the catalogue test. */
export function isErrorFactory(value: unknown): value is ErrorFactory {
  return typeof value === 'function' && typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { template?: unknown }).template === 'string';
}
