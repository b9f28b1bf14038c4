/**
 * An installed (third-party) provider as the registry sees it: a MigrationProvider whose every call runs
 * in a process of its own. Before any of its code loads, the host checks that it is enabled, that the
 * administrator's policy allows it (and its package hash), that its files are those installed, and that
 * the person allowed it (asked once, by the host). The process gets a scrubbed environment and the raw
 * connection only if the provider declared that need. A crash, a hang (no heartbeat), the memory limit
 * or a flood of messages ends the process and fails the job with one clear sentence; Cancel ends a
 * provider that does not stop by itself. The process itself is watched by ./provider-session.ts; its
 * UI calls are checked and relayed by ./ui-relay.ts.
 */
import path from 'node:path';
import {
  CancelledError,
  type ActionHost,
  type ActionResult,
  type MigrationContext,
  type MigrationProvider,
  type PickItem,
} from '../../../providers/api/index';
import { BoundedLog } from './bounded-log';
import { forkLauncher, type ProviderProcessLauncher } from './launcher';
import type { ProviderManifest } from './manifest';
import { describeNeeds } from './manifest';
import { sha256Folder } from './package-hash';
import { loadPolicy, policyListed, policyRefusal } from './policy';
import type { FromChild } from './protocol';
import { ProviderSession } from './provider-session';
import { callUi, uiProblem } from './ui-relay';
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

export const DEFAULT_LIMITS: IsolationLimits = {
  memoryMb: 512,
  heartbeatTimeoutMs: 10_000,
  cancelGraceMs: 2_500,
  maxMessagesPerSecond: 2_000,
};

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
    if (!installed.state.enabled)
      throw new Error(`Provider "${installed.manifest.label}" is disabled: enable it under Providers first.`);
    const policy = loadPolicy(this.options.policyFile);
    const refusal = policyRefusal(policy, this.id, installed.state.sha256);
    if (refusal) throw new Error(refusal);
    if ((await sha256Folder(installed.dir)) !== installed.state.treeSha256)
      throw new Error(
        `The files of provider "${this.id}" changed since it was installed, so it was not loaded: install it again.`,
      );
    if (!installed.state.allowed && !this.options.preAllowed.has(this.id) && !policyListed(policy, this.id)) {
      const m = installed.manifest;
      if (!this.options.consent)
        throw new Error(
          `Provider "${this.id}" has not been allowed to run: allow it (cutover … --allow-provider ${this.id}) or ask the administrator to list it in the policy.`,
        );
      const agreed = await this.options.consent({
        id: m.id,
        label: m.label,
        publisher: m.publisher,
        version: m.version,
        needs: describeNeeds(m),
      });
      if (!agreed) throw new Error(`You did not allow provider "${m.label}" to run, so it was not run.`);
      await store.update(this.id, { allowed: true });
    }
    return installed;
  }

  private async open(): Promise<ProviderSession> {
    const { dir, manifest } = await this.admit();
    const session = new ProviderSession(`Provider "${manifest.label}"`, this.options, dir, manifest.id);
    this.lastPid = session.pid;
    session.send({
      type: 'load',
      entry: path.join(dir, manifest.entry),
      shape: manifest.shape,
      id: manifest.id,
      appliesTo: manifest.connectionKinds,
    });
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

  async executeAction(
    context: MigrationContext,
    actionId: string | undefined,
    host: ActionHost,
  ): Promise<ActionResult> {
    const session = await this.open();
    const log = new BoundedLog(await this.options.store.providerDataDir(this.id));
    session.onMessage = (message) => void this.relay(session, message, host, log);
    const stopCancel = host.cancellation.onCancellationRequested(() => {
      session.send({ type: 'cancel' });
      // A provider that ignores Cancel is ended.
      setTimeout(
        () =>
          session.fail(
            new CancelledError(
              `Cancelled: ${this.label} did not stop within ${Math.round(this.options.limits.cancelGraceMs / 1000)} s, so Cutover ended its process.`,
            ),
          ),
        this.options.limits.cancelGraceMs,
      ).unref();
    });
    const stopPause = host.pause.onPauseChanged((paused) => session.send({ type: 'pause', paused }));
    try {
      session.send({
        type: 'execute',
        context: this.contextFor(context) as never,
        actionId,
        dataDir: await this.options.store.providerDataDir(this.id),
      });
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
        if (
          (message.method === 'chooseFile' || message.method === 'confirmReplace') &&
          this.manifest.needs.files !== 'picked'
        ) {
          session.fail(
            `${this.label} asked to choose a file, but its manifest does not declare that it reads or writes files ("needs": {"files": "picked"}), so Cutover ended its process.`,
          );
          return;
        }
        const problem = uiProblem(message.method, message.args);
        if (problem) {
          session.fail(
            `${this.label} asked for a prompt Cutover cannot show (${problem}), so Cutover ended its process.`,
          );
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

export const defaultLauncher = forkLauncher;
