/**
 * Reading a provider's presets (`context.extendedProperties`: the command line's arguments, History's
 * record): one of a list of values, or a positive whole number, each refused with a sentence naming it.
 */

/** `value` when it is one of `allowed`; `fallback` when absent or empty. */
export function presetChoice<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  what: string,
): T {
  if (value === undefined || value === '') return fallback;
  if (!allowed.includes(value as T)) throw new Error(`Unknown ${what} "${value}": use ${allowed.join(', ')}.`);
  return value as T;
}

/** A positive whole number, or undefined when absent or empty. */
export function presetPositiveInt(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${what} must be a positive whole number, not "${value}".`);
  return n;
}
