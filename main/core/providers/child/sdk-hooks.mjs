// Module resolve hooks for an isolated provider process: `@cutover/provider-api` (and its subpaths) and
// `vscode` resolve to the host's own copy of the SDK, as VS Code provides `vscode` to its extensions.
let map = {};

export function initialize(data) {
  map = data?.map ?? {};
}

export async function resolve(specifier, context, next) {
  // Resolved again by the next hook (tsx in development), so it loads the file as it would its own.
  if (Object.hasOwn(map, specifier)) return next(map[specifier], context);
  return next(specifier, context);
}
