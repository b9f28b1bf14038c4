/**
 * The browser harness transport: the same contract as the preload, carried over a WebSocket to the
 * real main-side core on 127.0.0.1. The page learns the one-time token from its URL (`?token=`).
 *
 * Wire messages (JSON):
 *   page -> core  { type: 'call', id, name, payload }
 *   core -> page  { type: 'result', id, outcome }   { type: 'event', name, payload }
 */
import type { CallName, CallOutcome, EventName } from './contract';
import type { Transport } from './client';

export function connectWebSocketTransport(url: string): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const pending = new Map<number, (outcome: CallOutcome<unknown>) => void>();
    const listeners = new Map<string, Set<(payload: unknown) => void>>();
    const closeListeners = new Set<() => void>();
    let nextId = 1;

    socket.addEventListener('message', (message) => {
      const data = JSON.parse(String(message.data)) as
        | { type: 'result'; id: number; outcome: CallOutcome<unknown> }
        | { type: 'event'; name: string; payload: unknown };
      if (data.type === 'result') {
        pending.get(data.id)?.(data.outcome);
        pending.delete(data.id);
      } else if (data.type === 'event') {
        listeners.get(data.name)?.forEach((listener) => listener(data.payload));
      }
    });
    socket.addEventListener('close', () => {
      for (const settle of pending.values())
        settle({ ok: false, error: { code: 'failed', message: 'Lost the connection to Cutover' } });
      pending.clear();
      closeListeners.forEach((listener) => listener());
    });
    socket.addEventListener('error', () =>
      reject(new Error(`Could not connect to the Cutover harness at ${url.replace(/token=[^&]+/, 'token=****')}`)),
    );
    socket.addEventListener('open', () =>
      resolve({
        invoke(name: CallName, payload: unknown) {
          const id = nextId++;
          return new Promise((settle) => {
            pending.set(id, settle);
            socket.send(JSON.stringify({ type: 'call', id, name, payload }));
          });
        },
        subscribe(name: EventName, listener: (payload: unknown) => void) {
          let set = listeners.get(name);
          if (!set) listeners.set(name, (set = new Set()));
          set.add(listener);
          return () => set.delete(listener);
        },
        onClose(listener: () => void) {
          closeListeners.add(listener);
          return () => closeListeners.delete(listener);
        },
      }),
    );
  });
}
