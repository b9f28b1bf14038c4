/** Forwarding a job's Pause / Resume to the files worker running it (shared by the import and export flows). */
import type { PauseToken } from '../api/index';

/** Forwards the job's Pause / Resume to the worker, including a pause pressed before the worker started. */
export function followPause(pause: PauseToken, handle: { pause(): void; resume(): void }): () => void {
  if (pause.isPaused) handle.pause();
  return pause.onPauseChanged((paused) => (paused ? handle.pause() : handle.resume()));
}
