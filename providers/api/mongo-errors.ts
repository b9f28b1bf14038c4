/**
 * SDK helper: turns driver and network errors into one clear sentence naming the server and what to do.
 * The host (main/core/mongo-errors.ts) uses this same module.
 */
export function describeMongoError(error: unknown, where: string): string {
  const e = error as { message?: string; code?: number | string; cause?: unknown; reason?: unknown };
  const text = collectMessages(error).join(' | ');
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(text))
    return `Could not find the host of ${where}: the name does not resolve (check the host name).`;
  if (/ECONNREFUSED/i.test(text))
    return `Could not reach ${where}: the connection was refused (is the server running and the port right?).`;
  if (/certificate|self[- ]signed|SSL|TLS|EPROTO/i.test(text))
    return `TLS handshake with ${where} failed: ${firstLine(text)}`;
  if (e.code === 18 || /Authentication failed|AuthenticationFailed/i.test(text))
    return `The server at ${where} rejected the user name or password.`;
  if (e.code === 13 || /requires authentication|Unauthorized/i.test(text))
    return `The server at ${where} requires a user name and password (add them to the connection string).`;
  if (
    /Server selection timed out|timed out|ETIMEDOUT/i.test(text) ||
    (e as { name?: string }).name === 'MongoServerSelectionError'
  )
    return `Timed out connecting to ${where}: no server answered (check the host, port and firewall).`;
  return `${where}: ${firstLine(e.message ?? String(error))}`;
}

function collectMessages(error: unknown, depth = 0): string[] {
  if (!error || depth > 4) return [];
  const e = error as {
    message?: string;
    code?: unknown;
    cause?: unknown;
    reason?: { servers?: Map<string, { error?: unknown }> };
  };
  const out = [String(e.message ?? ''), String(e.code ?? '')];
  if (e.cause) out.push(...collectMessages(e.cause, depth + 1));
  const servers = e.reason?.servers;
  if (servers instanceof Map) for (const s of servers.values()) out.push(...collectMessages(s.error, depth + 1));
  return out;
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}
