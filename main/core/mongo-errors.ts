/** Driver and network errors as one clear sentence: the SDK's helper (providers/api/mongo-errors.ts). */
export { describeMongoError } from '../../providers/api/mongo-errors';
