// A small Mainspring app: typed jobs, retries, idempotency and a worker, on the store chosen below.
// Run with `npm start` from the repository root; stop with Ctrl-C (or set DEMO_SECONDS to exit by itself).
// With handleSignals, Ctrl-C lets running jobs finish, closes the store and exits.
import { createServer } from 'node:http';
import { createMainspring, createMonitorHandler, defineJob, defineSchedule, NonRetryableError } from '@mainspring/core';
import { z } from 'zod';
import { openStore } from './store.js';

const sendEmail = defineJob({
  name: 'email.send',
  schema: z.object({ to: z.string().email(), template: z.enum(['welcome', 'digest', 'hearing-reminder']) }),
  retry: { attempts: 3, backoff: { type: 'exponential', delay: '200ms', max: '2s' } },
  timeout: '5s',
  async handler({ to, template }, ctx) {
    // Pretend the mail provider is flaky: the first attempt for some addresses fails and is retried.
    if (to.startsWith('flaky') && ctx.attempt === 1) throw new Error('mail provider timed out');
    if (to.endsWith('@blocked.example')) throw new NonRetryableError('recipient blocked');
    ctx.log(`sent ${template} to ${to}`);
    return { provider: 'demo', template };
  },
});

// A digest every five seconds in India's time zone (a real app would use '0 8 * * *'), so the demo keeps firing.
const digest = defineSchedule({
  name: 'demo-digest',
  cron: '*/5 * * * * *',
  timezone: 'Asia/Kolkata',
  job: sendEmail,
  payload: { to: 'digest@example.com', template: 'digest' },
  catchUp: 'latest',
});

const store = await openStore();
const ms = createMainspring({ store, jobs: [sendEmail], schedules: [digest] });

ms.on('job:completed', ({ job, durationMs }) => console.log(`✓ ${job.name} #${job.id} in ${durationMs}ms`, job.payload));
ms.on('job:retrying', ({ job, error, delayMs }) => console.log(`↻ ${job.name} #${job.id} retry in ${delayMs}ms: ${error.message}`));
ms.on('job:failed', ({ job, error }) => console.log(`✗ ${job.name} #${job.id} failed: ${error.message}`));
ms.on('schedule:fired', ({ schedule, fireTime }) => console.log(`⏰ ${schedule} fired for ${fireTime.toISOString()}`));

await ms.start({ concurrency: 5, handleSignals: true });

// The monitor: a JSON API plus a small page, at http://127.0.0.1:3000/ (PORT to change it).
const port = Number(process.env.PORT ?? 3000);
const server = createServer(createMonitorHandler(ms)).listen(port, '127.0.0.1');
server.on('error', (error) => console.error(`monitor not served: ${error.message}`));
console.log(`Mainspring demo on the ${store.name} store; monitor at http://127.0.0.1:${port}/ . Ctrl-C to stop.`);

const users = ['ada@example.com', 'flaky@example.com', 'grace@example.com', 'mallory@blocked.example'];
for (const to of users) {
  const { id, deduplicated } = await ms.enqueue(sendEmail, { to, template: 'welcome' }, { key: `welcome:${to}` });
  console.log(`enqueued welcome for ${to}: #${id}${deduplicated ? ' (deduplicated)' : ''}`);
}
// The same key again: returns the existing job instead of sending twice.
const again = await ms.enqueue(sendEmail, { to: 'ada@example.com', template: 'welcome' }, { key: 'welcome:ada@example.com' });
console.log(`enqueued welcome for ada again: #${again.id} deduplicated=${again.deduplicated}`);

const seconds = Number(process.env.DEMO_SECONDS ?? 0);
if (seconds > 0) {
  setTimeout(async () => {
    console.log('counts:', await ms.countJobs());
    server.close();
    await ms.close();
  }, seconds * 1_000);
}
