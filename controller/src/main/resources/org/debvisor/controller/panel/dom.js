// Builds elements from data. Text always goes in through textContent, never as markup, so a
// node-reported string like "<img src=x onerror=...>" shows as those characters.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

/** A two-column table of key/value pairs, nested objects flattened to dotted keys. */
export function facts(object, prefix = '') {
  const rows = [];
  const walk = (value, path) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    } else if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
    } else {
      rows.push(el('tr', {}, el('th', { text: path }), el('td', { text: Array.isArray(value) ? value.join(', ') : value })));
    }
  };
  walk(object, prefix);
  return el('table', { class: 'facts' }, el('tbody', {}, rows));
}

export function when(iso) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

export function errorLine(id) {
  return el('p', { id, class: 'error', role: 'alert' });
}
