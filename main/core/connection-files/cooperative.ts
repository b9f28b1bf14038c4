/**
 * Long loops on the main side (reading a connection file of thousands of entries) hand the event loop
 * back every few milliseconds, so the window's calls and progress events keep flowing meanwhile.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Returns a function to call in each round of a loop: it yields to the event loop once `sliceMs` have passed. */
export function cooperative(sliceMs = 5): () => Promise<void> | undefined {
  let started = performance.now();
  return () => {
    if (performance.now() - started < sliceMs) return undefined;
    return nextTurn().then(() => {
      started = performance.now();
    });
  };
}
