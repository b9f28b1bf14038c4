/**
 * Cutover's one error model: every error Cutover throws on purpose is a `CutoverError` with a `name` and
 * a `code`, the code a failed call carries on the wire (preload/contract.ts builds its schema from
 * `ERROR_CODES`). The host answers a call with `error.code`; anything else that escapes a handler is an
 * internal failure (`failed`). Providers extend these classes too: the SDK has no runtime dependencies.
 */

/** The codes of a failed call: bad input, something that is not (or no longer) there, a failure, a caller refused. */
export const ERROR_CODES = ['bad_request', 'not_found', 'failed', 'unauthorized'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The base of Cutover's errors. Subclasses set `name` and, when it is not `failed`, `code`. */
export class CutoverError extends Error {
  override name = 'CutoverError';
  readonly code: ErrorCode;

  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = options.code ?? 'failed';
  }
}

/** The request itself is wrong (bad arguments, an invalid answer, an action that cannot run here). */
export class BadRequestError extends CutoverError {
  override name = 'BadRequestError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, code: 'bad_request' });
  }
}

/** What the request names is not there (or no longer): a connection, a saved connection, a preview, a prompt. */
export class NotFoundError extends CutoverError {
  override name = 'NotFoundError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, code: 'not_found' });
  }
}
