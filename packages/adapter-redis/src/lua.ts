// The Lua scripts in lua/, embedded as text by scripts/embed-lua.mjs so that src (tests, tsx) and
// dist (published, bundled apps) run the very same files without reading the disk at run time.
export { INCLUDES, SOURCES } from './lua.generated.js';
import type { SOURCES } from './lua.generated.js';

export type ScriptName = keyof typeof SOURCES;
