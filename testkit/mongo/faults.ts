/**
 * Fault injection: dropped connections, failing writes, latency and refused connections.
 */
import { CommandError, RETRYABLE_WRITE_CODES } from './errors.js';

export interface FailWritesConfig {
  count: number;
  code: number;
  message?: string;
  codeName?: string;
  errorLabels?: string[];
}

export interface FaultConfig {
  /** extra delay before every reply, in ms */
  latencyMs: number;
  /** the next `count` write commands (insert/update/delete/findAndModify) fail */
  failWrites: FailWritesConfig | null;
  /** serve this many more commands, then drop every connection (null = off) */
  closeAfterCommands: number | null;
  /** new connections are accepted and destroyed immediately until this time (epoch ms) */
  refuseUntil: number;
}

export interface FaultController {
  /** Destroys every open client connection now. */
  closeAllConnections(): void;
  /**
   * Serves the next `n` commands normally (hello/isMaster heartbeats are not counted); when the
   * following command arrives its connection (and every other one) is closed without a reply.
   */
  closeAfterCommands(n: number): void;
  /** The next `n` write commands fail with `code` (ok: 0, mongod-like codeName and errorLabels). */
  failNextWrites(n: number, code: number, message?: string): void;
  /** Adds `ms` of latency to every command reply. */
  setLatency(ms: number): void;
  /** For `ms` milliseconds, new TCP connections are accepted and immediately destroyed. */
  refuseConnectionsFor(ms: number): void;
  /** Clears every fault. */
  reset(): void;
  readonly config: Readonly<FaultConfig>;
}

export const DEFAULT_FAULTS = (): FaultConfig => ({
  latencyMs: 0,
  failWrites: null,
  closeAfterCommands: null,
  refuseUntil: 0,
});

const DEFAULT_MESSAGES: Record<number, string> = {
  16500:
    "Request rate is large. More Request Units may be needed, so no changes were made. Please retry this request later. RetryAfterMs=100, Details='Response status code does not indicate success: TooManyRequests (429)'",
  429: 'Request rate is large. More Request Units may be needed, so no changes were made. Please retry this request later. RetryAfterMs=100',
  91: 'The server is in quiesce mode and will shut down',
  11600: 'interrupted at shutdown',
  11602: 'operation was interrupted because of a replica set state change',
  10107: 'not primary',
  189: 'Primary stepped down while waiting for replication',
  262: 'operation exceeded time limit',
};

export class Faults implements FaultController {
  config: FaultConfig;

  constructor(
    initial: Partial<FaultConfig> | undefined,
    private readonly dropAll: () => void,
  ) {
    this.config = { ...DEFAULT_FAULTS(), ...(initial ?? {}) };
  }

  closeAllConnections(): void {
    this.dropAll();
  }

  closeAfterCommands(n: number): void {
    this.config.closeAfterCommands = Math.max(0, Math.floor(n));
  }

  failNextWrites(n: number, code: number, message?: string): void {
    this.config.failWrites = n > 0 ? { count: n, code, message } : null;
  }

  setLatency(ms: number): void {
    this.config.latencyMs = Math.max(0, ms);
  }

  refuseConnectionsFor(ms: number): void {
    this.config.refuseUntil = Date.now() + ms;
  }

  reset(): void {
    this.config = DEFAULT_FAULTS();
  }

  /** Called for every counted command; true means "drop the connections instead of answering". */
  shouldDropBeforeCommand(): boolean {
    const n = this.config.closeAfterCommands;
    if (n === null) return false;
    if (n > 0) {
      this.config.closeAfterCommands = n - 1;
      return false;
    }
    this.config.closeAfterCommands = null;
    return true;
  }

  refusing(): boolean {
    return Date.now() < this.config.refuseUntil;
  }

  /** Returns the injected error for a write command, consuming one count. */
  takeWriteFailure(): CommandError | null {
    const f = this.config.failWrites;
    if (!f || f.count <= 0) return null;
    f.count--;
    if (f.count <= 0) this.config.failWrites = null;
    const labels = f.errorLabels ?? (RETRYABLE_WRITE_CODES.has(f.code) ? ['RetryableWriteError'] : []);
    const err = new CommandError(
      f.code,
      f.message ?? DEFAULT_MESSAGES[f.code] ?? `injected failure (code ${f.code})`,
      {},
      labels,
    );
    if (f.codeName) (err as { codeName: string }).codeName = f.codeName;
    return err;
  }
}
