// Installer ISOs the controller builds (admin only on the server: the media carry bootstrap
// tokens): build one from a node.yaml, list the library, download.
import { get, postText } from './api.js';
import { clear, el, errorLine } from './dom.js';

export async function isos(view) {
  const error = errorLine('isos-error');
  const built = el('p', { id: 'iso-built' });
  const warnings = el('ul', { id: 'iso-warnings', class: 'warnings' });
  const arch = el(
    'select',
    { id: 'iso-arch' },
    el('option', { value: 'amd64', text: 'amd64' }),
    el('option', { value: 'arm64', text: 'arm64' }),
  );
  const profile = el('input', { id: 'iso-profile', placeholder: 'profile (optional)' });
  const file = el('input', { id: 'iso-file', type: 'file', accept: '.yaml,.yml,text/yaml' });
  const node = el('textarea', {
    id: 'iso-node',
    rows: 12,
    cols: 80,
    spellcheck: 'false',
    placeholder: 'node.yaml (paste it, or choose the file)',
  });
  const submit = el('button', { type: 'submit', text: 'Build ISO' });
  const body = el('tbody', { id: 'iso-rows' });
  const form = el(
    'form',
    { id: 'iso-form', class: 'card' },
    el('div', { class: 'toolbar' }, el('label', {}, 'architecture ', arch), profile, file),
    node,
    el('div', { class: 'toolbar' }, submit),
  );

  file.addEventListener('change', async () => {
    if (file.files.length > 0) node.value = await file.files[0].text();
  });

  async function load() {
    const list = await get('/api/v1/isos');
    clear(body).append(
      ...list.isos.map((iso) =>
        el(
          'tr',
          { 'data-name': iso.name },
          el('td', {}, el('a', { href: iso.download, download: iso.name, text: iso.name })),
          el('td', { class: 'mono', text: iso.sha256 }),
          el('td', { text: `${(iso.size / 1048576).toFixed(0)} MiB` }),
        ),
      ),
    );
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    clear(warnings);
    submit.disabled = true;
    built.textContent = 'Building… (a first build downloads the installer: up to a minute)';
    try {
      const query = new URLSearchParams({ arch: arch.value });
      if (profile.value.trim()) query.set('profile', profile.value.trim());
      const iso = await postText(`/api/v1/isos?${query}`, node.value, 'application/yaml');
      built.textContent = `Built ${iso.name} (sha256 ${iso.sha256}) in ${iso.seconds.toFixed(1)} s`;
      warnings.append(...iso.warnings.map((w) => el('li', { text: w })));
      await load();
    } catch (e) {
      built.textContent = '';
      error.textContent = e.message;
    } finally {
      submit.disabled = false;
    }
  });

  view.append(
    el('h1', { text: 'Installer ISOs' }),
    form,
    built,
    warnings,
    error,
    el(
      'table',
      { class: 'list' },
      el('thead', {}, el('tr', {}, ['ISO', 'SHA-256', 'Size'].map((t) => el('th', { text: t })))),
      body,
    ),
  );
  await load();
}
