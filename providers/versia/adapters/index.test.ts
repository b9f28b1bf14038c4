/**
 * The adapter registry: what ships holds adapters for real server software only (none for the test kit,
 * whose adapter lives in testkit/versia/adapter.ts), and the registration hook adds one for the providers
 * of this process that were built without their own list, refusing a nameless or duplicate one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cutoverTestkitAdapter } from '../../../testkit/versia/adapter';
import { TESTKIT_SOFTWARE } from '../../../testkit/versia/instance';
import { ADAPTERS, adapterFor, defaultAdapters, registerVersiaAdapter, type AdapterFactory } from './index';

const versiaDir = path.resolve(import.meta.dirname, '..');

function shippedSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return shippedSources(file);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [file] : [];
  });
}

describe('the shipped adapters', () => {
  it('have none for the test kit, and nothing in the provider names its private API', () => {
    expect(adapterFor(TESTKIT_SOFTWARE, ADAPTERS)).toBeUndefined();
    const sources = shippedSources(versiaDir);
    expect(sources.length).toBeGreaterThan(10);
    const naming = sources.filter((file) => /cutover-testkit|cutover-versia-testkit/.test(readFileSync(file, 'utf8')));
    expect(naming.map((f) => path.relative(versiaDir, f))).toEqual([]);
  });
});

describe('registerVersiaAdapter', () => {
  it('refuses an adapter without a software name or a create function, naming what is missing', () => {
    expect(() => registerVersiaAdapter({ software: '  ', create: cutoverTestkitAdapter.create })).toThrow(
      /needs a software name .* and a create function/,
    );
    expect(() => registerVersiaAdapter({ software: 'x' } as unknown as AdapterFactory)).toThrow(
      /needs a software name .* and a create function/,
    );
    expect(defaultAdapters()).toEqual(ADAPTERS);
  });

  it('adds the adapter to the default list (matched case-insensitively), once', () => {
    expect(adapterFor(TESTKIT_SOFTWARE)).toBeUndefined();
    registerVersiaAdapter(cutoverTestkitAdapter);
    expect(adapterFor(TESTKIT_SOFTWARE.toUpperCase())).toBe(cutoverTestkitAdapter);
    expect(defaultAdapters()).toEqual([...ADAPTERS, cutoverTestkitAdapter]);
    // A provider given its own list uses exactly that list.
    expect(adapterFor(TESTKIT_SOFTWARE, [])).toBeUndefined();
    expect(() => registerVersiaAdapter({ ...cutoverTestkitAdapter, software: 'Cutover-Versia-Testkit' })).toThrow(
      'registerVersiaAdapter: there is an adapter for Cutover-Versia-Testkit already.',
    );
  });
});
