/**
 * File intake: connection files dropped on the window or opened by the OS (double-click, argv,
 * second instance). Each file goes to the main side, which finds connections in it; the results
 * (connections added, per-file errors) are shown until dismissed.
 */
import { create } from 'zustand';
import type { IntakeResult } from '../../../preload/contract';
import { api, messageOf } from '../api';
import { announce } from './announcer';
import { useConnections } from './connections';

export interface IntakeEntry extends IntakeResult {
  key: number;
}

interface IntakeState {
  entries: IntakeEntry[];
  /** Files currently being read. */
  busy: number;
  /** Adds a result (from a drop or a `file.opened` event). */
  addResult(result: IntakeResult): void;
  /** Sends each dropped file to the intake. */
  intakeFiles(files: File[]): Promise<void>;
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
      return { fileName, connections: [], errors: [`The file is too large to be a connection file (${Math.round(file.size / 1_000_000)} MB).`] };
    }
    const text = await file.text();
    return await client.call('intake.content', { fileName, text });
  } catch (error) {
    return { fileName, connections: [], errors: [messageOf(error)] };
  }
}

export const useIntake = create<IntakeState>((set, get) => ({
  entries: [],
  busy: 0,

  addResult(result) {
    useConnections.getState().add(result.connections);
    set((state) => ({ entries: [...state.entries, { ...result, key: nextKey++ }] }));
    const added = result.connections.length;
    const failed = result.errors.length;
    if (failed && !added) announce(`Could not use ${result.fileName}: ${result.errors[0]}`);
    else if (added) announce(`${result.fileName}: added ${added} connection${added === 1 ? '' : 's'}${failed ? `, ${failed} error${failed === 1 ? '' : 's'}` : ''}`);
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

  dismiss(key) {
    set((state) => ({ entries: state.entries.filter((entry) => entry.key !== key) }));
  },

  clear() {
    set({ entries: [] });
  },
}));
