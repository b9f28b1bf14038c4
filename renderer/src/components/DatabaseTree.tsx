/**
 * Databases and their collections as an ARIA tree (role=tree/treeitem/group) with a roving tabindex:
 * Up/Down move, Right expands or enters, Left collapses or goes to the parent, Home/End,
 * Enter/Space select. Selecting a database or a collection sets the migration context.
 */
import { Fragment, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DatabaseInfo } from '../../../preload/contract';
import { formatBytes, plural } from '../format';
import { Icon } from './Icon';

export interface TreeSelection {
  databaseName?: string;
  collectionName?: string;
}

interface Node {
  key: string;
  databaseName: string;
  collectionName?: string;
  parentKey?: string;
}

const dbKey = (db: string) => `d\u0000${db}`;
const collKey = (db: string, coll: string) => `c\u0000${db}\u0000${coll}`;

export interface DatabaseTreeProps {
  label: string;
  databases: DatabaseInfo[];
  selection: TreeSelection;
  onSelect(selection: TreeSelection): void;
}

export function DatabaseTree({ label, databases, selection, onSelect }: DatabaseTreeProps) {
  const [expanded, setExpanded] = useState<Set<string>>(() => {
    const open = new Set<string>();
    if (databases.length <= 3) databases.forEach((db) => open.add(db.name));
    if (selection.databaseName) open.add(selection.databaseName);
    return open;
  });
  const selectedKey = selection.databaseName
    ? selection.collectionName
      ? collKey(selection.databaseName, selection.collectionName)
      : dbKey(selection.databaseName)
    : undefined;
  const [focusKey, setFocusKey] = useState<string | undefined>(selectedKey);
  const items = useRef(new Map<string, HTMLElement>());

  const visible = useMemo(() => {
    const nodes: Node[] = [];
    for (const db of databases) {
      nodes.push({ key: dbKey(db.name), databaseName: db.name });
      if (expanded.has(db.name))
        for (const coll of db.collections)
          nodes.push({
            key: collKey(db.name, coll.name),
            databaseName: db.name,
            collectionName: coll.name,
            parentKey: dbKey(db.name),
          });
    }
    return nodes;
  }, [databases, expanded]);

  const tabStop = visible.some((n) => n.key === focusKey)
    ? focusKey
    : visible.some((n) => n.key === selectedKey)
      ? selectedKey
      : visible[0]?.key;

  const focusNode = (key: string | undefined) => {
    if (!key) return;
    setFocusKey(key);
    items.current.get(key)?.focus();
  };
  const toggle = (databaseName: string, open?: boolean) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (open ?? !next.has(databaseName)) next.add(databaseName);
      else next.delete(databaseName);
      return next;
    });
  const choose = (node: Node) => {
    setFocusKey(node.key);
    onSelect({ databaseName: node.databaseName, collectionName: node.collectionName });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const at = visible.findIndex((n) => n.key === tabStop);
    const node = visible[at];
    if (!node) return;
    const isDb = node.collectionName === undefined;
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        focusNode(visible[Math.min(visible.length - 1, at + 1)]?.key);
        break;
      case 'ArrowUp':
        focusNode(visible[Math.max(0, at - 1)]?.key);
        break;
      case 'Home':
        focusNode(visible[0]?.key);
        break;
      case 'End':
        focusNode(visible[visible.length - 1]?.key);
        break;
      case 'ArrowRight':
        if (isDb && !expanded.has(node.databaseName)) toggle(node.databaseName, true);
        else if (isDb && visible[at + 1]?.parentKey === node.key) focusNode(visible[at + 1].key);
        break;
      case 'ArrowLeft':
        if (isDb && expanded.has(node.databaseName)) toggle(node.databaseName, false);
        else if (!isDb) focusNode(node.parentKey);
        break;
      case 'Enter':
      case ' ':
        choose(node);
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  const register = (key: string) => (el: HTMLElement | null) => {
    if (el) items.current.set(key, el);
    else items.current.delete(key);
  };

  return (
    <ul className="tree" role="tree" aria-label={label} onKeyDown={onKeyDown}>
      {databases.map((db) => {
        const key = dbKey(db.name);
        const open = expanded.has(db.name);
        const labelId = `tree-${encodeURIComponent(key)}`;
        // A flat tree (levels in aria-level): a database's name is exactly what its row shows.
        return (
          <Fragment key={key}>
            <li
              ref={register(key)}
              role="treeitem"
              aria-level={1}
              aria-expanded={db.collections.length ? open : undefined}
              aria-selected={selectedKey === key}
              // The name holds what the row shows (name, collections, size): label-content-name-mismatch.
              aria-labelledby={`${labelId} ${labelId}-meta`}
              tabIndex={tabStop === key ? 0 : -1}
              className="tree-item"
              onFocus={(e) => {
                if (e.target === e.currentTarget) setFocusKey(key);
              }}
            >
              <div
                className={`tree-row tree-db${selectedKey === key ? ' tree-selected' : ''}`}
                onClick={() => choose({ key, databaseName: db.name })}
              >
                <span
                  className={`tree-twisty${open ? ' tree-open' : ''}${db.collections.length ? '' : ' tree-leaf'}`}
                  aria-hidden="true"
                  onClick={(e) => {
                    e.stopPropagation();
                    if (db.collections.length) toggle(db.name);
                    setFocusKey(key);
                  }}
                >
                  <Icon name="chevron" size={14} />
                </span>
                <Icon name="database" className="tree-icon" />
                <span id={labelId} className="tree-label">
                  {db.name}
                </span>{' '}
                <span id={`${labelId}-meta`} className="tree-meta">
                  {plural(db.collections.length, 'collection')}
                  {db.sizeOnDisk !== undefined ? ` · ${formatBytes(db.sizeOnDisk)}` : ''}
                </span>
              </div>
            </li>
            {open &&
              db.collections.map((coll) => {
                const ckey = collKey(db.name, coll.name);
                const clabelId = `tree-${encodeURIComponent(ckey)}`;
                const node: Node = { key: ckey, databaseName: db.name, collectionName: coll.name, parentKey: key };
                return (
                  <li
                    key={ckey}
                    ref={register(ckey)}
                    role="treeitem"
                    aria-level={2}
                    aria-selected={selectedKey === ckey}
                    aria-labelledby={clabelId}
                    tabIndex={tabStop === ckey ? 0 : -1}
                    className="tree-item"
                    onFocus={(e) => {
                      e.stopPropagation();
                      setFocusKey(ckey);
                    }}
                  >
                    <div
                      className={`tree-row tree-coll${selectedKey === ckey ? ' tree-selected' : ''}`}
                      onClick={(e) => {
                        e.stopPropagation();
                        choose(node);
                      }}
                    >
                      <Icon
                        name={coll.type === 'view' ? 'view' : coll.type === 'timeseries' ? 'clock' : 'collection'}
                        className="tree-icon"
                      />
                      <span id={clabelId} className="tree-label">
                        {coll.name}
                      </span>
                      {coll.type !== 'collection' && <span className="tree-badge">{coll.type}</span>}
                    </div>
                  </li>
                );
              })}
          </Fragment>
        );
      })}
    </ul>
  );
}
