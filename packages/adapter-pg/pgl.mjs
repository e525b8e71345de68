const t0 = performance.now();
const { PGlite } = await import('@electric-sql/pglite');
const t1 = performance.now();
const db = new PGlite(process.argv[2] ?? 'memory://');
await db.waitReady;
const t2 = performance.now();
await db.query('select 1');
console.log('import', (t1-t0).toFixed(0), 'ready', (t2-t1).toFixed(0), 'rss', (process.memoryUsage.rss()/1048576).toFixed(0));
await db.close();
