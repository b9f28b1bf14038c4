/**
 * Progress rows (one per collection or namespace) sent at most every 100 ms each, and at once when a
 * row's status changes: a job's progress is a few messages a second, never one per batch (DESIGN.md,
 * "Migrations never block the UI"). Used by the copy's and the relational job's bodies.
 */
const EVERY_MS = 100;

export interface RowThrottle<R> {
  /** A row's latest state: sent now, or with the next flush. */
  row(result: R): void;
  /** Sends what is waiting (at the job's end). */
  flush(): void;
}

export function rowThrottle<R extends { key: string; status: string }>(send: (result: R) => void): RowThrottle<R> {
  const lastSent = new Map<string, { at: number; status: string }>();
  const pending = new Map<string, R>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    for (const result of pending.values()) {
      lastSent.set(result.key, { at: Date.now(), status: result.status });
      send(result);
    }
    pending.clear();
  };
  return {
    row(result) {
      const last = lastSent.get(result.key);
      pending.set(result.key, result);
      if (!last || last.status !== result.status || Date.now() - last.at >= EVERY_MS) flush();
      else timer ??= setTimeout(flush, EVERY_MS);
    },
    flush,
  };
}
