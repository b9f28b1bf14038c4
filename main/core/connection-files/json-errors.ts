/** Turns a JSON.parse failure into "line L, column C: …" (or "it ends too early"). */
export function describeJsonError(text: string, error: unknown): string {
  const message = (error as Error).message ?? String(error);
  if (/end of (JSON )?input|Unterminated/i.test(message) && !/position \d+/.test(message))
    return 'it ends too early (the file is truncated)';
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return `corrupt JSON at line ${lineCol[1]}, column ${lineCol[2]}`;
  const position = /position (\d+)/.exec(message);
  if (position) {
    const at = Number(position[1]);
    if (at >= text.trimEnd().length) return 'it ends too early (the file is truncated)';
    const before = text.slice(0, at).split(/\r?\n/);
    return `corrupt JSON at line ${before.length}, column ${before[before.length - 1].length + 1}`;
  }
  // V8: Unexpected token 'X', ..."context"... is not valid JSON (10 characters of context before the token).
  const token = /^Unexpected token '(.+?)', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON/.exec(message);
  if (token) {
    const [, , cut, context] = token;
    const at = text.indexOf(context);
    if (at >= 0)
      return describeJsonError(text, new Error(`at position ${at + (cut ? 10 : context.indexOf(token[1]))}`));
  }
  return `corrupt JSON (${message.slice(0, 200)})`;
}
