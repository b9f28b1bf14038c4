import { MongoNetworkError, MongoServerSelectionError } from 'mongodb';

/**
 * Transient-error handling shared by the copy's reads, writes and checkpoints: which errors are worth
 * retrying (network, failover, shutdown, throttling as Cosmos DB returns it) and jittered back-off.
 */
export const TRANSIENT_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 16500, 429]);
export const THROTTLE_CODES = new Set([16500, 429]);
export const MAX_ATTEMPTS = 8;

export function isTransient(error: unknown): boolean {
  const e = error as { code?: number; name?: string; hasErrorLabel?(label: string): boolean };
  // Network errors and their subclasses (PoolClearedOnNetworkError…), and a server that could not be selected for a while.
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    e.name === 'MongoPoolClearedError'
  )
    return true;
  if (
    e.hasErrorLabel?.('RetryableWriteError') ||
    e.hasErrorLabel?.('ResetPool') ||
    e.hasErrorLabel?.('PoolRequestedRetry') ||
    e.hasErrorLabel?.('TransientTransactionError')
  )
    return true;
  return typeof e.code === 'number' && TRANSIENT_CODES.has(e.code);
}

export function backoff(attempt: number): number {
  return Math.min(5_000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `operation`, retrying transient failures with back-off; `onRetry` hears about each retry (and which attempt comes next). */
export async function withRetry<T>(
  operation: () => Promise<T>,
  onRetry?: (error: Error, delayMs: number, nextAttempt: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransient(error) || attempt >= MAX_ATTEMPTS) throw error;
      const delay = backoff(attempt);
      onRetry?.(error as Error, delay, attempt + 1);
      await sleep(delay);
    }
  }
}
