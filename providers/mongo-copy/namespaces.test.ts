import { describe, expect, it } from 'vitest';
import { compileNamespaceRules } from './namespaces';

describe('namespace filters and renames', () => {
  it('includes and excludes with wildcards', () => {
    const rules = compileNamespaceRules({ include: ['sales.*', 'crm.contacts'], exclude: ['sales.tmp_*'] });
    expect(rules.selects('sales', 'orders')).toBe(true);
    expect(rules.selects('sales', 'tmp_1')).toBe(false);
    expect(rules.selects('crm', 'contacts')).toBe(true);
    expect(rules.selects('crm', 'leads')).toBe(false);
    expect(compileNamespaceRules({}).selects('any', 'thing')).toBe(true);
    expect(compileNamespaceRules({ include: ['*.logs'] }).selects('a', 'logs')).toBe(true);
  });

  it('renames one collection or a whole database, first matching rule wins', () => {
    const rules = compileNamespaceRules({ renames: ['sales.orders->archive.orders_2024', 'sales.*->sales_copy.*'] });
    expect(rules.map('sales', 'orders')).toEqual({ db: 'archive', coll: 'orders_2024' });
    expect(rules.map('sales', 'items.sub')).toEqual({ db: 'sales_copy', coll: 'items.sub' });
    expect(rules.map('crm', 'x')).toEqual({ db: 'crm', coll: 'x' });
  });

  it('explains malformed rules', () => {
    expect(() => compileNamespaceRules({ include: ['sales'] })).toThrow(/must look like db\.collection/);
    expect(() => compileNamespaceRules({ renames: ['a.b'] })).toThrow(/must look like db\.coll->db2\.coll2/);
    expect(() => compileNamespaceRules({ renames: ['a.b->c.*'] })).toThrow(/more \*/);
  });
});
