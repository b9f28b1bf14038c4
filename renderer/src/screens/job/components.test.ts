/**
 * The job screen's parts and the shared controls, rendered to HTML with React's server renderer (no DOM
 * needed): the result names what the provider said finished, a "Not ready" answer is not a success, a
 * failed job's interrupted item is not "Skipped", and an Alert offers Retry only when there is one.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ItemRows } from './ItemRows';
import { ResultPanel } from './ResultPanel';

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('job screen parts', () => {
  it('the result heading is the provider’s, else "Migration finished"', () => {
    const base = {
      state: 'succeeded' as const,
      title: 'Copy this collection: shop.orders',
      docs: 1,
      summary: 'Copied 1 document of shop.orders.',
    };
    expect(
      renderToStaticMarkup(createElement(ResultPanel, { job: { ...base, heading: 'Copy finished' }, elapsed: 3 })),
    ).toContain('<h2 id="result-heading">Copy finished</h2>');
    expect(renderToStaticMarkup(createElement(ResultPanel, { job: base, elapsed: 3 }))).toContain(
      '<h2 id="result-heading">Migration finished</h2>',
    );
    const notReady = renderToStaticMarkup(
      createElement(ResultPanel, { job: { ...base, heading: 'Check finished', attention: 'Not ready' }, elapsed: 3 }),
    );
    expect(notReady).toContain('<h2 id="result-heading">Not ready</h2>');
    expect(notReady).toContain('result-attention');
  });

  it('a failed job’s interrupted item reads "Not started", with singular counts', () => {
    const html = renderToStaticMarkup(
      createElement(ItemRows, {
        items: [{ id: 'a', label: 'shop.orders', status: 'skipped', docs: 0, totalDocs: 1 }],
        jobActive: false,
        jobState: 'failed',
      }),
    );
    expect(text(html)).toContain('Not started');
    expect(text(html)).not.toContain('Skipped');
    expect(text(html)).toContain('0 of 1 document');
  });
});

describe('shared controls', () => {
  it('Alert: a title, the message and Retry only when it can retry', () => {
    const withRetry = renderToStaticMarkup(
      createElement(Alert, { title: 'Could not read', message: 'refused', onRetry: () => undefined }),
    );
    expect(withRetry).toContain('role="alert"');
    expect(text(withRetry)).toBe('Could not read refused Retry');
    expect(renderToStaticMarkup(createElement(Alert, { title: 'Could not read' }))).not.toContain('<button');
  });
  it('Button: type="button" unless said, and the look of its variant', () => {
    expect(renderToStaticMarkup(createElement(Button, { variant: 'primary' }, 'Go'))).toBe(
      '<button type="button" class="button button-primary">Go</button>',
    );
    expect(renderToStaticMarkup(createElement(Button, { type: 'submit' }, 'Save'))).toBe(
      '<button type="submit" class="button">Save</button>',
    );
  });
});
