/**
 * What the person reads about a copy: the pre-flight report before anything is written, and the result
 * (counts, the count check, the verification, what differs) or why it stopped and what was copied so far.
 */
import type { ActionResult } from '../api/index';
import type { Assessment } from './assess';
import { formatBytes, formatCount, formatDuration, plural } from './format';
import { CONFLICT_LABELS } from './forms';
import { nsKey, type ConflictPolicy, type CopyOutcome, type NamespaceVerification } from './plan';
import type { CopyScope, CopySettings } from './presets';

export function preflightReport(plan: Assessment, settings: CopySettings, redactedTarget: string) {
  const blocked = plan.notes.some((n) => n.level === 'error');
  return {
    title: 'Pre-flight report',
    message: `${plan.namespaces.length} namespace${plan.namespaces.length === 1 ? '' : 's'}, ${formatCount(plan.totalDocs)} documents, ${formatBytes(plan.totalBytes)} to ${redactedTarget} (${plan.targetFamily}). Estimated time: about ${formatDuration(plan.estimatedSeconds)}. Conflict policy: ${CONFLICT_LABELS[settings.conflict].toLowerCase()}; indexes ${settings.indexes} the data; verification: ${settings.verify}.`,
    columns: [
      { id: 'source', label: 'Source' },
      { id: 'target', label: 'Target' },
      { id: 'docs', label: 'Documents', align: 'right' as const },
      { id: 'size', label: 'Size', align: 'right' as const },
      { id: 'indexes', label: 'Indexes', align: 'right' as const },
      { id: 'options', label: 'Options' },
      { id: 'state', label: 'Target now' },
    ],
    rows: plan.namespaces.map((ns) => ({
      source: nsKey(ns.sourceDb, ns.sourceColl),
      target: nsKey(ns.targetDb, ns.targetColl),
      docs: ns.kind === 'view' ? '—' : formatCount(ns.docs),
      size: ns.kind === 'view' ? '—' : formatBytes(ns.bytes),
      indexes: ns.kind === 'view' ? '—' : String(ns.indexes),
      options: ns.options.join(', ') || '—',
      state: !ns.targetExists ? 'new' : ns.kind === 'view' ? 'exists' : plural(ns.targetDocs ?? 0, 'document'),
    })),
    notes: plan.notes,
    actions: [
      ...(blocked ? [] : [{ id: 'start', label: plan.resuming ? 'Resume copy' : 'Start copy', primary: true }]),
      { id: 'change', label: 'Change the plan', primary: blocked },
    ],
  };
}

export function summarise(
  outcome: CopyOutcome,
  plan: Assessment,
  settings: CopySettings,
  scope: CopyScope,
  targetHost: string,
): ActionResult {
  const copied = outcome.namespaces.reduce((sum, r) => sum + r.docs, 0);
  const skipped = outcome.namespaces.reduce((sum, r) => sum + r.skipped, 0);
  const bytes = outcome.namespaces.reduce((sum, r) => sum + r.bytes, 0);
  const details: NonNullable<ActionResult['details']> = [];
  const problems: string[] = [];
  const checks: Array<{ label: string; value: string }> = [];

  // The count check runs after every copy, whatever the verification.
  const counts = outcome.counts ?? [];
  const countsWrong = counts.filter((c) => !c.ok);
  if (counts.length)
    checks.push({
      label: 'Count check',
      value: countsWrong.length
        ? `failed for ${countsWrong.length} of ${counts.length} collections`
        : `passed: ${counts.length} ${counts.length === 1 ? 'collection holds' : 'collections hold'} what was written`,
    });
  if (countsWrong.length) {
    problems.push(
      firstFew(
        countsWrong.map((c) => c.sentence),
        (more) => `The count check failed for ${more} more collections too.`,
      ).join(' '),
    );
    details.push({ title: 'Count check failed', items: countsWrong.map((c) => c.sentence) });
  }

  if (outcome.verification) {
    const sampled = settings.verify === 'sample';
    const checked = outcome.verification.reduce((sum, v) => sum + v.checked, 0);
    const missing = outcome.verification.reduce((sum, v) => sum + v.missing, 0);
    // Documents kept by "skip" are expected to differ from the source: reported, not a failure. A missing one is.
    const mismatched = outcome.verification.reduce((sum, v) => sum + v.mismatched, 0);
    const mismatchFails = settings.conflict !== 'skip' && mismatched > 0;
    const countDiffs = outcome.verification.filter(
      (v) => v.sourceCount !== v.targetCount && settings.conflict !== 'skip' && settings.conflict !== 'overwrite',
    );
    const structural = outcome.verification.flatMap((v) =>
      [...v.indexDifferences, ...v.optionDifferences].map((d) => `${v.key}: ${d}`),
    );
    const verifiedOk = missing === 0 && !mismatchFails && countDiffs.length === 0 && structural.length === 0;
    const of = `of ${formatCount(checked)} ${sampled ? 'sampled' : 'checked'} ${checked === 1 ? 'document' : 'documents'}`;
    checks.push({
      label: `Verification (${settings.verify})`,
      value: verifiedOk
        ? mismatched
          ? `passed: ${plural(checked - mismatched, 'document')} identical, ${formatCount(mismatched)} kept as the target had them`
          : `passed: ${plural(checked, 'document')} identical`
        : `failed: ${formatCount(missing)} missing, ${formatCount(mismatched)} different ${of}`,
    });
    if (!verifiedOk) {
      const where = (pick: (v: NamespaceVerification) => number) =>
        firstFew(
          outcome.verification!.filter((v) => pick(v) > 0).map((v) => `${v.key}: ${formatCount(pick(v))}`),
          (more) => `${more} more collections`,
        ).join(', ');
      const found: string[] = [];
      if (missing)
        found.push(
          `${formatCount(missing)} ${of} ${missing === 1 ? 'is' : 'are'} missing in the target (${where((v) => v.missing)})`,
        );
      if (mismatchFails)
        found.push(
          `${formatCount(mismatched)} ${missing ? '' : `${of} `}${mismatched === 1 ? 'differs' : 'differ'} (${where((v) => v.mismatched)})`,
        );
      if (countDiffs.length)
        found.push(
          `counts differ (${firstFew(
            countDiffs.map(
              (v) => `${v.key}: source ${formatCount(v.sourceCount)}, target ${formatCount(v.targetCount)}`,
            ),
            (more) => `${more} more collections`,
          ).join('; ')})`,
        );
      if (structural.length)
        found.push(
          `${structural.length} ${structural.length === 1 ? 'index or option differs' : 'indexes or options differ'}`,
        );
      problems.push(`Verification: ${found.join('; ').replace(/ {2,}/g, ' ')}.`);
    }
    for (const v of outcome.verification) {
      if (v.missingIds.length)
        details.push({ title: `${v.key}: missing in the target (${formatCount(v.missing)})`, items: v.missingIds });
      if (v.mismatchedIds.length)
        details.push({
          title: `${v.key}: different in the target (${formatCount(v.mismatched)})`,
          items: v.mismatchedIds,
        });
    }
    if (countDiffs.length)
      details.push({
        title: 'Document counts differ',
        items: countDiffs.map(
          (v) => `${v.key}: source ${formatCount(v.sourceCount)}, target ${formatCount(v.targetCount)}`,
        ),
      });
    if (structural.length) details.push({ title: 'Indexes and options', items: structural });
  }

  const failed = problems.length > 0;
  const stats = [
    // A copy whose target does not hold what was sent has not copied it: the figure is what was written.
    { label: failed ? 'Documents written' : 'Documents copied', value: formatCount(copied) },
    ...(skipped ? [{ label: 'Already in target (kept)', value: formatCount(skipped) }] : []),
    { label: failed ? 'Data written' : 'Data copied', value: formatBytes(bytes) },
    {
      label: 'Namespaces',
      value: `${outcome.namespaces.filter((r) => r.status === 'done').length} of ${plan.namespaces.length}`,
    },
    ...(outcome.resumed ? [{ label: 'Resumed', value: 'yes: carried on from the checkpoints on the target' }] : []),
    { label: 'Target', value: `${targetHost}` },
    ...checks,
  ];
  if (outcome.cancelled) {
    return {
      outcome: 'cancelled',
      summary: `Cancelled. ${formatCount(copied)} of ${plural(plan.totalDocs, 'document')} ${copied === 1 ? 'was' : 'were'} copied; the target is incomplete. Run the job again (History) to resume it.`,
      stats,
      details,
    };
  }
  const what = scope.coll
    ? `${scope.db}.${scope.coll}`
    : scope.db
      ? `database ${scope.db}`
      : plural(plan.namespaces.length, 'namespace');
  if (failed) {
    // The headline says what is wrong; it never claims the documents were copied.
    const summary = `The copy of ${what} to ${targetHost} failed its checks. ${problems.join(' ')} The target is not a faithful copy: see below.`;
    return { outcome: 'failed', summary, stats, details };
  }
  const views = outcome.namespaces.filter((r) => r.kind === 'view' && r.status === 'done').length;
  const copiedWhat = `${formatCount(copied)} document${copied === 1 ? '' : 's'}${views ? ` and ${views} view${views === 1 ? '' : 's'}` : ''}`;
  const summary = `Copied ${copiedWhat} of ${what} to ${targetHost}.${outcome.verification ? ' Verification passed.' : counts.length ? ' Counts checked.' : ''}`;
  return { outcome: 'succeeded', heading: 'Copy finished', summary, stats, details };
}

/** The first three items, and a last one saying how many more there are. */
function firstFew(items: string[], more: (count: number) => string): string[] {
  return items.length <= 3 ? items : [...items.slice(0, 3), more(items.length - 3)];
}

/** After the target lost the copy's state: nothing can be resumed, and no figure of what was copied holds. */
export function lostTarget(conflict: ConflictPolicy): string {
  return `Nothing is reported as copied and the copy cannot be resumed: run it again${conflict === 'drop' ? '' : ' with "drop the target collection first"'} to copy everything anew.`;
}

/** A driver's message as a sentence: "… will shut down" gets its full stop before the next sentence. */
export function sentence(message: string): string {
  const text = message.trim();
  return !text || /[.!?:]$/.test(text) ? text : `${text}.`;
}

export function copiedSoFar(outcome: CopyOutcome): string {
  const copied = outcome.namespaces.reduce((sum, r) => sum + r.docs, 0);
  return copied > 0
    ? `${plural(copied, 'document')} had been copied before it stopped; the target is incomplete. Run the job again to resume it.`
    : 'Nothing was copied.';
}
