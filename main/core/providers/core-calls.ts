/**
 * The IPC calls of the Providers screen (preload/contract.ts `providers.installed.*`), and keeping the
 * registry in step with what is installed and enabled. Consent to run a provider is asked by the host
 * (its HostDialogs), never by the window. Dropped tarballs arrive as bytes and are written to a private
 * file first: the window names no path.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { InstalledProviderSummary } from '../../../preload/contract';
import type { HostDialogs } from '../host-dialogs';
import type { ProviderRegistry } from '../registry';
import type { ConsentAsker } from './isolated-provider';
import { ProviderPlatform, type ProviderPlatformOptions } from './platform';

export type InstalledProvidersOptions = Omit<ProviderPlatformOptions, 'dataDir'>;

/** The consent question, asked with the host's own dialog. */
export function hostConsent(dialogs: HostDialogs): ConsentAsker {
  return (request) =>
    dialogs.confirm({
      message: `Allow the provider "${request.label}" (${request.publisher}, version ${request.version}) to run?`,
      detail: `${request.needs.join(' ')} It runs in a separate process; that is crash isolation, not a security sandbox: allow only providers you trust.`,
      confirmLabel: 'Allow and run',
    });
}

export function installedProviderCalls(options: {
  dataDir: string;
  registry: ProviderRegistry;
  builtinIds: ReadonlySet<string>;
  hostDialogs?: HostDialogs;
  platform: InstalledProvidersOptions;
}) {
  const { registry, builtinIds, hostDialogs } = options;
  const platform = new ProviderPlatform({
    ...options.platform,
    dataDir: options.dataDir,
    consent: options.platform.consent ?? (hostDialogs ? hostConsent(hostDialogs) : undefined),
  });
  const registered = new Set<string>();

  /** Registers the enabled installed providers, and takes out those removed or disabled. */
  function sync(): void {
    const enabled = platform.store.listEnabledSync().filter((m) => !builtinIds.has(m.id));
    const ids = new Set(enabled.map((m) => m.id));
    for (const id of registered) {
      if (!ids.has(id)) {
        registry.unregister(id);
        registered.delete(id);
      }
    }
    for (const manifest of enabled) {
      registry.unregister(manifest.id);
      try {
        registry.register(platform.provider(manifest));
        registered.add(manifest.id);
      } catch {
        // Not allowed by this installation's allowlist: it stays unregistered.
      }
    }
  }
  sync();

  const after = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } finally {
      sync();
    }
  };

  const handlers = {
    'providers.installed.list': async (): Promise<InstalledProviderSummary[]> => platform.list(),
    'providers.installed.browse': async (): Promise<{ installed?: InstalledProviderSummary }> => {
      if (!hostDialogs)
        throw new Error(
          'This Cutover has no host-side Open dialog: drop the tarball on the Providers screen, or use "cutover providers install".',
        );
      const chosen = await hostDialogs.chooseFile({
        jobTitle: 'Install a provider',
        mode: 'open',
        title: 'Install a provider (a folder, or a tarball made by npm pack)',
        pick: 'file-or-folder',
        filters: [{ name: 'Provider package (npm pack)', extensions: ['tgz', 'tar.gz', 'tar'] }],
      });
      if (!chosen) return {};
      return { installed: await after(platform.install(chosen.path, builtinIds)) };
    },
    'providers.installed.drop': async ({
      fileName,
      base64,
    }: {
      fileName: string;
      base64: string;
    }): Promise<InstalledProviderSummary> => {
      if (!/\.(tgz|tar\.gz|tar)$/i.test(fileName))
        throw new Error(`${fileName} is not a provider tarball: drop the .tgz file that "npm pack" made.`);
      const dir = await mkdtemp(path.join(options.dataDir, '.provider-drop-'));
      try {
        const file = path.join(dir, 'package.tgz');
        await writeFile(file, Buffer.from(base64, 'base64'), { mode: 0o600 });
        return await after(platform.install(file, builtinIds));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    'providers.installed.setEnabled': async ({
      id,
      enabled,
    }: {
      id: string;
      enabled: boolean;
    }): Promise<InstalledProviderSummary> => after(platform.setEnabled(id, enabled)),
    'providers.installed.remove': async ({ id }: { id: string }): Promise<Record<string, never>> => {
      await after(platform.remove(id));
      return {};
    },
  };
  return { platform, handlers, sync };
}

/** Without a data folder there is nowhere to install: the calls say so. */
export function noInstalledProviderCalls() {
  const refuse = async (): Promise<never> => {
    throw new Error("Installing providers needs Cutover's data folder, and this Cutover runs without one.");
  };
  return {
    'providers.installed.list': async (): Promise<InstalledProviderSummary[]> => [],
    'providers.installed.browse': refuse,
    'providers.installed.drop': refuse,
    'providers.installed.setEnabled': refuse,
    'providers.installed.remove': refuse,
  };
}
