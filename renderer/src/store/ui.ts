/** Which screen the main pane shows. */
import { create } from 'zustand';
import type { CallResponse } from '../../../preload/contract';

export type View =
  | { name: 'connect' }
  | { name: 'connection'; connectionId: string }
  | { name: 'migrate' }
  | { name: 'job'; jobId: string }
  | { name: 'history' }
  | { name: 'saved' }
  | { name: 'settings' }
  | { name: 'providers' };

/** What `app.info` answers (the contract's type, not a copy of it). */
export type AppInfo = CallResponse<'app.info'>;

interface UiState {
  view: View;
  info?: AppInfo;
  navigate(view: View): void;
}

export const useUi = create<UiState>((set) => ({
  view: { name: 'connect' },
  navigate: (view) => set({ view }),
}));
