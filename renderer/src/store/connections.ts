/** Connections the window knows, what each one holds (browse) and the current selection. */
import { create } from 'zustand';
import type { ConnectionSummary, DatabaseInfo } from '../../../preload/contract';
import { api, messageOf, withTimeout } from '../api';

/** The window stops waiting for a browse after this long (the main side has its own, shorter, timeouts). */
const BROWSE_DEADLINE_MS = 45_000;
let browseSerial = 0;
/** The latest browse request per connection: answers to older ones are ignored. */
const latestBrowse = new Map<string, number>();
import { announce } from './announcer';
import type { Load } from '../load';

/** What a connection holds: its databases (the window's one loading model, Load<T>). */
export type BrowseState = Load<DatabaseInfo[]>;

export interface Selection {
  connectionId?: string;
  databaseName?: string;
  collectionName?: string;
}

interface ConnectionsState {
  connections: ConnectionSummary[];
  browse: Record<string, BrowseState>;
  selection: Selection;
  load(): Promise<void>;
  /** Opens a connection from a connection string; throws with a readable message on failure. */
  open(uri: string, name?: string): Promise<ConnectionSummary>;
  /** Adds or refreshes connections (from an intake result). */
  add(connections: ConnectionSummary[]): void;
  close(connectionId: string): Promise<void>;
  loadBrowse(connectionId: string): Promise<void>;
  select(selection: Selection): void;
}

function merge(existing: ConnectionSummary[], incoming: ConnectionSummary[]): ConnectionSummary[] {
  const next = [...existing];
  for (const connection of incoming) {
    const at = next.findIndex((c) => c.id === connection.id);
    if (at >= 0) next[at] = connection;
    else next.push(connection);
  }
  return next;
}

export const useConnections = create<ConnectionsState>((set, get) => ({
  connections: [],
  browse: {},
  selection: {},

  async load() {
    const list = await api().call('connections.list', {});
    set((state) => ({ connections: merge(state.connections, list) }));
  },

  async open(uri, name) {
    const trimmedName = name?.trim();
    const connection = await api().call('connections.open', {
      uri: uri.trim(),
      ...(trimmedName ? { name: trimmedName } : {}),
    });
    set((state) => ({ connections: merge(state.connections, [connection]) }));
    announce(`Connected to ${connection.name}`);
    return connection;
  },

  add(connections) {
    if (connections.length) set((state) => ({ connections: merge(state.connections, connections) }));
  },

  async close(connectionId) {
    await api().call('connections.close', { connectionId });
    set((state) => {
      const browse = { ...state.browse };
      delete browse[connectionId];
      return {
        connections: state.connections.filter((c) => c.id !== connectionId),
        browse,
        selection: state.selection.connectionId === connectionId ? {} : state.selection,
      };
    });
  },

  async loadBrowse(connectionId) {
    const serial = ++browseSerial;
    latestBrowse.set(connectionId, serial);
    set((state) => ({ browse: { ...state.browse, [connectionId]: { status: 'loading' } } }));
    const stale = () => latestBrowse.get(connectionId) !== serial;
    try {
      const { databases } = await withTimeout(
        api().call('connections.browse', { connectionId }),
        BROWSE_DEADLINE_MS,
        `The server did not answer within ${BROWSE_DEADLINE_MS / 1000} s. Check that it is running and reachable, then retry.`,
      );
      if (stale()) return;
      const sorted = [...databases]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((db) => ({ ...db, collections: [...db.collections].sort((a, b) => a.name.localeCompare(b.name)) }));
      set((state) => ({ browse: { ...state.browse, [connectionId]: { status: 'ready', value: sorted } } }));
    } catch (error) {
      if (stale()) return;
      const message = messageOf(error);
      set((state) => ({ browse: { ...state.browse, [connectionId]: { status: 'error', message } } }));
      const name = get().connections.find((c) => c.id === connectionId)?.name ?? 'the server';
      announce(`Could not load ${name}: ${message}`);
    }
  },

  select(selection) {
    set({ selection });
  },
}));

/** "db.collection", "db", or the connection name, for "Selected: …". */
export function describeSelection(selection: Selection, connections: ConnectionSummary[]): string | undefined {
  if (selection.databaseName && selection.collectionName)
    return `${selection.databaseName}.${selection.collectionName}`;
  if (selection.databaseName) return selection.databaseName;
  if (selection.connectionId) return connections.find((c) => c.id === selection.connectionId)?.name;
  return undefined;
}
