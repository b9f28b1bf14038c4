/**
 * One provider process, from launch to end: launched with the host's copy of the SDK and a scrubbed
 * environment, watched for its heartbeat, its message rate and its exit (out of memory, a crash: one clear
 * sentence, secrets redacted), its messages checked against the protocol and handed to whoever waits.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { redactSecretsInText } from '../../../providers/api/connection';
import type { GateOptions } from './isolated-provider';
import { defaultChildScript, type ProviderProcess } from './launcher';
import { FromChildSchema, type FromChild, type ToChild } from './protocol';

/**
 * The host's copy of the SDK, which `@cutover/provider-api` and `vscode` resolve to in a provider process:
 * in a built bundle the `provider-sdk-*.js` entries beside the child script (workers.config.ts), else the
 * SDK's sources.
 */
function sdkMap(childScript: string): Record<string, string> {
  const built = path.join(path.dirname(childScript), 'provider-sdk-index.js');
  const api = fileURLToPath(new URL('../../../providers/api/', import.meta.url));
  const url = (name: string) =>
    pathToFileURL(
      childScript.endsWith('.js') && existsSync(built)
        ? path.join(path.dirname(childScript), `provider-sdk-${name}.js`)
        : path.join(api, `${name}.ts`),
    ).href;
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
  for (const key of ['TZ', 'LANG', 'SystemRoot', 'TEMP', 'TMP', 'TMPDIR'])
    if (process.env[key]) env[key] = process.env[key]!;
  return env;
}

type Waiter = { types: FromChild['type'][]; resolve(message: FromChild): void; reject(error: Error): void };

/** One provider process, from launch to end. */
export class ProviderSession {
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
    private readonly options: Pick<GateOptions, 'launcher' | 'childScript' | 'limits'>,
    cwd: string,
    id: string,
  ) {
    const limits = options.limits;
    const script = options.childScript ?? defaultChildScript();
    this.proc = options.launcher.launch({
      script,
      args: [JSON.stringify({ sdk: sdkMap(script) })],
      env: scrubbedEnv(id),
      cwd,
      memoryMb: limits.memoryMb,
    });
    this.proc.onMessage((raw) => this.receive(raw));
    this.proc.onExit((code, signal) => this.exited(code, signal));
    this.monitor = setInterval(
      () => {
        const silent = Date.now() - this.lastSeen;
        if (silent > limits.heartbeatTimeoutMs)
          this.fail(
            `${this.name} stopped responding (no heartbeat for ${Math.round(silent / 1000)} s), so Cutover ended its process.`,
          );
      },
      Math.min(500, limits.heartbeatTimeoutMs / 2),
    );
  }

  private receive(raw: unknown): void {
    if (this.ended) return;
    this.lastSeen = Date.now();
    if (this.lastSeen - this.windowStart >= 1000) {
      this.windowStart = this.lastSeen;
      this.windowCount = 0;
    }
    if (++this.windowCount > this.options.limits.maxMessagesPerSecond) {
      this.fail(
        `${this.name} flooded Cutover with more than ${this.options.limits.maxMessagesPerSecond} messages a second, so Cutover ended its process.`,
      );
      return;
    }
    const parsed = FromChildSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.fail(
        `${this.name} sent a message Cutover does not accept (${issue.path.join('.') || 'message'}: ${issue.message}), so Cutover ended its process.`,
      );
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
    if (
      /heap out of memory|Allocation failed|Reached heap limit/i.test(stderr) ||
      (signal === 'SIGABRT' && !stderr.trim()) ||
      code === 134
    ) {
      this.fail(
        `${this.name} ran out of memory (its limit is ${this.options.limits.memoryMb} MB), so its process ended.`,
      );
      return;
    }
    const last = redactSecretsInText(lastWords(stderr)).slice(0, 300);
    this.fail(
      `${this.name} stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})${last ? `: ${last}` : ''}.`,
    );
  }

  send(message: ToChild): void {
    if (!this.ended) this.proc.send(message);
  }

  /** The next message of one of these types (or the failure that ended the session). */
  next<T extends FromChild['type']>(...types: T[]): Promise<Extract<FromChild, { type: T }>> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) =>
      this.waiters.add({ types, resolve: resolve as (m: FromChild) => void, reject }),
    );
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

/** The line of a crashed process's stderr that says what went wrong (the error, not Node's version banner). */
function lastWords(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^at\s/.test(l) && !/^Node\.js v\d/.test(l) && !/^\^+$/.test(l));
  return (
    [...lines].reverse().find((l) => /^(\w*Error|Uncaught|throw )/.test(l) || /Error: /.test(l)) ?? lines.at(-1) ?? ''
  );
}
