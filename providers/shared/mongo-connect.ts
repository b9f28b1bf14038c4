/** connectPromptly and openPingedClient, for the built-in providers: the SDK's helpers (providers/api/mongo-connect.ts). */
export { connectPromptly, openPingedClient } from '../api/mongo-connect';
