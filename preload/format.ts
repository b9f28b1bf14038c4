/** The app's one count and size format (providers/api/format.ts), as the window imports it: through preload/. */
export { formatBytes, formatCount, plural } from '../providers/api/format';
