/**
 * How Versia instances are reached: by default `https://{domain}` with the global `fetch`. Tests (and the
 * local test kit) inject a resolver that maps a domain to another origin (e.g. `old.test` to
 * `http://127.0.0.1:41234`); nothing else changes, so the same code talks to real instances.
 */

/** Returns the origin (scheme://host:port) to reach a domain at, or undefined for the default https. */
export type VersiaResolver = (domain: string) => string | undefined;

export interface TransportOptions {
  resolve?: VersiaResolver;
  /** Per request, before giving up on an instance (ms). */
  timeoutMs?: number;
  /** Aborts every request (cancellation). */
  signal?: AbortSignal;
}

export class VersiaUnreachableError extends Error {
  constructor(
    readonly domain: string,
    detail: string,
  ) {
    super(`${domain} could not be reached (${detail}).`);
    this.name = 'VersiaUnreachableError';
  }
}

/** The instance answered, but not as the protocol says (status, payload, signature). */
export class VersiaProtocolError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'VersiaProtocolError';
  }
}

export function originOf(domain: string, resolve?: VersiaResolver): string {
  return (resolve?.(domain) ?? `https://${domain}`).replace(/\/+$/, '');
}

/** fetch with a time-out, and network failures turned into a message naming the instance. */
export async function fetchFrom(domain: string, pathAndQuery: string, init: RequestInit, options: TransportOptions): Promise<Response> {
  const url = `${originOf(domain, options.resolve)}${pathAndQuery}`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    return await fetch(url, { ...init, signal, redirect: 'error' });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    if (timeout.aborted) throw new VersiaUnreachableError(domain, `no answer within ${Math.round((options.timeoutMs ?? 10_000) / 1000)} s`);
    throw new VersiaUnreachableError(domain, networkDetail(error));
  }
}

function networkDetail(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
      return 'unknown host';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'timed out';
    default:
      return cause?.code ?? cause?.message ?? (error as Error).message;
  }
}
