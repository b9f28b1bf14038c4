/**
 * The copy's plan form (target names, filters and renames, conflict policy, load, index timing,
 * verification), its check of the answers, and the settings it gives.
 */
import type { ActionHost, FormValues } from '../api/index';
import { compileNamespaceRules } from './namespaces';
import { CONFLICT_POLICIES, type ConflictPolicy, type IndexTiming, type LoadLevel, type VerifyMode } from './plan';
import type { CopyScope, CopySettings } from './presets';

export const CONFLICT_LABELS: Record<ConflictPolicy, string> = {
  abort: 'Stop if the target already has documents',
  drop: 'Drop the target collection first',
  skip: 'Keep documents whose _id is already in the target',
  overwrite: 'Overwrite documents with the same _id',
};

export function planForm(settings: CopySettings, scope: CopyScope, redactedTarget: string, sameServer: boolean) {
  const fields: Parameters<ActionHost['ui']['form']>[0]['fields'] = [];
  if (scope.db)
    fields.push({ type: 'text', id: 'targetDb', label: 'Target database', value: settings.targetDb, required: true });
  if (scope.coll)
    fields.push({
      type: 'text',
      id: 'targetColl',
      label: 'Target collection',
      value: settings.targetColl,
      required: true,
    });
  if (!scope.coll) {
    fields.push(
      {
        type: 'text',
        id: 'include',
        label: 'Only these namespaces',
        value: settings.include.join(', '),
        placeholder: 'sales.*, crm.contacts',
        help: 'Comma-separated db.collection patterns; * is a wildcard. Empty: everything.',
      },
      {
        type: 'text',
        id: 'exclude',
        label: 'Leave out',
        value: settings.exclude.join(', '),
        placeholder: 'sales.tmp_*',
      },
      {
        type: 'text',
        id: 'rename',
        label: 'Renames',
        value: settings.renames.join(', '),
        placeholder: 'sales.orders->archive.orders',
        help: 'Comma-separated source->target namespaces; * carries over.',
      },
    );
  }
  fields.push(
    {
      type: 'select',
      id: 'conflict',
      label: 'If the target already has data',
      value: settings.conflict,
      options: CONFLICT_POLICIES.map((value) => ({ value, label: CONFLICT_LABELS[value] })),
    },
    {
      type: 'select',
      id: 'load',
      label: 'Load on the servers',
      value: settings.load,
      options: [
        { value: 'low', label: 'Low (2 streams)' },
        { value: 'normal', label: 'Normal (4 streams)' },
        { value: 'high', label: 'High (8 streams)' },
      ],
    },
    {
      type: 'select',
      id: 'indexes',
      label: 'Build indexes',
      value: settings.indexes,
      options: [
        { value: 'after', label: 'After the data (faster)' },
        { value: 'before', label: 'Before the data' },
      ],
    },
    {
      type: 'select',
      id: 'verify',
      label: 'Verify after copying',
      value: settings.verify,
      options: [
        { value: 'sample', label: 'A sample of documents' },
        { value: 'full', label: 'Every document' },
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
    title: 'Plan the copy',
    description: `Target: ${redactedTarget}`,
    submitLabel: 'Review the plan',
    fields,
    validate: (values: FormValues) => {
      const db = String(values.targetDb ?? settings.targetDb ?? '').trim();
      if (scope.db && (!db || /[/\\. "$]/.test(db)))
        return 'Enter a target database name without spaces, dots, slashes or $.';
      if (scope.coll && !String(values.targetColl ?? '').trim()) return 'Enter a target collection name.';
      if (sameServer && scope.db === db && (!scope.coll || String(values.targetColl).trim() === scope.coll))
        return 'The target is the source itself: choose another database or collection.';
      try {
        compileNamespaceRules({
          include: split(values.include),
          exclude: split(values.exclude),
          renames: split(values.rename),
        });
      } catch (error) {
        return (error as Error).message;
      }
      return undefined;
    },
  };
}

export function settingsFromForm(values: FormValues, scope: CopyScope, current: CopySettings): CopySettings {
  return {
    ...current,
    ...(scope.db && values.targetDb !== undefined ? { targetDb: String(values.targetDb).trim() } : {}),
    ...(scope.coll && values.targetColl !== undefined ? { targetColl: String(values.targetColl).trim() } : {}),
    ...(!scope.coll
      ? { include: split(values.include), exclude: split(values.exclude), renames: split(values.rename) }
      : {}),
    conflict: (values.conflict as ConflictPolicy | undefined) ?? current.conflict,
    load: (values.load as LoadLevel | undefined) ?? current.load,
    indexes: (values.indexes as IndexTiming | undefined) ?? current.indexes,
    verify: (values.verify as VerifyMode | undefined) ?? current.verify,
    sampleSize: Number(values.sampleSize) || current.sampleSize,
  };
}

function split(value: unknown): string[] {
  return String(value ?? '')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}
