import { ConfigError } from '../../errors.js';

type Vitest = typeof import('vitest');

// Loaded on first use, not imported statically: importing 'vitest' outside a vitest run throws, and
// @mainspring/core/testing must stay importable from plain scripts and other test runners (drain, performJob).
let loaded: Vitest | null = null;
try {
  loaded = await import('vitest');
} catch {
  loaded = null;
}

/** The vitest API for the conformance suite; a clear error outside a vitest run. */
export function vitest(): Vitest {
  if (!loaded) throw new ConfigError('runStoreConformance() must be called from a test file run by vitest');
  return loaded;
}
