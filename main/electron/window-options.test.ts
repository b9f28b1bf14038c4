import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  denyAllPermissions,
  isAllowedNavigation,
  isTrustedSender,
  rendererUrlFor,
  windowOptions,
} from './window-options';

describe('BrowserWindow security', () => {
  const prefs = windowOptions('/app/preload.cjs').webPreferences!;

  it('isolates the page from Node and sandboxes it', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/app/preload.cjs');
  });

  it('has a strict CSP: own scripts only, no inline, no eval, no plugins, no framing', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('denies navigation away from the app page', () => {
    const app = 'file:///opt/Cutover/resources/app.asar/out/renderer/index.html';
    expect(isAllowedNavigation(app, app)).toBe(true);
    expect(isAllowedNavigation('https://evil.example/', app)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', app)).toBe(false);
    expect(isAllowedNavigation('not a url', app)).toBe(false);
  });

  it('loads a development server only when not packaged', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };
    expect(rendererUrlFor(env, false)).toBe('http://localhost:5173/');
    expect(rendererUrlFor(env, true)).toBeUndefined();
    expect(rendererUrlFor({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, false)).toBeUndefined();
    expect(rendererUrlFor({}, false)).toBeUndefined();
  });

  it('takes calls only from the main frame showing exactly the app page', () => {
    const app = 'file:///opt/Cutover/resources/app.asar/out/renderer/index.html';
    const main = { url: app, parent: null };
    expect(isTrustedSender(main, main, app)).toBe(true);
    // A sub-frame, even one showing the app page, is not the window.
    const sub = { url: app, parent: main };
    expect(isTrustedSender(sub, main, app)).toBe(false);
    expect(isTrustedSender({ url: app, parent: null }, main, app)).toBe(false);
    // Prefixes of the app's path are not the app (the old startsWith check accepted these).
    for (const url of [
      `${app}.evil.html`,
      'file:///opt/Cutover/resources/app.asar/out/renderer/index.html/../../../evil.html',
      'file:///opt/Cutover/resources/app.asar/out/renderer/index.htmlx',
    ]) {
      const frame = { url, parent: null };
      expect(isTrustedSender(frame, frame, app)).toBe(false);
    }
    const devApp = 'http://localhost:5173/';
    const dev = { url: 'http://localhost:5173.evil.example/', parent: null };
    expect(isTrustedSender(dev, dev, devApp)).toBe(false);
    const devOk = { url: 'http://localhost:5173/?x=1#y', parent: null };
    expect(isTrustedSender(devOk, devOk, devApp)).toBe(true);
    expect(isTrustedSender(null, main, app)).toBe(false);
  });

  it('denies every permission check', () => {
    expect(denyAllPermissions()).toBe(false);
  });
});
