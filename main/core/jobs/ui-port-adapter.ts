/**
 * A provider's UI port for one job. Prompts (pick, input, confirm, form, message, report, mapping) go to
 * the window through the job's open prompts and are asked again, with the provider's error, until they
 * validate. A picked saved or open connection is resolved here, so its full string never reaches the
 * window. Paths and "replace this file?" are the host's own questions (its dialogs), never the window's.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { PickItem, UiPort } from '../../../providers/api/index';
import { CONNECTION_CHOICE } from '../../../preload/contract';
import { exists, NO_HOST_DIALOGS, whyNotReplaceable } from '../host-dialogs';
import type { Job } from './job-state';
import type { JobRunnerOptions } from './runner-options';

export function uiPortFor(
  job: Job,
  options: Pick<JobRunnerOptions, 'dialogs' | 'connectionChoices' | 'openExternal'>,
): UiPort {
  const signal = job.abort.signal;
  const dialogs = options.dialogs ?? NO_HOST_DIALOGS;
  /** Existing files among these are replaced only if the host asked (once per file) and none is protected. */
  const replaceAllowed = async (files: string[], alreadyAsked: string | undefined, title: string): Promise<boolean> => {
    const existing = [...new Set(files)].filter(exists);
    for (const file of existing) {
      const why = whyNotReplaceable(file);
      if (why) throw new Error(why);
    }
    const ask = existing.filter((file) => file !== alreadyAsked);
    if (!ask.length || signal.aborted) return !signal.aborted;
    const yes = await job.waiting(`${title} Answer ${dialogs.where}.`, () =>
      dialogs.confirmReplace({ jobTitle: job.title, title, files: ask, signal }),
    );
    job.log('info', `${yes ? 'Replace' : 'Keep'}: ${ask.join(', ')}`);
    return yes && !signal.aborted;
  };
  return {
    pick: async (items: PickItem[], pickOptions) => {
      const id = await job.ask({ kind: 'pick', title: pickOptions.title, placeholder: pickOptions.placeholder, items });
      return items.find((item) => item.id === id);
    },
    input: async (inputOptions) => {
      let value = inputOptions.value;
      let error: string | undefined;
      const offered =
        inputOptions.connections?.length && options.connectionChoices
          ? await options.connectionChoices(inputOptions.connections).catch(() => [])
          : [];
      const choices = offered.length
        ? offered.map(({ ref, label, detail, group }) => ({ ref, label, detail, group }))
        : undefined;
      for (;;) {
        const answer = await job.ask({
          kind: 'input',
          title: inputOptions.title,
          prompt: inputOptions.prompt,
          value,
          placeholder: inputOptions.placeholder,
          password: inputOptions.password,
          error,
          ...(choices ? { choices } : {}),
        });
        if (typeof answer !== 'string') return undefined;
        // A picked connection is resolved here: its full string never goes to the window.
        const picked = answer.startsWith(CONNECTION_CHOICE)
          ? offered.find((c) => c.ref === answer.slice(CONNECTION_CHOICE.length))
          : undefined;
        const resolved = picked?.uri ?? answer;
        error =
          picked || !answer.startsWith(CONNECTION_CHOICE)
            ? await inputOptions.validate?.(resolved)
            : 'That connection is no longer offered: choose another one.';
        if (!error) {
          if (picked) job.log('info', `${inputOptions.title}: ${picked.label} (${picked.detail})`);
          return resolved;
        }
        value = inputOptions.password || picked ? '' : answer;
      }
    },
    confirm: async (confirmOptions) => (await job.ask({ kind: 'confirm', ...confirmOptions })) === true,
    form: async (formOptions) => {
      let fields = formOptions.fields;
      let error: string | undefined;
      for (;;) {
        const answer = await job.ask({
          kind: 'form',
          title: formOptions.title,
          description: formOptions.description,
          fields,
          submitLabel: formOptions.submitLabel,
          error,
        });
        if (!answer || typeof answer !== 'object') return undefined;
        error = await formOptions.validate?.(answer);
        if (!error) return answer;
        fields = fields.map((field) =>
          field.id in answer && !(field.type === 'text' && field.secret)
            ? ({ ...field, value: answer[field.id] } as typeof field)
            : field,
        );
      }
    },
    showMessage: async (level, message, detail) => {
      if (level !== 'info') {
        job.log(level, detail ? `${message}: ${detail}` : message);
      }
      await job.ask({
        kind: 'message',
        title: level === 'error' ? 'Error' : level === 'warning' ? 'Warning' : 'Information',
        level,
        message,
        detail,
      });
    },
    report: async (reportOptions) => {
      const answer = await job.ask({ kind: 'report', ...reportOptions });
      return typeof answer === 'string' ? answer : undefined;
    },
    mapping: async (mappingOptions) => {
      let mapping = mappingOptions.mapping;
      let error: string | undefined;
      // One prompt id while it is asked again: the window keeps its place and its preview.
      const promptId = randomUUID();
      for (;;) {
        const prompt = {
          kind: 'mapping' as const,
          title: mappingOptions.title,
          description: mappingOptions.description,
          source: mappingOptions.source,
          mapping,
          submitLabel: mappingOptions.submitLabel,
          error,
        };
        const answer = await job.ask(prompt, (text, collection) => mappingOptions.preview(text, collection), promptId);
        if (typeof answer !== 'string') return undefined;
        error = await mappingOptions.validate?.(answer);
        if (!error) return answer;
        mapping = answer;
      }
    },
    openExternal: (url) => {
      if (!/^https?:\/\//i.test(url))
        return Promise.reject(new Error(`Refusing to open ${url}: only http and https links open outside Cutover.`));
      return options.openExternal(url);
    },
    // Paths and "replace this file?" are the host's own questions: they never go through the window.
    chooseFile: async (fileOptions) => {
      if (signal.aborted) return undefined;
      const pick = fileOptions.pick ?? 'file';
      if (fileOptions.mode === 'save' && pick === 'file-or-folder')
        throw new Error('chooseFile: a place to save is a file or a folder, not either.');
      const request = {
        jobTitle: job.title,
        mode: fileOptions.mode,
        title: fileOptions.title,
        pick,
        filters: fileOptions.filters,
        defaultName: fileOptions.defaultName,
        signal,
      };
      const choice = await job.waiting(`${fileOptions.title}: choose ${dialogs.where}.`, () =>
        dialogs.chooseFile(request),
      );
      if (!choice || signal.aborted) return undefined;
      const chosen = path.resolve(choice.path);
      job.log('info', `${fileOptions.title}: ${chosen}`);
      if (fileOptions.mode === 'save') {
        const replaced = (fileOptions.replaces?.(chosen) ?? [chosen]).map((file) => path.resolve(file));
        if (!(await replaceAllowed(replaced, choice.replaceConfirmed ? chosen : undefined, 'Replace existing files?')))
          return undefined;
      }
      return chosen;
    },
    confirmReplace: (files, title) =>
      replaceAllowed(
        files.map((file) => path.resolve(file)),
        undefined,
        title ?? 'Replace existing files?',
      ),
  };
}
