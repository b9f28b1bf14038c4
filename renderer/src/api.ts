/**
 * How the window reaches Cutover's core.
 *
 * In Electron the preload exposes `window.cutover`. In the browser harness the page connects to the
 * harness WebSocket at `/ipc` on its own host, with the one-time `?token=` from its URL, and builds the
 * same typed client over it. Everything else in the renderer only sees `CutoverApi`.
 */
import { create } from 'zustand';
import { createClient, type CutoverApi } from '../../preload/client';
import { connectWebSocketTransport } from '../../preload/ws-transport';

export type ApiStatus =
  { state: 'connecting' } | { state: 'ready'; shell: 'electron' | 'browser' } | { state: 'error'; message: string };

export const useApiStatus = create<ApiStatus>(() => ({ state: 'connecting' }));

const CONNECT_TIMEOUT_MS = 10_000;

let client: CutoverApi | undefined;
let pending: Promise<CutoverApi> | undefined;

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

async function connect(): Promise<CutoverApi> {
  if (window.cutover) return window.cutover;
  const token = new URLSearchParams(location.search).get('token');
  if (!token) {
    throw new Error(
      'This page needs the address printed by the Cutover harness (it ends with ?token=…). Open that address instead.',
    );
  }
  if (location.protocol !== 'http:' || !location.host) {
    throw new Error('The Cutover harness page must be opened over http:// from the harness server.');
  }
  const url = `ws://${location.host}/ipc?token=${encodeURIComponent(token)}`;
  const transport = await withTimeout(
    connectWebSocketTransport(url),
    CONNECT_TIMEOUT_MS,
    `Cutover did not answer at ${location.host} within ${CONNECT_TIMEOUT_MS / 1000} s. Is the harness still running?`,
  );
  return createClient(transport);
}

/** Connects once; later calls share the same promise. Updates `useApiStatus`. */
export function startApi(): Promise<CutoverApi> {
  if (!pending) {
    useApiStatus.setState({ state: 'connecting' }, true);
    pending = connect().then(
      (api) => {
        client = api;
        useApiStatus.setState({ state: 'ready', shell: window.cutover ? 'electron' : 'browser' }, true);
        return api;
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        useApiStatus.setState({ state: 'error', message }, true);
        pending = undefined;
        throw error;
      },
    );
  }
  return pending;
}

/** The connected client. Only call after the app reports ready (screens render only then). */
export function api(): CutoverApi {
  if (!client) throw new Error('Cutover is not connected yet');
  return client;
}

/** The message of anything thrown by a call, for display. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'Something went wrong';
}

/** Tests only: use this client (e.g. a fake built with createClient over an in-memory transport). */
export function setApiForTests(api: CutoverApi | undefined): void {
  client = api;
  useApiStatus.setState(api ? { state: 'ready', shell: 'browser' } : { state: 'connecting' }, true);
}
