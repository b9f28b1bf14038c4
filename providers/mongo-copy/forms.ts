/**
 * The copy's plan form (target names, filters and renames, conflict policy, load, index timing,
 * verification), its check of the answers, and the settings it gives.
 */
import type { ActionHost, FormValues } from '../api/index';
import { conflictField, selectField, verifyFields } from '../shared/form-fields';
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
    conflictField(settings.conflict, CONFLICT_POLICIES, CONFLICT_LABELS),
    selectField('load', 'Load on the servers', settings.load, [
      ['low', 'Low (2 streams)'],
      ['normal', 'Normal (4 streams)'],
      ['high', 'High (8 streams)'],
    ]),
    selectField('indexes', 'Build indexes', settings.indexes, [
      ['after', 'After the data (faster)'],
      ['before', 'Before the data'],
    ]),
    ...verifyFields(
      'Verify after copying',
      settings.verify,
      [
        ['sample', 'A sample of documents'],
        ['full', 'Every document'],
        ['none', 'No verification'],
      ],
      settings.sampleSize,
    ),
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
