import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError, JobNotFoundError, MainspringError, ValidationError } from '../errors.js';
import type { Mainspring } from '../mainspring.js';
import { JOB_STATES, type JobState } from '../store/contract.js';
import { MONITOR_PAGE } from './page.js';

export interface MonitorOptions {
  /** Path prefix the handler is mounted at, e.g. `'/admin/jobs'`. Default `''`. */
  basePath?: string;
  /** Refuse every write (retry, cancel, run now, pause). Default false. */
  readOnly?: boolean;
  /**
   * Scope every request to one tenant (e.g. from the session): jobs of other tenants are invisible
   * and cannot be changed. Return null for an unscoped (admin) view.
   */
  tenant?: (req: IncomingMessage) => string | null | Promise<string | null>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The HTTP monitor API: JSON endpoints for a jobs dashboard, plus a small built-in page. A plain
 * Node request handler, so it mounts in `http.createServer`, Express or Fastify's middie.
 *
 * - `GET  /api/overview`               counts per state, last hour's metrics, pauses and breakers
 * - `GET  /api/jobs?state&queue&name&limit&cursor` jobs newest first (`{ jobs, nextCursor }`)
 * - `GET  /api/jobs/:id`               the job and its attempt history
 * - `POST /api/jobs/:id/retry|cancel|promote`, `DELETE /api/jobs/:id`
 * - `GET  /api/schedules`, `POST /api/schedules/:name/run|enable|disable`
 * - `POST /api/queues/:name/pause|resume`
 *
 * @example
 * http.createServer(createMonitorHandler(ms, { basePath: '/jobs' })).listen(3000);
 */
export function createMonitorHandler(ms: Mainspring, options: MonitorOptions = {}): Handler {
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  return async (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://monitor.local');
    if (base && url.pathname !== base && !url.pathname.startsWith(`${base}/`)) {
      if (next) return next();
      return send(res, 404, { error: 'Not found' });
    }
    const path = url.pathname.slice(base.length) || '/';
    try {
      if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(MONITOR_PAGE.replace('__BASE__', JSON.stringify(base)));
        return;
      }
      const tenant = (await options.tenant?.(req)) ?? null;
      const result = await route(ms, req.method ?? 'GET', path, url.searchParams, tenant, options.readOnly ?? false);
      send(res, 200, result);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : error instanceof JobNotFoundError ? 404 : error instanceof ValidationError || error instanceof ConfigError ? 400 : 500;
      const message = error instanceof MainspringError || error instanceof HttpError ? error.message : 'Internal error';
      if (status === 500) ms.emit('error', error instanceof Error ? error : new Error(String(error)));
      send(res, status, { error: message });
    }
  };
}

async function route(ms: Mainspring, method: string, path: string, query: URLSearchParams, tenant: string | null, readOnly: boolean): Promise<unknown> {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const write = () => {
    if (readOnly) throw new HttpError(403, 'This monitor is read-only');
  };
  if (parts[0] !== 'api') throw new HttpError(404, 'Not found');
  const [, resource, id, action] = parts;

  if (resource === 'overview' && method === 'GET' && !id) {
    const filter = tenant ? { tenant } : {};
    const [counts, metrics, flow] = await Promise.all([ms.countJobs(filter), ms.metrics(filter), ms.flowStatus()]);
    return { counts, metrics, ...flow };
  }

  if (resource === 'jobs') {
    if (!id && method === 'GET') {
      const state = query.get('state');
      if (state && !JOB_STATES.includes(state as JobState)) throw new HttpError(400, `Unknown state "${state}"`);
      const limit = query.has('limit') ? Number(query.get('limit')) : 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpError(400, 'limit must be an integer from 1 to 1000');
      return ms.listJobs({
        state: (state as JobState) || undefined,
        queue: query.get('queue') || undefined,
        name: query.get('name') || undefined,
        tenant: tenant ?? (query.get('tenant') || undefined),
        limit,
        cursor: query.get('cursor') || null,
      });
    }
    if (!id) throw new HttpError(405, 'Method not allowed');
    const job = await ms.getJob(id);
    // A job of another tenant is reported missing, not forbidden, so ids reveal nothing.
    if (!job || (tenant !== null && job.tenant !== tenant)) throw new JobNotFoundError(id);
    if (method === 'GET' && !action) return { job, attempts: await ms.getJobAttempts(id) };
    if (method === 'DELETE' && !action) {
      write();
      await ms.removeJob(id);
      return { removed: true };
    }
    if (method === 'POST' && action) {
      write();
      if (action === 'retry') return { job: await ms.retryJob(id) };
      if (action === 'cancel') return { job: await ms.cancelJob(id) };
      if (action === 'promote') return { job: await ms.promoteJob(id) };
    }
    throw new HttpError(404, 'Not found');
  }

  if (resource === 'schedules') {
    const visible = (s: { tenant: string | null }) => tenant === null || s.tenant === tenant;
    if (!id && method === 'GET') return { schedules: (await ms.schedules.list()).filter(visible) };
    const schedule = id ? await ms.schedules.get(id) : null;
    if (!schedule || !visible(schedule)) throw new HttpError(404, `No schedule named "${id}"`);
    if (method === 'GET' && !action) return { schedule };
    if (method === 'POST') {
      write();
      if (action === 'run') return ms.schedules.runNow(id!);
      if (action === 'enable') return { schedule: await ms.schedules.enable(id!) };
      if (action === 'disable') return { schedule: await ms.schedules.disable(id!) };
    }
    throw new HttpError(404, 'Not found');
  }

  if (resource === 'queues' && id && method === 'POST') {
    write();
    if (tenant !== null) throw new HttpError(403, 'Queues are shared by every tenant; only an unscoped monitor can pause them');
    if (action === 'pause') return (await ms.pauseQueue(id), { paused: true });
    if (action === 'resume') return (await ms.resumeQueue(id), { paused: false });
  }
  throw new HttpError(404, 'Not found');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
