import type { Driver, Variant } from './types.js';

/** Every target the harness knows, in report order: Mainspring's stores first, then the peers. */
export const TARGET_IDS = [
  'mainspring-pg:tuned',
  'mainspring-redis:tuned',
  'mainspring-embedded:tuned',
  'graphile-worker:tuned',
  'pg-boss:tuned',
  'bullmq:tuned',
  'mainspring-pg:defaults',
  'mainspring-redis:defaults',
  'mainspring-embedded:defaults',
  'graphile-worker:defaults',
  'pg-boss:defaults',
  'bullmq:defaults',
] as const;

/**
 * Loads one driver. Imports are lazy so a process only loads the library it measures
 * (keeping a worker's RSS its own library's) and a broken library fails only its own rows.
 */
export async function loadDriver(id: string): Promise<Driver> {
  const [name, variant] = id.split(':') as [string, Variant];
  if (variant !== 'tuned' && variant !== 'defaults') throw new Error(`unknown variant in ${id}`);
  switch (name) {
    case 'bullmq':
      return (await import('./bullmq.js')).bullmqDriver(variant);
    case 'pg-boss':
      return (await import('./pgboss.js')).pgBossDriver(variant);
    case 'graphile-worker':
      return (await import('./graphile.js')).graphileDriver(variant);
    case 'mainspring-pg':
      return (await import('./mainspring.js')).mainspringDriver('postgres', variant);
    case 'mainspring-redis':
      return (await import('./mainspring.js')).mainspringDriver('redis', variant);
    case 'mainspring-embedded':
      return (await import('./mainspring.js')).mainspringDriver('embedded', variant);
    default:
      throw new Error(`unknown target ${id}`);
  }
}
