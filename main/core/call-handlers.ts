/**
 * What the core's call handlers are: one per call of the IPC contract, taking the validated request.
 */
import type { z } from 'zod';
import type { CallName, CallResponse, Calls } from '../../preload/contract';

export type Handlers = { [K in CallName]: (request: z.output<Calls[K]['request']>) => Promise<CallResponse<K>> };
