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
