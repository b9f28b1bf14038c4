/** connectPromptly, for the built-in providers: the SDK's helper (providers/api/mongo-connect.ts). */
export { connectPromptly } from '../api/mongo-connect';
