/**
 * Dev server only (`apply: 'serve'`): the strict CSP in index.html blocks what Vite's dev server needs
 * (the React Refresh preamble is an inline script, CSS arrives as <style> elements, HMR uses a
 * WebSocket). This relaxes the CSP of the served page in development; builds keep it strict.
 */
import type { Plugin } from 'vite';

export function devCsp(): Plugin {
  return {
    name: 'cutover-dev-csp',
    apply: 'serve',
    transformIndexHtml: {
      order: 'post',
      handler: (html) =>
        html
          .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
          .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
          .replace(/connect-src ([^;"]*)/, 'connect-src $1 ws: wss: http://localhost:* http://127.0.0.1:*'),
    },
  };
}

/** The WebSocket sources the browser harness's page needs to reach its /ipc socket. */
export const HARNESS_CONNECT_SOURCES = 'ws://127.0.0.1:* ws://localhost:*';

/**
 * The browser-harness build only (renderer/vite.config.ts): its page talks to the harness over a
 * WebSocket. The Electron build (electron.vite.config.ts) does not use this, so the packaged page's
 * CSP allows no ws:// source.
 */
export function harnessCsp(): Plugin {
  return {
    name: 'cutover-harness-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace(/connect-src ([^;"]*)/, `connect-src $1 ${HARNESS_CONNECT_SOURCES}`),
    },
  };
}
