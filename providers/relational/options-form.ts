/**
 * The relational job's options, asked after the mapping screen: the target database, the snapshot mode
 * (MySQL/MariaDB), what to do when the target already has data, and the verification.
 */
import type { FormField, FormValues } from '../api/index';
import { conflictField, selectField, verifyFields } from '../shared/form-fields';
import type { RelationalConflict } from './engine';
import type { RelationalSettings } from './job-settings';
import type { DatabaseSchema } from './schema';

export const CONFLICTS: readonly RelationalConflict[] = ['abort', 'drop', 'overwrite'];
const CONFLICT_LABELS: Record<RelationalConflict, string> = {
  abort: 'Stop if a target collection already has documents',
  drop: 'Drop the target collections first',
  overwrite: 'Overwrite documents with the same _id',
};

export function optionsForm(schema: DatabaseSchema, settings: RelationalSettings, targetLabel: string) {
  const fields: FormField[] = [
    {
      type: 'text',
      id: 'targetDb',
      label: 'Target database',
      value: settings.targetDb,
      required: true,
    },
  ];
  if (schema.dialect === 'mysql') {
    fields.push(
      selectField('snapshot', 'Snapshot', settings.snapshot, [
        ['parallel', 'Tables in parallel, a consistent snapshot each (faster)'],
        ['single', 'One consistent snapshot, tables in turn'],
      ]),
    );
  }
  fields.push(
    conflictField(settings.conflict, CONFLICTS, CONFLICT_LABELS),
    ...verifyFields(
      'Verify after writing',
      settings.verify,
      [
        ['sample', 'Counts and a sample rebuilt and compared'],
        ['none', 'No verification'],
      ],
      settings.sampleSize,
    ),
  );
  return {
    title: 'Migration options',
    description: `Target: ${targetLabel}.`,
    submitLabel: 'Review',
    fields,
    validate: (values: FormValues) => (String(values.targetDb ?? '').trim() ? undefined : 'Give the target database.'),
  };
}

export function withOptions(values: FormValues, settings: RelationalSettings): RelationalSettings {
  return {
    ...settings,
    targetDb: String(values.targetDb ?? settings.targetDb).trim(),
    snapshot: values.snapshot === 'single' ? 'single' : values.snapshot === 'parallel' ? 'parallel' : settings.snapshot,
    conflict: CONFLICTS.includes(values.conflict as RelationalConflict)
      ? (values.conflict as RelationalConflict)
      : settings.conflict,
    verify: values.verify === 'none' ? 'none' : 'sample',
    sampleSize: Number(values.sampleSize) > 0 ? Math.floor(Number(values.sampleSize)) : settings.sampleSize,
  };
}
