/**
 * Saved connections as the window sees them (redacted, never with secrets): list, add, edit,
 * duplicate, delete, test, connect, export. The main side announces changes (connections.savedChanged).
 */
import { create } from 'zustand';
import type { ConnectionCheckResult, ConnectionSummary, SavedConnection } from '../../../preload/contract';
import { api } from '../api';
import { announce } from './announcer';
import { IDLE, failed, ready, type Load } from '../load';
import { useConnections } from './connections';

/** `run` tells a test's result from a later one's (or from one made stale by an edit). */
export type TestState = { status: 'testing'; run: number } | ({ status: 'done' } & ConnectionCheckResult);

interface SavedState {
  saved: SavedConnection[];
  /** Whether `saved` has been read from the core (the store edits the list in place afterwards). */
  list: Load<true>;
  tests: Record<string, TestState>;
  load(): Promise<void>;
  set(saved: SavedConnection[]): void;
  add(uri: string, name: string, favourite: boolean): Promise<SavedConnection>;
  update(id: string, change: { uri?: string; name?: string; favourite?: boolean }): Promise<SavedConnection>;
  duplicate(id: string): Promise<SavedConnection>;
  remove(id: string): Promise<void>;
  test(id: string): Promise<void>;
  /** Drops a connection's test result (its connection string changed); a test still running is ignored when it ends. */
  forgetTest(id: string): void;
  connect(id: string): Promise<ConnectionSummary>;
  /** Downloads (browser) or saves with a dialog (desktop) a .cutover file; resolves to what happened. */
  exportFile(ids: string[], passphrase?: string): Promise<string>;
}

let testRuns = 0;

export const useSaved = create<SavedState>((set, get) => ({
  saved: [],
  list: IDLE,
  tests: {},

  async load() {
    try {
      set({ saved: await api().call('connections.saved.list', {}), list: ready(true as const) });
    } catch (error) {
      set({ list: failed(error) });
    }
  },

  set(saved) {
    set({ saved, list: ready(true as const) });
  },

  async add(uri, name, favourite) {
    const added = await api().call('connections.saved.add', {
      uri: uri.trim(),
      ...(name.trim() ? { name: name.trim() } : {}),
      favourite,
    });
    set((s) => ({ saved: s.saved.some((c) => c.id === added.id) ? s.saved : [...s.saved, added] }));
    announce(`Saved ${added.name}`);
    return added;
  },

  async update(id, change) {
    // The star shows its new state at once, so a second click toggles it back instead of repeating it.
    const before = get().saved.find((c) => c.id === id);
    if (before && change.favourite !== undefined)
      set((s) => ({ saved: s.saved.map((c) => (c.id === id ? { ...c, favourite: change.favourite! } : c)) }));
    try {
      const updated = await api().call('connections.saved.update', { id, ...change });
      set((s) => ({ saved: s.saved.map((c) => (c.id === id ? updated : c)) }));
      return updated;
    } catch (error) {
      if (before) set((s) => ({ saved: s.saved.map((c) => (c.id === id ? before : c)) }));
      throw error;
    }
  },

  async duplicate(id) {
    const copy = await api().call('connections.saved.duplicate', { id });
    set((s) => ({ saved: s.saved.some((c) => c.id === copy.id) ? s.saved : [...s.saved, copy] }));
    announce(`Duplicated as ${copy.name}`);
    return copy;
  },

  async remove(id) {
    const name = get().saved.find((c) => c.id === id)?.name ?? 'connection';
    await api().call('connections.saved.delete', { id });
    set((s) => ({ saved: s.saved.filter((c) => c.id !== id) }));
    announce(`Deleted ${name}`);
  },

  async test(id) {
    const run = ++testRuns;
    set((s) => ({ tests: { ...s.tests, [id]: { status: 'testing', run } } }));
    let result: ConnectionCheckResult;
    try {
      result = await api().call('connections.saved.test', { id });
    } catch (error) {
      result = {
        ok: false,
        failure: 'other',
        message: error instanceof Error ? error.message : String(error),
        elapsedMs: 0,
      };
    }
    const current = get().tests[id];
    if (current?.status !== 'testing' || current.run !== run) return; // edited or tested again meanwhile
    set((s) => ({ tests: { ...s.tests, [id]: { status: 'done', ...result } } }));
    announce(result.message);
  },

  forgetTest(id) {
    set((s) => ({ tests: Object.fromEntries(Object.entries(s.tests).filter(([key]) => key !== id)) }));
  },

  async connect(id) {
    const connection = await api().call('connections.saved.connect', { id });
    useConnections.getState().add([connection]);
    announce(`Connected to ${connection.name}`);
    return connection;
  },

  async exportFile(ids, passphrase) {
    // The main side asks where to save (and, with passwords, whether to) and writes the file itself.
    const { fileName } = await api().call('connections.saved.export', { ids, ...(passphrase ? { passphrase } : {}) });
    const said = fileName ? `Written to ${fileName}` : 'Export cancelled';
    announce(said);
    return said;
  },
}));

/** Saved connections, favourites first, then by name. */
export function sortedSaved(saved: SavedConnection[]): SavedConnection[] {
  return [...saved].sort((a, b) => Number(b.favourite) - Number(a.favourite) || a.name.localeCompare(b.name));
}
