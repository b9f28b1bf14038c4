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

/** An item of a pick list, and an action a provider offers. */
export interface PickItem {
  id: string;
  label: string;
  description?: string;
  detail?: string;
  /** For actions: the action needs an authenticated connection. */
  requiresAuthentication?: boolean;
  /** For actions: why this action cannot run in the current context (shown, not offered). */
  disabledReason?: string;
}

/** Declarative form fields drawn by the renderer. */
export type FormField =
  | { type: 'text'; id: string; label: string; value?: string; placeholder?: string; required?: boolean; secret?: boolean; help?: string }
  | { type: 'number'; id: string; label: string; value?: number; min?: number; max?: number; required?: boolean; help?: string }
  | { type: 'checkbox'; id: string; label: string; value?: boolean; help?: string }
  | { type: 'select'; id: string; label: string; value?: string; options: Array<{ value: string; label: string }>; help?: string };

export type FormValues = Record<string, string | number | boolean>;

export interface InputOptions {
  title: string;
  prompt?: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  /**
   * Offers the person's saved and open connections of these kinds to pick from (besides typing a string).
   * The answer is then that connection's full string: the host resolves it, the window never sees it.
   */
  connections?: ConnectionKind[];
  /** Runs on the main side; return an error message to ask again, or undefined to accept. */
  validate?: (value: string) => string | undefined | Promise<string | undefined>;
}

export interface PickOptions {
  title: string;
  placeholder?: string;
}

export interface ConfirmOptions {
  title: string;
  message: string;
  detail?: string;
  confirmLabel?: string;
  /** Marks a destructive confirmation (drawn in red). */
  destructive?: boolean;
}

export interface FormOptions {
  title: string;
  description?: string;
  fields: FormField[];
  submitLabel?: string;
  validate?: (values: FormValues) => string | undefined | Promise<string | undefined>;
}

export type MessageLevel = 'info' | 'warning' | 'error';

/** A table for the person to review before going on (a pre-flight report, a preview). */
export interface ReportOptions {
  title: string;
  message?: string;
  columns: Array<{ id: string; label: string; align?: 'left' | 'right' }>;
  rows: Array<Record<string, string>>;
  notes: Array<{ level: MessageLevel; text: string }>;
  /** The choices offered (e.g. Start, Change the plan); the first primary one is the default. */
  actions: Array<{ id: string; label: string; primary?: boolean }>;
}

/**
 * A file or folder to read or write, chosen by the host itself (never by the window): Electron's Open and
 * Save dialogs, the command line's arguments, the browser harness's own chooser page.
 */
export interface ChooseFileOptions {
  /** open: something to read; save: somewhere to write. */
  mode: 'open' | 'save';
  title: string;
  /** What may be chosen: a file (default), a folder (a mongodump folder), or either (open only). */
  pick?: 'file' | 'folder' | 'file-or-folder';
  filters?: Array<{ name: string; extensions: string[] }>;
  /** save: the name offered (e.g. `orders.json`). */
  defaultName?: string;
  /**
   * save: the files this choice would replace (default: the chosen path itself). Before any of them is
   * replaced the host asks, itself (a Save dialog that already asked about the chosen path is not asked
   * again); files Cutover never replaces (read-only, another user's) are refused.
   */
  replaces?(chosen: string): string[];
}

/**
 * A relational source as a mapping editor shows it: tables, columns and foreign keys, no rows, no secrets.
 * Ids are the provider's own ("<schema>.<table>", "<schema>.<table>:<constraint>").
 */
export interface MappingSource {
  dialect: string;
  tables: Array<{
    id: string;
    name: string;
    primaryKey: string[];
    /** The server's estimate, when known. */
    rows?: number;
    columns: Array<{ name: string; sqlType: string; /** the BSON type it becomes by default */ type: string; nullable: boolean }>;
    foreignKeys: Array<{ id: string; name: string; columns: string[]; refTable: string; refColumns: string[] }>;
  }>;
  /** The BSON types a field may be given. */
  types: string[];
  /** Cycles in the foreign keys ("a → b → a"): one relation on each must stay a reference if the others embed. */
  cycles: string[];
}

/** What a mapping builds from real rows: a few documents of one collection (relaxed Extended JSON), or why not. */
export interface MappingPreview {
  /** The collection shown, and every collection the mapping makes (to choose another). */
  collection?: string;
  collections: string[];
  documents: string[];
  /** Problems of the mapping (each naming where); no documents when there are any. */
  errors: string[];
}

/**
 * A mapping editor: the window edits a mapping document (JSON text) over `source` and asks for live previews.
 * Everything the window sends is untrusted: `preview` and `validate` run on the main side and must check it.
 */
export interface MappingEditorOptions {
  title: string;
  description?: string;
  source: MappingSource;
  /** The mapping document to start from, as JSON text. */
  mapping: string;
  submitLabel?: string;
  /** Builds a few real documents with the mapping (bounded in rows and time by the provider). */
  preview(mapping: string, collection?: string): Promise<MappingPreview>;
  /** Runs on the main side; return an error message to ask again, or undefined to accept. */
  validate?: (mapping: string) => string | undefined | Promise<string | undefined>;
}

/**
 * The UI port: every prompt resolves to `undefined` when the person dismisses it
 * (providers should treat that as "stop here").
 */
export interface UiPort {
  pick(items: PickItem[], options: PickOptions): Promise<PickItem | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  confirm(options: ConfirmOptions): Promise<boolean>;
  form(options: FormOptions): Promise<FormValues | undefined>;
  showMessage(level: MessageLevel, message: string, detail?: string): Promise<void>;
  /** Shows a report; resolves to the id of the chosen action, or undefined when dismissed. */
  report(options: ReportOptions): Promise<string | undefined>;
  openExternal(url: string): Promise<void>;
  /**
   * Asks the host for a path to read or write (see ChooseFileOptions); undefined when the person cancels.
   * Paths never come from the window: this is the only way an interactive action gets one.
   */
  chooseFile(options: ChooseFileOptions): Promise<string | undefined>;
  /**
   * Asks the host (not the window) whether these files may be replaced, for a path the host gave as a
   * preset (the command line's --out, a History re-run). Resolves true at once when none of them exists;
   * throws for a file Cutover never replaces (read-only, owned by another user).
   */
  confirmReplace(files: string[], title?: string): Promise<boolean>;
  /**
   * Shows a mapping editor with a live preview; resolves to the edited mapping (JSON text, accepted by
   * `validate`), or undefined when dismissed. Optional: hosts without a window (the command line) and
   * isolated providers have none, so a provider falls back to forms.
   */
  mapping?(options: MappingEditorOptions): Promise<string | undefined>;
}

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
