/**
 * electron-updater's own classes running under plain Node: an app adapter (version, data and cache
 * folders) and an HTTP executor over node:http(s) instead of Electron's `net`. The browser harness uses
 * this to check a test update server; the Electron app uses electron-updater's defaults instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import runtime, { type DownloadOptions } from 'builder-util-runtime';
import updaterPackage, { type AppUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';

const { HttpExecutor, configureRequestOptions, configureRequestUrl } = runtime;

/** builder-util-runtime's HTTP executor over node:http(s) (what electron-updater does over Electron's net). */
export class NodeHttpExecutor extends HttpExecutor<http.ClientRequest> {
  createRequest(
    options: http.RequestOptions & { protocol?: string },
    callback: (response: http.IncomingMessage) => void,
  ): http.ClientRequest {
    return (options.protocol === 'http:' ? http.request : https.request)(options, callback);
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: http.RequestOptions & { redirect?: string } = {
        headers: (options.headers as http.OutgoingHttpHeaders) ?? undefined,
        redirect: 'manual',
      };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error: Error | null) => (error == null ? resolve(destination) : reject(error)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}

export interface NodeAppOptions {
  name: string;
  version: string;
  /** Where the updater keeps its staging id (`.updaterId`). */
  userDataPath: string;
  /** Where downloads are cached (`<cache>/<updaterCacheDirName>/pending`). */
  baseCachePath: string;
}

export function nodeAppAdapter(options: NodeAppOptions): AppAdapter {
  return {
    name: options.name,
    version: options.version,
    isPackaged: true,
    appUpdateConfigPath: path.join(options.userDataPath, 'app-update.yml'),
    userDataPath: options.userDataPath,
    baseCachePath: options.baseCachePath,
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
}

/**
 * An updater for a generic server at `url` (its channel files `latest-linux.yml`, `beta-linux.yml`…),
 * with electron-updater's Linux .deb updater class (downloads are checked against sha512 and size).
 */
export function createNodeUpdater(
  url: string,
  app: AppAdapter,
  executor: unknown = new NodeHttpExecutor(),
): AppUpdater {
  // What electron-builder writes into an installed app; the download helper reads its cache folder name.
  const config = { provider: 'generic', url, updaterCacheDirName: 'cutover-updater' };
  mkdirSync(path.dirname(app.appUpdateConfigPath), { recursive: true });
  writeFileSync(
    app.appUpdateConfigPath,
    Object.entries(config)
      .map(([key, value]) => `${key}: ${JSON.stringify(value)}\n`)
      .join(''),
  );
  const updater = new updaterPackage.DebUpdater(null, app);
  // The provider takes the executor when the feed is set: set the executor first.
  (updater as unknown as { httpExecutor: unknown }).httpExecutor = executor;
  updater.setFeedURL(config as never);
  updater.logger = null;
  return updater;
}
