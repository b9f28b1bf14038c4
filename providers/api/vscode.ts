/**
 * SDK: a small stand-in for the parts of the VS Code API a DocumentDB-shaped provider drives its UI with
 * (`window.showQuickPick`, `showInputBox`, `showInformationMessage` / `Warning` / `Error`, `withProgress`
 * with its cancellation token, `env.openExternal`), mapped onto Cutover's UI, progress and cancellation
 * ports. Inside an isolated provider process the host resolves `import … from 'vscode'` to this module.
 * The ports are those of the action running now (`runWithActionHost`), kept per async call chain.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ActionHost, PickItem } from './index.js';

const current = new AsyncLocalStorage<ActionHost>();

/** Runs `fn` with `host` as the ports the shim talks to. */
export function runWithActionHost<T>(host: ActionHost, fn: () => T): T {
  return current.run(host, fn);
}

function host(api: string): ActionHost {
  const h = current.getStore();
  if (!h) throw new Error(`vscode.${api} was called outside a Cutover action (only executeAction may use the UI).`);
  return h;
}

export interface Disposable {
  dispose(): void;
}
export interface VsCancellationToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): Disposable;
}
export interface QuickPickItem {
  label: string;
  description?: string;
  detail?: string;
}
export interface QuickPickOptions {
  title?: string;
  placeHolder?: string;
}
export interface InputBoxOptions {
  title?: string;
  prompt?: string;
  value?: string;
  placeHolder?: string;
  password?: boolean;
  validateInput?(
    value: string,
  ): string | undefined | null | { message: string } | Thenable<string | undefined | null | { message: string }>;
}
export interface MessageItem {
  title: string;
}
export interface MessageOptions {
  modal?: boolean;
  detail?: string;
}
export interface ProgressOptions {
  location?: unknown;
  title?: string;
  cancellable?: boolean;
}
type Thenable<T> = PromiseLike<T>;

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

function toToken(h: ActionHost): VsCancellationToken {
  return {
    get isCancellationRequested() {
      return h.cancellation.isCancellationRequested;
    },
    onCancellationRequested(listener) {
      return { dispose: h.cancellation.onCancellationRequested(listener) };
    },
  };
}

async function showQuickPick<T extends string | QuickPickItem>(
  items: readonly T[] | Thenable<readonly T[]>,
  options?: QuickPickOptions,
): Promise<T | undefined> {
  const h = host('window.showQuickPick');
  const list = await items;
  const picks: PickItem[] = list.map((item, i) =>
    typeof item === 'string'
      ? { id: String(i), label: item }
      : { id: String(i), label: item.label, description: item.description, detail: item.detail },
  );
  const chosen = await h.ui.pick(picks, {
    title: options?.title ?? options?.placeHolder ?? 'Choose',
    placeholder: options?.placeHolder,
  });
  return chosen ? list[Number(chosen.id)] : undefined;
}

async function showInputBox(options: InputBoxOptions = {}): Promise<string | undefined> {
  const h = host('window.showInputBox');
  const validate = options.validateInput;
  return h.ui.input({
    title: options.title ?? options.prompt ?? 'Input',
    prompt: options.title ? options.prompt : undefined,
    value: options.value,
    placeholder: options.placeHolder,
    password: options.password,
    validate: validate
      ? async (value) => {
          const problem = await validate(value);
          return problem ? (typeof problem === 'string' ? problem : problem.message) : undefined;
        }
      : undefined,
  });
}

function messageFn(level: 'info' | 'warning' | 'error', api: string) {
  return async <T extends string | MessageItem>(
    message: string,
    ...rest: Array<T | MessageOptions>
  ): Promise<T | undefined> => {
    const h = host(api);
    const opts = rest.find((r): r is MessageOptions => typeof r === 'object' && r !== null && !('title' in r));
    const items = rest.filter(
      (r): r is T => typeof r === 'string' || (typeof r === 'object' && r !== null && 'title' in r),
    );
    if (items.length === 0) {
      await h.ui.showMessage(level, message, opts?.detail);
      return undefined;
    }
    const picks = items.map((item, i) => ({ id: String(i), label: typeof item === 'string' ? item : item.title }));
    const chosen = await h.ui.pick(picks, { title: message, placeholder: opts?.detail });
    return chosen ? items[Number(chosen.id)] : undefined;
  };
}

async function withProgress<R>(
  options: ProgressOptions,
  task: (
    progress: { report(value: { message?: string; increment?: number }): void },
    token: VsCancellationToken,
  ) => Thenable<R>,
): Promise<R> {
  const h = host('window.withProgress');
  const label = options.title ?? 'Working';
  let percent = 0;
  let detail: string | undefined;
  const id = `vscode-progress-${Math.random().toString(36).slice(2, 8)}`;
  const show = (status: 'running' | 'done' | 'failed') =>
    h.progress.item({ id, label, status, detail, docs: Math.round(percent), totalDocs: 100 });
  show('running');
  try {
    const result = await task(
      {
        report(value) {
          if (value.increment) percent = Math.min(100, percent + value.increment);
          if (value.message !== undefined) detail = value.message;
          show('running');
        },
      },
      toToken(h),
    );
    show('done');
    return result;
  } catch (error) {
    show('failed');
    throw error;
  }
}

export const window = {
  showQuickPick,
  showInputBox,
  showInformationMessage: messageFn('info', 'window.showInformationMessage'),
  showWarningMessage: messageFn('warning', 'window.showWarningMessage'),
  showErrorMessage: messageFn('error', 'window.showErrorMessage'),
  withProgress,
};

export const Uri = {
  parse(value: string): { toString(): string } {
    return { toString: () => value };
  },
};

export const env = {
  async openExternal(target: { toString(): string }): Promise<boolean> {
    await host('env.openExternal').ui.openExternal(target.toString());
    return true;
  },
};
