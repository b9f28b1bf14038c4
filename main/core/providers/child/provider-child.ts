/**
 * The entry of an isolated provider process (child_process.fork or Electron's utilityProcess). Loads one
 * provider package and serves the host's requests over the message channel (../protocol.ts), giving the
 * provider its ports as proxies: UI prompts go to the host and come back as answers, progress is
 * coalesced here (a provider may call it a million times; a few messages a second leave), cancellation
 * and pause arrive as messages. A heartbeat tells the host the process is alive and not stuck.
 *
 * argv[2]: JSON { sdk: { specifier: fileUrl } }.
 */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import {
  CancelledError,
  cancellationFromSignal,
  type ActionHost,
  type ActionResult,
  type FormValues,
  type MigrationContext,
  type MigrationProvider,
  type PickItem,
  type ProgressItem,
} from '../../../../providers/api/index';
import { fromDocumentDbProvider, isDocumentDbProvider } from '../../../../providers/api/documentdb';
import { ToChildSchema, type FromChild, type ToChild } from '../protocol';

/**
 * Module resolve hooks (run by Node's loader): `@cutover/provider-api` (and its subpaths) and `vscode`
 * resolve to the host's own copy of the SDK, as VS Code provides `vscode` to its extensions. Resolved
 * again by the next hook (tsx in development), so the file loads as any other. Inline, so that built
 * bundles need no file beside them.
 */
const SDK_HOOKS = `let map = {};
export function initialize(data) { map = (data && data.map) || {}; }
export async function resolve(specifier, context, next) {
  if (Object.hasOwn(map, specifier)) return next(map[specifier], context);
  return next(specifier, context);
}`;

type Port = { send(message: FromChild): void; onMessage(listener: (message: unknown) => void): void };

function makePort(): Port {
  const parentPort = (
    process as unknown as {
      parentPort?: { postMessage(m: unknown): void; on(e: 'message', l: (e: { data: unknown }) => void): void };
    }
  ).parentPort;
  if (parentPort)
    return { send: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (e) => l(e.data)) };
  if (!process.send) throw new Error('provider-child runs only as a child process of Cutover.');
  return { send: (m) => process.send!(m), onMessage: (l) => process.on('message', l) };
}

const port = makePort();
const config = JSON.parse(process.argv[2] ?? '{}') as { sdk?: Record<string, string> };
register(`data:text/javascript,${encodeURIComponent(SDK_HOOKS)}`, { data: { map: config.sdk ?? {} } });

setInterval(() => port.send({ type: 'heartbeat' }), 500);

let provider: MigrationProvider | undefined;
const abort = new AbortController();
let paused = false;
const pauseListeners = new Set<(paused: boolean) => void>();
let nextRequest = 1;
const pending = new Map<number, (value: unknown) => void>();

function ask(
  method:
    'pick' | 'input' | 'confirm' | 'form' | 'showMessage' | 'report' | 'openExternal' | 'chooseFile' | 'confirmReplace',
  ...args: unknown[]
): Promise<unknown> {
  const requestId = nextRequest++;
  return new Promise((resolve) => {
    pending.set(requestId, resolve);
    port.send({ type: 'ui', requestId, method, args: JSON.parse(JSON.stringify(args)) as unknown[] });
  });
}

/** Coalesces progress: keeps the newest counts and item rows, sends them at most every 100 ms. */
class ProgressBuffer {
  private phases?: string[];
  private phaseName?: string;
  private counts?: Record<string, number | undefined>;
  private items = new Map<string, ProgressItem>();
  private warnings: string[] = [];
  private errors: string[] = [];
  private dropped = 0;
  private sentNotes = 0;
  private timer?: NodeJS.Timeout;

  setPhases(phases: string[]) {
    this.phases = phases.slice(0, 50);
    this.flush();
  }
  phase(name: string) {
    this.flush();
    this.phaseName = name;
    this.flush();
  }
  update(counts: Record<string, number | undefined>) {
    this.counts = { ...this.counts, ...counts };
    this.schedule();
  }
  item(item: ProgressItem) {
    this.items.set(item.id, item);
    if (this.items.size >= 1000) this.flush();
    else this.schedule();
  }
  note(kind: 'warnings' | 'errors', message: string) {
    // At most 1,000 warnings and errors per job reach the host; the rest are counted.
    if (this.sentNotes + this.warnings.length + this.errors.length >= 1000) {
      this.dropped++;
      return;
    }
    this[kind].push(message.slice(0, 4000));
    if (this.warnings.length + this.errors.length >= 100) this.flush();
    else this.schedule();
  }
  private schedule() {
    this.timer ??= setTimeout(() => this.flush(), 100);
  }
  flush() {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dropped && this.warnings.length < 100) {
      this.warnings.push(`${this.dropped} more warnings and errors were not shown.`);
      this.dropped = 0;
    }
    if (
      !this.phases &&
      !this.phaseName &&
      !this.counts &&
      !this.items.size &&
      !this.warnings.length &&
      !this.errors.length
    )
      return;
    port.send({
      type: 'progress',
      phases: this.phases,
      phase: this.phaseName,
      counts: this.counts,
      items: this.items.size ? [...this.items.values()] : undefined,
      warnings: this.warnings.length ? this.warnings : undefined,
      errors: this.errors.length ? this.errors : undefined,
    });
    this.sentNotes += this.warnings.length + this.errors.length;
    this.phases = undefined;
    this.phaseName = undefined;
    this.counts = undefined;
    this.items = new Map();
    this.warnings = [];
    this.errors = [];
  }
}

function actionHost(dataDir: string): { host: ActionHost; progress: ProgressBuffer } {
  const progress = new ProgressBuffer();
  const signal = abort.signal;
  const log = (level: 'info' | 'warning' | 'error') => (message: string) =>
    port.send({ type: 'log', level, message: String(message).slice(0, 4000) });
  const host: ActionHost = {
    ui: {
      pick: async (items, options) => {
        const chosen = (await ask('pick', items, options)) as PickItem | undefined;
        return chosen ? items.find((item) => item.id === chosen.id) : undefined;
      },
      input: async ({ validate, ...options }) => {
        let error: string | undefined;
        let value = options.value;
        for (;;) {
          const answer = await ask('input', { ...options, value, prompt: error ?? options.prompt });
          if (typeof answer !== 'string') return undefined;
          error = await validate?.(answer);
          if (!error) return answer;
          value = options.password ? '' : answer;
        }
      },
      confirm: async (options) => (await ask('confirm', options)) === true,
      form: async ({ validate, ...options }) => {
        let error: string | undefined;
        for (;;) {
          const answer = await ask('form', { ...options, description: error ?? options.description });
          if (!answer || typeof answer !== 'object') return undefined;
          error = await validate?.(answer as FormValues);
          if (!error) return answer as FormValues;
        }
      },
      showMessage: async (level, message, detail) => void (await ask('showMessage', level, message, detail)),
      report: async (options) => {
        const answer = await ask('report', options);
        return typeof answer === 'string' ? answer : undefined;
      },
      openExternal: async (url) => void (await ask('openExternal', url)),
      chooseFile: async ({ replaces: _replaces, ...options }) => {
        const chosen = await ask('chooseFile', options);
        return typeof chosen === 'string' ? chosen : undefined;
      },
      confirmReplace: async (files, title) => (await ask('confirmReplace', files, title)) === true,
    },
    progress: {
      setPhases: (phases) => progress.setPhases(phases),
      phase: (name) => progress.phase(name),
      update: (counts) => progress.update(counts as Record<string, number | undefined>),
      item: (item) => progress.item(item),
      warn: (message) => progress.note('warnings', String(message)),
      error: (message) => progress.note('errors', String(message)),
      stalled: (reason) => {
        progress.flush();
        port.send({ type: 'lifecycle', stalled: reason === undefined ? null : String(reason).slice(0, 500) });
      },
    },
    // Progress sent so far goes first, so the host sees the lifecycle in order.
    begin: () => {
      progress.flush();
      port.send({ type: 'lifecycle', begin: true });
    },
    route: (route) =>
      port.send({
        type: 'lifecycle',
        route: {
          to: String(route.to).slice(0, 500),
          ...(route.from ? { from: String(route.from).slice(0, 500) } : {}),
          ...(route.format ? { format: String(route.format).slice(0, 100) } : {}),
        },
      }),
    // The last choices are kept for built-in providers only.
    lastChoices: async () => undefined,
    keepChoices: () => undefined,
    cancellation: cancellationFromSignal(signal),
    pause: {
      get isPaused() {
        return paused;
      },
      onPauseChanged(listener) {
        pauseListeners.add(listener);
        return () => pauseListeners.delete(listener);
      },
    },
    remember: (parameters) =>
      port.send({
        type: 'remember',
        parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, String(v)])),
      }),
    dataDir,
    log: { info: log('info'), warn: log('warning'), error: log('error') },
  };
  return { host, progress };
}

async function load(message: Extract<ToChild, { type: 'load' }>): Promise<void> {
  const mod = (await import(pathToFileURL(message.entry).href)) as Record<string, unknown>;
  let exported = mod.default ?? mod.provider;
  if (typeof exported === 'function') exported = await (exported as () => unknown)();
  if (message.shape === 'documentdb-v0.3') {
    if (!isDocumentDbProvider(exported))
      throw new Error(
        'its entry does not export a DocumentDB MigrationProvider (v0.3): an object with id, label, getAvailableActions and executeAction.',
      );
    exported = fromDocumentDbProvider(exported, { appliesTo: message.appliesTo as MigrationProvider['appliesTo'] });
  }
  const p = exported as Partial<MigrationProvider> | undefined;
  if (!p || typeof p.getAvailableActions !== 'function' || typeof p.executeAction !== 'function')
    throw new Error(
      'its entry does not export a provider (default export or `provider`: an object with getAvailableActions and executeAction).',
    );
  if (p.id !== message.id)
    throw new Error(`its entry exports provider "${String(p.id)}", but its manifest says "${message.id}".`);
  provider = p as MigrationProvider;
  port.send({
    type: 'loaded',
    info: {
      id: provider.id,
      label: String(provider.label ?? provider.id),
      description: String(provider.description ?? ''),
      learnMoreUrl: provider.learnMoreUrl,
      requiresAuthentication: provider.requiresAuthentication,
    },
  });
}

async function execute(message: Extract<ToChild, { type: 'execute' }>): Promise<void> {
  const { host, progress } = actionHost(message.dataDir);
  try {
    const result: ActionResult = await provider!.executeAction(
      message.context as MigrationContext,
      message.actionId,
      host,
    );
    progress.flush();
    port.send({ type: 'done', result });
  } catch (error) {
    progress.flush();
    const cancelled = error instanceof CancelledError || abort.signal.aborted;
    port.send({ type: 'failed', message: error instanceof Error ? error.message : String(error), cancelled });
  }
}

port.onMessage((raw) => {
  const parsed = ToChildSchema.safeParse(raw);
  if (!parsed.success) return;
  const message = parsed.data;
  const fail = (prefix: string) => (error: unknown) =>
    port.send({ type: 'failed', message: `${prefix}${error instanceof Error ? error.message : String(error)}` });
  switch (message.type) {
    case 'load':
      void load(message).catch(fail('could not be loaded: '));
      break;
    case 'actions':
      void provider!
        .getAvailableActions(message.context as MigrationContext)
        .then((actions) => port.send({ type: 'actions', actions: JSON.parse(JSON.stringify(actions)) as PickItem[] }))
        .catch(fail('could not list its actions: '));
      break;
    case 'execute':
      void execute(message);
      break;
    case 'uiAnswer': {
      const resolve = pending.get(message.requestId);
      pending.delete(message.requestId);
      resolve?.(message.value);
      break;
    }
    case 'cancel':
      abort.abort(new CancelledError());
      break;
    case 'pause':
      paused = message.paused;
      pauseListeners.forEach((listener) => listener(paused));
      break;
  }
});
