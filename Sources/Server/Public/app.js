// LabSearch search page. Plain script, no build step, no external resources.
// Server data is never inserted as HTML: titles, subtitles and records go in
// through textContent, highlights are split on <mark>/</mark> and rebuilt.
'use strict';

(() => {
  const KEY_STORAGE = 'labsearch.apiKey';
  const DEBOUNCE_MS = 120;
  const OVERVIEW_LIMIT = 5;
  const TAB_LIMIT = 20;
  const PICKER_LIMIT = 8;

  const TAB_ORDER = ['clients', 'partners', 'events', 'products'];
  const TAB_LABELS = { clients: 'Clients', partners: 'Partenaires', events: 'Événements', products: 'Produits' };
  const COLLECTIONS = {
    client: 'clients', client_contact: 'client-contacts', partner: 'partners',
    partner_contact: 'partner-contacts', event: 'events', product: 'products',
  };
  const KIND_LABELS = {
    client: 'Client-Société', client_contact: 'Client-Contact', partner: 'Partenaire-Société',
    partner_contact: 'Partenaire-Contact', event: 'Événement', product: 'Produit',
  };
  const FIELD_LABELS = {
    name: 'nom', first_name: 'prénom', last_name: 'nom', email: 'e-mail', phone_direct: 'tél. direct',
    phone_mobile: 'mobile', phone_switchboard: 'standard', siret: 'SIRET', siren: 'SIREN',
    vat_number: 'TVA', city: 'ville', postal_code: 'code postal', address1: 'adresse',
    address2: 'adresse', reference: 'référence', website: 'site web', description: 'description',
    venue: 'lieu', category: 'catégorie', position: 'fonction', type: 'type', ape_code: 'APE',
    accounting_account: 'compte comptable', comment: 'commentaire', client: 'client', company: 'société',
    partner: 'partenaire', contact: 'contact', parent: 'société mère',
  };
  const REASON_LABELS = {
    siret: 'même SIRET', siren: 'même SIREN', vat: 'même n° de TVA', email: 'même e-mail',
    phone: 'même téléphone', website_domain: 'même site web', name: 'même nom',
    name_similar: 'nom proche', acronym: 'sigle', name_swapped: 'prénom et nom inversés',
    initial: 'initiale du prénom',
  };
  const CIVILITIES = ['', 'Monsieur', 'Madame', 'Professeur', 'Maître', 'Docteur'];

  // Creation form layouts. `name` is the dotted path of the field in the POST body.
  const FORM_SPECS = {
    client: {
      title: 'Nouveau client', endpoint: '/v1/clients', done: 'Client créé', duplicateKind: 'client',
      sections: [
        { legend: 'Société', fields: [
          { name: 'name', label: 'Raison sociale', required: true, wide: true },
          { name: 'siret', label: 'SIRET', inputmode: 'numeric' },
          { name: 'vat_number', label: 'N° de TVA intracommunautaire' },
          { name: 'website', label: 'Site web', type: 'url' },
          { name: 'address1', label: 'Adresse' },
          { name: 'address2', label: "Complément d'adresse" },
          { name: 'postal_code', label: 'Code postal', inputmode: 'numeric' },
          { name: 'city', label: 'Ville' },
          { name: 'country', label: 'Pays (code ISO)', value: 'FR', maxlength: 2 },
        ] },
        { legend: 'Contact principal', fields: [
          { name: 'main_contact.civility', label: 'Civilité', options: CIVILITIES },
          { name: 'main_contact.position', label: 'Fonction' },
          { name: 'main_contact.first_name', label: 'Prénom', required: true },
          { name: 'main_contact.last_name', label: 'Nom', required: true },
          { name: 'main_contact.email', label: 'E-mail', type: 'email', required: true, wide: true },
          { name: 'main_contact.phone_direct', label: 'Téléphone direct', type: 'tel', required: true },
          { name: 'main_contact.phone_mobile', label: 'Mobile', type: 'tel' },
        ] },
      ],
    },
    contact: {
      title: 'Nouveau contact', endpoint: '/v1/client-contacts', done: 'Contact créé', duplicateKind: 'client_contact',
      sections: [
        { legend: 'Société du contact', picker: true, fields: [] },
        { legend: 'Contact', fields: [
          { name: 'civility', label: 'Civilité', options: CIVILITIES },
          { name: 'position', label: 'Fonction' },
          { name: 'first_name', label: 'Prénom', required: true },
          { name: 'last_name', label: 'Nom', required: true },
          { name: 'email', label: 'E-mail', type: 'email', wide: true },
          { name: 'phone_direct', label: 'Téléphone direct', type: 'tel' },
          { name: 'phone_mobile', label: 'Mobile', type: 'tel' },
        ] },
      ],
    },
  };

  const $ = (sel, root = document) => root.querySelector(sel);
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  };

  const dom = {
    q: $('#q'), inactive: $('#include-inactive'), results: $('#results'), status: $('#status'),
    tablist: $('#tablist'), tabpanel: $('#tabpanel'), hits: $('#hits'), empty: $('#empty'),
    more: $('#more'), suggestions: $('#suggestions'), intro: $('#intro'),
    detail: $('#detail'), detailTitle: $('#detail-title'), detailKind: $('#detail-kind'),
    detailJson: $('#detail-json'), detailError: $('#detail-error'), detailActions: $('#detail-actions'),
    detailFields: $('#detail-fields'), detailRaw: $('#detail-raw'),
    createDialog: $('#create-dialog'), createForm: $('#create-form'), createTitle: $('#create-title'),
    createFields: $('#create-fields'), formError: $('#form-error'), dupBox: $('#duplicate-box'),
    dupList: $('#duplicate-list'), forceBtn: $('#force-create'), submitBtn: $('#create-submit'),
    keyDialog: $('#key-dialog'), keyForm: $('#key-form'), keyInput: $('#api-key'), keyError: $('#key-error'),
    toast: $('#toast'),
  };

  // The page has several views (search, client list, contact list: see lists.js); the
  // search page's keyboard handling and focus rules only apply to the search view.
  const inSearchView = () => (document.body.dataset.view || 'search') === 'search';
  // Where focus goes back when the record panel or the creation form closes outside the search view.
  let detailReturnFocus = null;
  let createReturnFocus = null;
  const refocus = (node) => {
    if (inSearchView() || !node || !node.isConnected) { if (inSearchView()) dom.q.focus(); return; }
    node.focus();
  };

  const state = {
    key: null,
    demoTried: false,
    keyPromise: null,
    pending: null,          // action to retry once a key is entered
    seq: 0,                 // search sequence number: older answers are ignored
    controller: null,
    debounce: null,
    q: '',                  // query of the results on screen
    tabs: {},               // tab -> {label,total,groups:[{kind,label,total,hits}],full,nextOffset}
    activeTab: 'clients',
    suggestions: [],
    corrected: null,
    flat: [],               // hits of the active tab in screen order
    selected: -1,
    detailSeq: 0,
    form: null,             // {kind, prefill}
    toastTimer: null,
  };

  // ---------------------------------------------------------------- API key

  function setKey(key) {
    state.key = key;
    try { sessionStorage.setItem(KEY_STORAGE, key); } catch (_) { /* private mode */ }
    return key;
  }

  function dropKey() {
    state.key = null;
    try { sessionStorage.removeItem(KEY_STORAGE); } catch (_) { /* ignore */ }
  }

  // One lookup at a time: concurrent callers share the same promise.
  function ensureKey() {
    if (state.key) return Promise.resolve(state.key);
    if (!state.keyPromise) {
      state.keyPromise = lookupKey().finally(() => { state.keyPromise = null; });
    }
    return state.keyPromise;
  }

  async function lookupKey() {
    let stored = null;
    try { stored = sessionStorage.getItem(KEY_STORAGE); } catch (_) { /* ignore */ }
    if (stored) return (state.key = stored);
    if (!state.demoTried) {
      state.demoTried = true;
      const meta = document.querySelector('meta[name="labsearch-demo-key"]');
      const metaKey = meta ? (meta.getAttribute('content') || '').trim() : '';
      if (metaKey && !/^\{\{.*\}\}$/.test(metaKey)) return setKey(metaKey);
      try {
        const r = await fetch('/v1/demo-key', { headers: { Accept: 'application/json' }, cache: 'no-store' });
        if (r.ok) {
          const body = await r.json();
          if (body && typeof body.key === 'string' && body.key) return setKey(body.key);
        }
      } catch (_) { /* no demo key: ask */ }
    }
    return null;
  }

  function askKey(message) {
    dom.keyError.hidden = !message;
    dom.keyError.textContent = message || '';
    dom.keyInput.value = '';
    if (!dom.keyDialog.open) dom.keyDialog.showModal();
    dom.keyInput.focus();
  }

  class AuthNeeded extends Error {}

  // Calls the API; on 401 forgets the key, asks again and remembers `retry`.
  // `form` sends a FormData (multipart) body; `raw` returns the fetch Response itself
  // (file downloads) once the 401 case is handled.
  async function api(path, { method = 'GET', body, form, raw = false, signal, retry } = {}) {
    const key = await ensureKey();
    if (!key) {
      state.pending = retry || null;
      askKey('');
      throw new AuthNeeded('no key');
    }
    const headers = { Accept: raw ? '*/*' : 'application/json, application/problem+json', Authorization: 'Bearer ' + key };
    const init = { method, headers, signal, cache: 'no-store' };
    if (form !== undefined) {
      init.body = form;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    if (res.status === 401) {
      dropKey();
      state.pending = retry || null;
      askKey('Clé refusée par le serveur. Saisissez une clé valide.');
      throw new AuthNeeded('401');
    }
    if (raw) return res;
    let data = null;
    const text = await res.text();
    if (text) {
      try { data = JSON.parse(text); } catch (_) { data = null; }
    }
    return { status: res.status, data, headers: res.headers };
  }

  function problemText(res, fallback) {
    const p = res && res.data;
    if (p && (p.detail || p.title)) return String(p.detail || p.title);
    if (res && res.status === 403) return "Votre clé n'a pas le droit de faire cela.";
    return fallback || `Erreur du serveur (${res ? res.status : 'réseau'}).`;
  }

  // ------------------------------------------------------------- highlights

  const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  function decodeEntities(s) {
    return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, ent) => {
      if (ent[0] === '#') {
        const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
      }
      return Object.prototype.hasOwnProperty.call(ENTITIES, ent) ? ENTITIES[ent] : m;
    });
  }

  // Appends the server's escaped `text with <mark>…</mark>` as text nodes and <mark> elements.
  function appendHighlight(target, html) {
    let inMark = false;
    for (const part of String(html).split(/(<mark>|<\/mark>)/i)) {
      const tag = part.toLowerCase();
      if (tag === '<mark>') { inMark = true; continue; }
      if (tag === '</mark>') { inMark = false; continue; }
      if (!part) continue;
      const text = decodeEntities(part);
      target.append(inMark ? el('mark', { text }) : document.createTextNode(text));
    }
  }

  // ------------------------------------------------------------------ search

  function setResultsState(s) { dom.results.dataset.state = s; }

  function scheduleSearch() {
    clearTimeout(state.debounce);
    state.debounce = setTimeout(() => runSearch({ mode: 'overview' }), DEBOUNCE_MS);
  }

  async function runSearch({ mode = 'overview', tab = null, offset = 0 } = {}) {
    clearTimeout(state.debounce);
    const q = dom.q.value.trim();
    const seq = ++state.seq;
    if (state.controller) state.controller.abort();
    state.controller = null;
    if (!q) { resetResults(); return; }
    const controller = new AbortController();
    state.controller = controller;
    setResultsState('loading');
    const params = new URLSearchParams({ q, limit: String(mode === 'tab' ? TAB_LIMIT : OVERVIEW_LIMIT) });
    if (mode === 'tab') {
      params.set('tab', tab);
      if (offset) params.set('offset', String(offset));
    }
    if (dom.inactive.checked) params.set('inactive', 'include');
    let res;
    try {
      res = await api('/v1/search?' + params.toString(), {
        signal: controller.signal, retry: () => runSearch({ mode, tab, offset }),
      });
    } catch (err) {
      if (seq !== state.seq || (err && err.name === 'AbortError')) return;
      setResultsState(err instanceof AuthNeeded ? 'auth' : 'error');
      if (!(err instanceof AuthNeeded)) dom.status.textContent = 'Serveur injoignable. Réessayez.';
      return;
    }
    if (seq !== state.seq) return; // a newer search was started meanwhile
    state.controller = null;
    if (res.status !== 200 || !res.data || !Array.isArray(res.data.tabs)) {
      setResultsState('error');
      dom.status.textContent = problemText(res, 'La recherche a échoué.');
      return;
    }
    applyResponse(res.data, { q, mode, tab, offset });
  }

  function normalizeTab(t) {
    return {
      label: t.label || TAB_LABELS[t.tab] || t.tab,
      total: Number(t.total) || 0,
      groups: (t.groups || []).map((g) => ({
        kind: g.kind, label: g.label || KIND_LABELS[g.kind] || g.kind,
        total: Number(g.total) || 0, hits: Array.isArray(g.hits) ? g.hits.slice() : [],
      })),
      full: false,
      nextOffset: 0,
    };
  }

  function applyResponse(data, { q, mode, tab, offset }) {
    const newQuery = q !== state.q;
    if (mode === 'overview' || newQuery) {
      state.tabs = {};
      for (const t of data.tabs) state.tabs[t.tab] = normalizeTab(t);
      if (mode === 'overview') {
        const current = state.tabs[state.activeTab];
        if (!current || current.total === 0) {
          const firstFull = TAB_ORDER.find((name) => state.tabs[name] && state.tabs[name].total > 0);
          if (firstFull) state.activeTab = firstFull;
        }
      }
    } else {
      for (const t of data.tabs) {
        const mine = state.tabs[t.tab];
        if (!mine) { state.tabs[t.tab] = normalizeTab(t); continue; }
        mine.total = Number(t.total) || 0;
        if (t.tab !== tab) {
          for (const g of t.groups || []) {
            const mg = mine.groups.find((x) => x.kind === g.kind);
            if (mg) mg.total = Number(g.total) || 0;
          }
        }
      }
    }
    if (mode === 'tab') {
      const fresh = data.tabs.find((t) => t.tab === tab);
      const mine = state.tabs[tab];
      if (fresh && mine) {
        const freshTab = normalizeTab(fresh);
        if (offset > 0 && !newQuery) {
          for (const g of freshTab.groups) {
            const mg = mine.groups.find((x) => x.kind === g.kind);
            if (mg) { mg.hits = mg.hits.concat(g.hits); mg.total = g.total; } else mine.groups.push(g);
          }
        } else {
          mine.groups = freshTab.groups;
        }
        mine.total = freshTab.total;
        mine.full = true;
        mine.nextOffset = offset + TAB_LIMIT;
      }
    }
    const keepSelection = mode === 'tab' && offset > 0 && !newQuery;
    state.q = q;
    state.suggestions = Array.isArray(data.suggestions) ? data.suggestions : [];
    state.corrected = typeof data.corrected_query === 'string' && data.corrected_query ? data.corrected_query : null;
    dom.results.dataset.mode = mode;
    render(keepSelection ? state.selected : -1);
    const total = TAB_ORDER.reduce((n, name) => n + (state.tabs[name] ? state.tabs[name].total : 0), 0);
    const took = typeof data.took_ms === 'number' ? ` en ${data.took_ms.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} ms` : '';
    let status = total === 0 ? `Aucun résultat pour « ${q} ».`
      : `${total.toLocaleString('fr-FR')} résultat${total > 1 ? 's' : ''}${took}.`;
    if (state.corrected) status += ` Recherche corrigée : « ${state.corrected} ».`;
    dom.status.textContent = status;
    dom.results.dataset.query = q;
    setResultsState('ready');
  }

  function resetResults() {
    state.q = '';
    state.tabs = {};
    state.suggestions = [];
    state.corrected = null;
    state.flat = [];
    dom.status.textContent = '';
    dom.results.dataset.query = '';
    dom.results.dataset.mode = 'overview';
    render(-1);
    setResultsState('idle');
  }

  // ------------------------------------------------------------------ render

  function render(selected) {
    const hasQuery = !!state.q;
    dom.intro.hidden = hasQuery;
    dom.results.classList.toggle('has-query', hasQuery);
    dom.results.dataset.tab = state.activeTab;
    renderTabs(hasQuery);
    renderHits(hasQuery);
    renderSuggestions(hasQuery);
    setSelected(Math.min(selected, state.flat.length - 1), false);
  }

  function renderTabs(hasQuery) {
    dom.tablist.hidden = !hasQuery;
    dom.tablist.replaceChildren();
    for (const name of TAB_ORDER) {
      const t = state.tabs[name];
      const total = t ? t.total : 0;
      const active = name === state.activeTab;
      const btn = el('button', {
        type: 'button', role: 'tab', id: 'tab-' + name, class: 'tab' + (total === 0 ? ' zero' : ''),
        'data-tab': name, 'data-count': String(total), 'aria-selected': active ? 'true' : 'false',
        'aria-controls': 'tabpanel', tabindex: active ? '0' : '-1',
        onclick: () => switchTab(name, { fetch: true }),
        onmousedown: (e) => e.preventDefault(), // keep focus in the search bar
      }, el('span', { class: 'tab-label', text: t ? t.label : TAB_LABELS[name] }),
      el('span', { class: 'badge', text: total.toLocaleString('fr-FR'), 'aria-label': `${total} résultat${total > 1 ? 's' : ''}` }));
      dom.tablist.append(btn);
    }
    dom.tabpanel.setAttribute('aria-labelledby', 'tab-' + state.activeTab);
  }

  function renderHits(hasQuery) {
    dom.hits.replaceChildren();
    state.flat = [];
    const tab = state.tabs[state.activeTab];
    const allZero = TAB_ORDER.every((name) => !state.tabs[name] || state.tabs[name].total === 0);
    dom.empty.hidden = !hasQuery || !allZero;
    dom.empty.replaceChildren();
    if (hasQuery && allZero) {
      dom.empty.append(el('p', { class: 'empty-title' }, 'Aucun résultat pour ', el('q', { text: state.q }), '.'),
        el('p', { text: 'Rechercher avant de créer est un bon réflexe : cette fiche n’existe pas encore.' }));
    }
    dom.hits.hidden = !hasQuery || allZero;
    dom.hits.setAttribute('aria-label', `Résultats — ${tab ? tab.label : TAB_LABELS[state.activeTab]}`);
    let more = false;
    if (hasQuery && tab && !allZero) {
      tab.groups.forEach((g, gi) => {
        const headId = `group-${state.activeTab}-${gi}`;
        const group = el('div', { role: 'group', class: 'group', 'aria-labelledby': headId, 'data-kind': g.kind, 'data-count': String(g.total) });
        group.append(el('h3', { id: headId, class: 'group-title' },
          el('span', { text: g.label }), el('span', { class: 'badge', text: g.total.toLocaleString('fr-FR') })));
        if (g.hits.length === 0) {
          group.append(el('p', { class: 'group-empty', text: g.total === 0 ? 'Aucun résultat' : 'Ouvrez l’onglet pour voir ces résultats' }));
        }
        for (const hit of g.hits) {
          const index = state.flat.length;
          state.flat.push(hit);
          group.append(renderHit(hit, index));
        }
        if (g.hits.length < g.total) more = true;
        dom.hits.append(group);
      });
    }
    dom.more.hidden = !more;
    dom.more.textContent = tab && tab.full ? 'Voir plus' : `Voir plus de ${tab ? tab.label : ''}`.trim();
  }

  function renderHit(hit, index) {
    const kind = String(hit.kind || '');
    const node = el('div', {
      role: 'option', id: 'hit-' + index, class: 'hit', 'aria-selected': 'false',
      'data-id': String(hit.id), 'data-kind': kind, 'data-index': String(index),
    });
    node.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the search bar
    node.addEventListener('click', () => { setSelected(index, true); openHit(hit); });

    const highlights = hit.highlights && typeof hit.highlights === 'object' ? hit.highlights : {};
    const title = el('div', { class: 'hit-title' });
    const titleText = el('span', { class: 'hit-name' });
    if (typeof highlights.name === 'string') appendHighlight(titleText, highlights.name);
    else titleText.textContent = hit.title == null ? String(hit.id) : String(hit.title);
    title.append(titleText);
    if (hit.active === false) title.append(el('span', { class: 'badge inactive', text: 'inactif' }));
    node.append(title);
    if (hit.subtitle) node.append(el('div', { class: 'hit-sub', text: String(hit.subtitle) }));

    const extra = Object.keys(highlights).filter((f) => f !== 'name' && typeof highlights[f] === 'string');
    if (extra.length) {
      const line = el('div', { class: 'hit-match' });
      extra.slice(0, 3).forEach((f, i) => {
        if (i) line.append(document.createTextNode(' · '));
        line.append(el('span', { class: 'hit-field', text: (FIELD_LABELS[f] || f.replace(/_/g, ' ')) + ' : ' }));
        appendHighlight(line, highlights[f]);
      });
      node.append(line);
    }
    return node;
  }

  function renderSuggestions(hasQuery) {
    const list = state.suggestions;
    const box = dom.suggestions;
    const buttons = $('.suggestion-buttons', box);
    buttons.replaceChildren();
    box.hidden = !hasQuery || !list.length;
    const allZero = TAB_ORDER.every((name) => !state.tabs[name] || state.tabs[name].total === 0);
    box.dataset.prominent = hasQuery && allZero ? 'true' : 'false';
    $('.suggestions-intro', box).textContent = allZero ? 'Créer la fiche :' : 'Vous ne trouvez pas ? Créez la fiche :';
    for (const s of list) {
      const kind = s.action === 'create_client' ? 'client' : s.action === 'create_contact' ? 'contact' : null;
      if (!kind) continue;
      buttons.append(el('button', {
        type: 'button', class: 'suggestion' + (allZero ? ' primary' : ''), 'data-action': s.action,
        text: '+ ' + (s.label || (kind === 'client' ? 'Nouveau client' : 'Nouveau contact')),
        onclick: () => openCreate(kind, s.prefill || {}),
      }));
    }
  }

  function setSelected(index, scroll = true) {
    state.selected = index;
    for (const node of dom.hits.querySelectorAll('[role="option"]')) {
      node.setAttribute('aria-selected', Number(node.dataset.index) === index ? 'true' : 'false');
    }
    const node = index >= 0 ? document.getElementById('hit-' + index) : null;
    if (node) {
      dom.q.setAttribute('aria-activedescendant', node.id);
      if (scroll) node.scrollIntoView({ block: 'nearest' });
    } else {
      dom.q.removeAttribute('aria-activedescendant');
    }
    dom.q.setAttribute('aria-expanded', state.flat.length ? 'true' : 'false');
  }

  function switchTab(name, { fetch = true, focusTab = false } = {}) {
    if (!TAB_ORDER.includes(name)) return;
    state.activeTab = name;
    render(-1);
    if (focusTab) { const b = document.getElementById('tab-' + name); if (b) b.focus(); }
    const t = state.tabs[name];
    if (fetch && state.q && t && t.total > 0 && !t.full) runSearch({ mode: 'tab', tab: name, offset: 0 });
  }

  function moveTab(delta, focusTab) {
    const i = TAB_ORDER.indexOf(state.activeTab);
    switchTab(TAB_ORDER[(i + delta + TAB_ORDER.length) % TAB_ORDER.length], { fetch: true, focusTab });
  }

  function loadMore() {
    const t = state.tabs[state.activeTab];
    if (!t || !state.q) return;
    runSearch({ mode: 'tab', tab: state.activeTab, offset: t.full ? t.nextOffset : 0 });
  }

  // ------------------------------------------------------------------ detail

  function recordName(rec) {
    if (!rec || typeof rec !== 'object') return '';
    if (rec.name) return String(rec.name);
    return [rec.first_name, rec.last_name].filter(Boolean).join(' ');
  }

  async function openHit(hit) {
    const collection = COLLECTIONS[hit.kind];
    if (!collection) return;
    const seq = ++state.detailSeq;
    dom.detail.hidden = false;
    document.body.classList.add('detail-open');
    dom.detail.dataset.state = 'loading';
    dom.detail.dataset.id = String(hit.id);
    dom.detail.dataset.kind = String(hit.kind);
    dom.detailKind.textContent = KIND_LABELS[hit.kind] || hit.kind;
    dom.detailTitle.textContent = hit.title == null ? String(hit.id) : String(hit.title);
    dom.detailJson.textContent = 'Chargement…';
    dom.detailFields.hidden = true;
    dom.detailFields.replaceChildren();
    // The lists show the readable fields first; the search page keeps the JSON open as before.
    dom.detailRaw.open = inSearchView();
    dom.detailError.hidden = true;
    dom.detailActions.replaceChildren();
    let res;
    try {
      res = await api(`/v1/${collection}/${encodeURIComponent(hit.id)}`, { retry: () => openHit(hit) });
    } catch (err) {
      if (seq !== state.detailSeq) return;
      dom.detail.dataset.state = 'error';
      dom.detailJson.textContent = '';
      dom.detailError.hidden = false;
      dom.detailError.textContent = err instanceof AuthNeeded ? 'Clé d’API requise.' : 'Serveur injoignable.';
      return;
    }
    if (seq !== state.detailSeq) return;
    if (res.status !== 200) {
      dom.detail.dataset.state = 'error';
      dom.detailJson.textContent = '';
      dom.detailError.hidden = false;
      dom.detailError.textContent = res.status === 404 ? 'Fiche introuvable.' : problemText(res);
      return;
    }
    const rec = res.data;
    const name = recordName(rec);
    if (name) dom.detailTitle.textContent = name;
    if (rec && rec.active === false) dom.detailTitle.append(' ', el('span', { class: 'badge inactive', text: 'inactif' }));
    dom.detailJson.textContent = JSON.stringify(rec, null, 2);
    renderFields(rec, hit.kind);
    if (hit.kind === 'client') {
      dom.detailActions.append(el('button', {
        type: 'button', class: 'suggestion', text: '+ Nouveau contact pour ce client',
        onclick: () => openCreate('contact', {}, { id: String(rec.id || hit.id), name: name || String(hit.title || hit.id) }),
      }));
    }
    dom.detail.dataset.state = 'ready';
  }

  // ---------------------------------------------------------- display formats

  // Country calling codes of one and two digits (ITU E.164); all others have three.
  const CC2 = new Set(('20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 '
    + '60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98').split(' '));

  // Phones as French people write them: "+33612345678" → "06 12 34 56 78"; other countries keep
  // E.164, grouped: "+41223456789" → "+41 22 345 67 89".
  function formatPhone(value) {
    const s = String(value).trim();
    const m = /^\+(\d{6,15})$/.exec(s);
    if (!m) return s;
    const d = m[1];
    if (d.startsWith('33') && d.length === 11) return ('0' + d.slice(2)).replace(/(\d{2})(?=\d)/g, '$1 ');
    if (d.startsWith('1') && d.length === 11) return `+1 ${d.slice(1, 4)} ${d.slice(4, 7)} ${d.slice(7)}`;
    const ccLen = d[0] === '7' ? 1 : CC2.has(d.slice(0, 2)) ? 2 : 3;
    let rest = d.slice(ccLen);
    const groups = [];
    if (rest.length % 2 === 1 && rest.length >= 5) { groups.push(rest.slice(0, 2), rest.slice(2, 5)); rest = rest.slice(5); }
    else if (rest.length % 2 === 1) { groups.push(rest.slice(0, 1)); rest = rest.slice(1); }
    for (let i = 0; i < rest.length; i += 2) groups.push(rest.slice(i, i + 2));
    return `+${d.slice(0, ccLen)} ${groups.join(' ')}`;
  }

  // "2024-03-01" or "2024-03-01T10:00:00Z" → "01/03/2024" (the stored calendar date, as in exports).
  function formatDate(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value));
    return m ? `${m[3]}/${m[2]}/${m[1]}` : String(value);
  }

  const DETAIL_FIELDS = {
    client: [['name', 'Raison sociale'], ['type', 'Type'], ['siret', 'SIRET'], ['vat_number', 'N° de TVA'],
      ['ape_code', 'Code APE'], ['website', 'Site web'], ['address1', 'Adresse'], ['address2', 'Complément'],
      ['postal_code', 'Code postal'], ['city', 'Ville'], ['country', 'Pays'], ['language', 'Langues'],
      ['accounting_account', 'Compte comptable'], ['parent_id', 'Société mère'], ['active', 'Actif'], ['created_at', 'Créé le']],
    client_contact: [['civility', 'Civilité'], ['first_name', 'Prénom'], ['last_name', 'Nom'], ['client_id', 'Société'],
      ['position', 'Poste occupé'], ['email', 'E-mail'], ['phone_direct', 'Tél. direct'], ['phone_mobile', 'Portable'],
      ['phone_switchboard', 'Standard'], ['is_primary', 'Contact principal'], ['source', 'Source'], ['potential', 'Potentiel'],
      ['situation', 'Situation'], ['stage', 'État d’avancement'], ['sales_rep', 'Commercial'], ['opt_in', 'Opt-in'],
      ['linkedin', 'LinkedIn'], ['facebook', 'Facebook'], ['twitter', 'Twitter'], ['instagram', 'Instagram'],
      ['comment', 'Commentaire'], ['active', 'Actif'], ['created_at', 'Créé le']],
  };

  function displayField(name, v) {
    if (typeof v === 'boolean') return v ? 'Oui' : 'Non';
    if (/^phone_/.test(name)) return formatPhone(v);
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return formatDate(v);
    if (name === 'siret' && /^\d{14}$/.test(String(v))) return String(v).replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4');
    return String(v);
  }

  // The record's main fields, readable, above its JSON (clients and client contacts).
  function renderFields(rec, kind) {
    const spec = DETAIL_FIELDS[kind];
    dom.detailFields.replaceChildren();
    if (!spec || !rec) { dom.detailFields.hidden = true; dom.detailRaw.open = true; return; }
    for (const [name, label] of spec) {
      const v = rec[name];
      if (v === null || v === undefined || v === '') continue;
      const dd = el('dd', { 'data-field': name, text: displayField(name, v) });
      if ((name === 'client_id' || name === 'parent_id') && typeof v === 'string') {
        api(`/v1/clients/${encodeURIComponent(v)}`).then((r) => {
          if (r.status === 200 && r.data && r.data.name) dd.textContent = String(r.data.name);
        }).catch(() => {});
      }
      dom.detailFields.append(el('div', { class: 'detail-field' }, el('dt', { text: label }), dd));
    }
    const custom = rec.custom_fields && typeof rec.custom_fields === 'object' ? rec.custom_fields : {};
    for (const [name, v] of Object.entries(custom)) {
      if (v === null || v === undefined || v === '' || typeof v === 'object') continue;
      dom.detailFields.append(el('div', { class: 'detail-field' }, el('dt', { text: name.replace(/_/g, ' ') }),
        el('dd', { 'data-field': 'custom.' + name, text: displayField(name, v) })));
    }
    dom.detailFields.hidden = !dom.detailFields.childElementCount;
  }

  function closeDetail() {
    state.detailSeq++;
    dom.detail.hidden = true;
    dom.detail.dataset.state = 'idle';
    document.body.classList.remove('detail-open');
    document.dispatchEvent(new CustomEvent('labsearch:detail-closed'));
    refocus(detailReturnFocus);
    detailReturnFocus = null;
  }

  // --------------------------------------------------------------- creation

  let fieldSeq = 0;
  function buildField(f) {
    const id = 'f-' + (++fieldSeq);
    const errId = id + '-err';
    const label = el('label', { for: id }, f.label, f.required ? el('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : null);
    let input;
    if (f.options) {
      input = el('select', { id, name: f.name, 'aria-describedby': errId });
      for (const o of f.options) input.append(el('option', { value: o, text: o || '—' }));
    } else {
      input = el('input', {
        id, name: f.name, type: f.type || 'text', inputmode: f.inputmode, maxlength: f.maxlength,
        'aria-describedby': errId, 'aria-required': f.required ? 'true' : null, autocomplete: 'off',
      });
      if (f.value) input.value = f.value;
    }
    input.dataset.required = f.required ? 'true' : 'false';
    return el('div', { class: 'field' + (f.wide ? ' wide' : '') }, label, input,
      el('p', { class: 'field-error', id: errId, 'data-error-for': f.name, hidden: true }));
  }

  function buildPicker() {
    const wrap = el('div', { class: 'picker wide' });
    const listId = 'client-picker-list';
    const input = el('input', {
      id: 'client-picker', type: 'search', role: 'combobox', 'aria-autocomplete': 'list',
      'aria-expanded': 'false', 'aria-controls': listId, autocomplete: 'off',
      placeholder: 'Rechercher la société…', 'aria-describedby': 'client-picker-err',
    });
    const list = el('div', { id: listId, role: 'listbox', class: 'picker-list', 'aria-label': 'Sociétés trouvées', hidden: true });
    const hidden = el('input', { type: 'hidden', name: 'client_id', id: 'client-id' });
    const chosen = el('p', { class: 'picker-chosen', id: 'client-chosen', hidden: true });
    const newBox = el('input', { type: 'checkbox', id: 'new-company' });
    const newName = buildField({ name: 'client.name', label: 'Nom de la nouvelle société', required: true, wide: true });
    newName.hidden = true;
    $('input', newName).disabled = true;
    wrap.append(
      el('label', { for: 'client-picker', text: 'Société (client)' }), input, list, hidden, chosen,
      el('p', { class: 'field-error', id: 'client-picker-err', 'data-error-for': 'client_id', hidden: true }),
      el('label', { class: 'checkbox' }, newBox, ' Créer une nouvelle société'), newName,
    );
    const picker = { seq: 0, timer: null, items: [], active: -1 };
    const choose = (id, name) => {
      hidden.value = id;
      chosen.hidden = !id;
      chosen.replaceChildren();
      if (id) {
        chosen.append('Société choisie : ', el('strong', { text: name }), ' ',
          el('button', { type: 'button', class: 'link-button', text: 'Changer', onclick: () => { choose('', ''); input.focus(); } }));
      }
      input.hidden = !!id;
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
    };
    const renderList = () => {
      list.replaceChildren();
      picker.items.forEach((h, i) => {
        const opt = el('div', {
          role: 'option', id: 'pick-' + i, class: 'hit', 'data-id': String(h.id), 'data-kind': 'client',
          'aria-selected': i === picker.active ? 'true' : 'false',
        }, el('div', { class: 'hit-title' }, el('span', { text: String(h.title == null ? h.id : h.title) }),
          h.active === false ? el('span', { class: 'badge inactive', text: 'inactif' }) : null),
        h.subtitle ? el('div', { class: 'hit-sub', text: String(h.subtitle) }) : null);
        opt.addEventListener('mousedown', (e) => e.preventDefault());
        opt.addEventListener('click', () => choose(String(h.id), String(h.title == null ? h.id : h.title)));
        list.append(opt);
      });
      if (!picker.items.length && input.value.trim()) list.append(el('p', { class: 'group-empty', text: 'Aucune société trouvée' }));
      list.hidden = !input.value.trim();
      input.setAttribute('aria-expanded', list.hidden ? 'false' : 'true');
      if (picker.active >= 0) input.setAttribute('aria-activedescendant', 'pick-' + picker.active);
      else input.removeAttribute('aria-activedescendant');
    };
    const search = async () => {
      const q = input.value.trim();
      const seq = ++picker.seq;
      if (!q) { picker.items = []; picker.active = -1; renderList(); return; }
      try {
        const params = new URLSearchParams({ q, tab: 'clients', limit: String(PICKER_LIMIT) });
        const res = await api('/v1/search?' + params.toString(), { retry: search });
        if (seq !== picker.seq || res.status !== 200 || !res.data) return;
        const tab = (res.data.tabs || []).find((t) => t.tab === 'clients');
        picker.items = [];
        for (const g of (tab && tab.groups) || []) for (const h of g.hits || []) if (h.kind === 'client') picker.items.push(h);
        picker.active = picker.items.length ? 0 : -1;
        renderList();
      } catch (_) { /* key prompt shown or network error */ }
    };
    input.addEventListener('input', () => { clearTimeout(picker.timer); picker.timer = setTimeout(search, DEBOUNCE_MS); });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (!picker.items.length) return;
        picker.active = (picker.active + (e.key === 'ArrowDown' ? 1 : -1) + picker.items.length) % picker.items.length;
        renderList();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        const h = picker.items[picker.active];
        if (h) choose(String(h.id), String(h.title == null ? h.id : h.title));
      }
    });
    newBox.addEventListener('change', () => {
      const on = newBox.checked;
      newName.hidden = !on;
      $('input', newName).disabled = !on;
      input.disabled = on;
      hidden.disabled = on;
      if (on) { list.hidden = true; $('input', newName).focus(); }
    });
    wrap.choose = choose;
    wrap.setNewCompany = (name) => {
      newBox.checked = true;
      newBox.dispatchEvent(new Event('change'));
      $('input', newName).value = name;
    };
    wrap.presetSearch = (q) => { input.value = q; if (q) search(); };
    return wrap;
  }

  function openCreate(kind, prefill, client) {
    const spec = FORM_SPECS[kind];
    state.form = { kind, spec };
    dom.createForm.dataset.kind = kind;
    dom.createTitle.textContent = spec.title;
    dom.createFields.replaceChildren();
    let picker = null;
    for (const section of spec.sections) {
      const fs = el('fieldset', {}, el('legend', { text: section.legend }));
      const grid = el('div', { class: 'grid' });
      if (section.picker) { picker = buildPicker(); grid.append(picker); }
      for (const f of section.fields) grid.append(buildField(f));
      fs.append(grid);
      dom.createFields.append(fs);
    }
    clearFormErrors();
    dom.dupBox.hidden = true;
    dom.submitBtn.disabled = false;
    // Pre-fill: a key of `prefill` fills the field of that name, else the main contact's.
    for (const [key, value] of Object.entries(prefill || {})) {
      if (value === null || value === undefined || typeof value === 'object') continue;
      const field = dom.createForm.elements.namedItem(key) || dom.createForm.elements.namedItem('main_contact.' + key);
      if (field && field.tagName !== 'FIELDSET' && !field.disabled && field.type !== 'hidden') field.value = String(value);
    }
    if (picker) {
      if (client) picker.choose(client.id, client.name);
      else if (prefill && prefill.name) picker.presetSearch(String(prefill.name));
    }
    if (!dom.createDialog.open) dom.createDialog.showModal();
    const first = [...dom.createForm.elements].find((x) => (x.tagName === 'INPUT' || x.tagName === 'SELECT') &&
      !x.disabled && x.type !== 'hidden' && !x.hidden && x.offsetParent !== null && x.dataset.required === 'true' && !x.value);
    (first || $('input:not([type=hidden])', dom.createFields) || dom.submitBtn).focus();
  }

  function clearFormErrors() {
    dom.formError.hidden = true;
    dom.formError.replaceChildren();
    for (const p of dom.createForm.querySelectorAll('.field-error')) { p.hidden = true; p.textContent = ''; }
    for (const x of dom.createForm.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
  }

  function showFieldError(field, message) {
    const normalized = String(field || '');
    let target = null;
    for (const p of dom.createForm.querySelectorAll('.field-error')) if (p.dataset.errorFor === normalized) target = p;
    // `client.name` and `client_id` also land on the company picker.
    if (!target && normalized.startsWith('client')) target = dom.createForm.querySelector('[data-error-for="client_id"]');
    if (target && !target.parentElement.closest('[hidden]')) {
      target.hidden = false;
      target.textContent = target.textContent ? target.textContent + ' ' + message : message;
      const input = target.parentElement.querySelector('input:not([type=hidden]), select');
      if (input) input.setAttribute('aria-invalid', 'true');
      return true;
    }
    return false;
  }

  function showFormError(lines) {
    dom.formError.hidden = false;
    dom.formError.replaceChildren();
    for (const line of lines) dom.formError.append(el('p', { text: line }));
  }

  function setPath(obj, path, value) {
    const parts = path.split('.');
    let cur = obj;
    for (let i = 0; i < parts.length - 1; i++) {
      if (!cur[parts[i]] || typeof cur[parts[i]] !== 'object') cur[parts[i]] = {};
      cur = cur[parts[i]];
    }
    cur[parts[parts.length - 1]] = value;
  }

  function collectBody() {
    const body = {};
    const missing = [];
    for (const x of dom.createForm.elements) {
      if (!x.name || x.disabled || x.closest('[hidden]') && x.type !== 'hidden') continue;
      const value = x.value.trim();
      if (!value) {
        if (x.dataset.required === 'true') missing.push(x.name);
        continue;
      }
      setPath(body, x.name, value);
    }
    if (state.form.kind === 'contact' && !body.client_id && !(body.client && body.client.name)) {
      if (!missing.includes('client.name')) missing.push('client_id');
    }
    return { body, missing };
  }

  async function submitCreate(force) {
    if (!state.form) return;
    clearFormErrors();
    const { body, missing } = collectBody();
    if (missing.length) {
      for (const name of missing) {
        showFieldError(name, name === 'client_id' ? 'Choisissez une société ou créez-en une.' : 'Champ obligatoire.');
      }
      return;
    }
    const { spec } = state.form;
    dom.submitBtn.disabled = true;
    dom.forceBtn.disabled = true;
    let res;
    try {
      res = await api(spec.endpoint + (force ? '?force=true' : ''), { method: 'POST', body, retry: null });
    } catch (err) {
      showFormError([err instanceof AuthNeeded ? 'Clé d’API requise : saisissez-la puis validez à nouveau.' : 'Serveur injoignable.']);
      return;
    } finally {
      dom.submitBtn.disabled = false;
      dom.forceBtn.disabled = false;
    }
    const problem = res.data || {};
    const type = String(problem.type || '');
    if (res.status === 201 || res.status === 202) {
      const location = res.headers.get('Location') || '';
      const id = (problem && problem.id) || decodeURIComponent(location.split('/').pop() || '');
      dom.createDialog.close();
      state.form = null;
      showToast(spec.done + (res.status === 202 ? ' (indexation en cours)' : ''), { id, kind: spec.duplicateKind });
      rerunAfterWrite(res.status === 202);
      document.dispatchEvent(new CustomEvent('labsearch:created', { detail: { id, kind: spec.duplicateKind, delayed: res.status === 202 } }));
      return;
    }
    if (res.status === 409 && /(^|[/#:])duplicate$/.test(type)) {
      showDuplicates(Array.isArray(problem.candidates) ? problem.candidates : [], problemText(res, ''));
      return;
    }
    if (res.status === 400 || res.status === 422) {
      const unplaced = [];
      for (const e of Array.isArray(problem.errors) ? problem.errors : []) {
        const msg = String(e.message || 'Valeur invalide.');
        if (!showFieldError(e.field, msg)) unplaced.push(e.field ? `${e.field} : ${msg}` : msg);
      }
      if (unplaced.length || !(problem.errors && problem.errors.length)) {
        showFormError([problemText(res, 'La fiche contient des erreurs.')].concat(unplaced));
      }
      const firstBad = dom.createForm.querySelector('[aria-invalid="true"]');
      if (firstBad) firstBad.focus();
      return;
    }
    showFormError([problemText(res, `Création impossible (${res.status}).`)]);
  }

  function showDuplicates(candidates, detail) {
    dom.dupBox.hidden = false;
    dom.dupList.replaceChildren();
    if (detail) dom.dupList.append(el('li', { class: 'dup-detail', text: detail }));
    for (const c of candidates) {
      const nameSpan = el('strong', { class: 'dup-name', text: String(c.id) });
      const reasons = (c.reasons || []).map((r) => REASON_LABELS[r] || r).join(', ');
      const score = typeof c.score === 'number' ? ` — ${Math.round(c.score * 100)} %` : '';
      dom.dupList.append(el('li', { 'data-id': String(c.id), 'data-kind': String(c.kind || '') },
        nameSpan, ` (${KIND_LABELS[c.kind] || c.kind || ''})${score}`,
        reasons ? el('span', { class: 'dup-reasons', text: ' · ' + reasons }) : null,
        c.active === false ? el('span', { class: 'badge inactive', text: 'inactif' }) : null));
      const collection = COLLECTIONS[c.kind];
      if (collection) {
        api(`/v1/${collection}/${encodeURIComponent(c.id)}`).then((r) => {
          const name = r.status === 200 ? recordName(r.data) : '';
          if (name) nameSpan.textContent = name;
        }).catch(() => {});
      }
    }
    dom.forceBtn.focus();
  }

  function rerunAfterWrite(delayed) {
    if (!dom.q.value.trim()) return;
    state.tabs = {};
    state.q = '';
    runSearch({ mode: 'overview' });
    // 202: the change is stored but not yet searchable; look again a little later.
    if (delayed) {
      const q = dom.q.value.trim();
      for (const ms of [1000, 3000]) {
        setTimeout(() => { if (dom.q.value.trim() === q) { state.q = ''; runSearch({ mode: 'overview' }); } }, ms);
      }
    }
  }

  function showToast(text, { id, kind } = {}) {
    clearTimeout(state.toastTimer);
    dom.toast.textContent = text;
    dom.toast.dataset.createdId = id || '';
    dom.toast.dataset.createdKind = kind || '';
    dom.toast.hidden = false;
    state.toastTimer = setTimeout(() => { dom.toast.hidden = true; }, 6000);
  }

  // ---------------------------------------------------------------- keyboard

  function onKeydown(e) {
    if (dom.createDialog.open || dom.keyDialog.open) return; // dialogs handle their own keys
    if (document.querySelector('dialog[open]')) return;
    if (!inSearchView()) {
      // The lists handle their own keys; Esc still closes the record panel.
      if (e.key === 'Escape' && !dom.detail.hidden && !e.defaultPrevented) { e.preventDefault(); closeDetail(); }
      return;
    }
    const target = e.target;
    const inSearch = target === dom.q;
    const inOtherField = !inSearch && target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
    if (inOtherField) return;
    const onTab = target && target.getAttribute && target.getAttribute('role') === 'tab';

    if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && state.q) {
      const plainOk = onTab || (!inSearch) || state.selected >= 0;
      if (e.ctrlKey || e.metaKey || plainOk) {
        e.preventDefault();
        moveTab(e.key === 'ArrowRight' ? 1 : -1, onTab);
      }
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!state.flat.length) return;
      e.preventDefault();
      const n = state.flat.length;
      let i = state.selected;
      if (e.key === 'ArrowDown') i = i < n - 1 ? i + 1 : n - 1;
      else i = i > 0 ? i - 1 : 0;
      setSelected(i, true);
      if (!inSearch) dom.q.focus();
      return;
    }
    if (e.key === 'Enter' && inSearch) {
      e.preventDefault();
      if (state.debounce && dom.q.value.trim() !== state.q) { runSearch({ mode: 'overview' }); return; }
      const i = state.selected >= 0 ? state.selected : (state.flat.length ? 0 : -1);
      if (i >= 0) { setSelected(i, true); openHit(state.flat[i]); }
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      if (!dom.detail.hidden) { closeDetail(); return; }
      if (dom.q.value) { dom.q.value = ''; runSearch({ mode: 'overview' }); }
      dom.q.focus();
    }
  }

  // ------------------------------------------------------------------- wiring

  function init() {
    dom.q.addEventListener('input', scheduleSearch);
    $('#search-form').addEventListener('submit', (e) => e.preventDefault());
    dom.inactive.addEventListener('change', () => { state.q = ''; runSearch({ mode: 'overview' }); });
    document.addEventListener('keydown', onKeydown);
    dom.more.addEventListener('click', loadMore);
    $('#detail-close').addEventListener('click', closeDetail);
    $('#change-key').addEventListener('click', () => askKey(''));

    dom.keyForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const key = dom.keyInput.value.trim();
      if (!key) { dom.keyError.hidden = false; dom.keyError.textContent = 'Saisissez une clé.'; return; }
      setKey(key);
      dom.keyDialog.close();
      const retry = state.pending;
      state.pending = null;
      if (retry) retry(); else if (dom.q.value.trim()) { state.q = ''; runSearch({ mode: 'overview' }); }
      document.dispatchEvent(new CustomEvent('labsearch:key'));
      if (!dom.createDialog.open && inSearchView()) dom.q.focus();
    });

    dom.createForm.addEventListener('submit', (e) => { e.preventDefault(); submitCreate(false); });
    dom.forceBtn.addEventListener('click', () => submitCreate(true));
    for (const b of dom.createForm.querySelectorAll('[data-close]')) {
      b.addEventListener('click', () => dom.createDialog.close());
    }
    dom.createDialog.addEventListener('close', () => { state.form = null; refocus(createReturnFocus); createReturnFocus = null; });

    // Sticky tabs sit right under the top bar, whose height changes with the width.
    const topbar = $('.topbar');
    const syncTopbar = () => document.documentElement.style.setProperty('--topbar-h', topbar.offsetHeight + 'px');
    syncTopbar();
    if (window.ResizeObserver) new ResizeObserver(syncTopbar).observe(topbar);

    render(-1);
    // Resolve the key early (stored, injected or demo) so the first search is instant.
    ensureKey().then((key) => {
      if (!key) { askKey(''); return; }
      if (dom.q.value.trim()) runSearch({ mode: 'overview' });
    });
    document.documentElement.dataset.ready = 'true';
  }

  // What the other scripts of the page (lists.js) reuse: the API client with its key
  // handling, the record panel, the creation form and the toast.
  window.LabSearchApp = Object.freeze({
    api, AuthNeeded, problemText, el, ensureKey, askKey, showToast, formatPhone, formatDate,
    openRecord(hit, returnFocus) { detailReturnFocus = returnFocus || null; return openHit(hit); },
    closeRecord: closeDetail,
    openCreate(kind, prefill, client, returnFocus) { createReturnFocus = returnFocus || null; openCreate(kind, prefill, client); },
    runSearch: () => { state.q = ''; runSearch({ mode: 'overview' }); },
  });

  init();
})();
