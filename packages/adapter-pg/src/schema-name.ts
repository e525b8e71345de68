import { ConfigError } from '@mainspring/core';

// Unquoted-identifier shape only: the name is interpolated into SQL, so anything else is refused.
const VALID = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Checks a schema name and returns it double-quoted for use in SQL.
 * @example quoteSchema('mainspring') // '"mainspring"'
 */
export function quoteSchema(schema: unknown): string {
  if (typeof schema !== 'string' || !VALID.test(schema)) {
    throw new ConfigError(
      `Invalid Postgres schema name ${JSON.stringify(schema)}: use 1-63 letters, digits or underscores, not starting with a digit`,
    );
  }
  if (schema.toLowerCase().startsWith('pg_')) {
    throw new ConfigError(`Invalid Postgres schema name "${schema}": names starting with pg_ are reserved`);
  }
  return `"${schema}"`;
}
