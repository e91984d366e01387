// One node: identity, its Ceph, hypervisor, Kubernetes and system panels from the last status,
// hardware facts, certificate, audit trail, and revocation (the server decides who may).
import { get, post } from './api.js';
import { el, errorLine, facts, when } from './dom.js';

const SUBSYSTEM_TITLES = {
  SUBSYSTEM_CEPH: 'Ceph',
  SUBSYSTEM_HYPERVISOR: 'Hypervisor',
  SUBSYSTEM_KUBERNETES: 'Kubernetes',
  SUBSYSTEM_SYSTEM: 'System',
};

function subsystemPanel(s) {
  const { subsystem, state, message, collectedAt, lastSuccessAt, stale, ...details } = s;
  const title = SUBSYSTEM_TITLES[subsystem] || String(subsystem).replace('SUBSYSTEM_', '');
  return el(
    'div',
    { class: 'card subsystem', 'data-subsystem': title.toLowerCase() },
    el('h2', {}, title, ' ', el('span', { class: `badge ${state}`, text: String(state).replace('HEALTH_', '') })),
    el('p', { text: message || '' }),
    collectedAt
      ? el('p', { class: 'muted', text: `collected ${when(collectedAt)}${stale ? ' (stale: last good reading shown)' : ''}` })
      : null,
    facts(details),
  );
}

export async function node(view, { args }) {
  const n = await get(`/api/v1/nodes/${encodeURIComponent(args[0] || '')}`);
  const status = n.lastStatus || {};
  // Always the four panels, so an absent subsystem says so instead of vanishing.
  const reported = new Map((status.subsystems || []).map((s) => [s.subsystem, s]));
  const subsystems = Object.keys(SUBSYSTEM_TITLES).map(
    (key) => reported.get(key) || { subsystem: key, state: 'HEALTH_UNKNOWN', message: 'not reported yet' },
  );
  const error = errorLine('revoke-error');
  const reason = el('input', { id: 'revoke-reason', placeholder: 'reason', size: 32 });
  const revoke = el('button', {
    id: 'revoke',
    type: 'button',
    class: 'danger',
    text: 'Revoke',
    title: 'needs the operator role',
  });
  const enrolment = el('span', { id: 'node-enrolment', text: n.enrolment });
  revoke.addEventListener('click', async () => {
    error.textContent = '';
    try {
      const after = await post(`/api/v1/nodes/${encodeURIComponent(n.nodeId)}/revoke`, {
        reason: reason.value,
      });
      enrolment.textContent = after.enrolment;
    } catch (e) {
      error.textContent = e.message;
    }
  });
  view.append(
    el('h1', { id: 'node-hostname', text: n.hostname }),
    el(
      'p',
      {},
      el('span', { class: 'muted', text: 'id ' }),
      el('span', { id: 'node-id', text: n.nodeId }),
      ' · ',
      enrolment,
      ` · profile ${n.profile} · cluster ${n.cluster} · agent ${n.agentVersion || '?'} · last seen ${when(n.lastSeen)}${n.stale ? ' (stale)' : ''}`,
    ),
    el('p', { id: 'node-summary', text: status.summary || 'no status reported yet' }),
    el('div', { class: 'toolbar' }, reason, revoke),
    error,
    el('div', { class: 'grid' }, subsystems.map(subsystemPanel)),
    el(
      'div',
      { class: 'grid' },
      el('div', { class: 'card' }, el('h2', { text: 'Hardware' }), facts(n.facts || {})),
      el(
        'div',
        { class: 'card' },
        el('h2', { text: 'Certificate' }),
        facts({ serial: n.certificateSerial, notAfter: n.certificateNotAfter, enrolledAt: n.enrolledAt, agentAddress: n.agentAddress }),
      ),
    ),
    el('h2', { text: 'Audit trail' }),
    el(
      'table',
      { class: 'list' },
      el('thead', {}, el('tr', {}, ['At', 'Actor', 'Action', 'Result', 'Detail'].map((t) => el('th', { text: t })))),
      el(
        'tbody',
        {},
        (n.audit_trail || []).map((a) =>
          el('tr', {}, [when(a.at), a.actor, a.action, a.result, a.detail].map((t) => el('td', { text: t }))),
        ),
      ),
    ),
  );
}
