/**
 * The benchmarks' documents: about N BSON bytes each, of mixed types (ObjectId, strings, Int32, Double,
 * dates, a nested object, arrays, free text as padding), from a seeded PRNG so runs are comparable.
 */
import { BSON, Double, Int32, ObjectId, type Document } from 'mongodb';

const WORDS = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  'golf',
  'hotel',
  'india',
  'juliet',
  'kilo',
  'lima',
  'mike',
  'november',
  'oscar',
  'papa',
];
const CITIES = ['Lyon', 'Berlin', 'Osaka', 'Lima', 'Nairobi', 'Oslo', 'Quito', 'Perth'];

/** Small deterministic PRNG, so runs are comparable. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds documents of about `docBytes` BSON bytes: ObjectId _id, strings, ints, doubles, dates, a nested object, arrays, and free text as padding. */
export class DocumentFactory {
  private readonly random = mulberry32(42);
  private readonly text: string;

  constructor(private readonly docBytes: number) {
    const words: string[] = [];
    let length = 0;
    while (length < docBytes * 4) {
      const word = WORDS[Math.floor(this.random() * WORDS.length)];
      words.push(word);
      length += word.length + 1;
    }
    this.text = words.join(' ');
  }

  make(i: number): Document {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(this.random() * items.length)];
    const doc: Document = {
      _id: new ObjectId(),
      seq: new Int32(i),
      name: `${pick(WORDS)} ${pick(WORDS)} #${i}`,
      email: `user${i}@example.org`,
      active: i % 3 !== 0,
      score: new Double(this.random() * 1000),
      visits: new Int32(Math.floor(this.random() * 10_000)),
      createdAt: new Date(1_700_000_000_000 + i * 1000),
      address: {
        city: pick(CITIES),
        zip: String(10_000 + (i % 90_000)),
        geo: { lat: new Double(this.random() * 180 - 90), lng: new Double(this.random() * 360 - 180) },
      },
      tags: [pick(WORDS), pick(WORDS), pick(WORDS)],
      history: [new Int32(i % 7), new Double(this.random()), new Date(1_600_000_000_000 + i)],
      notes: '',
    };
    // ASCII: each character adds exactly one byte to the string (and so to the document).
    const padding = Math.max(0, this.docBytes - BSON.calculateObjectSize(doc));
    const start = Math.floor(this.random() * (this.text.length - padding));
    doc.notes = this.text.slice(start, start + padding);
    return doc;
  }
}
