import { ConfigError } from '../../errors.js';

/**
 * The CommonJS build's stand-in for ./vitest.ts: vitest cannot be loaded with require(), so the
 * conformance suite is for ESM test files only.
 */
export function vitest(): typeof import('vitest') {
  throw new ConfigError('runStoreConformance() needs an ESM test file run by vitest; import @mainspring/core/testing with `import`');
}
