/**
 * One error model: the dispatcher answers a failed call with the thrown CutoverError's own code, and
 * anything else as a generic internal failure whose message carries no stack (and no password).
 */
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  CancelledError,
  CutoverError,
  ERROR_CODES,
  NotFoundError,
  type MigrationProvider,
} from '../../providers/api/index';
import { ConnectionStringError } from '../../providers/api/connection';
import { createCore } from './app-core';
import { PromptAnswerError } from './job-runner';
import { INTERNAL_ERROR_MESSAGE, wireError } from './wire-error';

/** A core whose one provider fails `providers.actions` with whatever `next` holds. */
function failingCore() {
  let next: unknown;
  const provider: MigrationProvider = {
    id: 'thrower',
    label: 'Thrower',
    description: 'throws what the test gives it',
    appliesTo: [],
    getAvailableActions: async () => {
      throw next;
    },
    executeAction: async () => ({ outcome: 'succeeded', summary: 'done' }),
  };
  const core = createCore({ providers: [provider], shell: 'browser', version: '1.2.3' });
  return async (error: unknown) => {
    next = error;
    return core.dispatch('providers.actions', { providerId: 'thrower', context: {} });
  };
}

describe('the dispatcher reads err.code', () => {
  const call = failingCore();

  it('answers each wire code with the thrown error’s own code and message', async () => {
    for (const code of ERROR_CODES) {
      expect(await call(new CutoverError(`a ${code} error`, { code }))).toEqual({
        ok: false,
        error: { code, message: `a ${code} error` },
      });
    }
  });

  it('maps the subclasses by their code, not by their class', async () => {
    expect(await call(new NotFoundError('No saved connection x.'))).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No saved connection x.' },
    });
    expect(await call(new BadRequestError('Give either one.'))).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'Give either one.' },
    });
    expect(await call(new ConnectionStringError('Not a connection string.'))).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await call(new PromptAnswerError('This form has no field "file".'))).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await call(new CancelledError())).toEqual({ ok: false, error: { code: 'failed', message: 'Cancelled' } });
  });

  it('turns an unknown error into a generic internal failure: its message, never its stack', async () => {
    const plain = new TypeError('Cannot read properties of undefined (reading "x")');
    const outcome = await call(plain);
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'failed', message: 'Cannot read properties of undefined (reading "x")' },
    });
    expect(JSON.stringify(outcome)).not.toContain('wire-error.test.ts');
    expect(JSON.stringify(outcome)).not.toContain('    at ');
  });

  it('drops stack frames carried in a message, redacts passwords, and says little about non-errors', async () => {
    const relayed = new Error(
      `worker failed: Error: boom\n    at run (/app/worker.js:1:2)\n    at next (node:internal/x:3:4)`,
    );
    expect(await call(relayed)).toEqual({
      ok: false,
      error: { code: 'failed', message: 'worker failed: Error: boom' },
    });
    const secret = await call(new Error('could not reach mongodb://ann:s3cret@db.example:27017/app'));
    expect(JSON.stringify(secret)).not.toContain('s3cret');
    expect(await call({ stack: 'Error\n    at x (/app/y.js:1:1)' })).toEqual({
      ok: false,
      error: { code: 'failed', message: INTERNAL_ERROR_MESSAGE },
    });
    expect(await call(undefined)).toEqual({ ok: false, error: { code: 'failed', message: INTERNAL_ERROR_MESSAGE } });
    expect(await call(new Error(''))).toEqual({
      ok: false,
      error: { code: 'failed', message: INTERNAL_ERROR_MESSAGE },
    });
  });
});

describe('the error classes', () => {
  it('all share the base, with a name and a code', () => {
    const errors = [
      new CutoverError('x'),
      new NotFoundError('x'),
      new BadRequestError('x'),
      new CancelledError(),
      new PromptAnswerError('x'),
      new ConnectionStringError('x'),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(CutoverError);
      expect(error).toBeInstanceOf(Error);
      expect(ERROR_CODES).toContain(error.code);
      expect(error.name).toBe(error.constructor.name);
      expect(String(error)).toBe(`${error.name}: ${error.message}`);
    }
    expect(wireError(new NotFoundError('gone')).code).toBe('not_found');
  });
});
