/**
 * The built-in monitor page: one self-contained HTML file over the JSON API (no build step, no
 * framework). `__BASE__` is replaced with the mount path. The React dashboard is the richer option.
 */
export const MONITOR_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mainspring monitor</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
  header { background: #1d2330; color: #fff; padding: 12px 20px; display: flex; gap: 16px; align-items: baseline; }
  main { padding: 16px 20px; display: grid; gap: 16px; }
  section { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: 12px 16px; }
  h2 { font-size: 15px; margin: 0 0 8px; }
  .counts { display: flex; gap: 12px; flex-wrap: wrap; }
  .count { border: 1px solid #dde1e7; border-radius: 6px; padding: 8px 12px; min-width: 90px; cursor: pointer; }
  .count b { display: block; font-size: 20px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eef0f3; vertical-align: top; }
  tr.job { cursor: pointer; }
  .state { border-radius: 4px; padding: 1px 6px; font-size: 12px; }
  .pending { background: #eef2ff; } .active { background: #fff4d6; } .completed { background: #e3f6e8; }
  .failed { background: #fde4e4; } .cancelled { background: #eceff3; }
  button { font: inherit; padding: 2px 8px; cursor: pointer; }
  pre { white-space: pre-wrap; background: #f6f7f9; padding: 8px; margin: 4px 0; max-height: 240px; overflow: auto; }
  .muted { color: #687083; }
</style>
</head>
<body>
<header><strong>Mainspring</strong><span class="muted" id="updated"></span></header>
<main>
  <section><h2>Jobs by state</h2><div class="counts" id="counts"></div><p class="muted" id="metrics"></p></section>
  <section><h2>Schedules</h2><table><thead><tr><th>Name</th><th>Cron</th><th>Zone</th><th>Next (local)</th><th>Last</th><th></th></tr></thead><tbody id="schedules"></tbody></table></section>
  <section><h2>Recent jobs <span class="muted" id="filter"></span></h2><table><thead><tr><th>Id</th><th>Name</th><th>State</th><th>Attempts</th><th>Tenant</th><th>Created</th><th>Error</th></tr></thead><tbody id="jobs"></tbody></table></section>
  <section id="detail" hidden></section>
</main>
<script>
const base = __BASE__;
let state = '';
const api = async (path, init) => {
  const res = await fetch(base + '/api' + path, init);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
};
const esc = (v) => String(v ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const time = (v) => (v ? new Date(v).toLocaleString() : '');
async function refresh() {
  const o = await api('/overview');
  document.getElementById('counts').innerHTML = Object.entries(o.counts)
    .map(([s, n]) => '<div class="count ' + s + '" data-state="' + s + '"><b>' + n + '</b>' + s + '</div>').join('');
  document.getElementById('metrics').textContent = 'Last hour: ' + o.metrics.completed + ' completed, ' + o.metrics.failed + ' failed' +
    (o.metrics.avgDurationMs == null ? '' : ', mean ' + Math.round(o.metrics.avgDurationMs) + ' ms') +
    (o.pauses.length ? ' · paused: ' + o.pauses.map((p) => p.scope + ' ' + p.target).join(', ') : '');
  const s = await api('/schedules');
  document.getElementById('schedules').innerHTML = s.schedules.map((x) =>
    '<tr><td>' + esc(x.name) + '</td><td><code>' + esc(x.cron) + '</code></td><td>' + esc(x.timezone) + '</td><td>' +
    esc(x.next ? x.next.local : (x.enabled ? '' : 'disabled')) + '</td><td>' + esc(x.last ? x.last.local : '') +
    '</td><td><button data-run="' + esc(x.name) + '">Run now</button></td></tr>').join('');
  const j = await api('/jobs?limit=25' + (state ? '&state=' + state : ''));
  document.getElementById('filter').textContent = state ? '(' + state + ')' : '';
  document.getElementById('jobs').innerHTML = j.jobs.map((x) =>
    '<tr class="job" data-id="' + x.id + '"><td>' + x.id + '</td><td>' + esc(x.name) + '</td><td><span class="state ' + x.state + '">' + x.state +
    '</span></td><td>' + x.attempts + '/' + x.maxAttempts + '</td><td>' + esc(x.tenant) + '</td><td>' + time(x.createdAt) + '</td><td>' + esc(x.error) + '</td></tr>').join('');
  document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
}
async function showJob(id) {
  const { job, attempts } = await api('/jobs/' + id);
  const el = document.getElementById('detail');
  el.hidden = false;
  el.innerHTML = '<h2>Job ' + job.id + ' · ' + esc(job.name) + ' <span class="state ' + job.state + '">' + job.state + '</span></h2>' +
    '<button data-act="retry" data-job="' + job.id + '">Retry</button> <button data-act="cancel" data-job="' + job.id + '">Cancel</button> ' +
    '<pre>' + esc(JSON.stringify(job.payload, null, 2)) + '</pre>' +
    attempts.map((a) => '<div><b>Attempt ' + a.attempt + '</b> ' + a.outcome + ' · ' + time(a.startedAt) + ' · ' + esc(a.workerId) +
      (a.error ? '<pre>' + esc(a.error.stack || a.error.message) + '</pre>' : '') +
      (a.logs.length ? '<pre>' + esc(a.logs.map((l) => l.message).join('\\n')) + '</pre>' : '') + '</div>').join('');
}
document.addEventListener('click', async (e) => {
  const t = e.target.closest('[data-state],[data-id],[data-run],[data-act]');
  if (!t) return;
  try {
    if (t.dataset.state) state = state === t.dataset.state ? '' : t.dataset.state;
    if (t.dataset.id) await showJob(t.dataset.id);
    if (t.dataset.run) await api('/schedules/' + encodeURIComponent(t.dataset.run) + '/run', { method: 'POST' });
    if (t.dataset.act) { await api('/jobs/' + t.dataset.job + '/' + t.dataset.act, { method: 'POST' }); await showJob(t.dataset.job); }
    await refresh();
  } catch (err) { alert(err.message); }
});
refresh();
setInterval(() => refresh().catch(() => {}), 2000);
</script>
</body>
</html>
`;
