/** Which screen the main pane shows. */
import { create } from 'zustand';

export type View =
  | { name: 'connect' }
  | { name: 'connection'; connectionId: string }
  | { name: 'migrate' }
  | { name: 'job'; jobId: string }
  | { name: 'history' };

interface UiState {
  view: View;
  navigate(view: View): void;
}

export const useUi = create<UiState>((set) => ({
  view: { name: 'connect' },
  navigate: (view) => set({ view }),
}));
