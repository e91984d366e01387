// The panel's shell: login, the session (who, role, CSRF token), and the #/ router.
import { ApiError, del, get, post, setCsrf } from './api.js';
import { clear, el } from './dom.js';
import { overview } from './overview.js';
import { nodes } from './nodes.js';
import { node } from './node.js';
import { isos } from './isos.js';
import { tokens } from './tokens.js';
import { audit } from './audit.js';
import { rollouts } from './rollouts.js';
import { users } from './users.js';

const $ = (id) => document.getElementById(id);
const routes = { overview, nodes, node, tokens, isos, audit, rollouts, users };
const session = { user: '', role: '' };
let leave = null;

function showLogin(message) {
  // The open page's timers and event stream end with the session.
  if (leave) {
    leave();
    leave = null;
  }
  session.user = '';
  session.role = '';
  setCsrf('');
  $('nav').hidden = true;
  $('logout').hidden = true;
  $('who').textContent = '';
  clear($('view'));
  $('login').hidden = false;
  $('login-error').textContent = message || '';
}

function signedIn(me) {
  session.user = me.user;
  session.role = me.role;
  setCsrf(me.csrf_token);
  $('login').hidden = true;
  $('nav').hidden = false;
  $('logout').hidden = false;
  $('nav-tokens').hidden = me.role !== 'admin';
  $('nav-isos').hidden = me.role !== 'admin';
  $('nav-users').hidden = me.role !== 'admin';
  $('who').textContent = `${me.user} (${me.role})`;
  document.body.dataset.role = me.role;
}

async function route() {
  if (leave) {
    leave();
    leave = null;
  }
  if (!session.user) return;
  const [name, ...rest] = (location.hash.replace(/^#\/?/, '') || 'overview').split('/');
  const view = routes[name] || overview;
  const target = clear($('view'));
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.getAttribute('href') === `#/${name}`);
  }
  try {
    leave = (await view(target, { session, args: rest.map(decodeURIComponent) })) || null;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      showLogin('Your session has ended; log in again.');
    } else {
      target.append(el('p', { class: 'error', role: 'alert', text: e.message }));
    }
  }
}

async function start() {
  $('login').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('login-submit').disabled = true;
    try {
      const me = await post('/api/v1/session', {
        user: $('login-user').value,
        password: $('login-password').value,
      });
      $('login-password').value = '';
      signedIn(me);
      await route();
    } catch (e) {
      $('login-error').textContent = e.message;
    } finally {
      $('login-submit').disabled = false;
    }
  });
  $('logout').addEventListener('click', async () => {
    try {
      await del('/api/v1/session');
    } finally {
      location.hash = '';
      showLogin('Logged out.');
    }
  });
  window.addEventListener('hashchange', route);
  try {
    signedIn(await get('/api/v1/session'));
    await route();
  } catch {
    showLogin('');
  }
}

start();
