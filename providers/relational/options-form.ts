/**
 * The relational job's options, asked after the mapping screen: the target database, the snapshot mode
 * (MySQL/MariaDB), what to do when the target already has data, and the verification.
 */
import type { FormField, FormValues } from '../api/index';
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
    fields.push({
      type: 'select',
      id: 'snapshot',
      label: 'Snapshot',
      value: settings.snapshot,
      options: [
        {
          value: 'parallel',
          label: 'Tables in parallel, a consistent snapshot each (faster)',
        },
        { value: 'single', label: 'One consistent snapshot, tables in turn' },
      ],
    });
  }
  fields.push(
    {
      type: 'select',
      id: 'conflict',
      label: 'If the target already has data',
      value: settings.conflict,
      options: CONFLICTS.map((value) => ({
        value,
        label: CONFLICT_LABELS[value],
      })),
    },
    {
      type: 'select',
      id: 'verify',
      label: 'Verify after writing',
      value: settings.verify,
      options: [
        { value: 'sample', label: 'Counts and a sample rebuilt and compared' },
        { value: 'none', label: 'No verification' },
      ],
    },
    {
      type: 'number',
      id: 'sampleSize',
      label: 'Sample size per collection',
      value: settings.sampleSize,
      min: 1,
      max: 1_000_000,
    },
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
