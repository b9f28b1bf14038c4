/**
 * find/$project projections: inclusion, exclusion, computed fields, $slice, $elemMatch, positional.
 * Simple top-level projections are applied on raw bytes so values are never re-encoded.
 */
import { CommandError } from './errors.js';
import { evaluate, expressionFields, isTruthy } from './expr.js';
import { compileFilter } from './match.js';
import { isDocument, isNumber, isPlainObject, MISSING, toDouble, type Doc, type Maybe, type Value } from './values.js';

type Leaf =
  | { kind: 'include' }
  | { kind: 'exclude' }
  | { kind: 'expr'; expr: Value }
  | { kind: 'slice'; single: number | null; skip: number; limit: number }
  | { kind: 'elemMatch'; test: (v: Value) => boolean }
  | { kind: 'positional' };

interface PNode {
  children: Map<string, PNode>;
  leaf?: Leaf;
}

export interface Projection {
  /** inclusion / exclusion mode (computed fields count as inclusion) */
  mode: 'inclusion' | 'exclusion';
  /** non-null when the projection can be applied by picking top-level raw elements */
  rawKeep: ((name: string) => boolean) | null;
  /** top-level fields needed by `apply` (null = all) */
  fields: Set<string> | null;
  apply(doc: Doc, positionalIndex?: number): Doc;
}

function newNode(): PNode {
  return { children: new Map() };
}

export function compileProjection(spec: Value | undefined, mode: 'find' | 'aggregate'): Projection | null {
  if (spec === undefined || spec === null) return null;
  if (!isPlainObject(spec)) throw new CommandError(2, 'projection must be an object');
  const keys = Object.keys(spec);
  if (keys.length === 0) {
    if (mode === 'aggregate')
      throw new CommandError(
        51272,
        'Invalid $project :: caused by :: projection specification must have at least one field',
      );
    return null;
  }
  const root = newNode();
  let hasInclusion = false;
  let hasExclusion = false;
  let idSetting: boolean | undefined;
  let topOnly = true;
  for (const key of keys) {
    const v = spec[key];
    let leaf: Leaf;
    let path = key;
    if (key.endsWith('.$')) {
      if (mode !== 'find') throw new CommandError(31324, 'Cannot use positional projection in aggregation projection');
      path = key.slice(0, -2);
      leaf = { kind: 'positional' };
    } else if (typeof v === 'boolean' || isNumber(v)) {
      leaf = isTruthy(v) ? { kind: 'include' } : { kind: 'exclude' };
    } else if (isPlainObject(v) && '$slice' in v && mode === 'find') {
      const s = v.$slice;
      if (Array.isArray(s)) {
        const limit = toDouble(s[1]);
        if (!(limit > 0)) throw new CommandError(28724, 'Invalid $slice syntax: limit must be positive');
        leaf = { kind: 'slice', single: null, skip: toDouble(s[0]), limit };
      } else leaf = { kind: 'slice', single: toDouble(s), skip: 0, limit: 0 };
    } else if (isPlainObject(v) && '$elemMatch' in v && mode === 'find') {
      const f = compileFilter({ x: { $elemMatch: v.$elemMatch } });
      leaf = { kind: 'elemMatch', test: (el) => f.test({ x: [el] }) };
    } else if (isPlainObject(v) && '$meta' in v) {
      throw new CommandError(2, '$meta projections are not supported by the Cutover test server');
    } else {
      leaf = { kind: 'expr', expr: v };
    }
    if (path === '_id' && (leaf.kind === 'include' || leaf.kind === 'exclude')) {
      idSetting = leaf.kind === 'include';
    } else if (leaf.kind === 'exclude') {
      if (hasInclusion) throw new CommandError(31254, `Cannot do exclusion on field ${path} in inclusion projection`);
      hasExclusion = true;
    } else if (
      leaf.kind === 'include' ||
      leaf.kind === 'expr' ||
      leaf.kind === 'positional' ||
      leaf.kind === 'elemMatch'
    ) {
      if (hasExclusion) throw new CommandError(31253, `Cannot do inclusion on field ${path} in exclusion projection`);
      hasInclusion = true;
    }
    if (path.includes('.') || (leaf.kind !== 'include' && leaf.kind !== 'exclude')) topOnly = false;
    // insert into tree
    const parts = path.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      let child = node.children.get(parts[i]);
      if (!child) {
        child = newNode();
        node.children.set(parts[i], child);
      }
      if (child.leaf) throw new CommandError(31249, `Path collision at ${path}`);
      node = child;
    }
    const last = parts[parts.length - 1];
    if (node.children.has(last) && (node.children.get(last)!.leaf || node.children.get(last)!.children.size > 0)) {
      throw new CommandError(31250, `Path collision at ${path}`);
    }
    const n = newNode();
    n.leaf = leaf;
    node.children.set(last, n);
  }
  const projMode: 'inclusion' | 'exclusion' = hasInclusion
    ? 'inclusion'
    : hasExclusion
      ? 'exclusion'
      : idSetting === true
        ? 'inclusion'
        : 'exclusion';
  const includeId = idSetting !== false;
  if (projMode === 'inclusion' && !root.children.has('_id') && includeId) {
    const n = newNode();
    n.leaf = { kind: 'include' };
    root.children.set('_id', n);
  }
  if (root.children.get('_id')?.leaf?.kind === 'include' && !includeId) root.children.delete('_id');
  if (!includeId && projMode === 'inclusion') root.children.delete('_id');
  if (!includeId && projMode === 'exclusion') {
    const n = newNode();
    n.leaf = { kind: 'exclude' };
    root.children.set('_id', n);
  }

  let rawKeep: ((name: string) => boolean) | null = null;
  if (topOnly) {
    const names = new Set(root.children.keys());
    rawKeep = projMode === 'inclusion' ? (n) => names.has(n) : (n) => !names.has(n);
  }
  let fields: Set<string> | null = null;
  if (projMode === 'inclusion') {
    fields = new Set();
    for (const [k, n] of root.children) {
      fields.add(k);
      if (!collectExprFields(n, fields)) {
        fields = null;
        break;
      }
    }
  }
  const apply = (doc: Doc, positionalIndex?: number): Doc => {
    if (projMode === 'inclusion') return applyInclusion(root, doc, doc, positionalIndex) as Doc;
    return applyExclusion(root, doc, doc, positionalIndex) as Doc;
  };
  return { mode: projMode, rawKeep, fields, apply };
}

function collectExprFields(n: PNode, out: Set<string>): boolean {
  if (n.leaf?.kind === 'expr' && !expressionFields(n.leaf.expr, out)) return false;
  for (const c of n.children.values()) if (!collectExprFields(c, out)) return false;
  return true;
}

function applyLeafSpecial(leaf: Leaf, value: Value, positionalIndex?: number): Maybe {
  switch (leaf.kind) {
    case 'slice': {
      if (!Array.isArray(value)) return value;
      if (leaf.single !== null) {
        const n = leaf.single;
        return n >= 0 ? value.slice(0, n) : value.slice(Math.max(value.length + n, 0));
      }
      let start = leaf.skip;
      if (start < 0) start = Math.max(value.length + start, 0);
      return value.slice(start, start + leaf.limit);
    }
    case 'elemMatch': {
      if (!Array.isArray(value)) return MISSING;
      const found = value.find((el) => leaf.test(el));
      return found === undefined ? MISSING : [found];
    }
    case 'positional': {
      if (!Array.isArray(value)) return value;
      if (positionalIndex === undefined || positionalIndex >= value.length) {
        throw new CommandError(
          51246,
          "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array",
        );
      }
      return [value[positionalIndex]];
    }
    default:
      return value;
  }
}

function applyInclusion(node: PNode, value: Value, root: Doc, positionalIndex?: number): Maybe {
  if (Array.isArray(value)) {
    const out: Value[] = [];
    for (const el of value) {
      if (Array.isArray(el)) out.push(applyInclusion(node, el, root, positionalIndex) as Value);
      else if (isDocument(el)) out.push(applyInclusion(node, el, root, positionalIndex) as Value);
    }
    return out;
  }
  if (!isDocument(value)) return MISSING;
  const src = value as Doc;
  const out: Doc = {};
  // included fields in document order
  for (const [k, v] of Object.entries(src)) {
    const child = node.children.get(k);
    if (!child) continue;
    const leaf = child.leaf;
    if (!leaf) {
      const r = applyInclusion(child, v, root, positionalIndex);
      if (r !== MISSING && (isDocument(v) || Array.isArray(v))) out[k] = r as Value;
    } else if (leaf.kind === 'include') out[k] = v;
    else if (leaf.kind === 'slice' || leaf.kind === 'elemMatch' || leaf.kind === 'positional') {
      const r = applyLeafSpecial(leaf, v, positionalIndex);
      if (r !== MISSING) out[k] = r as Value;
    }
  }
  // computed fields in projection order
  for (const [k, child] of node.children) {
    if (child.leaf?.kind === 'expr') {
      const r = evaluate(child.leaf.expr, { root, vars: new Map() });
      if (r !== MISSING) out[k] = r as Value;
    } else if (!child.leaf && !(k in src) && hasExpr(child)) {
      const r = applyInclusion(child, {}, root, positionalIndex);
      if (r !== MISSING && Object.keys(r as Doc).length > 0) out[k] = r as Value;
    }
  }
  return out;
}

function hasExpr(n: PNode): boolean {
  if (n.leaf?.kind === 'expr') return true;
  for (const c of n.children.values()) if (hasExpr(c)) return true;
  return false;
}

function applyExclusion(node: PNode, value: Value, root: Doc, positionalIndex?: number): Maybe {
  if (Array.isArray(value))
    return value.map((el) =>
      isDocument(el) || Array.isArray(el) ? (applyExclusion(node, el, root, positionalIndex) as Value) : el,
    );
  if (!isDocument(value)) return value;
  const out: Doc = {};
  for (const [k, v] of Object.entries(value as Doc)) {
    const child = node.children.get(k);
    if (!child) {
      out[k] = v;
      continue;
    }
    const leaf = child.leaf;
    if (!leaf) out[k] = applyExclusion(child, v, root, positionalIndex) as Value;
    else if (leaf.kind === 'exclude') continue;
    else {
      const r = applyLeafSpecial(leaf, v, positionalIndex);
      if (r !== MISSING) out[k] = r as Value;
    }
  }
  return out;
}
