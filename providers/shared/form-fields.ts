/**
 * Form fields the providers' plan forms share: a select built from [value, label] pairs, the "if the
 * target already has data" policy, and the verification choice with its sample size per collection.
 */
import type { FormField } from '../api/index';

/** One choice of a select: its value and the label the person sees. */
export type Choice = readonly [value: string, label: string];

export function selectField(id: string, label: string, value: string, choices: readonly Choice[]): FormField {
  return { type: 'select', id, label, value, options: choices.map(([v, l]) => ({ value: v, label: l })) };
}

/** The select of what to do when the target already has data, one choice per policy, in the given order. */
export function conflictField<P extends string>(
  value: P,
  policies: readonly P[],
  labels: Record<P, string>,
  label = 'If the target already has data',
): FormField {
  return selectField(
    'conflict',
    label,
    value,
    policies.map((p) => [p, labels[p]]),
  );
}

/** The verification select (id `verify`) and the sample size per collection (id `sampleSize`). */
export function verifyFields(
  label: string,
  value: string,
  choices: readonly Choice[],
  sampleSize: number,
): FormField[] {
  return [
    selectField('verify', label, value, choices),
    {
      type: 'number',
      id: 'sampleSize',
      label: 'Sample size per collection',
      value: sampleSize,
      min: 1,
      max: 1_000_000,
    },
  ];
}
