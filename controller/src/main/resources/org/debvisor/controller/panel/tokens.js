// Bootstrap tokens (admin only on the server): list, create (the token is shown once), revoke.
import { del, get, post } from './api.js';
import { clear, el, errorLine, when } from './dom.js';

export async function tokens(view) {
  const error = errorLine('tokens-error');
  const created = el('p', { id: 'token-created', class: 'secret' });
  const ttl = el('input', { id: 'token-ttl', type: 'number', min: 1, max: 43200, value: 60, size: 6 });
  const hostname = el('input', { id: 'token-hostname', placeholder: 'hostname (optional)' });
  const profile = el('input', { id: 'token-profile', placeholder: 'profile (optional)' });
  const cluster = el('input', { id: 'token-cluster', placeholder: 'cluster (optional)' });
  const body = el('tbody', { id: 'token-rows' });
  const form = el(
    'form',
    { id: 'token-form', class: 'toolbar' },
    el('label', {}, 'valid for ', ttl, ' minutes'),
    hostname,
    profile,
    cluster,
    el('button', { type: 'submit', text: 'Create token' }),
  );

  async function load() {
    const list = await get('/api/v1/tokens');
    clear(body).append(
      ...list.tokens.map((t) => {
        const actions = el('td');
        if (t.state === 'active') {
          actions.append(
            el('button', {
              type: 'button',
              class: 'danger',
              text: 'Revoke',
              onclick: async () => {
                error.textContent = '';
                try {
                  await del(`/api/v1/tokens/${encodeURIComponent(t.id)}`);
                  await load();
                } catch (e) {
                  error.textContent = e.message;
                }
              },
            }),
          );
        }
        return el(
          'tr',
          { 'data-id': t.id },
          [t.id, t.state, when(t.created_at), when(t.expires_at), t.created_by, t.hostname, t.profile, t.cluster, t.used_by_node || ''].map(
            (v) => el('td', { text: v }),
          ),
          actions,
        );
      }),
    );
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      const t = await post('/api/v1/tokens', {
        ttl: `${Number(ttl.value) * 60}s`,
        hostname: hostname.value.trim(),
        profile: profile.value.trim(),
        cluster: cluster.value.trim(),
      });
      created.textContent = `New token (shown once): ${t.token}`;
      await load();
    } catch (e) {
      error.textContent = e.message;
    }
  });

  view.append(
    el('h1', { text: 'Bootstrap tokens' }),
    form,
    created,
    error,
    el(
      'table',
      { class: 'list' },
      el(
        'thead',
        {},
        el('tr', {}, ['Id', 'State', 'Created', 'Expires', 'By', 'Hostname', 'Profile', 'Cluster', 'Used by', ''].map((t) => el('th', { text: t }))),
      ),
      body,
    ),
  );
  await load();
}
