// Module resolve hooks for an isolated provider process: `@cutover/provider-api` (and its subpaths) and
// `vscode` resolve to the host's own copy of the SDK, as VS Code provides `vscode` to its extensions.
let map = {};

export function initialize(data) {
  map = data?.map ?? {};
}

export async function resolve(specifier, context, next) {
  if (Object.hasOwn(map, specifier)) return { url: map[specifier], shortCircuit: true };
  return next(specifier, context);
}
