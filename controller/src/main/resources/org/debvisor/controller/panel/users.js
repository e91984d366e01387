// Operator accounts (admin only on the server): list with roles, add, change a role or password,
// remove. The server enforces every rule (roles, password length, the last admin).
import { del, get, post, put } from './api.js';
import { clear, el, errorLine, when } from './dom.js';

const ROLES = ['viewer', 'operator', 'admin'];

function roleSelect(id, selected) {
  return el('select', { id }, ROLES.map((r) => el('option', { value: r, selected: r === selected, text: r })));
}

export async function users(view) {
  const error = errorLine('users-error');
  const done = el('p', { id: 'users-done', class: 'ok', role: 'status' });
  const name = el('input', { id: 'user-name', placeholder: 'name', autocomplete: 'off', required: true });
  const role = roleSelect('user-role', 'viewer');
  const password = el('input', {
    id: 'user-password',
    type: 'password',
    placeholder: 'password (12+ characters)',
    autocomplete: 'new-password',
    required: true,
  });
  const body = el('tbody', { id: 'user-rows' });
  const form = el('form', { id: 'user-form', class: 'toolbar' }, name, role, password, el('button', { type: 'submit', text: 'Add user' }));

  // Runs one change, reloads the list, then reports: the status line never announces a change
  // the table does not show yet. A failed reload still reports the change that did happen.
  async function change(what, action) {
    error.textContent = '';
    done.textContent = '';
    try {
      await action();
      try {
        await load();
      } finally {
        done.textContent = what;
      }
    } catch (e) {
      error.textContent = e.message;
    }
  }

  function row(u) {
    const path = `/api/v1/users/${encodeURIComponent(u.name)}`;
    const newRole = roleSelect(`role-${u.name}`, u.role);
    const newPassword = el('input', { type: 'password', placeholder: 'new password', autocomplete: 'new-password', class: 'user-new-password' });
    return el(
      'tr',
      { 'data-name': u.name },
      el('td', { text: u.name }),
      el('td', { class: 'user-role', text: u.role }),
      el('td', { text: when(u.password_changed_at) }),
      el(
        'td',
        { class: 'toolbar' },
        newRole,
        el('button', {
          type: 'button',
          class: 'user-set-role',
          text: 'Set role',
          onclick: () => change(`${u.name} is now ${newRole.value}`, () => put(`${path}/role`, { role: newRole.value })),
        }),
        newPassword,
        el('button', {
          type: 'button',
          class: 'user-set-password',
          text: 'Set password',
          onclick: () =>
            change(`password of ${u.name} changed; their sessions ended`, async () => {
              await put(`${path}/password`, { password: newPassword.value });
              newPassword.value = '';
            }),
        }),
        el('button', {
          type: 'button',
          class: 'danger user-delete',
          text: 'Remove',
          onclick: () => change(`${u.name} removed`, () => del(path)),
        }),
      ),
    );
  }

  async function load() {
    const list = await get('/api/v1/users');
    clear(body).append(...list.users.map(row));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    change(`${name.value.trim()} added`, async () => {
      await post('/api/v1/users', { name: name.value.trim(), role: role.value, password: password.value });
      name.value = '';
      password.value = '';
    });
  });

  view.append(
    el('h1', { text: 'Users' }),
    form,
    done,
    error,
    el(
      'table',
      { class: 'list' },
      el('thead', {}, el('tr', {}, ['Name', 'Role', 'Password set', ''].map((t) => el('th', { text: t })))),
      body,
    ),
  );
  await load();
}
