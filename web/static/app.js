// casenote review workstation: the clerks' front end. Plain modules, no framework: the server
// (web/web_app.cpp) does the checking and the deciding; this file shows and asks.
import { barChart } from './charts.js';
import { checkNhsNumber } from './nhs_number.js';

const FIELD_LABELS = {
  nhs_number: 'NHS number',
  hospital_number: 'Hospital number',
  patient_name: 'Name',
  date_of_birth: 'Date of birth',
  postcode: 'Postcode',
  document_date: 'Document date',
};
const DOCUMENT_TYPES = ['clinic_letter', 'discharge_summary', 'lab_report', 'referral', 'other'];

const session = { user: null, csrf: null };
// The queue as last listed, so that J and K step through it from any document.
const queue = { ids: [], filters: { type: '', reason: '', sort: 'oldest' } };
let currentView = null;  // { name, keys: {key: handler}, leave() }

// ---- small helpers ----------------------------------------------------------------------------

// Builds an element: h('a', {href: '#/'}, 'text', child). Text is always text, never markup.
function h(tag, attributes = {}, ...children) {
  const isSvg = ['svg', 'g', 'rect', 'image', 'text', 'line', 'title', 'path'].includes(tag);
  const el = isSvg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  return appendChildren(el, children);
}

// Appends children as h() takes them: lists are flattened, null, undefined and false left out.
function appendChildren(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const main = () => document.getElementById('main');

function show(...children) {
  main().replaceChildren(...children);
}

function typeName(type) {
  return (type || 'other').replace(/_/g, ' ');
}

function patientName(p) {
  if (!p) return '';
  const family = (p.family_name || '').toUpperCase();
  return p.given_names ? `${family}, ${p.given_names}` : family;
}

function formatNhs(n) {
  return n && n.length === 10 ? `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : n || '';
}

function patientLine(p) {
  if (!p) return 'none';
  const parts = [patientName(p)];
  if (p.date_of_birth) parts.push(`born ${p.date_of_birth}`);
  parts.push(p.nhs_number ? `NHS ${formatNhs(p.nhs_number)}` : `hospital no. ${p.hospital_number || '–'}`);
  return parts.join(' · ');
}

function age(iso) {
  const hours = (Date.now() - Date.parse(iso)) / 3.6e6;
  if (!(hours >= 0)) return '';
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.floor(hours / 24)} d`;
}

let toastTimer = null;
function toast(message, kind = 'info') {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.className = kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, kind === 'error' ? 8000 : 4000);
}

// ---- the server -------------------------------------------------------------------------------

class SignInNeeded extends Error {}

async function api(path, { method = 'GET', body } = {}) {
  const options = { method, credentials: 'same-origin', headers: {} };
  if (method !== 'GET') {
    options.headers['Content-Type'] = 'application/json';
    options.headers['X-CSRF-Token'] = session.csrf || '';
    options.body = JSON.stringify(body || {});
  }
  const response = await fetch(path, options);
  if (response.status === 401 && path !== '/api/login') {
    session.user = null;
    showSignIn();
    throw new SignInNeeded('sign in first');
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `the server answered ${response.status}`);
  return data;
}

async function refreshQueueSize() {
  try {
    const status = await api('/api/status');
    document.getElementById('queue-size').textContent = status.queue_size;
  } catch (error) {
    if (!(error instanceof SignInNeeded)) toast(error.message, 'error');
  }
}

// ---- signing in -------------------------------------------------------------------------------

function showSignIn(message) {
  document.getElementById('bar').hidden = true;
  setView({ name: 'sign-in' });
  const error = h('p', { class: 'error', role: 'alert' }, message || '');
  const name = h('input', { id: 'sign-in-name', name: 'name', autocomplete: 'username', required: true });
  const password = h('input', { id: 'sign-in-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'sign-in', onsubmit: async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      const answer = await api('/api/login', { method: 'POST', body: { name: name.value, password: password.value } });
      session.user = answer.user;
      session.csrf = answer.csrf_token;
      startSession();
    } catch (e) {
      error.textContent = e.message;
      password.select();
    }
  } },
  h('h1', {}, 'casenote review'),
  h('label', { for: 'sign-in-name' }, 'User name'), name,
  h('label', { for: 'sign-in-password' }, 'Password'), password,
  h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  error);
  show(form);
  name.focus();
}

function startSession() {
  document.getElementById('bar').hidden = false;
  document.getElementById('who').textContent = session.user;
  refreshQueueSize();
  route();
}

async function signOut() {
  try {
    await api('/api/logout', { method: 'POST' });
  } catch (error) {
    if (!(error instanceof SignInNeeded)) toast(error.message, 'error');
  }
  session.user = null;
  session.csrf = null;
  showSignIn('Signed out.');
}

// ---- views and keys ---------------------------------------------------------------------------

function setView(view) {
  if (currentView && currentView.leave) currentView.leave();
  currentView = view;
  for (const link of document.querySelectorAll('#bar nav a'))
    link.classList.toggle('current', link.dataset.view === view.name || (view.name === 'document' && link.dataset.view === 'queue'));
}

const GLOBAL_KEYS = {
  '?': ['Show these shortcuts', () => toggleHelp()],
  q: ['Review queue', () => { location.hash = '#/queue'; }],
  s: ['Search', () => { location.hash = '#/search'; }],
  '/': ['Search', () => { location.hash = '#/search'; }],
  d: ['Dashboard', () => { location.hash = '#/dashboard'; }],
};

function toggleHelp() {
  const dialog = document.getElementById('help');
  if (dialog.open) { dialog.close(); return; }
  const rows = [];
  const add = (keys, title) => {
    for (const [key, [label]] of Object.entries(keys)) rows.push(h('tr', {}, h('td', {}, h('kbd', {}, key)), h('td', {}, label)));
    if (title) rows.unshift(h('tr', {}, h('th', { colspan: 2 }, title)));
  };
  if (currentView && currentView.keys) add(currentView.keys, `On this page (${currentView.name})`);
  const global = [h('tr', {}, h('th', { colspan: 2 }, 'Everywhere'))];
  for (const [key, [label]] of Object.entries(GLOBAL_KEYS)) global.push(h('tr', {}, h('td', {}, h('kbd', {}, key)), h('td', {}, label)));
  global.push(h('tr', {}, h('td', {}, h('kbd', {}, 'Esc')), h('td', {}, 'Leave a text box, close a panel')));
  document.getElementById('help-keys').replaceChildren(...rows, ...global);
  dialog.showModal();
}

function typing(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

document.addEventListener('keydown', (event) => {
  if (!session.user || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === 'Escape' && typing(event.target)) {
    if (event.target.dataset.original !== undefined) event.target.value = event.target.dataset.original;
    event.target.dispatchEvent(new Event('input'));
    event.target.blur();
    if (currentView && currentView.escape) currentView.escape();
    return;
  }
  if (typing(event.target) || document.getElementById('help').open) return;
  const key = event.key;
  if (key === 'Escape' && currentView && currentView.escape) { currentView.escape(); return; }
  const handler = (currentView && currentView.keys && currentView.keys[key]) || GLOBAL_KEYS[key];
  if (handler) {
    event.preventDefault();
    handler[1]();
  }
});

// ---- routing ----------------------------------------------------------------------------------

function parseHash() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  return { parts: path.split('/').filter(Boolean), params: new URLSearchParams(query) };
}

function route() {
  if (!session.user) return;
  const { parts, params } = parseHash();
  const views = {
    queue: () => queueView(),
    documents: () => documentView(parts[1]),
    search: () => searchView(params),
    patients: () => patientView(parts[1]),
    dashboard: () => dashboardView(),
  };
  (views[parts[0]] || views.queue)().catch((error) => {
    if (!(error instanceof SignInNeeded)) show(h('p', { class: 'error' }, error.message));
  });
}

window.addEventListener('hashchange', route);

// ---- the review queue -------------------------------------------------------------------------

async function queueView() {
  const view = { name: 'queue', keys: {} };
  setView(view);
  const f = queue.filters;
  const data = await api(`/api/queue?${new URLSearchParams({ type: f.type, reason: f.reason, sort: f.sort })}`);
  queue.ids = data.documents.map((d) => d.id);
  document.getElementById('queue-size').textContent = data.total;

  const type = h('select', { id: 'queue-type', onchange: () => { f.type = type.value; queueView(); } },
    h('option', { value: '' }, 'every type'),
    DOCUMENT_TYPES.map((t) => h('option', { value: t, selected: f.type === t }, typeName(t))));
  const reason = h('input', { id: 'queue-reason', type: 'search', placeholder: 'reason contains…', value: f.reason,
    onchange: () => { f.reason = reason.value; queueView(); } });
  const sort = h('select', { id: 'queue-sort', onchange: () => { f.sort = sort.value; queueView(); } },
    h('option', { value: 'oldest', selected: f.sort === 'oldest' }, 'oldest first'),
    h('option', { value: 'newest', selected: f.sort === 'newest' }, 'newest first'));

  let selected = 0;
  const rows = data.documents.map((d, i) => h('tr', { class: 'row', dataset: { id: d.id }, onclick: () => open(i) },
    h('td', { class: 'age', title: d.created_at }, age(d.created_at)),
    h('td', {}, typeName(d.document_type)),
    h('td', {}, h('a', { href: `#/documents/${d.id}` }, d.source_name), h('div', { class: 'muted' }, d.id)),
    h('td', {}, h('ul', { class: 'reasons' }, d.review_reasons.map((r) => h('li', {}, r)))),
    h('td', {}, d.suggested ? patientLine(d.suggested) : h('span', { class: 'muted' }, 'none')),
    h('td', {}, d.document_date || h('span', { class: 'muted' }, '–'))));
  const select = (i) => {
    if (!rows.length) return;
    selected = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach((row, j) => row.classList.toggle('selected', j === selected));
    rows[selected].scrollIntoView({ block: 'nearest' });
  };
  const open = (i) => { location.hash = `#/documents/${data.documents[i].id}`; };
  Object.assign(view.keys, {
    j: ['Next document in the list', () => select(selected + 1)],
    k: ['Previous document in the list', () => select(selected - 1)],
    Enter: ['Open the selected document', () => rows.length && open(selected)],
    o: ['Open the selected document', () => rows.length && open(selected)],
    f: ['Filter by reason', () => reason.focus()],
  });

  const shown = data.documents.length;
  show(h('section', { class: 'queue' },
    h('div', { class: 'heading' },
      h('h1', {}, 'Review queue'),
      h('p', { id: 'queue-count', class: 'count' }, `${data.total} document${data.total === 1 ? '' : 's'} need${data.total === 1 ? 's' : ''} review`,
        shown < data.total ? ` · ${shown} shown` : '')),
    h('div', { class: 'filters' }, h('label', {}, 'Type ', type), h('label', {}, 'Reason ', reason), h('label', {}, 'Sort ', sort)),
    shown ? h('table', { class: 'list', id: 'queue-table' },
      h('thead', {}, h('tr', {}, ['Age', 'Type', 'Document', 'Why it needs review', 'Suggested patient', 'Dated'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows))
      : h('p', { class: 'empty' }, 'Nothing to review. ', h('a', { href: '#/dashboard' }, 'See the dashboard.'))));
  select(0);
}

// ---- one document -----------------------------------------------------------------------------

async function documentView(id) {
  // Page images are fetched once per visit and drawn again from here after each decision.
  const view = { name: 'document', keys: {}, pages: new Map() };
  view.leave = () => view.pages.forEach((page) => page.then((p) => URL.revokeObjectURL(p.url)).catch(() => {}));
  setView(view);
  const documentData = await api(`/api/documents/${encodeURIComponent(id)}`);
  if (!queue.ids.length) {
    const listed = await api('/api/queue');
    queue.ids = listed.documents.map((d) => d.id);
  }
  renderDocument(view, documentData);
}

function renderDocument(view, doc) {
  const pages = doc.pages.map((page) => pageFigure(view, doc, page));
  const panel = h('aside', { class: 'panel' });
  const layout = h('section', { class: 'document' }, h('div', { class: 'pages', id: 'pages' }, pages), panel);
  show(layout);

  const position = queue.ids.indexOf(doc.id);
  const step = (by) => {
    const ids = queue.ids;
    if (!ids.length) return toast('The queue is empty.');
    let next = position >= 0 ? position + by : (by > 0 ? 0 : ids.length - 1);
    if (next < 0 || next >= ids.length) return toast(by > 0 ? 'That was the last document in the queue.' : 'That was the first document in the queue.');
    location.hash = `#/documents/${ids[next]}`;
  };

  const after = (updated, message) => {
    refreshQueueSize();
    if (updated.status !== 'needs_review') queue.ids = queue.ids.filter((x) => x !== updated.id);
    toast(message(updated), 'ok');
    renderDocument(view, updated);
  };
  const run = async (path, body, message) => {
    try {
      after(await api(`/api/documents/${encodeURIComponent(doc.id)}/${path}`, { method: 'POST', body }), message);
    } catch (error) {
      if (!(error instanceof SignInNeeded)) toast(error.message, 'error');
    }
  };
  const outcome = (d) => d.status === 'filed' ? `Filed to ${patientName(d.patient)}.`
    : d.status === 'rejected' ? 'Rejected.' : `Still needs review: ${d.review_reasons[0] || ''}`;

  // What the keys and buttons do; a decision that files is confirmed first.
  const confirmBar = h('div', { class: 'confirm', id: 'confirm', hidden: true });
  const confirmThen = (question, action) => {
    confirmBar.replaceChildren(h('span', {}, question),
      h('button', { class: 'primary', type: 'button', onclick: () => { confirmBar.hidden = true; action(); } }, 'Yes ', h('kbd', {}, 'Enter')),
      h('button', { type: 'button', onclick: () => { confirmBar.hidden = true; } }, 'No ', h('kbd', {}, 'Esc')));
    confirmBar.hidden = false;
    confirmBar.querySelector('button.primary').focus();
  };
  const best = doc.candidates[0];
  const actions = {
    accept: () => best ? confirmThen(`File to ${patientLine(best.patient)}?`, () => run('accept', {}, outcome))
      : toast('There is no suggested patient to accept.', 'error'),
    correct: () => panel.querySelector('#field-nhs_number').focus(),
    link: () => { linkPanel.hidden = false; linkSearch.focus(); },
    newPatient: () => confirmThen('Create a patient from this document\'s fields and file it to them?', () => run('new-patient', {}, outcome)),
    reject: () => { rejectPanel.hidden = false; rejectReason.focus(); },
    pdf: () => doc.has_archive ? window.open(`/api/documents/${encodeURIComponent(doc.id)}/archive.pdf`, '_blank', 'noopener')
      : toast('This document has no searchable PDF.', 'error'),
  };
  Object.assign(view.keys, {
    a: ['Accept the suggested patient', actions.accept],
    c: ['Correct a field (NHS number first; Tab for the others)', actions.correct],
    l: ['Link to a patient: search the patient index', actions.link],
    n: ['New patient from this document\'s fields', actions.newPatient],
    r: ['Reject, with a reason', actions.reject],
    j: ['Next document in the queue', () => step(1)],
    k: ['Previous document in the queue', () => step(-1)],
    p: ['Open the searchable PDF', actions.pdf],
  });
  view.escape = () => { confirmBar.hidden = true; linkPanel.hidden = true; rejectPanel.hidden = true; };

  const button = (label, key, action, extra = {}) =>
    h('button', { type: 'button', onclick: action, ...extra }, label, ' ', h('kbd', {}, key));

  // Fields: every correctable one, found or not, editable in place.
  const fieldRows = Object.entries(FIELD_LABELS).map(([name, label]) => {
    const field = doc.fields.find((f) => f.name === name);
    const input = h('input', { id: `field-${name}`, class: 'field-value', value: field ? field.value : '', autocomplete: 'off',
      spellcheck: 'false', 'aria-describedby': `check-${name}`, dataset: { field: name, original: field ? field.value : '' } });
    const check = h('span', { id: `check-${name}`, class: 'check' });
    const validate = () => {
      input.classList.toggle('changed', input.value !== input.dataset.original);
      if (name !== 'nhs_number') return true;
      const result = checkNhsNumber(input.value);
      check.textContent = input.value === '' ? '' : result.message;
      check.className = `check ${result.valid ? 'good' : 'bad'}`;
      input.setAttribute('aria-invalid', input.value !== '' && !result.valid);
      return result.valid;
    };
    input.addEventListener('input', validate);
    input.addEventListener('focus', () => highlight(name, true));
    input.addEventListener('blur', () => highlight(name, false));
    input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      if (input.value === input.dataset.original) return toast('Unchanged.');
      if (!validate()) return toast(`Not saved: ${check.textContent}.`, 'error');
      run('correct', { field: name, value: input.value }, (d) => `${label} corrected. ${outcome(d)}`);
    });
    validate();
    return h('tr', { class: field ? '' : 'missing' },
      h('th', {}, h('label', { for: `field-${name}` }, label)),
      h('td', {}, input, check),
      h('td', { class: 'confidence' }, field ? `${Math.round(field.confidence * 100)}%` : 'not found'),
      h('td', { class: 'muted' }, field && field.bbox[2] > 0 ? `p${field.page}` : ''));
  });

  // Linking: search the patient index by name, NHS number or date of birth.
  const linkResults = h('ul', { class: 'results', id: 'link-results' });
  let found = [], chosen = 0;
  const choose = (i) => {
    chosen = Math.max(0, Math.min(found.length - 1, i));
    [...linkResults.children].forEach((li, j) => li.classList.toggle('selected', j === chosen));
  };
  const linkTo = (p) => confirmThen(`Link to ${patientLine(p)}?`, () => run('link', { patient_id: p.id }, outcome));
  let searchTimer = null;
  const linkSearch = h('input', { id: 'link-search', type: 'search', placeholder: 'name, NHS number or date of birth', autocomplete: 'off',
    oninput: () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(async () => {
        const answer = await api(`/api/patients?${new URLSearchParams({ q: linkSearch.value })}`);
        found = answer.patients;
        linkResults.replaceChildren(...found.map((p) => h('li', { onclick: () => linkTo(p) }, patientLine(p))));
        if (!found.length && linkSearch.value) linkResults.append(h('li', { class: 'muted' }, 'No patient matches.'));
        choose(0);
      }, 150);
    },
    onkeydown: (event) => {
      if (event.key === 'ArrowDown') { event.preventDefault(); choose(chosen + 1); }
      if (event.key === 'ArrowUp') { event.preventDefault(); choose(chosen - 1); }
      if (event.key === 'Enter') { event.preventDefault(); if (found[chosen]) linkTo(found[chosen]); }
    } });
  const linkPanel = h('div', { class: 'subpanel', id: 'link-panel', hidden: true },
    h('label', { for: 'link-search' }, 'Link to a patient'), linkSearch,
    h('p', { class: 'hint' }, h('kbd', {}, '↑'), h('kbd', {}, '↓'), ' choose, ', h('kbd', {}, 'Enter'), ' link, ', h('kbd', {}, 'Esc'), ' close'),
    linkResults);

  const rejectReason = h('input', { id: 'reject-reason', placeholder: 'why, e.g. duplicate scan', autocomplete: 'off',
    onkeydown: (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      if (!rejectReason.value.trim()) return toast('A rejection needs a reason.', 'error');
      run('reject', { reason: rejectReason.value }, outcome);
    } });
  const rejectPanel = h('div', { class: 'subpanel', id: 'reject-panel', hidden: true },
    h('label', { for: 'reject-reason' }, 'Reject: the reason'), rejectReason,
    h('p', { class: 'hint' }, h('kbd', {}, 'Enter'), ' reject, ', h('kbd', {}, 'Esc'), ' close'));

  const candidates = doc.candidates.map((c, i) => h('li', { class: 'candidate' },
    h('div', { class: 'candidate-head' },
      h('meter', { min: 0, max: 1, value: c.score, title: `score ${c.score.toFixed(2)}` }),
      h('span', { class: 'score' }, c.score.toFixed(2)),
      c.patient ? h('a', { href: `#/patients/${c.patient.id}` }, patientLine(c.patient)) : c.patient_id,
      i === 0 ? h('span', { class: 'pill' }, 'suggested') : null),
    h('div', { class: 'muted' }, c.evidence),
    c.patient ? h('button', { type: 'button', class: 'small', onclick: () => linkTo(c.patient) }, 'Link to this patient') : null));

  const statusLine = doc.status === 'filed'
    ? h('p', { class: 'filed-to' }, 'Filed to ', h('a', { href: `#/patients/${doc.patient.id}` }, patientLine(doc.patient)),
        doc.filing_rule ? h('span', { class: 'muted' }, ` by rule ${doc.filing_rule}`) : null)
    : null;

  appendChildren(panel, [
    h('div', { class: 'doc-head' },
      h('h1', {}, typeName(doc.document_type), ' ', h('span', { class: `status ${doc.status}`, id: 'doc-status' }, doc.status.replace('_', ' '))),
      h('p', { class: 'muted' }, doc.source_name, ' · ', doc.id,
        position >= 0 ? ` · ${position + 1} of ${queue.ids.length} in the queue` : '')),
    h('div', { class: 'actions' },
      button('Accept', 'A', actions.accept, { disabled: !best, title: best ? '' : 'no suggested patient' }),
      button('Correct', 'C', actions.correct),
      button('Link', 'L', actions.link),
      button('New patient', 'N', actions.newPatient),
      button('Reject', 'R', actions.reject),
      button('PDF', 'P', actions.pdf, { disabled: !doc.has_archive }),
      h('span', { class: 'spacer' }),
      button('Previous', 'K', () => step(-1)),
      button('Next', 'J', () => step(1))),
    confirmBar,
    statusLine,
    doc.review_reasons.length ? h('ul', { class: 'reasons', id: 'reasons' }, doc.review_reasons.map((r) => h('li', {}, r))) : null,
    rejectPanel,
    h('h2', {}, 'Fields'),
    h('table', { class: 'fields' }, h('tbody', {}, fieldRows)),
    h('p', { class: 'hint' }, 'Edit a value and press ', h('kbd', {}, 'Enter'), ' to correct it; the document is then linked again.'),
    h('h2', {}, 'Candidate patients'),
    candidates.length ? h('ul', { class: 'candidates' }, candidates) : h('p', { class: 'muted' }, 'No patient in the index shares an identifier.'),
    linkPanel,
    h('h2', {}, 'Text read'),
    doc.pages.map((p) => h('details', { class: 'ocr' }, h('summary', {}, `Page ${p.number} · confidence ${Math.round(p.mean_confidence)}`,
      p.notes.length ? ` · ${p.notes.join('; ')}` : ''), h('pre', {}, p.blank ? '(blank page)' : p.text))),
    h('h2', {}, 'Audit trail'),
    auditTable(doc.audit)]);
}

// One page: the upright, deskewed image with a box over every field read on it.
function pageFigure(view, doc, page) {
  const svg = h('svg', { class: 'page', role: 'img', 'aria-label': `page ${page.number}` });
  const caption = h('figcaption', {}, `Page ${page.number}`,
    page.rotation_degrees ? ` · turned ${page.rotation_degrees}°` : '',
    Math.abs(page.skew_degrees) >= 0.05 ? ` · deskewed ${page.skew_degrees.toFixed(1)}°` : '',
    page.blank ? ' · blank' : '');
  const figure = h('figure', { class: 'page-figure', dataset: { page: page.number } }, svg, caption);
  if (!view.pages.has(page.number)) view.pages.set(page.number, pageImage(doc.id, page.number));
  view.pages.get(page.number)
    .then(({ url, w, hgt }) => {
      svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
      svg.append(h('image', { href: url, x: 0, y: 0, width: w, height: hgt }));
      for (const field of doc.fields) {
        const [x, y, bw, bh] = field.bbox;
        if (field.page !== page.number || bw <= 0 || bh <= 0) continue;
        const pad = Math.max(4, bh * 0.25);
        svg.append(h('g', { class: 'field-box', dataset: { field: field.name } },
          h('rect', { x: x - pad, y: y - pad, width: bw + 2 * pad, height: bh + 2 * pad, rx: pad }),
          h('text', { x: x - pad, y: y - pad - 6, 'font-size': Math.max(22, bh * 0.7) }, FIELD_LABELS[field.name] || field.name),
          h('title', {}, `${FIELD_LABELS[field.name] || field.name}: ${field.value}`)));
      }
      figure.classList.add('loaded');
    })
    .catch((error) => { figure.classList.add('unavailable'); caption.append(h('span', { class: 'error' }, ` · ${error.message}`)); });
  return figure;
}

// The page's image as an object URL, with the size of the prepared page that boxes are in.
async function pageImage(id, number) {
  const width = Math.min(2000, Math.round(Math.max(700, window.innerWidth * 0.55) * (window.devicePixelRatio || 1)));
  const response = await fetch(`/api/documents/${encodeURIComponent(id)}/pages/${number}/image?width=${width}`, { credentials: 'same-origin' });
  if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error || `page ${number} could not be shown`);
  const w = Number(response.headers.get('X-Page-Width')), hgt = Number(response.headers.get('X-Page-Height'));
  return { url: URL.createObjectURL(await response.blob()), w, hgt };
}

function highlight(name, on) {
  for (const box of document.querySelectorAll(`.field-box[data-field="${name}"]`)) {
    box.classList.toggle('focused', on);
    if (on) box.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }
}

function auditTable(entries) {
  if (!entries.length) return h('p', { class: 'muted' }, 'Nothing recorded.');
  return h('table', { class: 'audit', id: 'audit' },
    h('thead', {}, h('tr', {}, ['When', 'Who', 'What', 'Change'].map((t) => h('th', {}, t)))),
    h('tbody', {}, entries.map((e) => h('tr', {},
      h('td', { class: 'when' }, e.at.slice(0, 16).replace('T', ' ')),
      h('td', { class: 'user' }, e.user),
      h('td', {}, e.action.replace('_', ' '), e.rule ? h('span', { class: 'muted' }, ` (${e.rule})`) : ''),
      h('td', {}, e.field ? `${e.field}: ${e.old_value || '–'} → ${e.new_value || '–'}` : '', e.detail ? h('div', { class: 'muted' }, e.detail) : '')))));
}

// ---- search -----------------------------------------------------------------------------------

// A snippet marks matched words with [ ]; they are shown highlighted, the rest as text.
function snippet(text) {
  const parts = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  for (let m; (m = re.exec(text));) {
    parts.push(text.slice(last, m.index), h('mark', {}, m[1]));
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return h('p', { class: 'snippet' }, parts);
}

async function searchView(params) {
  const view = { name: 'search', keys: {} };
  setView(view);
  const value = (k) => params.get(k) || '';
  const q = h('input', { id: 'search-q', type: 'search', name: 'q', value: value('q'), placeholder: 'words in the text or the patient\'s name' });
  const type = h('select', { name: 'type' }, h('option', { value: '' }, 'any type'),
    DOCUMENT_TYPES.map((t) => h('option', { value: t, selected: value('type') === t }, typeName(t))));
  const status = h('select', { name: 'status' }, h('option', { value: '' }, 'any status'),
    ['filed', 'needs_review', 'rejected'].map((s) => h('option', { value: s, selected: value('status') === s }, s.replace('_', ' '))));
  const from = h('input', { name: 'from', value: value('from'), placeholder: 'from, e.g. 01/01/2021', size: 12 });
  const to = h('input', { name: 'to', value: value('to'), placeholder: 'to', size: 12 });
  const patientId = value('patient_id');
  const patientBox = h('span', { class: 'patient-filter' });
  const pickPatient = h('input', { id: 'search-patient', type: 'search', placeholder: 'patient: name, NHS number or date of birth', autocomplete: 'off' });
  const picks = h('ul', { class: 'results' });
  let chosenPatient = patientId;

  const submit = (event) => {
    if (event) event.preventDefault();
    const next = new URLSearchParams();
    for (const [k, el] of [['q', q], ['type', type], ['status', status], ['from', from], ['to', to]]) if (el.value) next.set(k, el.value);
    if (chosenPatient) next.set('patient_id', chosenPatient);
    location.hash = `#/search?${next}`;
  };
  let timer = null;
  pickPatient.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const answer = await api(`/api/patients?${new URLSearchParams({ q: pickPatient.value })}`);
      picks.replaceChildren(...answer.patients.map((p) => h('li', { onclick: () => { chosenPatient = p.id; submit(); } }, patientLine(p))));
    }, 150);
  });
  if (patientId) {
    const answer = await api(`/api/patients/${encodeURIComponent(patientId)}`);
    patientBox.append(h('span', { class: 'chip' }, patientLine(answer.patient),
      h('button', { type: 'button', class: 'link', title: 'any patient', onclick: () => { chosenPatient = ''; submit(); } }, '×')));
  } else {
    patientBox.append(pickPatient, picks);
  }

  const form = h('form', { class: 'search-form', onsubmit: submit },
    q, h('button', { type: 'submit', class: 'primary' }, 'Search'),
    h('div', { class: 'filters' }, patientBox, type, status, from, to));
  const results = h('div', { id: 'search-results' });
  show(h('section', { class: 'search' }, h('h1', {}, 'Search'), form, results));
  view.keys['/'] = ['Type a search', () => q.focus()];
  view.keys.s = ['Type a search', () => q.focus()];

  const anything = ['q', 'type', 'status', 'from', 'to', 'patient_id'].some((k) => value(k));
  if (!anything) { q.focus(); return; }
  const query = new URLSearchParams();
  for (const k of ['q', 'type', 'status', 'from', 'to', 'patient_id']) if (value(k)) query.set(k, value(k));
  try {
    const answer = await api(`/api/search?${query}`);
    const hits = answer.documents;
    results.replaceChildren(h('p', { class: 'count' }, `${hits.length}${hits.length >= 100 ? '+' : ''} document${hits.length === 1 ? '' : 's'}`),
      h('ol', { class: 'hits' }, hits.map((d) => h('li', { class: 'hit' },
        h('div', { class: 'hit-head' },
          h('a', { href: `#/documents/${d.id}` }, typeName(d.document_type), d.document_date ? ` · ${d.document_date}` : ' · undated'),
          ' ', h('span', { class: `status ${d.status}` }, d.status.replace('_', ' ')),
          d.patient ? h('a', { class: 'patient', href: `#/patients/${d.patient.id}` }, patientLine(d.patient)) : null,
          d.has_archive ? h('a', { class: 'pdf', href: `/api/documents/${encodeURIComponent(d.id)}/archive.pdf`, target: '_blank', rel: 'noopener' }, 'PDF') : null),
        d.snippet ? snippet(d.snippet) : null,
        h('div', { class: 'muted' }, d.source_name, ' · ', d.id)))));
  } catch (error) {
    if (!(error instanceof SignInNeeded)) results.replaceChildren(h('p', { class: 'error' }, error.message));
  }
}

// ---- a patient --------------------------------------------------------------------------------

async function patientView(id) {
  setView({ name: 'patient', keys: {} });
  const data = await api(`/api/patients/${encodeURIComponent(id)}`);
  const p = data.patient;
  const dated = [...data.documents].sort((a, b) => (b.document_date || b.created_at).localeCompare(a.document_date || a.created_at));
  const years = new Map();
  for (const d of dated) {
    const year = (d.document_date || d.created_at).slice(0, 4);
    if (!years.has(year)) years.set(year, []);
    years.get(year).push(d);
  }
  show(h('section', { class: 'patient' },
    h('h1', {}, patientName(p)),
    h('dl', { class: 'identity' },
      h('dt', {}, 'NHS number'), h('dd', {}, formatNhs(p.nhs_number) || '–'),
      h('dt', {}, 'Hospital number'), h('dd', {}, p.hospital_number || '–'),
      h('dt', {}, 'Date of birth'), h('dd', {}, p.date_of_birth || '–'),
      h('dt', {}, 'Sex'), h('dd', {}, p.sex || '–'),
      h('dt', {}, 'Postcode'), h('dd', {}, p.postcode || '–')),
    h('h2', {}, `Documents (${dated.length})`, ' ', h('a', { class: 'small', href: `#/search?patient_id=${encodeURIComponent(p.id)}` }, 'search within')),
    dated.length ? h('ol', { class: 'timeline', id: 'timeline' }, [...years].map(([year, docs]) => h('li', { class: 'year' },
      h('h3', {}, year),
      h('ol', {}, docs.map((d) => h('li', { class: 'event' },
        h('span', { class: 'when' }, d.document_date || `stored ${d.created_at.slice(0, 10)}`),
        h('a', { href: `#/documents/${d.id}` }, typeName(d.document_type)),
        d.status !== 'filed' ? h('span', { class: `status ${d.status}` }, d.status.replace('_', ' ')) : null,
        h('span', { class: 'muted' }, ` ${d.source_name}`)))))))
      : h('p', { class: 'muted' }, 'No documents are filed to this patient.'),
    h('h2', {}, 'Audit trail'),
    auditTable(data.audit)));
}

// ---- the dashboard ----------------------------------------------------------------------------

function daysBetween(fromIso, toIso) {
  return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 864e5);
}

async function dashboardView() {
  setView({ name: 'dashboard', keys: {} });
  const data = await api('/api/dashboard');
  const days = [];
  for (let i = data.days - 1; i >= 0; --i) days.push(new Date(Date.parse(data.today) - i * 864e5).toISOString().slice(0, 10));
  const series = (counts) => days.map((day) => (counts.find((c) => c.day === day) || { count: 0 }).count);
  const shortDay = (day) => `${Number(day.slice(8))}/${Number(day.slice(5, 7))}`;

  const buckets = [['today', 0, 0], ['1 day', 1, 1], ['2–3 days', 2, 3], ['4–7 days', 4, 7], ['over a week', 8, Infinity]];
  const ages = buckets.map(([, low, high]) => data.review_queue_by_day
    .filter((c) => { const a = daysBetween(c.day, data.today); return a >= low && a <= high; })
    .reduce((sum, c) => sum + c.count, 0));
  const oldest = data.review_queue_by_day.length ? daysBetween(data.review_queue_by_day[0].day, data.today) : null;
  const filedToday = series(data.filed_on_ingest_by_day).at(-1) + series(data.filed_in_review_by_day).at(-1);

  const card = (label, value, note) => h('div', { class: 'card' }, h('div', { class: 'value' }, String(value)), h('div', { class: 'label' }, label), note ? h('div', { class: 'muted' }, note) : null);
  show(h('section', { class: 'dashboard' },
    h('h1', {}, 'Dashboard'),
    h('div', { class: 'cards' },
      card('in the review queue', data.needs_review, oldest === null ? 'empty' : `oldest ${oldest === 0 ? 'from today' : `${oldest} day${oldest === 1 ? '' : 's'} old`}`),
      card('filed today', filedToday),
      card('filed in all', data.filed, `${data.rejected} rejected`),
      card('inputs failed', data.failed_inputs)),
    h('div', { class: 'charts' },
      h('figure', { class: 'chart' }, h('figcaption', {}, 'Review queue by age'),
        barChart({ labels: buckets.map((b) => b[0]), series: [{ name: 'documents', values: ages, className: 'queue' }] })),
      h('figure', { class: 'chart wide' }, h('figcaption', {}, `Filed per day, last ${data.days} days`),
        barChart({ labels: days.map(shortDay), series: [
          { name: 'by the linking rules', values: series(data.filed_on_ingest_by_day), className: 'rules' },
          { name: 'by a person in review', values: series(data.filed_in_review_by_day), className: 'people' }] })),
      h('figure', { class: 'chart wide' }, h('figcaption', {}, `Inputs failed per day, last ${data.days} days`),
        barChart({ labels: days.map(shortDay), series: [{ name: 'failed', values: series(data.failures_by_day), className: 'failed' }] }))),
    h('h2', {}, 'Latest failures'),
    data.recent_failures.length ? h('table', { class: 'list' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Input'), h('th', {}, 'Why'))),
      h('tbody', {}, data.recent_failures.map((f) => h('tr', {}, h('td', {}, f.source_name), h('td', {}, f.reason)))))
      : h('p', { class: 'muted' }, 'None.')));
}

// ---- start ------------------------------------------------------------------------------------

document.getElementById('sign-out').addEventListener('click', signOut);
document.getElementById('help-button').addEventListener('click', toggleHelp);
document.getElementById('help-close').addEventListener('click', () => document.getElementById('help').close());

(async () => {
  try {
    const status = await api('/api/status');
    session.user = status.user;
    session.csrf = status.csrf_token;
    startSession();
  } catch (error) {
    if (!(error instanceof SignInNeeded)) showSignIn(error.message);
  }
})();
