/**
 * The packaged page's own CSP (the <meta> in renderer/index.html, which electron-vite builds into the
 * app) allows no WebSocket: only the browser harness's build adds the sources its /ipc socket needs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { harnessCsp, HARNESS_CONNECT_SOURCES } from '../../renderer/dev-csp';
import { CONTENT_SECURITY_POLICY } from './window-options';

const html = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../renderer/index.html'), 'utf8');
const metaCsp = () => /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';

describe('the page CSP', () => {
  it('allows no ws:// source in the app page or the header Electron sends', () => {
    expect(metaCsp()).toContain("connect-src 'self'");
    expect(metaCsp()).not.toMatch(/ws:|wss:/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/ws:|wss:/);
  });

  it('adds the WebSocket sources for the harness build only', () => {
    const plugin = harnessCsp();
    expect(plugin.apply).toBe('build');
    const transform = plugin.transformIndexHtml as { handler: (html: string) => string };
    expect(transform.handler(html)).toContain(`connect-src 'self' ${HARNESS_CONNECT_SOURCES};`);
  });
});
