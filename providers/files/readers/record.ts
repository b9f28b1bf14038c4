import type { Document } from 'mongodb';

/** One document read from a file, or why a row could not become one. */
export interface SourceRecord {
  /** 0-based position of the record in the file (data rows only for CSV). */
  index: number;
  /** Where it is, for people: "line 12", "element 5", "document 3 (byte 1234)". */
  where: string;
  doc?: Document;
  /** The document as BSON with an _id (from a .bson file): written as it is, never decoded. */
  raw?: Uint8Array;
  error?: string;
  /** Text size (or BSON size) of the record, for batch sizing. */
  size: number;
  /** Byte offset just after the record in the (decompressed) stream, when the reader knows it. */
  end?: number;
  /** Line number just after the record, when the reader knows it. */
  nextLine?: number;
  /**
   * `where` is built when read (a .bson record): keep the record rather than its label while its batch
   * is written. Only for records that hold nothing but bytes kept anyway (not a decoded document).
   */
  labelOnDemand?: boolean;
}
