import { BSON, ObjectId } from 'bson';
import { prepareForInsert, validateDocument } from './rawbson.js';
import { Collection } from './storage.js';
const filler = 'x'.repeat(900);
const docs = Array.from({ length: 1000 }, (_, i) => BSON.serialize({ _id: new ObjectId(), i, name: `doc-${i}`, at: new Date(), tags: ['a', 'b', 'c'], nested: { n: i % 97, ok: true }, filler }) as Buffer);
for (let rep = 0; rep < 5; rep++) {
  const coll = new Collection('a', 'b');
  let t = performance.now();
  for (let k = 0; k < 50; k++) for (const d of docs) validateDocument(d, 0, d.length);
  const tv = (performance.now() - t) / 50000;
  t = performance.now();
  for (let k = 0; k < 50; k++) for (const d of docs) prepareForInsert(d);
  const tp = (performance.now() - t) / 50000;
  t = performance.now();
  for (let k = 0; k < 50; k++) { const c = new Collection('a','b'); for (const d of docs) { const p = prepareForInsert(d); c.insert(p.idKey, p.bytes, null); } }
  const ti = (performance.now() - t) / 50000;
  console.log(`validate ${(tv*1000).toFixed(2)}us prepare ${(tp*1000).toFixed(2)}us insert ${(ti*1000).toFixed(2)}us`);
}
