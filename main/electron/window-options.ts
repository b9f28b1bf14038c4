/**
 * The BrowserWindow options and the page's Content-Security-Policy. Kept free of Electron at runtime
 * so a unit test can check every security setting.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Cutover',
    show: false,
    backgroundColor: '#0f172a',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  };
}

/** Only the app's own page may be shown: everything else is refused (links open outside, via the contract). */
export function isAllowedNavigation(target: string, appUrl: string): boolean {
  try {
    const to = new URL(target);
    const app = new URL(appUrl);
    return to.protocol === app.protocol && to.host === app.host && to.pathname === app.pathname;
  } catch {
    return false;
  }
}

/**
 * The page to load: the development server's address (ELECTRON_RENDERER_URL, set by electron-vite) only
 * when the app is not packaged; an installed app always loads its own files.
 */
export function rendererUrlFor(env: NodeJS.ProcessEnv, isPackaged: boolean): string | undefined {
  if (isPackaged) return undefined;
  const url = env.ELECTRON_RENDERER_URL;
  return url && /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//.test(url) ? url : undefined;
}

/** What the IPC host knows about the frame that sent a call (Electron's WebFrameMain, or none). */
export interface SenderFrame {
  url: string;
  /** The frame's parent; null for a top-level frame. */
  parent: unknown;
}

/**
 * Calls are accepted only from the app's own page in the main frame: the exact protocol, host and
 * path of the app's URL (not a prefix of it), never from a sub-frame.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, mainFrame: unknown, appUrl: string): boolean {
  if (!frame || frame !== mainFrame || frame.parent !== null) return false;
  try {
    const from = new URL(frame.url);
    const app = new URL(appUrl);
    return (
      from.protocol === app.protocol &&
      from.host === app.host &&
      from.pathname === app.pathname &&
      from.username === '' &&
      from.password === ''
    );
  } catch {
    return false;
  }
}

/** Permission checks and requests (camera, notifications, clipboard, HID…): the page gets none. */
export const denyAllPermissions = (): false => false;
