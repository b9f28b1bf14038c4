/**
 * From a CSV header to documents: dotted headers ("address.city") build nested documents, each
 * column has a type, empty cells are dropped on request, and cells missing at the end of a short row are
 * left out.
 */
import type { Document } from 'mongodb';
import { convertCell, type CsvType } from './csv-types';

export interface Column {
  name: string;
  path: string[];
  type: CsvType;
}

/** Checks the header (duplicates, a column that is both a value and a parent) and plans the columns. */
export function planColumns(header: string[], types: Record<string, CsvType>, where: string): Column[] {
  const seen = new Set<string>();
  const columns = header.map((raw, i) => {
    const name = raw.trim() || `field${i + 1}`;
    if (seen.has(name)) throw new Error(`${where}: the header names the column "${name}" twice; rename one of them.`);
    seen.add(name);
    return { name, path: name.split('.'), type: types[name] ?? 'string' };
  });
  for (const c of columns) {
    if (c.path.some((p) => p === ''))
      throw new Error(`${where}: the column "${c.name}" has an empty part in its dotted name.`);
    for (let depth = 1; depth < c.path.length; depth++) {
      const parent = c.path.slice(0, depth).join('.');
      if (seen.has(parent))
        throw new Error(
          `${where}: the columns "${parent}" and "${c.name}" conflict: "${parent}" cannot be both a value and a nested document.`,
        );
    }
  }
  return columns;
}

/** Builds one document from a row; throws with the column named when a cell does not fit its type. */
export function rowToDocument(cells: string[], columns: Column[], ignoreEmpty: boolean): Document {
  const doc: Document = {};
  // A row with fewer cells than the header (trailing cells left off) leaves those fields out, as mongoimport does.
  for (let i = 0; i < Math.min(columns.length, cells.length); i++) {
    const column = columns[i];
    const text = cells[i];
    let value: unknown;
    if (text === '') {
      if (ignoreEmpty) continue;
      value = column.type === 'string' ? '' : null;
    } else {
      try {
        value = convertCell(text, column.type);
      } catch (error) {
        throw new Error(`column "${column.name}" (${column.type}): ${(error as Error).message}`);
      }
    }
    if (column.path.length === 1) {
      doc[column.name] = value;
      continue;
    }
    let node = doc;
    for (let d = 0; d < column.path.length - 1; d++) {
      const key = column.path[d];
      node = (node[key] ??= {}) as Document;
    }
    node[column.path[column.path.length - 1]] = value;
  }
  return doc;
}
