import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMainspring, createMonitorHandler, defineJob, defineSchedule, memoryStore, silentLogger, type Mainspring } from '../src/index.js';
import { drain } from '../src/testing/index.js';

const report = defineJob({ name: 'report', handler: (p: { n: number }) => {
  if (p.n < 0) throw new Error('negative');
  return p.n * 2;
}, retry: 1 });
const nightly = defineSchedule({ name: 'nightly', cron: '0 2 * * *', timezone: 'Europe/Berlin', job: report, payload: { n: 1 } });

let server: Server | null = null;
let ms: Mainspring | null = null;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(null)));
  await ms?.close();
  server = null;
});

async function serve(options: Parameters<typeof createMonitorHandler>[1] = {}) {
  ms = createMainspring({ store: memoryStore(), jobs: [report], schedules: [nightly], logger: silentLogger });
  await ms.schedules.sync();
  server = createServer(createMonitorHandler(ms, options));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${options.basePath ?? ''}`;
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(url + path, init);
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
  };
  return { ms, call };
}

describe('HTTP monitor API', () => {
  it('serves counts, jobs with attempts, and manages jobs and schedules', async () => {
    const { ms, call } = await serve({ basePath: '/jobs' });
    await ms.enqueue(report, { n: 2 }, { tenant: 'acme' });
    const bad = await ms.enqueue(report, { n: -1 });
    await drain(ms);

    const overview = await call('/api/overview');
    expect(overview.status).toBe(200);
    expect(overview.body.counts).toMatchObject({ completed: 1, failed: 1 });
    expect(overview.body.metrics).toMatchObject({ completed: 1, failed: 1 });

    const failed = await call('/api/jobs?state=failed');
    expect(failed.body.jobs.map((j: { id: string }) => j.id)).toEqual([bad.id]);
    const detail = await call(`/api/jobs/${bad.id}`);
    expect(detail.body.attempts[0]).toMatchObject({ outcome: 'failed', error: { message: 'negative' } });

    expect((await call(`/api/jobs/${bad.id}/retry`, { method: 'POST' })).body.job.state).toBe('pending');
    expect((await call(`/api/jobs/${bad.id}/cancel`, { method: 'POST' })).body.job.state).toBe('cancelled');
    expect((await call('/api/jobs/99999')).status).toBe(404);
    expect((await call('/api/jobs?state=bogus')).status).toBe(400);

    const schedules = await call('/api/schedules');
    expect(schedules.body.schedules[0]).toMatchObject({ name: 'nightly', timezone: 'Europe/Berlin' });
    const run = await call('/api/schedules/nightly/run', { method: 'POST' });
    const again = await call('/api/schedules/nightly/run', { method: 'POST' });
    expect(again.body).toMatchObject({ id: run.body.id, deduplicated: true });

    const page = await call('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Mainspring monitor</title>');
  });

  it('scopes everything to a tenant and can be read-only', async () => {
    const { ms, call } = await serve({ tenant: () => 'acme', readOnly: true });
    const mine = await ms.enqueue(report, { n: 1 }, { tenant: 'acme' });
    const theirs = await ms.enqueue(report, { n: 1 }, { tenant: 'globex' });
    const list = await call('/api/jobs');
    expect(list.body.jobs.map((j: { id: string }) => j.id)).toEqual([mine.id]);
    expect((await call(`/api/jobs/${theirs.id}`)).status).toBe(404);
    expect((await call('/api/overview')).body.counts.pending).toBe(1);
    expect((await call(`/api/jobs/${mine.id}/cancel`, { method: 'POST' })).status).toBe(403);
  });
});
