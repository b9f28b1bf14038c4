/**
 * The typed client of the IPC contract, built over any transport. The preload builds it over
 * `ipcRenderer`; the browser harness builds it over a WebSocket. Both share this code, so they
 * cannot drift. Answers and events are validated on arrival.
 */
import {
  calls,
  events,
  type CallName,
  type CallOutcome,
  type CallRequest,
  type CallResponse,
  type EventName,
  type EventPayload,
} from './contract';
import { CutoverError } from '../providers/api/errors';

/** A failed call, as the window sees it: the code and message the core answered with (one error model). */
export { CutoverError };

export interface Transport {
  invoke(name: CallName, payload: unknown): Promise<CallOutcome<unknown>>;
  subscribe(name: EventName, listener: (payload: unknown) => void): () => void;
  /** Called when the transport is lost for good (the harness WebSocket closed). */
  onClose?(listener: () => void): () => void;
}

export interface CutoverApi {
  call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
  /** Electron only: the filesystem path of a dropped File. */
  pathForFile?(file: File): string;
  /** Called when the connection to the core is lost (browser harness only). */
  onClose?(listener: () => void): () => void;
}

export function createClient(transport: Transport): CutoverApi {
  return {
    onClose: transport.onClose?.bind(transport),
    async call(name, request) {
      const outcome = await transport.invoke(name, request);
      if (!outcome.ok) throw new CutoverError(outcome.error.message, { code: outcome.error.code });
      const parsed = calls[name].response.safeParse(outcome.value);
      if (!parsed.success) throw new CutoverError(`Invalid answer to ${name}: ${parsed.error.message}`);
      return parsed.data as CallResponse<typeof name>;
    },
    on(name, listener) {
      return transport.subscribe(name, (payload) => {
        const parsed = events[name].safeParse(payload);
        if (parsed.success) listener(parsed.data as EventPayload<typeof name>);
        else console.error(`Dropped invalid ${name} event`, parsed.error.message);
      });
    },
  };
}

declare global {
  interface Window {
    /** The one object the preload exposes. Absent in the browser harness until it connects. */
    cutover?: CutoverApi;
  }
}
