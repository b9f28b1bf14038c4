/** The polite live region: short status sentences for screen readers ("Connected to …", "Copy finished"). */
import { create } from 'zustand';

interface AnnouncerState {
  message: string;
  /** Bumps on every announcement so the same sentence twice is read twice. */
  serial: number;
  announce(message: string): void;
}

export const useAnnouncer = create<AnnouncerState>((set) => ({
  message: '',
  serial: 0,
  announce: (message) => set((state) => ({ message, serial: state.serial + 1 })),
}));

export const announce = (message: string): void => useAnnouncer.getState().announce(message);
