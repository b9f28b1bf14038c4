/**
 * The mapping screen's edits of the mapping document, and the cycle check that refuses an embedding which
 * would nest endlessly (the main side checks again; this is what lets the screen say so at once).
 */
import { describe, expect, it } from 'vitest';
import type { MappingSourceDto } from '../../../../preload/contract';
import { cycleIfEmbedded, parseDoc, setField, setRelation, setTable, type MappingDoc } from './mapping-model';

const fk = (table: string, name: string, refTable: string) => ({
  id: `${table}:${name}`,
  name,
  columns: ['x'],
  refTable,
  refColumns: ['id'],
});
const table = (id: string, foreignKeys: ReturnType<typeof fk>[] = []) => ({
  id,
  name: id.split('.')[1],
  primaryKey: ['id'],
  columns: [{ name: 'id', sqlType: 'int', type: 'int', nullable: false }],
  foreignKeys,
});
// players → teams (team), teams → players (captain), staff → staff (boss), orders → customers.
const source: MappingSourceDto = {
  dialect: 'postgres',
  tables: [
    table('s.players', [fk('s.players', 'team', 's.teams')]),
    table('s.teams', [fk('s.teams', 'captain', 's.players')]),
    table('s.staff', [fk('s.staff', 'boss', 's.staff')]),
    table('s.orders', [fk('s.orders', 'customer', 's.customers')]),
    table('s.customers'),
  ],
  types: ['string'],
  cycles: [],
};
const empty: MappingDoc = { format: 'cutover-relational-mapping', version: 1 };

describe('mapping screen model', () => {
  it('refuses an embedding that closes a cycle, and only that', () => {
    expect(cycleIfEmbedded(source, empty, 's.staff:boss', 'children')).toBe('staff → staff');
    expect(cycleIfEmbedded(source, empty, 's.staff:boss', 'reference')).toBeUndefined();
    expect(cycleIfEmbedded(source, empty, 's.players:team', 'parent')).toBeUndefined();
    const teamInPlayer = setRelation(empty, 's.players:team', {
      kind: 'parent',
    });
    // players embed their team; the team embedding its captain (a player) would close players → teams → players.
    expect(cycleIfEmbedded(source, teamInPlayer, 's.teams:captain', 'parent')).toBe('teams → players → teams');
    expect(cycleIfEmbedded(source, teamInPlayer, 's.teams:captain', 'merge')).toBe('teams → players → teams');
    // Players as an array in their team, and the captain as a sub-document of the team: teams → players and teams → players, no loop.
    const playersInTeam = setRelation(empty, 's.players:team', {
      kind: 'children',
    });
    expect(cycleIfEmbedded(source, playersInTeam, 's.teams:captain', 'parent')).toBeUndefined();
    expect(cycleIfEmbedded(source, playersInTeam, 's.teams:captain', 'children')).toBe('players → teams → players');
    expect(cycleIfEmbedded(source, empty, 's.orders:customer', 'children')).toBeUndefined();
  });

  it('keeps the document minimal: a reference, default names and types leave no rule behind', () => {
    let doc = setRelation(empty, 's.players:team', {
      kind: 'children',
      field: 'roster',
      prefix: 'p_',
      primitive: 'id',
    });
    expect(doc.relations).toEqual({
      's.players:team': { kind: 'children', field: 'roster', primitive: 'id' },
    });
    doc = setRelation(doc, 's.players:team', {
      kind: 'merge',
      field: 'roster',
      prefix: 'p_',
    });
    expect(doc.relations).toEqual({
      's.players:team': { kind: 'merge', prefix: 'p_' },
    });
    doc = setRelation(doc, 's.players:team', { kind: 'reference' });
    expect(doc.relations).toEqual({});
    doc = setField(doc, 's.teams', 'name', {
      name: 'teamName',
      nulls: 'omit',
      include: false,
    });
    expect(doc.tables?.['s.teams'].fields).toEqual({
      name: { include: false, name: 'teamName', nulls: 'omit' },
    });
    doc = setField(doc, 's.teams', 'name', {
      name: '',
      nulls: 'null',
      include: true,
    });
    expect(doc.tables?.['s.teams'].fields).toEqual({});
    doc = setTable(doc, 's.teams', { collection: '' });
    expect(doc.tables?.['s.teams']).toEqual({ fields: {} });
  });

  it('starts from the prompt’s mapping, or an empty one the main side will explain', () => {
    expect(parseDoc('{"format":"cutover-relational-mapping","version":1,"nulls":"omit"}')).toMatchObject({
      nulls: 'omit',
    });
    expect(parseDoc('[1]')).toEqual(empty);
    expect(parseDoc('{oops')).toEqual(empty);
  });
});
