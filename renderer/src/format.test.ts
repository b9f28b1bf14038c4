import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatRate, percentOf, plural } from './format';

describe('renderer formatting', () => {
  it('groups thousands', () => {
    expect(formatCount(20000)).toMatch(/^20.000$/);
    expect(formatCount(undefined)).toBe('–');
  });
  it('formats sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(1023)).toMatch(/^1.023 bytes$/);
    expect(formatBytes(1024)).toBe('1 KB');
    expect(formatBytes(3.4 * 1024 * 1024)).toMatch(/^3.4 MB$/);
    expect(formatBytes(500 * 1024 ** 3)).toBe('500 GB');
  });
  it('formats rates', () => {
    expect(formatRate(12345, 3.4 * 1024 * 1024)).toMatch(/^12.345 docs\/s · 3.4 MB\/s$/);
    expect(formatRate(0, 0)).toBe('–');
  });
  it('formats durations', () => {
    expect(formatDuration(130)).toBe('2 min 10 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(3600 + 300)).toBe('1 h 5 min');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatDuration(0.2)).toBe('under 1 s');
    expect(formatDuration(undefined)).toBe('–');
  });
  it('computes percentages', () => {
    expect(percentOf(5, 10)).toBe(50);
    expect(percentOf(5, 0)).toBeUndefined();
    expect(percentOf(20, 10)).toBe(100);
  });
  it('pluralises', () => {
    expect(plural(1, 'document')).toBe('1 document');
    expect(plural(2, 'document')).toBe('2 documents');
  });
});
