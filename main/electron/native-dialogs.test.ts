/** The native host dialogs' logic with a stand-in for Electron's `dialog` (Electron's binary is not needed). */
import type { BrowserWindow } from 'electron';
import { describe, expect, it } from 'vitest';
import { nativeDialogs, type NativeDialog } from './native-dialogs';

describe('native host dialogs', () => {
  const win = { isDestroyed: () => false } as unknown as BrowserWindow;

  it('asks with the window as parent, confirming replacement; a cancel or "Cancel" is no', async () => {
    const seen: unknown[] = [];
    let save = { canceled: false, filePath: '/home/ada/team.cutover' };
    let button = 0;
    const dialog: NativeDialog = {
      showSaveDialog: async (parent, options) => (seen.push([parent, options]), save),
      showMessageBox: async (parent, options) => (seen.push([parent, options]), { response: button, checkboxChecked: false }),
    };
    const host = nativeDialogs(dialog, () => win);
    expect(await host.chooseSavePath({ title: 'Export connections', suggestedName: 'Reports.cutover' })).toBe('/home/ada/team.cutover');
    expect(seen[0]).toEqual([win, expect.objectContaining({ defaultPath: 'Reports.cutover', properties: expect.arrayContaining(['showOverwriteConfirmation']) })]);
    save = { canceled: true, filePath: '' };
    expect(await host.chooseSavePath({ title: 'x', suggestedName: 'y' })).toBeUndefined();
    expect(await host.confirm({ message: 'Export?', confirmLabel: 'Export with passwords' })).toBe(true);
    expect(seen[2]).toEqual([win, expect.objectContaining({ buttons: ['Export with passwords', 'Cancel'], cancelId: 1, defaultId: 1 })]);
    button = 1;
    expect(await host.confirm({ message: 'Export?', confirmLabel: 'Export with passwords' })).toBe(false);
  });

  it('asks nothing without a window', async () => {
    const dialog: NativeDialog = { showSaveDialog: async () => ({ canceled: false, filePath: '/x' }), showMessageBox: async () => ({ response: 0, checkboxChecked: false }) };
    await expect(nativeDialogs(dialog, () => undefined).confirm({ message: 'Export?', confirmLabel: 'Yes' })).rejects.toThrow(/window is closed/);
  });
});
