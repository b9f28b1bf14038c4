/** The result a finished (or cancelled) relational job shows: its figures, the verification's differences, the mapping used. */
import type { ActionResult } from '../api/index';
import { plural } from '../shared/format';
import type { RelationalOutcome } from './engine';
import { hostOf, type RelationalSettings } from './job-settings';

export function summarise(outcome: RelationalOutcome, settings: RelationalSettings): ActionResult {
  const docs = outcome.collections.reduce((sum, c) => sum + c.docs, 0);
  const rows = outcome.collections.reduce((sum, c) => sum + c.rows, 0);
  const stats = [
    { label: 'Documents written', value: docs.toLocaleString('en-US') },
    { label: 'Rows read', value: rows.toLocaleString('en-US') },
    {
      label: 'Collections',
      value: `${outcome.collections.filter((c) => c.status === 'done').length} of ${outcome.collections.length}`,
    },
    { label: 'Snapshot', value: outcome.snapshot },
    ...(outcome.resumed ? [{ label: 'Resumed', value: 'yes: carried on from the checkpoints on the target' }] : []),
    { label: 'Target', value: `${hostOf(settings.targetUri)}/${settings.targetDb}` },
  ];
  const notes = outcome.notes;
  if (notes.truncatedMicros)
    stats.push({ label: 'Microseconds truncated', value: notes.truncatedMicros.toLocaleString('en-US') });
  if (notes.roundedDecimals)
    stats.push({ label: 'Decimals rounded to 34 digits', value: notes.roundedDecimals.toLocaleString('en-US') });
  if (notes.zeroDates)
    stats.push({ label: 'Zero dates written as null', value: notes.zeroDates.toLocaleString('en-US') });
  if (outcome.orphans)
    stats.push({
      label: 'Embedded rows without a container (left out)',
      value: outcome.orphans.toLocaleString('en-US'),
    });
  const details: NonNullable<ActionResult['details']> = [];
  let verified = true;
  if (outcome.verification) {
    const problems = outcome.verification.filter(
      (v) =>
        v.missing.length ||
        v.different.length ||
        (settings.conflict !== 'overwrite' ? v.targetDocs !== v.sourceRows : v.targetDocs < v.sourceRows),
    );
    verified = problems.length === 0;
    const checked = outcome.verification.reduce((sum, v) => sum + v.checked, 0);
    stats.push({
      label: 'Verification',
      value: verified
        ? `passed: counts match, ${checked.toLocaleString('en-US')} rebuilt documents identical byte for byte`
        : `${plural(problems.length, 'collection')} ${problems.length === 1 ? 'differs' : 'differ'}`,
    });
    for (const v of problems) {
      details.push({
        title: `${v.key}: ${plural(v.sourceRows, 'row')} in the source, ${plural(v.targetDocs, 'document')} in the target`,
        items: [...v.missing.map((id) => `missing: ${id}`), ...v.different.map((id) => `different: ${id}`)],
      });
    }
  }
  if (settings.mapping)
    details.push({
      title: 'The mapping document (for `cutover relational --mapping`)',
      items: [JSON.stringify(settings.mapping)],
    });
  if (outcome.cancelled)
    return {
      outcome: 'cancelled',
      summary: `Cancelled after ${plural(docs, 'document')}; the target is incomplete. Run the job again (History) to resume it.`,
      stats,
      details,
    };
  return {
    outcome: verified ? 'succeeded' : 'failed',
    summary: `Wrote ${plural(docs, 'document')} into ${plural(outcome.collections.length, 'collection')} of ${settings.targetDb}.${outcome.verification ? (verified ? ' Verification passed.' : ' Verification found differences: see below.') : ''}`,
    stats,
    details,
  };
}
