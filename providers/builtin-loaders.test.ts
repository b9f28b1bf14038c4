/** The lazy loaders of the built-in providers name the same providers as the list (builtin.ts). */
import { describe, expect, it } from 'vitest';
import { builtinProviders } from './builtin';
import { BUILTIN_PROVIDER_IDS, loadBuiltinProvider } from './builtin-loaders';

describe('built-in provider loaders', () => {
  it('load each built-in provider by its id, and know no other', async () => {
    const ids = builtinProviders().map((p) => p.id);
    expect([...BUILTIN_PROVIDER_IDS].sort()).toEqual([...ids].sort());
    for (const id of ids) expect((await loadBuiltinProvider(id))?.id).toBe(id);
    expect(await loadBuiltinProvider('not-a-provider')).toBeUndefined();
  });
});
