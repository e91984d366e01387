// Fleet overview: node counts by health, enrolment, profile and cluster; profile and cluster
// counts link to the node list filtered by that selector.
import { get } from './api.js';
import { el } from './dom.js';

function group(title, counts, selectorKey) {
  const items = Object.entries(counts).map(([key, count]) => {
    const label = key === '' ? '(none)' : key;
    const name = selectorKey
      ? el('a', { href: `#/nodes/${encodeURIComponent(`${selectorKey}=${key}`)}`, text: label })
      : el('span', { text: label });
    return el('li', {}, name, el('span', { class: 'count', text: count }));
  });
  return el('div', { class: 'card' }, el('h2', { text: title }), el('ul', { class: 'counts' }, items));
}

export async function overview(view) {
  const fleet = await get('/api/v1/fleet');
  view.append(
    el('h1', { text: 'Fleet' }),
    el(
      'p',
      { id: 'fleet-total' },
      `${fleet.total} nodes, ${fleet.stale} without a recent heartbeat`,
    ),
    el(
      'div',
      { class: 'grid' },
      group('Health', fleet.health),
      group('Enrolment', fleet.enrolment),
      group('Profile', fleet.profile, 'profile'),
      group('Cluster', fleet.cluster, 'cluster'),
    ),
  );
}
