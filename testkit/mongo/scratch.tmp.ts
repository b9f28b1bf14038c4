import { MongoClient, ObjectId } from 'mongodb';
import { startMongoTestServer } from './index.js';
import { runCommand } from './commands/index.js';
const s = await startMongoTestServer();
const c = new MongoClient(s.uri);
await c.connect();
const coll = c.db('b').collection('d');
const filler = 'x'.repeat(900);
for (let i = 0; i < 100; i++) await coll.insertMany(Array.from({ length: 1000 }, (_, k) => ({ _id: new ObjectId(), i: i * 1000 + k, name: 'doc', at: new Date(), tags: ['a', 'b'], nested: { n: 1 }, filler })));
for (let rep = 0; rep < 3; rep++) {
  let t = performance.now();
  let n = 0;
  const cur = coll.find({}, { raw: true });
  for await (const d of cur) n++;
  console.log('raw read', n, Math.round(n / ((performance.now() - t) / 1000)));
}
// server-only timing: run getMore-equivalent internally
await c.close();
await s.stop();
console.log((globalThis as any).T);
