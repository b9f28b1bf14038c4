/**
 * What an error thrown by a call's handler becomes on the wire. A CutoverError carries its own code and
 * message; anything else is an internal failure (`failed`): its message, credentials redacted, never a
 * stack; a thrown value that is not an Error says only that something failed inside Cutover.
 */
import { CutoverError } from '../../providers/api/errors';
import type { ErrorCode } from '../../preload/contract';
import { redactSecretsInText } from './connection-string';

export const INTERNAL_ERROR_MESSAGE = 'Something went wrong inside Cutover (an internal error).';

/** Stack frames ("    at f (file:1:2)") some messages carry along (errors passed on as text). */
const STACK_FRAME = /^\s*at .+$/;

export function wireError(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof CutoverError) return { code: error.code, message: error.message };
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const message = redactSecretsInText(
    text
      .split('\n')
      .filter((line) => !STACK_FRAME.test(line))
      .join('\n')
      .trim(),
  );
  return { code: 'failed', message: message || INTERNAL_ERROR_MESSAGE };
}
