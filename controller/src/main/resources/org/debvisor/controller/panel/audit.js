// The audit log (operator and admin on the server): the hash chain's verification state, then
// entries newest first, filtered by actor and action, more loaded by cursor.
import { get } from './api.js';
import { clear, el, errorLine, when } from './dom.js';

export async function audit(view) {
  const chain = el('p', { id: 'audit-chain' });
  const actor = el('input', { id: 'audit-actor', placeholder: 'actor, e.g. user:admin' });
  const action = el('input', { id: 'audit-action', placeholder: 'action, e.g. node.revoke' });
  const error = errorLine('audit-error');
  const body = el('tbody', { id: 'audit-rows' });
  const more = el('button', { id: 'audit-more', type: 'button', text: 'Older entries', hidden: true });
  const form = el('form', { class: 'toolbar' }, actor, action, el('button', { type: 'submit', text: 'Filter' }));
  let cursor = '';

  async function page(reset) {
    error.textContent = '';
    if (reset) {
      cursor = '';
      clear(body);
    }
    const q = new URLSearchParams({ limit: 100 });
    if (actor.value.trim()) q.set('actor', actor.value.trim());
    if (action.value.trim()) q.set('action', action.value.trim());
    if (cursor) q.set('cursor', cursor);
    try {
      const result = await get(`/api/v1/audit?${q}`);
      body.append(
        ...result.entries.map((a) =>
          el('tr', {}, [a.seq, when(a.at), a.actor, a.action, a.target, a.source, a.result, a.detail].map((t) => el('td', { text: t }))),
        ),
      );
      cursor = result.next_cursor;
      more.hidden = !cursor;
    } catch (e) {
      error.textContent = e.message;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    page(true);
  });
  more.addEventListener('click', () => page(false));
  view.append(
    el('h1', { text: 'Audit log' }),
    chain,
    form,
    error,
    el(
      'table',
      { class: 'list' },
      el('thead', {}, el('tr', {}, ['Seq', 'At', 'Actor', 'Action', 'Target', 'Source', 'Result', 'Detail'].map((t) => el('th', { text: t })))),
      body,
    ),
    more,
  );
  const verified = await get('/api/v1/audit/verify');
  chain.className = verified.intact ? 'ok' : 'error';
  chain.textContent = verified.intact
    ? `Hash chain intact: ${verified.checked} entries checked.`
    : `Hash chain BROKEN at entry ${verified.broken_seq}: ${verified.problem}`;
  await page(true);
}
