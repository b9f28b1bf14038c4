/**
 * The prompt dialog's bodies, rendered with React's server renderer (no DOM needed): what a person is asked
 * reaches the page, a destructive confirmation defaults to Cancel and says so in red, and a pick item that
 * cannot be chosen says why and is marked disabled for assistive technology.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ConfirmBody } from './ConfirmBody';
import { PickBody } from './PickBody';
import type { Of } from './types';

const base = { jobId: 'j1', promptId: 'p1', title: 'Drop the target?' };
const noop = () => undefined;

describe('prompt bodies', () => {
  it('a destructive confirmation puts the focus on Cancel and draws the answer as dangerous', () => {
    const prompt: Of<'confirm'> = {
      ...base,
      kind: 'confirm',
      message: 'shop.orders holds 12 documents.',
      detail: 'They will be deleted.',
      confirmLabel: 'Drop and copy',
      destructive: true,
    };
    const html = renderToStaticMarkup(createElement(ConfirmBody, { prompt, busy: false, answer: noop, dismiss: noop }));
    expect(html).toContain('shop.orders holds 12 documents.');
    expect(html).toContain('They will be deleted.');
    expect(html).toMatch(/<button[^>]*data-autofocus="true"[^>]*>Cancel<\/button>/);
    expect(html).toMatch(/<button[^>]*class="button button-danger"[^>]*>Drop and copy<\/button>/);
  });

  it('an ordinary confirmation focuses its answer, and both buttons wait while an answer is on its way', () => {
    const prompt: Of<'confirm'> = { ...base, kind: 'confirm', message: 'Start the copy?' };
    const html = renderToStaticMarkup(createElement(ConfirmBody, { prompt, busy: true, answer: noop, dismiss: noop }));
    expect(html).toMatch(
      /<button[^>]*class="button button-primary"[^>]*disabled=""[^>]*data-autofocus="true"[^>]*>Confirm<\/button>/,
    );
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Cancel<\/button>/);
  });

  it('a pick item that cannot be chosen says why, is aria-disabled, and the first choosable item has the focus', () => {
    const prompt: Of<'pick'> = {
      ...base,
      kind: 'pick',
      placeholder: 'Which action?',
      items: [
        { id: 'a', label: 'Copy the database', disabledReason: 'Connect a target first.' },
        { id: 'b', label: 'Copy this collection', description: 'shop.orders' },
      ],
    };
    const html = renderToStaticMarkup(createElement(PickBody, { prompt, busy: false, answer: noop, dismiss: noop }));
    const [first, second] = html.split('<li>').slice(1);
    expect(first).toContain('aria-disabled="true"');
    expect(first).toContain('Connect a target first.');
    expect(first).not.toContain('data-autofocus');
    expect(second).toContain('data-autofocus="true"');
    expect(second).toContain('shop.orders');
    expect(html).toMatch(/<ul[^>]*aria-labelledby="[^"]+"/);
  });
});
