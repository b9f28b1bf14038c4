/** The Versia v0.6 protocol as this provider (and the test kit) uses it. */
export * from './reference';
export * from './schemas';
export * from './signatures';
export * from './transport';
export * from './federation-client';
