/**
 * The one way the window models something it reads from the core: a `Load<T>`. Idle (not asked yet),
 * loading, ready with its value, or an error with a sentence to show beside Retry. Stores and components
 * alike use it. When the data itself lives elsewhere because the store edits it in place (saved
 * connections, History records), the Load holds `true`: it says whether that data has been read.
 */
import { messageOf } from './api';

export type Load<T> =
  { status: 'idle' } | { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string };

export const IDLE: Load<never> = { status: 'idle' };
export const LOADING: Load<never> = { status: 'loading' };
export const ready = <T>(value: T): Load<T> => ({ status: 'ready', value });
export const failed = <T = never>(error: unknown): Load<T> => ({ status: 'error', message: messageOf(error) });

/** Still to come: not asked yet, or on its way (a spinner, or nothing yet). */
export const isPending = (load: Load<unknown> | undefined): boolean =>
  !load || load.status === 'idle' || load.status === 'loading';
