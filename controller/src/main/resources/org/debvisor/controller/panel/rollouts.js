// Rollouts with their progress, refreshed every few seconds while the page is open (polling one
// small list is cheaper here than a stream per viewer); operators can pause, resume or abort.
import { get, post } from './api.js';
import { clear, el, errorLine, when } from './dom.js';

const REFRESH_MS = 3000;
const ACTIONS = { RUNNING: ['pause', 'abort'], PAUSED: ['resume', 'abort'], AWAITING_APPROVAL: ['approve', 'abort'] };

export async function rollouts(view) {
  const error = errorLine('rollouts-error');
  const body = el('tbody', { id: 'rollout-rows' });
  const stamp = el('p', { class: 'muted' });

  async function load() {
    const list = await get('/api/v1/rollouts');
    clear(body).append(
      ...(list.rollouts || []).map((r) => {
        const buttons = (ACTIONS[r.state] || []).map((verb) =>
          el('button', {
            type: 'button',
            text: verb,
            onclick: async () => {
              error.textContent = '';
              try {
                await post(`/api/v1/rollouts/${encodeURIComponent(r.id)}/${verb}`);
                await load();
              } catch (e) {
                error.textContent = e.message;
              }
            },
          }),
        );
        const waves = r.wavePercents ? r.wavePercents.join('/') + '%' : '';
        return el(
          'tr',
          { 'data-id': r.id },
          [r.id, r.name, r.state, r.selector, r.bundleVersion, `wave ${r.currentWave || 0} of ${waves || 'canary'}`, r.createdBy, when(r.updatedAt), r.reason || ''].map(
            (t) => el('td', { text: t }),
          ),
          el('td', {}, buttons),
        );
      }),
    );
    stamp.textContent = `updated ${new Date().toISOString()}`;
  }

  view.append(
    el('h1', { text: 'Rollouts' }),
    stamp,
    error,
    el(
      'table',
      { class: 'list' },
      el(
        'thead',
        {},
        el('tr', {}, ['Id', 'Name', 'State', 'Selector', 'Version', 'Progress', 'By', 'Updated', 'Reason', ''].map((t) => el('th', { text: t }))),
      ),
      body,
    ),
  );
  await load();
  const timer = setInterval(() => load().catch((e) => (error.textContent = e.message)), REFRESH_MS);
  return () => clearInterval(timer);
}
