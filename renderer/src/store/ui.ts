/** Which screen the main pane shows. */
import { create } from 'zustand';

export type View =
  | { name: 'connect' }
  | { name: 'connection'; connectionId: string }
  | { name: 'migrate' }
  | { name: 'job'; jobId: string }
  | { name: 'history' }
  | { name: 'saved' }
  | { name: 'settings' }
  | { name: 'providers' };

export interface AppInfo {
  version: string;
  platform: string;
  shell: 'electron' | 'browser';
}

interface UiState {
  view: View;
  info?: AppInfo;
  navigate(view: View): void;
}

export const useUi = create<UiState>((set) => ({
  view: { name: 'connect' },
  navigate: (view) => set({ view }),
}));
