// Rollouts with live progress: the server pushes each change as a Server-Sent Event
// (/api/v1/rollouts/events). When the stream cannot be opened (too many open already, an old
// proxy, no EventSource) the page polls the list every few seconds instead and says so.
// Operators can pause, resume, approve or abort.
import { get, post } from './api.js';
import { clear, el, errorLine, when } from './dom.js';

const REFRESH_MS = 3000;
const EVENTS = '/api/v1/rollouts/events';
const ACTIONS = { RUNNING: ['pause', 'abort'], PAUSED: ['resume', 'abort'], AWAITING_APPROVAL: ['approve', 'abort'] };

export async function rollouts(view) {
  const error = errorLine('rollouts-error');
  const body = el('tbody', { id: 'rollout-rows' });
  const mode = el('span', { id: 'rollouts-mode' });
  const stamp = el('span', { class: 'muted' });
  const known = new Map(); // id -> rollout, as last received
  let source = null;
  let timer = null;

  function render() {
    const list = [...known.values()].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    clear(body).append(...list.map(row));
    stamp.textContent = ` · updated ${new Date().toISOString()}`;
  }

  function row(r) {
    const buttons = (ACTIONS[r.state] || []).map((verb) =>
      el('button', {
        type: 'button',
        text: verb,
        onclick: async () => {
          error.textContent = '';
          try {
            const changed = await post(`/api/v1/rollouts/${encodeURIComponent(r.id)}/${verb}`);
            known.set(changed.id, changed);
            render();
          } catch (e) {
            error.textContent = e.message;
          }
        },
      }),
    );
    const waves = r.wavePercents ? r.wavePercents.join('/') + '%' : '';
    const counts = Object.entries(r.nodeCounts || {})
      .map(([state, n]) => `${n} ${state.toLowerCase()}`)
      .join(', ');
    return el(
      'tr',
      { 'data-id': r.id },
      [r.id, r.name, r.state, r.selector, r.bundleVersion, `wave ${r.currentWave || 0} of ${waves || 'canary'}`, counts, r.createdBy, when(r.updatedAt), r.reason || ''].map(
        (t) => el('td', { text: t }),
      ),
      el('td', {}, buttons),
    );
  }

  function replaceAll(list) {
    known.clear();
    for (const r of list) known.set(r.id, r);
    render();
  }

  async function poll() {
    replaceAll((await get('/api/v1/rollouts')).rollouts || []);
  }

  function startPolling(why) {
    if (source) source.close();
    source = null;
    if (timer) return;
    mode.textContent = `polling every ${REFRESH_MS / 1000} s (${why})`;
    mode.className = 'muted';
    poll().catch((e) => (error.textContent = e.message));
    timer = setInterval(() => poll().catch((e) => (error.textContent = e.message)), REFRESH_MS);
  }

  function startStream() {
    if (typeof EventSource !== 'function') {
      startPolling('this browser has no EventSource');
      return;
    }
    source = new EventSource(EVENTS);
    source.addEventListener('snapshot', (e) => {
      replaceAll(JSON.parse(e.data).rollouts || []);
      mode.textContent = 'live';
      mode.className = 'ok';
    });
    source.addEventListener('rollout', (e) => {
      const r = JSON.parse(e.data);
      known.set(r.id, r);
      render();
    });
    source.addEventListener('error', () => {
      // CONNECTING: the browser reconnects by itself; CLOSED: the server refused the stream.
      if (source && source.readyState === EventSource.CLOSED) startPolling('the live stream was refused');
      else mode.textContent = 'reconnecting…';
    });
  }

  view.append(
    el('h1', { text: 'Rollouts' }),
    el('p', { class: 'muted' }, 'Progress: ', mode, stamp),
    error,
    el(
      'table',
      { class: 'list' },
      el(
        'thead',
        {},
        el('tr', {}, ['Id', 'Name', 'State', 'Selector', 'Version', 'Progress', 'Nodes', 'By', 'Updated', 'Reason', ''].map((t) => el('th', { text: t }))),
      ),
      body,
    ),
  );
  // The first render does not wait for the stream: the list comes by one plain request.
  await poll();
  startStream();
  return () => {
    if (source) source.close();
    if (timer) clearInterval(timer);
  };
}
