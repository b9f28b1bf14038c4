/**
 * The Cutover provider API: the types a migration provider (built-in or third-party) compiles against.
 *
 * Modelled on DocumentDB for VS Code's migration API (v0.3): a provider has an id, label, description,
 * optional icon and learn-more URL, `getAvailableActions(context)` and `executeAction(context, actionId)`.
 * An empty action list means "direct action". Cutover adds: the connection kinds a provider applies to,
 * a UI port and a progress port (providers cannot run code in the page), and a cancellation token.
 *
 * This module has no runtime dependencies: it is types plus a few tiny helpers.
 */
import { CutoverError } from './errors.js';

/**
 * The kinds of connection a context can carry. Extensible: a provider (or a later host) adds a kind with
 * `declare module '@cutover/provider-api' { interface ConnectionKinds { cassandra: true } }`.
 */
export interface ConnectionKinds {
  mongodb: true;
  postgres: true;
  mysql: true;
  versia: true;
  file: true;
}
export type ConnectionKind = keyof ConnectionKinds;

export const CONNECTION_KIND_LABELS: Record<ConnectionKind, string> = {
  mongodb: 'MongoDB-family database',
  postgres: 'PostgreSQL database',
  mysql: 'MySQL / MariaDB database',
  versia: 'Versia account',
  file: 'Data file',
};

/** The connection handed to a provider. Only the main side ever sees `uri` with credentials. */
export interface ConnectionContext {
  id: string;
  kind: ConnectionKind;
  name: string;
  /** Full connection string, credentials included. Never send this to the renderer or a log. */
  uri: string;
  /** The same string with the password replaced by `****`: safe to show and log. */
  redactedUri: string;
}

/** Everything a provider knows about where the person is when they start a migration. */
export interface MigrationContext {
  connection?: ConnectionContext;
  databaseName?: string;
  collectionName?: string;
  /** True when the current connection carries credentials that the server accepted. */
  authenticated: boolean;
  extendedProperties: Record<string, string | undefined>;
}

// The UI port: what a provider asks the person, and how (./ui-port.ts).
export type * from './ui-port.js';
import type { PickItem, UiPort } from './ui-port.js';

export type ItemStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface ProgressCounts {
  /** Documents (or rows, entities) processed so far and expected in total. */
  docs?: number;
  totalDocs?: number;
  bytes?: number;
  totalBytes?: number;
}

export interface ProgressItem extends ProgressCounts {
  id: string;
  label: string;
  status: ItemStatus;
  detail?: string;
}

/**
 * The progress port. Providers may call it as often as they like; the host coalesces
 * what reaches the window to a few updates a second and computes rate and ETA.
 */
export interface ProgressPort {
  /** Declares the phases of the action, in order (e.g. assess, copy, verify). */
  setPhases(phases: string[]): void;
  phase(name: string): void;
  /** Sets absolute totals for the whole job. */
  update(counts: ProgressCounts): void;
  /** Creates or updates a per-item row (a namespace, a file, a table). */
  item(item: ProgressItem): void;
  warn(message: string): void;
  error(message: string): void;
  /**
   * The work is held up by something outside it (a target that stopped answering): `reason` says what and
   * how far the retries are ("Target unreachable — retrying (3 of 8)"). The host shows it with a rate of 0
   * and no ETA until `stalled(undefined)` or the next count.
   */
  stalled(reason: string | undefined): void;
}

export interface CancellationToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): () => void;
  /** An AbortSignal that aborts when cancellation is requested, for APIs that take one. */
  readonly signal: AbortSignal;
}

/** Pause and resume, asked for by the person; providers pause between batches. */
export interface PauseToken {
  readonly isPaused: boolean;
  onPauseChanged(listener: (paused: boolean) => void): () => void;
}

export interface ActionHost {
  ui: UiPort;
  progress: ProgressPort;
  cancellation: CancellationToken;
  pause: PauseToken;
  /**
   * Records the parameters the person chose (target, policies…) so the job can be re-run or resumed
   * from History without asking again: they come back as `context.extendedProperties`. Values may hold
   * secrets: the host stores them encrypted.
   */
  remember(parameters: Record<string, string>): void;
  /**
   * The plan is settled and the work begins. Until then the action is a plan: the window shows its questions
   * in a planning panel, and a plan given up leaves nothing in History. A provider that sets `signalsBegin`
   * calls this; one that does not begins at its first progress phase, count or item.
   */
  begin(): void;
  /**
   * Where the data goes, for History and the job's page: `from` and `to` as a person reads them
   * ("Source · shop.orders", "backup:27017 · shop.orders", "orders.csv"), and a file's format. No secrets.
   */
  route(route: { from?: string; to: string; format?: string }): void;
  /**
   * The choices the person made last time for this provider and `key` (e.g. "source → target"): plain
   * settings to offer as defaults (load level, policies, verification), never secrets. `keepChoices` records them.
   */
  lastChoices(key: string): Promise<Record<string, string> | undefined>;
  keepChoices(key: string, values: Record<string, string>): void;
  /**
   * A folder of the provider's own (kept between jobs), given by the host to installed providers. Built-in
   * providers may get none.
   */
  dataDir?: string;
  /** The provider's own log, bounded by the host (older lines are dropped), secrets redacted. */
  log?: ProviderLog;
}

/** A bounded log per provider: lines are redacted of credentials and the oldest are dropped past a limit. */
export interface ProviderLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What an action returns: a short human summary and labelled figures for the result screen. */
export interface ActionResult {
  outcome: 'succeeded' | 'cancelled' | 'failed';
  summary: string;
  stats?: Array<{ label: string; value: string }>;
  /** Longer findings, e.g. the _ids a verification found missing or different. */
  details?: Array<{ title: string; items: string[] }>;
  /**
   * With outcome 'succeeded': the action ran to its end, but its answer is not a success and needs the
   * person's attention (e.g. "Not ready"). A short label the window and the CLI show instead of "Succeeded".
   */
  attention?: string;
  /**
   * With outcome 'succeeded': the heading of the result, naming what finished ("Copy finished", "Import
   * finished"). Without it the window says "Migration finished". Cancelled and failed results need none.
   */
  heading?: string;
}

export interface MigrationProvider {
  id: string;
  label: string;
  description: string;
  /** A short symbol or emoji, or a data: URL of an image. */
  icon?: string;
  learnMoreUrl?: string;
  /** For a direct-action provider: the action needs an authenticated connection. */
  requiresAuthentication?: boolean;
  /** Connection kinds this provider works with. */
  appliesTo: ConnectionKind[];
  /**
   * Optional finer check on the context (e.g. "select a collection first").
   * Returns why the provider cannot run here, or undefined.
   */
  unavailableReason?(context: MigrationContext): string | undefined;
  /**
   * Optional: checks the presets of a job started without the window (the command line's arguments)
   * before anything runs, so the host refuses bad arguments at once (exit code 2). Returns why they are
   * invalid, or undefined.
   */
  checkPresets?(actionId: string | undefined, presets: Record<string, string>): string | undefined;
  /**
   * The action calls `host.begin()` when its work begins, so progress reported while planning (a "Choose
   * target" phase) does not start the job. Without it, the first progress phase, count or item does.
   */
  signalsBegin?: boolean;
  getAvailableActions(context: MigrationContext): Promise<PickItem[]>;
  executeAction(context: MigrationContext, actionId: string | undefined, host: ActionHost): Promise<ActionResult>;
}

export { apiVersion, API_MAJOR, apiVersionProblem } from './version.js';
export { CutoverError, BadRequestError, NotFoundError, ERROR_CODES, type ErrorCode } from './errors.js';
export { formatBytes, formatCount, plural } from './format.js';

/** Thrown (or used as a reason) when the person cancelled. */
export class CancelledError extends CutoverError {
  override name = 'CancelledError';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

/** For `checkPresets`: runs a check that throws, and returns its message (undefined when it passes). */
export function problemOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A cancellation token that follows an AbortSignal (what hosts hand to providers). */
export function cancellationFromSignal(signal: AbortSignal): CancellationToken {
  return {
    get isCancellationRequested() {
      return signal.aborted;
    },
    onCancellationRequested(listener) {
      if (signal.aborted) {
        queueMicrotask(listener);
        return () => undefined;
      }
      signal.addEventListener('abort', listener, { once: true });
      return () => signal.removeEventListener('abort', listener);
    },
    signal,
  };
}
