/**
 * The count check that ends a job writing into a collection (cheap and policy-aware, DESIGN.md): what
 * the job wrote (acknowledged writes) against what the target holds, by `estimatedDocumentCount`, then
 * `countDocuments` only if that disagrees. When the job owned the collection (it refused one with data,
 * or dropped it first) the target must hold exactly what was written; when it joined existing data
 * (keeping or overwriting documents with the same _id), at least that. A target that holds less lost
 * documents during the job (restarted without its data, replaced, a collection dropped): the job fails
 * saying so, instead of reporting what is not there.
 *
 * Generic over the policy names of a job: `expectationFor` maps a conflict policy to what is expected.
 */
import type { Collection } from 'mongodb';

export type CountExpectation = { exactly: number } | { atLeast: number };

export interface CountCheck {
  ok: boolean;
  /** Documents the target holds. */
  found: number;
  expected: CountExpectation;
  /** Why the check failed, in a sentence naming the namespace (undefined when ok). */
  problem?: string;
}

/**
 * What the target must hold after `written` acknowledged writes under a conflict policy, or undefined
 * when the count says nothing (overwrite: a job may write the same _id more than once).
 */
export function expectationFor(policy: 'abort' | 'drop' | 'skip' | 'overwrite', written: number): CountExpectation | undefined {
  if (policy === 'abort' || policy === 'drop') return { exactly: written };
  if (policy === 'skip') return { atLeast: written };
  return undefined;
}

export async function checkCount(collection: Collection, expected: CountExpectation, where: string): Promise<CountCheck> {
  const fits = (n: number) => ('exactly' in expected ? n === expected.exactly : n >= expected.atLeast);
  let found = await collection.estimatedDocumentCount();
  if (!fits(found)) found = await collection.countDocuments();
  if (fits(found)) return { ok: true, found, expected };
  const wrote = 'exactly' in expected ? expected.exactly : expected.atLeast;
  const counted = (n: number) => `${n.toLocaleString('en-US')} document${n === 1 ? '' : 's'}`;
  const problem =
    found < wrote
      ? `${where} holds ${counted(found)}, but ${counted(wrote)} were written to it and acknowledged: the target lost documents during the job (was it restarted without its data, replaced, or the collection dropped?)`
      : `${where} holds ${counted(found)}, but exactly ${counted(wrote)} were written to it: something else wrote to it during the job`;
  return { ok: false, found, expected, problem };
}
