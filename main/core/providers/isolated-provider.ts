/**
 * An installed (third-party) provider as the registry sees it: a MigrationProvider whose every call runs
 * in a process of its own. Before any of its code loads, the host checks that it is enabled, that the
 * administrator's policy allows it (and its package hash), that its files are those installed, and that
 * the person allowed it (asked once, by the host). The process gets a scrubbed environment and the raw
 * connection only if the provider declared that need. A crash, a hang (no heartbeat), the memory limit
 * or a flood of messages ends the process and fails the job with one clear sentence; Cancel ends a
 * provider that does not stop by itself.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CancelledError, type ActionHost, type ActionResult, type MigrationContext, type MigrationProvider, type PickItem } from '../../../providers/api/index';
import { redactSecretsInText } from '../../../providers/api/connection';
import { BoundedLog } from './bounded-log';
import { defaultChildScript, forkLauncher, type ProviderProcess, type ProviderProcessLauncher } from './launcher';
import type { ProviderManifest } from './manifest';
import { describeNeeds } from './manifest';
import { sha256Folder } from './package-hash';
import { loadPolicy, policyListed, policyRefusal } from './policy';
import { ChooseFileArgsSchema, FromChildSchema, type FromChild, type ToChild } from './protocol';
import { PromptSchema } from '../../../preload/contract';
import type { ProviderStore } from './store';

export interface IsolationLimits {
  /** V8 heap limit of a provider process (MB). */
  memoryMb: number;
  /** No message for this long: the process is stuck and is ended. */
  heartbeatTimeoutMs: number;
  /** After Cancel, how long a provider has to stop before its process is ended. */
  cancelGraceMs: number;
  /** More messages than this in one second: the process is ended. */
  maxMessagesPerSecond: number;
}

export const DEFAULT_LIMITS: IsolationLimits = { memoryMb: 512, heartbeatTimeoutMs: 10_000, cancelGraceMs: 2_500, maxMessagesPerSecond: 2_000 };

export interface ConsentRequest {
  id: string;
  label: string;
  publisher: string;
  version: string;
  needs: string[];
}

/** Asks the person, on the host side, whether a provider may run. */
export type ConsentAsker = (request: ConsentRequest) => Promise<boolean>;

export interface GateOptions {
  store: ProviderStore;
  policyFile: string;
  consent?: ConsentAsker;
  /** Ids allowed for this run without asking (the CLI's --allow-provider). */
  preAllowed: ReadonlySet<string>;
  launcher: ProviderProcessLauncher;
  childScript?: string;
  limits: IsolationLimits;
}

/**
 * The host's copy of the SDK, which `@cutover/provider-api` and `vscode` resolve to in a provider process:
 * in a built bundle the `provider-sdk-*.js` entries beside the child script (workers.config.ts), else the
 * SDK's sources.
 */
function sdkMap(childScript: string): Record<string, string> {
  const built = path.join(path.dirname(childScript), 'provider-sdk-index.js');
  const api = fileURLToPath(new URL('../../../providers/api/', import.meta.url));
  const url = (name: string) => pathToFileURL(childScript.endsWith('.js') && existsSync(built) ? path.join(path.dirname(childScript), `provider-sdk-${name}.js`) : path.join(api, `${name}.ts`)).href;
  return {
    '@cutover/provider-api': url('index'),
    '@cutover/provider-api/connection': url('connection'),
    '@cutover/provider-api/mongodb': url('mongodb'),
    '@cutover/provider-api/documentdb': url('documentdb'),
    '@cutover/provider-api/vscode': url('vscode'),
    vscode: url('vscode'),
  };
}

/** Only these variables reach a provider process. */
function scrubbedEnv(id: string): Record<string, string> {
  const env: Record<string, string> = { CUTOVER_PROVIDER_ID: id, NODE_ENV: 'production' };
  for (const key of ['TZ', 'LANG', 'SystemRoot', 'TEMP', 'TMP', 'TMPDIR']) if (process.env[key]) env[key] = process.env[key]!;
  return env;
}

type Waiter = { types: FromChild['type'][]; resolve(message: FromChild): void; reject(error: Error): void };

/** One provider process, from launch to end. */
class ProviderSession {
  private readonly proc: ProviderProcess;
  private lastSeen = Date.now();
  private windowStart = Date.now();
  private windowCount = 0;
  private ended?: Error;
  private readonly waiters = new Set<Waiter>();
  private readonly monitor: NodeJS.Timeout;
  onMessage?: (message: FromChild) => void;

  constructor(
    private readonly name: string,
    private readonly options: GateOptions,
    cwd: string,
    id: string,
  ) {
    const limits = options.limits;
    const script = options.childScript ?? defaultChildScript();
    this.proc = options.launcher.launch({ script, args: [JSON.stringify({ sdk: sdkMap(script) })], env: scrubbedEnv(id), cwd, memoryMb: limits.memoryMb });
    this.proc.onMessage((raw) => this.receive(raw));
    this.proc.onExit((code, signal) => this.exited(code, signal));
    this.monitor = setInterval(() => {
      const silent = Date.now() - this.lastSeen;
      if (silent > limits.heartbeatTimeoutMs) this.fail(`${this.name} stopped responding (no heartbeat for ${Math.round(silent / 1000)} s), so Cutover ended its process.`);
    }, Math.min(500, limits.heartbeatTimeoutMs / 2));
  }

  private receive(raw: unknown): void {
    if (this.ended) return;
    this.lastSeen = Date.now();
    if (this.lastSeen - this.windowStart >= 1000) {
      this.windowStart = this.lastSeen;
      this.windowCount = 0;
    }
    if (++this.windowCount > this.options.limits.maxMessagesPerSecond) {
      this.fail(`${this.name} flooded Cutover with more than ${this.options.limits.maxMessagesPerSecond} messages a second, so Cutover ended its process.`);
      return;
    }
    const parsed = FromChildSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.fail(`${this.name} sent a message Cutover does not accept (${issue.path.join('.') || 'message'}: ${issue.message}), so Cutover ended its process.`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'heartbeat') return;
    for (const waiter of this.waiters) {
      if (waiter.types.includes(message.type)) {
        this.waiters.delete(waiter);
        waiter.resolve(message);
        return;
      }
    }
    this.onMessage?.(message);
  }

  private exited(code: number | null, signal: string | null): void {
    if (this.ended) return;
    const stderr = this.proc.stderrTail();
    if (/heap out of memory|Allocation failed|Reached heap limit/i.test(stderr) || (signal === 'SIGABRT' && !stderr.trim()) || code === 134) {
      this.fail(`${this.name} ran out of memory (its limit is ${this.options.limits.memoryMb} MB), so its process ended.`);
      return;
    }
    const last = redactSecretsInText(lastWords(stderr)).slice(0, 300);
    this.fail(`${this.name} stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})${last ? `: ${last}` : ''}.`);
  }

  send(message: ToChild): void {
    if (!this.ended) this.proc.send(message);
  }

  /** The next message of one of these types (or the failure that ended the session). */
  next<T extends FromChild['type']>(...types: T[]): Promise<Extract<FromChild, { type: T }>> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => this.waiters.add({ types, resolve: resolve as (m: FromChild) => void, reject }));
  }

  /** Ends the process; waiters fail with `reason` (an Error, or a sentence). */
  fail(reason: string | Error): void {
    if (this.ended) return;
    this.ended = typeof reason === 'string' ? new Error(reason) : reason;
    clearInterval(this.monitor);
    this.proc.kill();
    for (const waiter of this.waiters) waiter.reject(this.ended);
    this.waiters.clear();
  }

  close(): void {
    this.fail('closed');
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }
}

export class IsolatedProvider implements MigrationProvider {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly learnMoreUrl?: string;
  readonly appliesTo: MigrationProvider['appliesTo'];
  /** For tests: the pid of the newest process. */
  lastPid?: number;

  constructor(
    private readonly manifest: ProviderManifest,
    private readonly options: GateOptions,
  ) {
    this.id = manifest.id;
    this.label = manifest.label;
    this.description = manifest.description || `${manifest.label} by ${manifest.publisher}`;
    this.learnMoreUrl = manifest.homepage;
    this.appliesTo = manifest.connectionKinds;
  }

  /** Everything that must hold before any of the provider's code loads. Throws a clear sentence. */
  async admit(): Promise<{ dir: string; manifest: ProviderManifest }> {
    const { store } = this.options;
    const installed = await store.get(this.id);
    if (!installed) throw new Error(`Provider "${this.id}" is no longer installed.`);
    if (!installed.state.enabled) throw new Error(`Provider "${installed.manifest.label}" is disabled: enable it under Providers first.`);
    const policy = loadPolicy(this.options.policyFile);
    const refusal = policyRefusal(policy, this.id, installed.state.sha256);
    if (refusal) throw new Error(refusal);
    if ((await sha256Folder(installed.dir)) !== installed.state.treeSha256) throw new Error(`The files of provider "${this.id}" changed since it was installed, so it was not loaded: install it again.`);
    if (!installed.state.allowed && !this.options.preAllowed.has(this.id) && !policyListed(policy, this.id)) {
      const m = installed.manifest;
      if (!this.options.consent) throw new Error(`Provider "${this.id}" has not been allowed to run: allow it (cutover … --allow-provider ${this.id}) or ask the administrator to list it in the policy.`);
      const agreed = await this.options.consent({ id: m.id, label: m.label, publisher: m.publisher, version: m.version, needs: describeNeeds(m) });
      if (!agreed) throw new Error(`You did not allow provider "${m.label}" to run, so it was not run.`);
      await store.update(this.id, { allowed: true });
    }
    return installed;
  }

  private async open(): Promise<ProviderSession> {
    const { dir, manifest } = await this.admit();
    const session = new ProviderSession(`Provider "${manifest.label}"`, this.options, dir, manifest.id);
    this.lastPid = session.pid;
    session.send({ type: 'load', entry: path.join(dir, manifest.entry), shape: manifest.shape, id: manifest.id, appliesTo: manifest.connectionKinds });
    const loaded = await session.next('loaded', 'failed');
    if (loaded.type === 'failed') {
      session.close();
      throw new Error(`Provider "${manifest.label}" ${loaded.message}`);
    }
    return session;
  }

  /** The context as the provider may see it: the raw connection only if it declared that need. */
  private contextFor(context: MigrationContext): MigrationContext {
    const connection = context.connection;
    if (!connection || this.manifest.needs.credentials) return context;
    return { ...context, connection: { ...connection, uri: connection.redactedUri } };
  }

  async getAvailableActions(context: MigrationContext): Promise<PickItem[]> {
    const session = await this.open();
    try {
      session.send({ type: 'actions', context: this.contextFor(context) as never });
      const answer = await session.next('actions', 'failed');
      if (answer.type === 'failed') throw new Error(`Provider "${this.label}" ${answer.message}`);
      return answer.actions;
    } finally {
      session.close();
    }
  }

  async executeAction(context: MigrationContext, actionId: string | undefined, host: ActionHost): Promise<ActionResult> {
    const session = await this.open();
    const log = new BoundedLog(await this.options.store.providerDataDir(this.id));
    session.onMessage = (message) => void this.relay(session, message, host, log);
    const stopCancel = host.cancellation.onCancellationRequested(() => {
      session.send({ type: 'cancel' });
      // A provider that ignores Cancel is ended.
      setTimeout(() => session.fail(new CancelledError(`Cancelled: ${this.label} did not stop within ${Math.round(this.options.limits.cancelGraceMs / 1000)} s, so Cutover ended its process.`)), this.options.limits.cancelGraceMs).unref();
    });
    const stopPause = host.pause.onPauseChanged((paused) => session.send({ type: 'pause', paused }));
    try {
      session.send({ type: 'execute', context: this.contextFor(context) as never, actionId, dataDir: await this.options.store.providerDataDir(this.id) });
      const end = await session.next('done', 'failed');
      if (end.type === 'done') return end.result;
      if (end.cancelled) throw new CancelledError(end.message || 'Cancelled.');
      throw new Error(end.message);
    } finally {
      stopCancel();
      stopPause();
      session.close();
    }
  }

  private async relay(session: ProviderSession, message: FromChild, host: ActionHost, log: BoundedLog): Promise<void> {
    switch (message.type) {
      case 'progress':
        if (message.phases) host.progress.setPhases(message.phases);
        if (message.phase) host.progress.phase(message.phase);
        if (message.counts) host.progress.update(message.counts);
        message.items?.forEach((item) => host.progress.item(item));
        message.warnings?.forEach((w) => host.progress.warn(w));
        message.errors?.forEach((e) => host.progress.error(e));
        return;
      case 'remember':
        host.remember(message.parameters);
        return;
      case 'lifecycle':
        if (message.begin) host.begin();
        if (message.route) host.route(message.route);
        if (message.stalled !== undefined) host.progress.stalled(message.stalled ?? undefined);
        return;
      case 'log':
        void log.write(message.level, message.message);
        return;
      case 'ui': {
        if ((message.method === 'chooseFile' || message.method === 'confirmReplace') && this.manifest.needs.files !== 'picked') {
          session.fail(`${this.label} asked to choose a file, but its manifest does not declare that it reads or writes files ("needs": {"files": "picked"}), so Cutover ended its process.`);
          return;
        }
        const problem = uiProblem(message.method, message.args);
        if (problem) {
          session.fail(`${this.label} asked for a prompt Cutover cannot show (${problem}), so Cutover ended its process.`);
          return;
        }
        let value: unknown;
        try {
          value = await callUi(host, message.method, message.args);
        } catch (error) {
          host.progress.warn(`${this.label}: ${(error as Error).message}`);
          value = undefined;
        }
        session.send({ type: 'uiAnswer', requestId: message.requestId, value: value === undefined ? null : value });
        return;
      }
      default:
        return;
    }
  }
}

/**
 * Why a UI call from the provider process cannot be shown, or undefined: its arguments must make a
 * prompt the window's contract accepts (the window validates them too, but the host refuses them first).
 */
function uiProblem(method: string, args: unknown[]): string | undefined {
  const [a, b, c] = args as [Record<string, unknown>, Record<string, unknown>, unknown];
  const base = { jobId: '-', promptId: '-' };
  let candidate: unknown;
  switch (method) {
    case 'pick':
      candidate = { ...base, kind: 'pick', title: b?.title, placeholder: b?.placeholder ?? undefined, items: a };
      break;
    case 'input':
    case 'confirm':
    case 'form':
    case 'report':
      candidate = { ...base, ...a, kind: method };
      break;
    case 'showMessage':
      candidate = { ...base, kind: 'message', title: 'Message', level: a, message: b, detail: c ?? undefined };
      break;
    case 'openExternal':
      return typeof a === 'string' ? undefined : 'openExternal takes a URL';
    case 'chooseFile': {
      const parsed = ChooseFileArgsSchema.safeParse(a);
      return parsed.success ? undefined : `chooseFile: ${parsed.error.issues[0].path.join('.') || 'options'}: ${parsed.error.issues[0].message}`;
    }
    case 'confirmReplace':
      return Array.isArray(a) && a.length <= 1000 && a.every((f) => typeof f === 'string') && (b === undefined || b === null || typeof b === 'string') ? undefined : 'confirmReplace takes a list of files and a title';
    default:
      return `no UI call "${method}"`;
  }
  const parsed = PromptSchema.safeParse(JSON.parse(JSON.stringify(candidate, (_k, v: unknown) => (v === null ? undefined : v))));
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return `${method}: ${issue.path.join('.') || 'arguments'}: ${issue.message}`;
}

/** One UI call on the host's ports, with arguments already checked by uiProblem. */
async function callUi(host: ActionHost, method: string, args: unknown[]): Promise<unknown> {
  const [a, b, c] = args as [never, never, never];
  switch (method) {
    case 'pick':
      return host.ui.pick(a, b);
    case 'input':
      return host.ui.input(a);
    case 'confirm':
      return host.ui.confirm(a);
    case 'form':
      return host.ui.form(a);
    case 'showMessage':
      return host.ui.showMessage(a, b, c ?? undefined);
    case 'report':
      return host.ui.report(a);
    case 'openExternal':
      return host.ui.openExternal(a);
    case 'chooseFile':
      return host.ui.chooseFile(a);
    case 'confirmReplace':
      return host.ui.confirmReplace(a, (b as string | null) ?? undefined);
    default:
      return undefined;
  }
}

export const defaultLauncher = forkLauncher;

/** The line of a crashed process's stderr that says what went wrong (the error, not Node's version banner). */
function lastWords(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^at\s/.test(l) && !/^Node\.js v\d/.test(l) && !/^\^+$/.test(l));
  return [...lines].reverse().find((l) => /^(\w*Error|Uncaught|throw )/.test(l) || /Error: /.test(l)) ?? lines.at(-1) ?? '';
}
