/**
 * File intake: files dropped on the window, chosen with Import connections…, or opened by the OS
 * (double-click, argv, second instance). Each file goes to the main side, which previews what it holds;
 * the person chooses entries (duplicates of saved connections start unchosen), gives the passphrase of
 * encrypted files, and saves. Results and per-file errors are shown until dismissed.
 */
import { create } from 'zustand';
import type { IntakeResult, SavedConnection } from '../../../preload/contract';
import { api, messageOf } from '../api';
import { announce } from './announcer';
import { useConnections } from './connections';
import { useSaved } from './saved';
import { useUi } from './ui';

export interface IntakeEntry extends IntakeResult {
  key: number;
  /** Entries the person chose (by entryId). */
  chosen: string[];
  /** Saved by the commit. */
  saved?: SavedConnection[];
  busy?: boolean;
  /** The last commit/unlock failure. */
  actionError?: string;
}

interface IntakeState {
  entries: IntakeEntry[];
  /** Files currently being read. */
  busy: number;
  /** Adds a result (from a drop or a `file.opened` event). */
  addResult(result: IntakeResult): void;
  /** Sends each dropped file to the intake. */
  intakeFiles(files: File[]): Promise<void>;
  choose(key: number, entryId: string, chosen: boolean): void;
  unlock(key: number, passphrase: string): Promise<void>;
  commit(key: number): Promise<void>;
  dismiss(key: number): void;
  clear(): void;
}

let nextKey = 1;

/** Larger than the contract accepts for `intake.content`: refuse before reading it into memory. */
const MAX_TEXT_BYTES = 10_000_000;

async function intakeOne(file: File): Promise<IntakeResult> {
  const fileName = file.name || 'dropped file';
  const client = api();
  const path = client.pathForFile?.(file);
  try {
    if (path) return await client.call('intake.path', { path });
    if (file.size > MAX_TEXT_BYTES) {
      return {
        fileName,
        connections: [],
        errors: [
          `${fileName}: not a connection file (${Math.round(file.size / 1_000_000)} MB is far larger than any connection file).`,
        ],
      };
    }
    const text = await file.text();
    return await client.call('intake.content', { fileName, text });
  } catch (error) {
    return { fileName, connections: [], errors: [messageOf(error)] };
  }
}

/**
 * A data file (JSON, CSV, BSON, a mongodump folder…) opens the files provider's import with the file
 * filled in, into the selected database. Returns why it could not, if it could not.
 */
async function startImport(
  result: IntakeResult & { dataFile: NonNullable<IntakeResult['dataFile']> },
): Promise<string | undefined> {
  const { selection, connections } = useConnections.getState();
  const connection = connections.find((c) => c.id === selection.connectionId);
  if (!connection || connection.kind !== 'mongodb' || !selection.databaseName) {
    return `${result.fileName} is a ${result.dataFile.format.toUpperCase()} data file: select the database of a MongoDB connection to import it into, then drop it again.`;
  }
  try {
    const { jobId } = await api().call('jobs.start', {
      providerId: 'files',
      actionId: 'import',
      context: {
        connectionId: connection.id,
        databaseName: selection.databaseName,
        ...(selection.collectionName ? { collectionName: selection.collectionName } : {}),
        // The path stays on the main side: the window names the drop, which the core checked.
        dropId: result.dataFile.dropId,
        extendedProperties: {},
      },
    });
    announce(`Importing ${result.fileName} into ${selection.databaseName}`);
    useUi.getState().navigate({ name: 'job', jobId });
    return undefined;
  } catch (error) {
    return `${result.fileName}: ${messageOf(error)}`;
  }
}

/** Usable entries that do not duplicate a saved connection start chosen. */
const defaultChoice = (result: IntakeResult) =>
  (result.preview?.entries ?? []).filter((e) => !e.error && !e.duplicateOf).map((e) => e.entryId);

export const useIntake = create<IntakeState>((set, get) => {
  const patch = (key: number, change: Partial<IntakeEntry>) =>
    set((s) => ({ entries: s.entries.map((e) => (e.key === key ? { ...e, ...change } : e)) }));
  return {
    entries: [],
    busy: 0,

    addResult(result) {
      const { dataFile } = result;
      if (dataFile) {
        void startImport({ ...result, dataFile }).then((problem) => {
          if (problem) get().addResult({ ...result, dataFile: undefined, errors: [problem] });
        });
        return;
      }
      useConnections.getState().add(result.connections);
      set((state) => ({ entries: [...state.entries, { ...result, key: nextKey++, chosen: defaultChoice(result) }] }));
      const usable = result.preview?.entries.filter((e) => !e.error).length ?? 0;
      if (usable)
        announce(
          `${result.fileName}: ${usable} connection${usable === 1 ? '' : 's'} found${result.preview?.needsPassphrase ? ', passphrase needed' : ''}`,
        );
      else if (result.errors.length) announce(`Could not use ${result.fileName}: ${result.errors[0]}`);
      else announce(`${result.fileName}: no connections found`);
    },

    async intakeFiles(files) {
      if (!files.length) return;
      set((state) => ({ busy: state.busy + files.length }));
      await Promise.all(
        files.map(async (file) => {
          const result = await intakeOne(file);
          set((state) => ({ busy: state.busy - 1 }));
          get().addResult(result);
        }),
      );
    },

    choose(key, entryId, chosen) {
      const entry = get().entries.find((e) => e.key === key);
      if (!entry) return;
      patch(key, {
        chosen: chosen ? [...new Set([...entry.chosen, entryId])] : entry.chosen.filter((id) => id !== entryId),
      });
    },

    async unlock(key, passphrase) {
      const entry = get().entries.find((e) => e.key === key);
      if (!entry?.preview) return;
      patch(key, { busy: true, actionError: undefined });
      try {
        const result = await api().call('intake.unlock', { previewId: entry.preview.previewId, passphrase });
        patch(key, { ...result, chosen: defaultChoice(result), busy: false });
        announce(
          result.preview?.needsPassphrase ? `${entry.fileName}: wrong passphrase` : `${entry.fileName}: unlocked`,
        );
      } catch (error) {
        patch(key, { busy: false, actionError: messageOf(error) });
      }
    },

    async commit(key) {
      const entry = get().entries.find((e) => e.key === key);
      if (!entry?.preview || !entry.chosen.length) return;
      patch(key, { busy: true, actionError: undefined });
      try {
        const { saved } = await api().call('intake.commit', {
          previewId: entry.preview.previewId,
          entryIds: entry.chosen,
        });
        patch(key, { busy: false, saved, preview: undefined, errors: [] });
        const known = useSaved.getState().saved;
        useSaved.getState().set([...known, ...saved.filter((s) => !known.some((k) => k.id === s.id))]);
        announce(`${entry.fileName}: saved ${saved.length} connection${saved.length === 1 ? '' : 's'}`);
      } catch (error) {
        patch(key, { busy: false, actionError: messageOf(error) });
      }
    },

    dismiss(key) {
      const entry = get().entries.find((e) => e.key === key);
      if (entry?.preview)
        void api()
          .call('intake.discard', { previewId: entry.preview.previewId })
          .catch(() => undefined);
      set((state) => ({ entries: state.entries.filter((e) => e.key !== key) }));
    },

    clear() {
      set({ entries: [] });
    },
  };
});
