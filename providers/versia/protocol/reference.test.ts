/** References (`domain:id`): normalised, and what is wrong with a bad one named. */
import { describe, expect, it } from 'vitest';
import { normaliseReference, parseReference } from './index';

describe('references', () => {
  it('normalises domain:id and bare ids, with ports and bracketed IPv6', () => {
    expect(normaliseReference('Old.Test:abc-1')).toBe('old.test:abc-1');
    expect(normaliseReference('abc', 'old.test')).toBe('old.test:abc');
    expect(normaliseReference('127.0.0.1:8080:abc')).toBe('127.0.0.1:8080:abc');
    expect(parseReference('[2001:DB8::1]:abc')).toEqual({ domain: '[2001:db8::1]', id: 'abc' });
    expect(parseReference('[::1]:8443:x_y')).toEqual({ domain: '[::1]:8443', id: 'x_y' });
  });

  it('names what is wrong', () => {
    expect(() => parseReference('abc')).toThrow(/names no instance/);
    expect(() => parseReference('2001:db8::1:abc')).toThrow(/IPv6 addresses in brackets/);
    expect(() => parseReference('old.test:a b')).toThrow(/the id "a b"/);
    expect(() => parseReference('old.test:99999:abc')).toThrow(/port "99999"/);
    expect(() => parseReference('[::1:abc')).toThrow(/closed with "\]"/);
    expect(() => parseReference('')).toThrow(/empty/);
  });
});
