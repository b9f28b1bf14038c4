/**
 * The mapping document: zod validation with each problem named by its place, the default mapping, names
 * checked against the schema, clashes, and cycles of embeddings refused with the relations to keep as references.
 */
import { describe, expect, it } from 'vitest';
import { defaultMapping, MAPPING_FORMAT, parseMapping, resolveMapping, type MappingDocument } from './mapping';
import type { DatabaseSchema, Table } from './schema';

function table(
  name: string,
  columns: string[],
  primaryKey: string[],
  fks: Array<[string, string[], string, string[]]> = [],
): Table {
  return {
    id: `s.${name}`,
    schema: 's',
    name,
    columns: columns.map((c) => ({ name: c, sqlType: 'integer', kind: 'int32', nullable: true })),
    primaryKey,
    uniques: [],
    indexes: [],
    foreignKeys: fks.map(([fkName, cols, ref, refCols]) => ({
      id: `s.${name}:${fkName}`,
      name: fkName,
      table: `s.${name}`,
      columns: cols,
      refTable: `s.${ref}`,
      refColumns: refCols,
    })),
  };
}

const schema: DatabaseSchema = {
  dialect: 'postgres',
  serverVersion: 'PostgreSQL 15',
  mariadb: false,
  tables: [
    table(
      'employees',
      ['id', 'manager_id', 'dept_id'],
      ['id'],
      [
        ['manager_fk', ['manager_id'], 'employees', ['id']],
        ['dept_fk', ['dept_id'], 'depts', ['id']],
      ],
    ),
    table('depts', ['id', 'head_id'], ['id'], [['head_fk', ['head_id'], 'employees', ['id']]]),
    table('pairs', ['a', 'b', 'v'], ['a', 'b']),
  ],
};

const doc = (extra: Partial<MappingDocument>): MappingDocument => ({ format: MAPPING_FORMAT, version: 1, ...extra });

describe('the mapping document', () => {
  it('validates with zod and names each problem', () => {
    expect(() =>
      parseMapping(
        '{"format":"cutover-relational-mapping","version":1,"tables":{"s.x":{"collection":""}},"relations":{"r":{"kind":"nest"}}}',
        'm.json',
      ),
    ).toThrow(/m\.json is not a valid mapping: tables\.s\.x\.collection: .*; relations\.r\.kind: /);
    expect(() => parseMapping('{"format":"cutover-relational-mapping","version":2}', 'm.json')).toThrow(
      'm.json: version 2 is not supported (this Cutover reads version 1).',
    );
    expect(() => parseMapping('{oops', 'm.json')).toThrow(/m\.json: not valid JSON/);
    expect(() => parseMapping({ format: MAPPING_FORMAT, version: 1, extra: true })).toThrow(
      /\(top\): Unrecognized key/,
    );
    expect(parseMapping(JSON.stringify(defaultMapping(schema)))).toEqual(defaultMapping(schema));
  });

  it('maps a collection per table with _id from the key (a sub-document for a composite key)', () => {
    const resolved = resolveMapping(schema, defaultMapping(schema));
    expect(resolved.errors).toEqual([]);
    expect(
      resolved.collections.map((c) => [c.name, c.idFields.map((f) => f.name), c.root.fields.map((f) => f.name)]),
    ).toEqual([
      ['employees', ['id'], ['manager_id', 'dept_id']],
      ['depts', ['id'], ['head_id']],
      ['pairs', ['a', 'b'], ['v']],
    ]);
    expect(resolved.foreignKeyCycles).toEqual(['s.employees → s.employees', 's.employees → s.depts → s.employees']);
  });

  it('names unknown tables, columns, relations and clashing names', () => {
    const resolved = resolveMapping(
      schema,
      doc({
        tables: {
          's.nope': {},
          's.pairs': { fields: { zz: {}, v: { name: 'w' } }, collection: 'depts' },
          's.depts': { fields: { head_id: { name: 'id' } } },
        },
        relations: { 's.pairs:none': { kind: 'children' }, 's.employees:dept_fk': { kind: 'merge' } },
      }),
    );
    expect(resolved.errors).toEqual([
      'tables.s.nope: there is no table s.nope in the source.',
      'tables.s.pairs.fields.zz: table s.pairs has no column zz.',
      'relations.s.pairs:none: there is no foreign key s.pairs:none in the source (ids are "<schema>.<table>:<constraint>").',
      'collection employees: field "id" comes from both column s.depts.id and column s.depts.head_id; rename one (fields.name, or the relation\'s field / prefix).',
      'tables.s.pairs: collection "depts" is also the collection of s.depts.',
    ]);
  });

  it('refuses a cycle of embeddings and says which relation to keep as a reference', () => {
    const self = resolveMapping(
      schema,
      doc({ relations: { 's.employees:manager_fk': { kind: 'children', field: 'reports' } } }),
    );
    expect(self.errors).toEqual([
      'The embeddings form a cycle: s.employees → s.employees. Keep one of these relations as a reference: s.employees:manager_fk.',
    ]);
    expect(self.collections).toEqual([]);
    const loop = resolveMapping(
      schema,
      doc({ relations: { 's.employees:dept_fk': { kind: 'parent' }, 's.depts:head_fk': { kind: 'parent' } } }),
    );
    expect(loop.errors).toEqual([
      'The embeddings form a cycle: s.employees → s.depts → s.employees. Keep one of these relations as a reference: s.employees:dept_fk, s.depts:head_fk.',
    ]);
    // The same relations, one kept as a reference: no cycle.
    const fine = resolveMapping(
      schema,
      doc({
        relations: {
          's.employees:dept_fk': { kind: 'parent' },
          's.depts:head_fk': { kind: 'reference' },
          's.employees:manager_fk': { kind: 'reference' },
        },
      }),
    );
    expect(fine.errors).toEqual([]);
  });

  it('checks primitive arrays', () => {
    const resolved = resolveMapping(
      schema,
      doc({
        relations: {
          's.depts:head_fk': { kind: 'children', primitive: 'nope' },
          's.employees:dept_fk': { kind: 'parent', primitive: 'id' },
        },
      }),
    );
    expect(resolved.errors).toEqual(
      expect.arrayContaining([
        'relations.s.depts:head_fk: table s.depts has no column nope for the primitive array.',
        'relations.s.employees:dept_fk: "primitive" applies to kind "children" only.',
      ]),
    );
  });
});
