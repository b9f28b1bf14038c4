/** A dialog's footer: its buttons, right-aligned, the main one last. */
import type { ReactNode } from 'react';

export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="dialog-actions">{children}</div>;
}
