// The node list: the server filters (the selectors of `debvisor nodes list --selector`) and pages
// by cursor; the page fetches the next page only as the user scrolls near it and keeps only the
// visible rows (plus a margin) in the DOM, so 1 000+ nodes stay quick.
import { get } from './api.js';
import { clear, el, errorLine, when } from './dom.js';

const ROW = 32; // px; the CSS gives .vrow this height
const PAGE = 200;
const MARGIN = 10;

function health(n) {
  return (n.lastStatus && n.lastStatus.state) || 'HEALTH_UNKNOWN';
}

function row(n) {
  return el(
    'div',
    { class: 'vrow', 'data-id': n.nodeId },
    el('a', { class: 'c-host', href: `#/node/${encodeURIComponent(n.nodeId)}`, text: n.hostname }),
    el('span', { class: 'c-id', text: n.nodeId }),
    el('span', { class: 'c-profile', text: n.profile }),
    el('span', { class: 'c-cluster', text: n.cluster }),
    el('span', { class: `c-health ${health(n)}`, text: health(n).replace('HEALTH_', '') }),
    el('span', { class: 'c-seen', text: n.stale ? 'stale' : when(n.lastSeen) }),
  );
}

// The first list shown after a page load marks the moment in the Performance API (after the frame
// with its rows is painted), so the browser test and the benchmark can read navigation start →
// node list painted.
let painted = false;
function markPainted() {
  if (painted) return;
  painted = true;
  requestAnimationFrame(() => setTimeout(() => performance.mark('debvisor:nodes-painted'), 0));
}

export async function nodes(view, { args }) {
  const state = { selector: args[0] || '', rows: [], total: 0, next: '', loading: null, gen: 0 };
  const input = el('input', {
    id: 'selector',
    type: 'search',
    placeholder: 'selector, e.g. profile=ceph,cpu.cores>=8',
    value: state.selector,
    size: 48,
  });
  const count = el('span', { id: 'node-count', class: 'muted' });
  const error = errorLine('nodes-error');
  const spacer = el('div', { class: 'vspacer' });
  const scroller = el('div', { id: 'node-list', class: 'vscroll' }, spacer);
  const header = el(
    'div',
    { class: 'vrow vhead' },
    ['Hostname', 'Id', 'Profile', 'Cluster', 'Health', 'Last seen'].map((t) => el('span', { text: t })),
  );
  const form = el(
    'form',
    { id: 'filter', class: 'toolbar' },
    input,
    el('button', { type: 'submit', text: 'Filter' }),
    count,
  );
  view.append(el('h1', { text: 'Nodes' }), form, error, header, scroller);

  async function fetchPage(gen) {
    const q = new URLSearchParams({ selector: state.selector, limit: PAGE });
    if (state.next) q.set('cursor', state.next);
    const page = await get(`/api/v1/nodes?${q}`);
    if (gen !== state.gen) return;
    state.rows.push(...page.nodes);
    state.total = page.total;
    state.next = page.next_cursor;
  }

  function render() {
    spacer.style.height = `${state.total * ROW}px`;
    count.textContent = `${state.total} nodes`;
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - MARGIN);
    const last = Math.min(state.rows.length, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW) + MARGIN);
    const shown = [];
    for (let i = first; i < last; i++) {
      const r = row(state.rows[i]);
      r.style.transform = `translateY(${i * ROW}px)`;
      shown.push(r);
    }
    clear(spacer).append(...shown);
    // Near the end of what is loaded: fetch the next page once.
    if (state.next && !state.loading && last + MARGIN >= state.rows.length) {
      const gen = state.gen;
      // Cleared before the next render, which may fetch the page after this one.
      state.loading = fetchPage(gen).then(
        () => {
          state.loading = null;
          if (gen === state.gen) render();
        },
        (e) => {
          state.loading = null;
          error.textContent = e.message;
        },
      );
    }
  }

  async function load() {
    state.gen += 1;
    Object.assign(state, { rows: [], total: 0, next: '', loading: null });
    error.textContent = '';
    scroller.scrollTop = 0;
    try {
      await fetchPage(state.gen);
      render();
      markPainted();
    } catch (e) {
      clear(spacer);
      count.textContent = '';
      error.textContent = e.message;
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.selector = input.value.trim();
    history.replaceState(null, '', `#/nodes/${encodeURIComponent(state.selector)}`);
    load();
  });
  scroller.addEventListener('scroll', () => requestAnimationFrame(render));
  await load();
}
