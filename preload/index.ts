/**
 * Preload: exposes ONE typed API object (`window.cutover`) built from the IPC contract. Nothing else crosses.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { callNames, channelOf, eventNames, type CallName, type CallOutcome, type EventName } from './contract';
import { createClient, type Transport } from './client';

const transport: Transport = {
  invoke(name: CallName, payload: unknown) {
    if (!callNames.includes(name))
      return Promise.resolve({ ok: false, error: { code: 'bad_request', message: `Unknown call ${name}` } });
    return ipcRenderer.invoke(channelOf(name), payload) as Promise<CallOutcome<unknown>>;
  },
  subscribe(name: EventName, listener: (payload: unknown) => void) {
    if (!eventNames.includes(name)) return () => undefined;
    const handler = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channelOf(name), handler);
    return () => ipcRenderer.removeListener(channelOf(name), handler);
  },
};

const api = createClient(transport);

contextBridge.exposeInMainWorld('cutover', {
  call: api.call,
  on: api.on,
  /** Electron only: the path of a dropped File (the renderer then calls intake.path). */
  pathForFile: (file: File) => webUtils.getPathForFile(file),
});
