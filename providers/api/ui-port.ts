/**
 * The UI port of the provider API (re-exported by the package's entry, ./index.ts): the questions a
 * provider asks the person (pick, input, confirm, form, message, report, file choice, the mapping screen)
 * and their options. The host draws them; a provider never runs code in the page.
 */
import type { ConnectionKind } from './index.js';

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
  | {
      type: 'text';
      id: string;
      label: string;
      value?: string;
      placeholder?: string;
      required?: boolean;
      secret?: boolean;
      help?: string;
    }
  | {
      type: 'number';
      id: string;
      label: string;
      value?: number;
      min?: number;
      max?: number;
      required?: boolean;
      help?: string;
    }
  | { type: 'checkbox'; id: string; label: string; value?: boolean; help?: string }
  | {
      type: 'select';
      id: string;
      label: string;
      value?: string;
      options: Array<{ value: string; label: string }>;
      help?: string;
    };

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
    columns: Array<{
      name: string;
      sqlType: string;
      /** the BSON type it becomes by default */ type: string;
      nullable: boolean;
    }>;
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
