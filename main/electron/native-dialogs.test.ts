/**
 * The native dialogs' answers, with a stand-in for Electron's `dialog` (its binary is absent here, so
 * the real dialogs cannot open): which dialog each question opens, and that a Save dialog's answer
 * counts as asked about replacing while a path from elsewhere is asked about in a message box.
 */
import { describe, expect, it } from 'vitest';
import { nativeDialogs, type DialogApi } from './native-dialogs';

function standIn(answers: { open?: string[]; save?: string; button?: number }) {
  const calls: Array<{ kind: string; options: Record<string, unknown> }> = [];
  const last = (args: unknown[]) => args[args.length - 1] as Record<string, unknown>;
  const dialog = {
    showOpenDialog: async (...args: unknown[]) => {
      calls.push({ kind: 'open', options: last(args) });
      return { canceled: !answers.open, filePaths: answers.open ?? [] };
    },
    showSaveDialog: async (...args: unknown[]) => {
      calls.push({ kind: 'save', options: last(args) });
      return { canceled: !answers.save, filePath: answers.save };
    },
    showMessageBox: async (...args: unknown[]) => {
      calls.push({ kind: 'message', options: last(args) });
      return { response: answers.button ?? 0, checkboxChecked: false };
    },
  } as unknown as DialogApi;
  return { dialog, calls };
}

const base = { jobTitle: 'Export to a file: shop.orders', title: 'Export shop.orders to' };

describe('native dialogs', () => {
  it('a Save dialog asks about replacing itself (also on Linux), so its answer counts as asked', async () => {
    const { dialog, calls } = standIn({ save: '/home/ada/orders.json' });
    const choice = await nativeDialogs(dialog, () => undefined, 'linux').chooseFile({
      ...base,
      mode: 'save',
      pick: 'file',
      defaultName: 'orders.json',
    });
    expect(choice).toEqual({ path: '/home/ada/orders.json', replaceConfirmed: true });
    expect(calls[0].kind).toBe('save');
    expect(calls[0].options.properties).toContain('showOverwriteConfirmation');
  });

  it('a file or a folder to read: one dialog on macOS; elsewhere the person says which first', async () => {
    const mac = standIn({ open: ['/dump'] });
    expect(
      await nativeDialogs(mac.dialog, () => undefined, 'darwin').chooseFile({
        ...base,
        mode: 'open',
        pick: 'file-or-folder',
      }),
    ).toEqual({ path: '/dump' });
    expect(mac.calls.map((c) => c.kind)).toEqual(['open']);
    expect(mac.calls[0].options.properties).toEqual(['openFile', 'openDirectory']);

    const linux = standIn({ open: ['/dump'], button: 1 });
    expect(
      await nativeDialogs(linux.dialog, () => undefined, 'linux').chooseFile({
        ...base,
        mode: 'open',
        pick: 'file-or-folder',
      }),
    ).toEqual({ path: '/dump' });
    expect(linux.calls.map((c) => c.kind)).toEqual(['message', 'open']);
    expect(linux.calls[1].options.properties).toEqual(['openDirectory']);
    const cancelled = standIn({ open: ['/dump'], button: 2 });
    expect(
      await nativeDialogs(cancelled.dialog, () => undefined, 'win32').chooseFile({
        ...base,
        mode: 'open',
        pick: 'file-or-folder',
      }),
    ).toBeUndefined();
  });

  it('replacing files named elsewhere (a History re-run) is asked in a message box; Keep is the default', async () => {
    const keep = standIn({ button: 1 });
    expect(
      await nativeDialogs(keep.dialog, () => undefined).confirmReplace({ ...base, files: ['/home/ada/orders.json'] }),
    ).toBe(false);
    expect(keep.calls[0].options).toMatchObject({ buttons: ['Replace', 'Keep'], defaultId: 1, cancelId: 1 });
    const replace = standIn({ button: 0 });
    expect(await nativeDialogs(replace.dialog, () => undefined).confirmReplace({ ...base, files: ['/a', '/b'] })).toBe(
      true,
    );
  });

  it('a confirmation that matters is a message box whose default is Cancel', async () => {
    const yes = standIn({ button: 0 });
    expect(
      await nativeDialogs(yes.dialog, () => undefined).confirm({
        message: 'Export?',
        confirmLabel: 'Export with passwords',
      }),
    ).toBe(true);
    expect(yes.calls[0]).toEqual({
      kind: 'message',
      options: expect.objectContaining({ buttons: ['Export with passwords', 'Cancel'], cancelId: 1, defaultId: 1 }),
    });
    const no = standIn({ button: 1 });
    expect(
      await nativeDialogs(no.dialog, () => undefined).confirm({
        message: 'Export?',
        confirmLabel: 'Export with passwords',
      }),
    ).toBe(false);
  });
});
