/**
 * "Check readiness": both instances speak Versia v0.6 and list `pub.versia:migration`, Cutover has an
 * adapter for their software, and both accounts resolve (WebFinger, then the signed User entity).
 * Every gap is reported plainly, one line each, naming the instance, the software and what failed.
 */
import type { VersiaAccount } from './account';
import { adapterFor, defaultAdapters, notSupportedMessage, type AdapterFactory } from './adapters/index';
import {
  MIGRATION_EXTENSION,
  VersiaVersionError,
  type FederationClient,
  type InstanceMetadata,
} from './protocol/index';

export interface SideReport {
  account: VersiaAccount;
  metadata?: InstanceMetadata;
  reference?: string;
  /** One line per check: [check, outcome]. */
  checks: Array<[string, string]>;
  problems: string[];
}

export async function checkSide(
  client: FederationClient,
  account: VersiaAccount,
  role: 'old' | 'new',
  adapters: readonly AdapterFactory[] = defaultAdapters(),
): Promise<SideReport> {
  const report: SideReport = { account, checks: [], problems: [] };
  const label = role === 'old' ? 'The old instance' : 'The new instance';
  try {
    const { versions, metadata } = await client.discover(account.domain);
    report.metadata = metadata;
    const software = `${metadata.software.name} ${metadata.software.version}`.trim();
    const listed06 = metadata.compatibility.versions.some((v) => /^0\.6(\.|$)/.test(v));
    report.checks.push(['Versia v0.6', `yes (${versions.join(', ')})`]);
    if (!listed06)
      report.problems.push(
        `${label} ${account.domain} lists 0.6 at /.well-known/versia but not in its metadata's compatibility versions (${metadata.compatibility.versions.join(', ') || 'none'}).`,
      );
    const hasExtension = metadata.compatibility.extensions.includes(MIGRATION_EXTENSION);
    report.checks.push([MIGRATION_EXTENSION, hasExtension ? 'listed' : 'missing']);
    if (!hasExtension) {
      const listed = metadata.compatibility.extensions.length ? metadata.compatibility.extensions.join(', ') : 'none';
      report.problems.push(
        `${label} ${account.domain} runs ${software}, which does not implement account migration yet: ${MIGRATION_EXTENSION} is not among the extensions it lists (${listed}). Today's public Versia servers do not implement it yet, so accounts cannot be moved from or to them.`,
      );
    }
    const adapter = adapterFor(metadata.software.name, adapters);
    report.checks.push(['Software', `${software}${adapter ? '' : ' (no adapter)'}`]);
    if (!adapter) report.problems.push(notSupportedMessage(metadata.software, account.domain));
  } catch (error) {
    if (error instanceof VersiaVersionError) {
      report.checks.push(['Versia v0.6', `no (${error.versions.join(', ') || 'none listed'})`]);
      report.problems.push(
        `${label} ${account.domain} does not speak Versia v0.6: it lists ${error.versions.join(', ') || 'no version'}.`,
      );
      return report;
    }
    report.checks.push(['Discovery', 'failed']);
    report.problems.push(`${label} ${account.domain} could not be discovered: ${(error as Error).message}`);
    return report;
  }
  let step = 'WebFinger';
  try {
    report.reference = await client.webfinger(account.handle);
    step = `the User entity ${report.reference}`;
    const user = await client.user(report.reference);
    // "Usernames are case-insensitive."
    if (user.username.toLowerCase() !== account.username.toLowerCase() && user.id !== account.username) {
      throw new Error(`${report.reference} is the user ${user.username}, not ${account.username}.`);
    }
    report.checks.push(['Account', `${account.handle} resolves (${report.reference}), signature checked`]);
    const migration = user.extensions?.[MIGRATION_EXTENSION];
    if (role === 'old' && migration?.new)
      report.problems.push(`${account.handle} has already moved to ${migration.new}.`);
  } catch (error) {
    report.checks.push(['Account', `does not resolve (${step})`]);
    report.problems.push(`${account.handle} does not resolve (${step} failed): ${(error as Error).message}`);
  }
  return report;
}
