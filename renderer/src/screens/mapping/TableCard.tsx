/**
 * One table on the mapping screen: include it, its collection's name, its foreign keys (per key: reference,
 * embed the children as an array, embed the parent as a sub-document, merge the parent's fields; the array's
 * field or the merge prefix; a primitive array of one column), and on demand its fields (include, rename,
 * BSON type, nulls). An embedding that would close a cycle is refused here, with the reason.
 */
import { useId, useState } from 'react';
import type { MappingSourceDto } from '../../../../preload/contract';
import {
  cycleIfEmbedded,
  fieldRule,
  KINDS,
  kindLabel,
  relationRule,
  setField,
  setRelation,
  setTable,
  tableRule,
  type Kind,
  type MappingDoc,
  type SourceTable,
} from './mapping-model';

interface Props {
  source: MappingSourceDto;
  table: SourceTable;
  doc: MappingDoc;
  disabled: boolean;
  onChange(doc: MappingDoc): void;
}

export function TableCard({ source, table, doc, disabled, onChange }: Props) {
  const id = useId();
  const [showFields, setShowFields] = useState(false);
  const rule = tableRule(doc, table.id);
  const included = rule.include !== false;
  const rows = table.rows === undefined ? '' : ` · about ${table.rows.toLocaleString('en-US')} rows`;
  return (
    <li className="mapping-table">
      <div className="mapping-table-head">
        <div className="field field-checkbox">
          <input
            id={`${id}-include`}
            type="checkbox"
            checked={included}
            disabled={disabled}
            onChange={(e) => onChange(setTable(doc, table.id, { include: e.target.checked }))}
          />
          <label htmlFor={`${id}-include`}>Table {table.id}</label>
        </div>
        <p className="mapping-muted">
          {table.primaryKey.length
            ? `_id from ${table.primaryKey.join(', ')}`
            : 'No primary key: _id from the row’s content'}
          {rows}
        </p>
        <div className="field mapping-inline-field">
          <label htmlFor={`${id}-collection`}>Collection for {table.id}</label>
          <input
            id={`${id}-collection`}
            className="input"
            value={rule.collection ?? ''}
            placeholder={table.name}
            disabled={disabled || !included}
            spellCheck={false}
            onChange={(e) => onChange(setTable(doc, table.id, { collection: e.target.value }))}
          />
        </div>
      </div>
      {table.foreignKeys.length > 0 && (
        <ul className="mapping-relations" aria-label={`Foreign keys of ${table.id}`}>
          {table.foreignKeys.map((fk) => (
            <Relation
              key={fk.id}
              source={source}
              fk={{ ...fk, table: table.id }}
              columns={table.columns.map((c) => c.name)}
              doc={doc}
              disabled={disabled}
              onChange={onChange}
            />
          ))}
        </ul>
      )}
      <button
        type="button"
        className="button mapping-fields-toggle"
        aria-expanded={showFields}
        aria-controls={`${id}-fields`}
        onClick={() => setShowFields((v) => !v)}
      >
        {showFields ? 'Hide the fields' : 'Fields'} of {table.name}
      </button>
      {showFields && (
        <div id={`${id}-fields`} className="mapping-fields-wrap">
          <table className="mapping-fields">
            <caption className="visually-hidden">Fields of {table.id}</caption>
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Include</th>
                <th scope="col">Field name</th>
                <th scope="col">BSON type</th>
                <th scope="col">A null is</th>
              </tr>
            </thead>
            <tbody>
              {table.columns.map((column) => {
                const f = fieldRule(doc, table.id, column.name);
                const set = (change: Parameters<typeof setField>[3]) =>
                  onChange(setField(doc, table.id, column.name, change));
                return (
                  <tr key={column.name}>
                    <th scope="row">
                      {column.name}{' '}
                      <span className="mapping-muted">
                        {column.sqlType}
                        {table.primaryKey.includes(column.name) ? ', part of _id' : ''}
                      </span>
                    </th>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Include ${column.name}`}
                        checked={f.include !== false}
                        disabled={disabled}
                        onChange={(e) => set({ include: e.target.checked })}
                      />
                    </td>
                    <td>
                      <input
                        className="input"
                        aria-label={`Field name for ${column.name}`}
                        value={f.name ?? ''}
                        placeholder={column.name}
                        disabled={disabled}
                        spellCheck={false}
                        onChange={(e) => set({ name: e.target.value })}
                      />
                    </td>
                    <td>
                      <select
                        className="input"
                        aria-label={`BSON type of ${column.name}`}
                        value={f.type ?? ''}
                        disabled={disabled}
                        onChange={(e) => set({ type: e.target.value })}
                      >
                        <option value="">{column.type} (default)</option>
                        {source.types.map((t) => (
                          <option key={t} value={t}>
                            {t}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <select
                        className="input"
                        aria-label={`A null in ${column.name} is`}
                        value={f.nulls ?? doc.nulls ?? 'null'}
                        disabled={disabled}
                        onChange={(e) => set({ nulls: e.target.value as 'null' | 'omit' })}
                      >
                        <option value="null">written as null</option>
                        <option value="omit">left out</option>
                      </select>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </li>
  );
}

function Relation({
  source,
  fk,
  columns,
  doc,
  disabled,
  onChange,
}: {
  source: MappingSourceDto;
  fk: SourceTable['foreignKeys'][number] & { table: string };
  columns: string[];
  doc: MappingDoc;
  disabled: boolean;
  onChange(doc: MappingDoc): void;
}) {
  const id = useId();
  const rule = relationRule(doc, fk.id);
  const [refused, setRefused] = useState<string>();
  const label = `${fk.table} (${fk.columns.join(', ')}) → ${fk.refTable}`;
  const choose = (kind: Kind) => {
    const cycle = cycleIfEmbedded(source, doc, fk.id, kind);
    if (cycle) {
      setRefused(
        `Not embedded: it would nest endlessly (${cycle}). Keep this relation, or another one on that cycle, as a reference.`,
      );
      return;
    }
    setRefused(undefined);
    onChange(setRelation(doc, fk.id, { ...rule, kind }));
  };
  const child = fk.table.split('.').pop()!;
  const parent = fk.refTable.split('.').pop()!;
  return (
    <li className="mapping-relation">
      <div className="field">
        <label htmlFor={`${id}-kind`}>{label}</label>
        <select
          id={`${id}-kind`}
          className="input"
          value={rule.kind}
          disabled={disabled}
          aria-describedby={refused ? `${id}-refused` : undefined}
          onChange={(e) => choose(e.target.value as Kind)}
        >
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kindLabel(kind, fk)}
            </option>
          ))}
        </select>
        {refused && (
          <p id={`${id}-refused`} className="field-error" role="alert">
            {refused}
          </p>
        )}
      </div>
      {(rule.kind === 'children' || rule.kind === 'parent') && (
        <div className="field mapping-inline-field">
          <label htmlFor={`${id}-field`}>Field name for {fk.name}</label>
          <input
            id={`${id}-field`}
            className="input"
            value={rule.field ?? ''}
            placeholder={rule.kind === 'children' ? child : parent}
            disabled={disabled}
            spellCheck={false}
            onChange={(e) => onChange(setRelation(doc, fk.id, { ...rule, field: e.target.value }))}
          />
        </div>
      )}
      {rule.kind === 'merge' && (
        <div className="field mapping-inline-field">
          <label htmlFor={`${id}-prefix`}>Prefix of the merged fields for {fk.name}</label>
          <input
            id={`${id}-prefix`}
            className="input"
            value={rule.prefix ?? ''}
            placeholder="(none)"
            disabled={disabled}
            spellCheck={false}
            onChange={(e) => onChange(setRelation(doc, fk.id, { ...rule, prefix: e.target.value }))}
          />
        </div>
      )}
      {rule.kind === 'children' && (
        <div className="field mapping-inline-field">
          <label htmlFor={`${id}-primitive`}>Array items for {fk.name}</label>
          <select
            id={`${id}-primitive`}
            className="input"
            value={rule.primitive ?? ''}
            disabled={disabled}
            onChange={(e) => onChange(setRelation(doc, fk.id, { ...rule, primitive: e.target.value }))}
          >
            <option value="">Documents (the {child} rows)</option>
            {columns.map((c) => (
              <option key={c} value={c}>
                The values of {child}.{c} (a primitive array)
              </option>
            ))}
          </select>
        </div>
      )}
    </li>
  );
}
