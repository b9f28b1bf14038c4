/**
 * UI calls from a provider process, relayed to the job's UI port: each is checked first (its arguments
 * must make a prompt the window's contract accepts), then made on the host's ports.
 */
import type { ActionHost } from '../../../providers/api/index';
import { PromptSchema } from '../../../preload/contract';
import { ChooseFileArgsSchema } from './protocol';

/**
 * Why a UI call from the provider process cannot be shown, or undefined: its arguments must make a
 * prompt the window's contract accepts (the window validates them too, but the host refuses them first).
 */
export function uiProblem(method: string, args: unknown[]): string | undefined {
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
      return parsed.success
        ? undefined
        : `chooseFile: ${parsed.error.issues[0].path.join('.') || 'options'}: ${parsed.error.issues[0].message}`;
    }
    case 'confirmReplace':
      return Array.isArray(a) &&
        a.length <= 1000 &&
        a.every((f) => typeof f === 'string') &&
        (b === undefined || b === null || typeof b === 'string')
        ? undefined
        : 'confirmReplace takes a list of files and a title';
    default:
      return `no UI call "${method}"`;
  }
  const parsed = PromptSchema.safeParse(
    JSON.parse(JSON.stringify(candidate, (_k, v: unknown) => (v === null ? undefined : v))),
  );
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return `${method}: ${issue.path.join('.') || 'arguments'}: ${issue.message}`;
}

/** One UI call on the host's ports, with arguments already checked by uiProblem. */
export async function callUi(host: ActionHost, method: string, args: unknown[]): Promise<unknown> {
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
