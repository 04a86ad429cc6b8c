// LabSearch list screens: the client and contact lists (API.md "Lists"), their import and
// export (API.md "Import and export"). Plain script loaded after app.js, whose API client,
// record panel and creation form it reuses through window.LabSearchApp.
// Server data always goes in through textContent, never as HTML.
'use strict';

(() => {
  const App = window.LabSearchApp;
  if (!App) return;
  const { api, AuthNeeded, problemText, el } = App;

  const PAGE = 50;          // rows per page
  const GROUP_PAGE = 20;    // rows per group, then "Voir plus"
  const DEBOUNCE_MS = 250;
  const IMPORT_CHUNK = 200; // preview rows rendered at a time
  const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
  const EMAIL_STORAGE = 'labsearch.exportEmail';

  const LISTS = {
    clients: {
      title: 'Clients', one: 'client', many: 'clients', kind: 'client', create: 'client',
      newLabel: '+ Nouveau client', importTitle: 'Importer des clients', exportTitle: 'Exporter les clients',
      search: 'Rechercher un client, une ville, un contact…',
      defaults: ['name', 'main_contact', 'phone', 'email', 'type', 'city', 'postal_code', 'contacts_count', 'events_count', 'active'],
      titleColumns: ['name'],
      titleOf: (v) => v.name,
    },
    contacts: {
      title: 'Contacts', one: 'contact', many: 'contacts', kind: 'client_contact', create: 'contact',
      newLabel: '+ Nouveau contact', importTitle: 'Importer des contacts', exportTitle: 'Exporter les contacts',
      search: 'Rechercher un contact, une société, un e-mail…',
      defaults: ['last_name', 'first_name', 'client_name', 'phone_direct', 'phone_mobile', 'email', 'source', 'position', 'events_count', 'active'],
      titleColumns: ['first_name', 'last_name'],
      titleOf: (v) => [v.first_name, v.last_name].filter(Boolean).join(' '),
    },
  };
  const TEXT_OPS = [
    { op: 'contains', label: 'Contient', placeholder: 'Contient…' },
    { op: 'starts_with', label: 'Commence par', placeholder: 'Commence par…' },
    { op: 'eq', label: 'Est égal à', placeholder: 'Égal à…' },
    { op: 'empty', label: 'Est vide', placeholder: '(vide)' },
    { op: 'not_empty', label: 'N’est pas vide', placeholder: '(non vide)' },
  ];
  const REASONS = {
    siret: 'même SIRET', siren: 'même SIREN', vat: 'même n° de TVA', email: 'même e-mail',
    phone: 'même téléphone', website_domain: 'même site web', name: 'même nom', name_similar: 'nom proche',
    acronym: 'sigle', name_swapped: 'prénom et nom inversés', initial: 'initiale du prénom',
  };

  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
  const fr = (n) => Number(n).toLocaleString('fr-FR');
  const plural = (n, one, many) => `${fr(n)} ${Math.abs(n) > 1 ? many : one}`;
  const fold = (s) => String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

  const dom = {
    view: $('#list-view'), title: $('#list-title'), total: $('#list-total'), q: $('#list-q'), qLabel: $('#list-q-label'),
    inactive: $('#list-inactive'), columnsBtn: $('#list-columns'), chips: $('#list-chips'), error: $('#list-error'),
    scroll: $('#grid-scroll'), grid: $('#list-grid'), caption: $('#list-caption'), empty: $('#list-empty'),
    more: $('#list-more'), newBtn: $('#list-new'), importBtn: $('#list-import'), exportBtn: $('#list-export'),
    templateBtn: $('#list-template'), popover: $('#popover'), results: $('#results'), help: $('#help'),
    imp: {
      dialog: $('#import-dialog'), form: $('#import-form'), title: $('#import-title'), pick: $('#import-pick'),
      drop: $('#import-drop'), file: $('#import-file'), status: $('#import-status'), error: $('#import-error'),
      result: $('#import-result'), summary: $('#import-summary'), filter: $('#import-filter'),
      tbody: $('#import-rows tbody'), moreRows: $('#import-more-rows'), other: $('#import-other'),
      cancel: $('#import-cancel'), commit: $('#import-commit'), template: $('#import-template'),
    },
    exp: {
      dialog: $('#export-dialog'), form: $('#export-form'), title: $('#export-title'), scope: $('#export-scope'),
      email: $('#export-email'), password: $('#export-password'), bom: $('#export-bom'),
      error: $('#export-error'), submit: $('#export-submit'),
    },
  };
  if (!dom.view) return;

  // ------------------------------------------------------------ formatting

  const { formatPhone, formatDate } = App;

  const isPhone = (col) => /(^|_)phone(_|$)/.test(col.name);

  function displayValue(col, v) {
    if (v === null || v === undefined || v === '') return '';
    if (col.type === 'bool' || typeof v === 'boolean') return v ? 'Oui' : 'Non';
    if (col.type === 'number' && typeof v === 'number') return fr(v);
    if (col.type === 'date') return formatDate(v);
    if (isPhone(col)) return formatPhone(v);
    if (Array.isArray(v)) return v.join(', ');
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  function groupLabel(col, key) {
    if (key === null || key === undefined || key === '') return '(Vide)';
    return col ? displayValue(col, key) : String(key);
  }

  // ------------------------------------------------------------------ state

  const meta = {};               // list -> Promise of the columns answer
  const view = {
    list: null,
    cols: null,                  // the columns answer of the list on screen
    byName: new Map(),
    st: null,                    // {q, filters: Map, sort: [], group, columns: [], inactive}
    rows: [], total: null, next: null, groups: null,
    seq: 0, controller: null, loading: false, appending: false,
    lastHash: null, qTimer: null, filterTimers: new Map(), focusRow: 0,
  };

  function emptyState(list) {
    return { q: '', filters: new Map(), sort: [], group: null, columns: LISTS[list].defaults.slice(), inactive: false };
  }

  function loadColumns(list) {
    if (!meta[list]) {
      meta[list] = api(`/v1/lists/${list}/columns`, { retry: () => route() }).then((res) => {
        if (res.status !== 200 || !res.data || !Array.isArray(res.data.columns)) throw new Error(problemText(res, 'Colonnes indisponibles.'));
        return res.data;
      }).catch((err) => { delete meta[list]; throw err; });
    }
    return meta[list];
  }

  // ----------------------------------------------------------------- the URL
  // #/clients?q=lyon&cols=name,city&sort=city,-name&group=type&inactive=1&filters=[…]

  function parseHash() {
    const h = location.hash.replace(/^#/, '');
    const i = h.indexOf('?');
    const path = (i >= 0 ? h.slice(0, i) : h).replace(/^\/+|\/+$/g, '');
    return { path, params: new URLSearchParams(i >= 0 ? h.slice(i + 1) : '') };
  }

  function stateFromParams(list, params) {
    const st = emptyState(list);
    const known = (c) => view.byName.has(c) || /^custom\./.test(c);
    st.q = params.get('q') || '';
    const cols = (params.get('cols') || '').split(',').map((c) => c.trim()).filter(known);
    if (cols.length) st.columns = [...new Set(cols)];
    st.sort = (params.get('sort') || '').split(',').filter(Boolean).map((s) => (
      s.startsWith('-') ? { column: s.slice(1), dir: 'desc' } : { column: s.replace(/^\+/, ''), dir: 'asc' }))
      .filter((s) => known(s.column));
    const g = params.get('group');
    st.group = g && known(g) ? g : null;
    st.inactive = params.get('inactive') === '1';
    try {
      const fs = JSON.parse(params.get('filters') || '[]');
      if (Array.isArray(fs)) {
        for (const f of fs) if (f && typeof f.column === 'string' && typeof f.op === 'string' && known(f.column)) st.filters.set(f.column, f);
      }
    } catch (_) { /* a hand-edited URL: ignore its filters */ }
    return st;
  }

  function hashFor(list, st) {
    const p = new URLSearchParams();
    if (st.q) p.set('q', st.q);
    if (st.columns.join(',') !== LISTS[list].defaults.join(',')) p.set('cols', st.columns.join(','));
    if (st.sort.length) p.set('sort', st.sort.map((s) => (s.dir === 'desc' ? '-' : '') + s.column).join(','));
    if (st.group) p.set('group', st.group);
    if (st.inactive) p.set('inactive', '1');
    if (st.filters.size) p.set('filters', JSON.stringify([...st.filters.values()]));
    const qs = p.toString();
    return '#/' + list + (qs ? '?' + qs : '');
  }

  const VIEW_STORAGE = 'labsearch.listView.';

  function writeUrl() {
    const h = hashFor(view.list, view.st);
    view.lastHash = h;
    if (location.hash !== h) history.replaceState(history.state, '', h);
    // The top bar's link brings the user back to this view of the list.
    const nav = document.getElementById('nav-' + view.list);
    if (nav) nav.setAttribute('href', h);
    try { sessionStorage.setItem(VIEW_STORAGE + view.list, h); } catch (_) { /* private mode */ }
  }

  function restoreNavLinks() {
    for (const list of Object.keys(LISTS)) {
      let h = null;
      try { h = sessionStorage.getItem(VIEW_STORAGE + list); } catch (_) { /* ignore */ }
      const nav = document.getElementById('nav-' + list);
      if (nav && h && h.startsWith('#/' + list)) nav.setAttribute('href', h);
    }
  }

  // ---------------------------------------------------------------- routing

  function setNav(name) {
    for (const a of $$('.mainnav a')) {
      if (a.dataset.view === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
  }

  function route() {
    const { path, params } = parseHash();
    if (LISTS[path]) { showList(path, params); return; }
    showSearch();
  }

  function showSearch() {
    const was = document.body.dataset.view;
    document.body.dataset.view = 'search';
    setNav('search');
    closePopover(false);
    dom.view.hidden = true;
    dom.results.hidden = false;
    if (dom.help) dom.help.hidden = false;
    document.title = 'LabSearch — recherche CRM';
    view.list = null;
    if (was && was !== 'search') {
      if (!$('#detail').hidden) App.closeRecord();
      $('#q').focus();
    }
  }

  async function showList(list, params) {
    const h = '#' + location.hash.replace(/^#/, '');
    const switching = view.list !== list;
    if (!switching && h === view.lastHash) return; // our own URL update
    if (document.body.dataset.view !== list && !$('#detail').hidden) App.closeRecord();
    document.body.dataset.view = list;
    setNav(list);
    closePopover(false);
    dom.results.hidden = true;
    if (dom.help) dom.help.hidden = true;
    dom.view.hidden = false;
    const L = LISTS[list];
    document.title = `${L.title} — LabSearch`;
    dom.view.dataset.list = list;
    dom.title.textContent = L.title;
    dom.newBtn.textContent = L.newLabel;
    dom.qLabel.textContent = `Rechercher dans les ${L.many}`;
    dom.q.placeholder = L.search;
    dom.caption.textContent = `Liste des ${L.many}`;
    if (switching) {
      view.list = list;
      view.cols = null;
      view.rows = []; view.groups = null; view.total = null; view.next = null;
      dom.grid.tHead.replaceChildren();
      for (const b of [...dom.grid.tBodies]) b.remove();
      dom.total.textContent = '';
      dom.total.dataset.total = '';
    }
    setViewState('loading');
    let cols;
    try {
      cols = await loadColumns(list);
    } catch (err) {
      if (view.list !== list) return;
      showError(err instanceof AuthNeeded ? 'Clé d’API requise.' : String(err.message || err));
      setViewState('error');
      return;
    }
    if (view.list !== list) return;
    view.cols = cols;
    view.byName = new Map(cols.columns.map((c) => [c.name, c]));
    view.st = stateFromParams(list, parseHash().params);
    dom.q.value = view.st.q;
    dom.inactive.checked = view.st.inactive;
    writeUrl();
    renderHead();
    renderChips();
    reload();
    if (switching && document.activeElement !== dom.q) dom.q.focus();
  }

  // ---------------------------------------------------------------- queries

  function columnOf(name) {
    return view.byName.get(name) || { name, label: name.replace(/^custom\./, ''), type: 'text', ops: TEXT_OPS.map((o) => o.op) };
  }

  function filtersArray(st = view.st, except = null) {
    return [...st.filters.values()].filter((f) => f.column !== except);
  }

  // The view as the list query (without paging); also what the export sends.
  function viewQuery() {
    const st = view.st;
    const body = { q: st.q.trim(), include_inactive: st.inactive, filters: filtersArray(), sort: st.sort.map((s) => ({ column: s.column, dir: s.dir })), columns: st.columns.slice() };
    if (st.group) body.group_by = st.group;
    return body;
  }

  function requestBody(extra) {
    const q = viewQuery();
    const body = { include_inactive: q.include_inactive };
    if (q.q) body.q = q.q;
    if (q.filters.length) body.filters = q.filters;
    if (q.sort.length) body.sort = q.sort;
    if (q.group_by) body.group_by = q.group_by;
    const cols = new Set(q.columns);
    for (const c of LISTS[view.list].titleColumns) cols.add(c);
    body.columns = [...cols];
    body.limit = q.group_by ? GROUP_PAGE : PAGE;
    return Object.assign(body, extra || {});
  }

  function setViewState(s) { dom.view.dataset.state = s; }

  function showError(message) {
    dom.error.hidden = !message;
    dom.error.textContent = message || '';
  }

  // A fresh query: first page (or the groups' first rows).
  async function reload() {
    if (!view.list || !view.st) return;
    const list = view.list;
    const seq = ++view.seq;
    if (view.controller) view.controller.abort();
    const controller = new AbortController();
    view.controller = controller;
    view.appending = false;
    setViewState('loading');
    const body = requestBody();
    let res;
    try {
      res = await api(`/v1/lists/${list}`, { method: 'POST', body, signal: controller.signal, retry: reload });
    } catch (err) {
      if (seq !== view.seq || (err && err.name === 'AbortError')) return;
      showError(err instanceof AuthNeeded ? 'Clé d’API requise : saisissez-la pour afficher la liste.' : 'Serveur injoignable. Réessayez.');
      setViewState('error');
      return;
    }
    if (seq !== view.seq) return;
    view.controller = null;
    clearInvalid();
    if (res.status !== 200 || !res.data) {
      showError(problemText(res, 'La liste n’a pas pu être chargée.'));
      markInvalid(res.data, body);
      setViewState('error');
      return;
    }
    showError('');
    const d = res.data;
    view.total = Number(d.total) || 0;
    view.next = d.next_cursor || null;
    view.rows = Array.isArray(d.rows) ? d.rows : [];
    view.groups = body.group_by && Array.isArray(d.groups)
      ? d.groups.map((g) => ({ key: g.key, count: Number(g.count) || 0, rows: Array.isArray(g.rows) ? g.rows : [], next: g.next_cursor || null, collapsed: false, loading: false }))
      : null;
    view.focusRow = 0;
    renderBody();
    renderTotal();
    dom.view.dataset.query = JSON.stringify(viewQuery());
    dom.view.dataset.seq = String(seq);
    setViewState('ready');
  }

  // The next page of the flat list ("Charger plus" or the end of the scroll).
  async function loadMore() {
    if (!view.next || view.appending || dom.view.dataset.state !== 'ready' || view.groups) return;
    const seq = view.seq;
    view.appending = true;
    dom.more.disabled = true;
    dom.more.textContent = 'Chargement…';
    let res;
    try {
      res = await api(`/v1/lists/${view.list}`, { method: 'POST', body: requestBody({ cursor: view.next }), retry: loadMore });
    } catch (_) {
      res = null;
    }
    if (seq !== view.seq) return;
    view.appending = false;
    dom.more.disabled = false;
    if (!res || res.status !== 200 || !res.data) {
      showError(res ? problemText(res, 'La suite de la liste n’a pas pu être chargée.') : 'Serveur injoignable. Réessayez.');
      updateMore();
      return;
    }
    const rows = Array.isArray(res.data.rows) ? res.data.rows : [];
    view.next = res.data.next_cursor || null;
    const tbody = dom.grid.tBodies[0];
    const start = view.rows.length;
    view.rows = view.rows.concat(rows);
    rows.forEach((r, i) => tbody.append(renderRow(r, start + i)));
    updateMore();
    dom.view.dataset.loaded = String(view.rows.length);
  }

  async function loadGroupMore(g, button) {
    if (!g.next || g.loading) return;
    const seq = view.seq;
    g.loading = true;
    button.disabled = true;
    button.textContent = 'Chargement…';
    let res;
    try {
      res = await api(`/v1/lists/${view.list}`, { method: 'POST', body: requestBody({ cursor: g.next }), retry: null });
    } catch (_) { res = null; }
    if (seq !== view.seq) return;
    g.loading = false;
    if (!res || res.status !== 200 || !res.data) {
      showError(res ? problemText(res, 'La suite du groupe n’a pas pu être chargée.') : 'Serveur injoignable. Réessayez.');
      button.disabled = false;
      button.textContent = 'Voir plus';
      return;
    }
    const rows = Array.isArray(res.data.rows) ? res.data.rows : [];
    g.rows = g.rows.concat(rows);
    g.next = res.data.next_cursor || null;
    const focusIndex = g.rows.length - rows.length;
    renderBody();
    // Keep the keyboard where the user was: on the first new row.
    const tbody = dom.grid.querySelector(`tbody[data-group-index="${view.groups.indexOf(g)}"]`);
    const row = tbody && tbody.querySelectorAll('tr.row')[focusIndex];
    if (row) focusRow(row);
  }

  // A 400 names the bad parameter: `filters[1].values` points at the second filter's column.
  function markInvalid(problem, body) {
    const field = problem && problem.errors && problem.errors[0] && String(problem.errors[0].field || '');
    const m = /^filters\[(\d+)\]/.exec(field || '');
    if (m && body.filters && body.filters[Number(m[1])]) {
      const col = body.filters[Number(m[1])].column;
      const cell = dom.grid.querySelector(`td[data-filter-column="${CSS.escape(col)}"]`);
      if (cell) { cell.classList.add('invalid'); for (const c of $$('input, select, button', cell)) c.setAttribute('aria-invalid', 'true'); }
    } else if (field === 'q') {
      dom.q.setAttribute('aria-invalid', 'true');
    }
  }

  function clearInvalid() {
    dom.q.removeAttribute('aria-invalid');
    for (const c of $$('.invalid', dom.grid)) c.classList.remove('invalid');
    for (const c of $$('[aria-invalid]', dom.grid)) c.removeAttribute('aria-invalid');
  }

  // A state change: URL, chips, then the query.
  function changed({ head = false } = {}) {
    writeUrl();
    if (head) renderHead();
    renderChips();
    reload();
  }

  // ---------------------------------------------------------------- render

  function renderTotal() {
    const L = LISTS[view.list];
    const n = view.total;
    let text = n === 0 ? `Aucun ${L.one}` : plural(n, L.one, L.many);
    if (view.groups) text += ` · ${plural(view.groups.length, 'groupe', 'groupes')}`;
    dom.total.textContent = text;
    dom.total.dataset.total = String(n);
  }

  function sortIndex(name) { return view.st.sort.findIndex((s) => s.column === name); }

  function renderHead() {
    const thead = dom.grid.tHead || dom.grid.createTHead();
    const focusKey = document.activeElement && thead.contains(document.activeElement) ? document.activeElement.dataset.fk : null;
    thead.replaceChildren();
    const head = el('tr', { class: 'head-row' });
    const filters = el('tr', { class: 'filter-row' });
    for (const name of view.st.columns) {
      const col = columnOf(name);
      const si = sortIndex(name);
      const s = si >= 0 ? view.st.sort[si] : null;
      const th = el('th', {
        scope: 'col', 'data-column': name, 'data-type': col.type,
        'aria-sort': s ? (s.dir === 'asc' ? 'ascending' : 'descending') : null,
        class: (col.type === 'number' ? 'num' : '') + (view.st.group === name ? ' grouped' : ''),
      });
      const ind = s ? el('span', { class: 'sort-ind', 'aria-hidden': 'true', text: (s.dir === 'asc' ? '↑' : '↓') + (view.st.sort.length > 1 ? String(si + 1) : '') }) : null;
      const sortBtn = el('button', {
        type: 'button', class: 'th-sort', 'data-fk': 'sort:' + name, 'data-sort-toggle': name,
        title: 'Trier (Maj+clic : ajouter au tri)',
        'aria-label': `${col.label}${s ? (s.dir === 'asc' ? ', tri croissant' : ', tri décroissant') : ''}. Trier`,
      }, el('span', { class: 'th-label', text: col.label }), ind);
      sortBtn.addEventListener('click', (e) => toggleSort(name, e.shiftKey));
      const menuBtn = el('button', {
        type: 'button', class: 'th-menu', 'data-fk': 'menu:' + name, 'data-column-menu': name,
        'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-label': `Menu de la colonne ${col.label}`, title: 'Options de la colonne',
      }, el('span', { 'aria-hidden': 'true', text: '⋮' }));
      menuBtn.addEventListener('click', () => openColumnMenu(name, menuBtn));
      th.append(el('div', { class: 'th-inner' }, sortBtn, menuBtn));
      head.append(th);
      filters.append(renderFilterCell(col));
    }
    thead.append(head, filters);
    // The sticky filter row and group headers sit right under the sticky header row.
    dom.grid.style.setProperty('--head-row-h', head.offsetHeight + 'px');
    dom.grid.style.setProperty('--thead-h', thead.offsetHeight + 'px');
    if (focusKey) {
      const again = thead.querySelector(`[data-fk="${CSS.escape(focusKey)}"]`);
      if (again) again.focus();
    }
  }

  function renderBody() {
    for (const b of [...dom.grid.tBodies]) b.remove();
    const ncols = view.st.columns.length;
    if (view.groups) {
      const gcol = columnOf(view.st.group);
      view.groups.forEach((g, gi) => {
        const tbody = el('tbody', {
          class: 'group' + (g.collapsed ? ' collapsed' : ''), 'data-group-index': String(gi),
          'data-group-key': g.key === null || g.key === undefined ? '' : String(g.key),
          'data-group-null': g.key === null || g.key === undefined ? 'true' : 'false', 'data-count': String(g.count),
        });
        const toggle = el('button', {
          type: 'button', class: 'group-toggle', 'aria-expanded': g.collapsed ? 'false' : 'true', 'data-fk': 'group:' + gi,
        }, el('span', { class: 'chevron', 'aria-hidden': 'true', text: '▾' }),
        el('span', { class: 'group-col', text: gcol.label + ' : ' }),
        el('span', { class: 'group-key', text: groupLabel(gcol, g.key) }),
        el('span', { class: 'badge group-count', text: fr(g.count), 'aria-label': plural(g.count, LISTS[view.list].one, LISTS[view.list].many) }));
        toggle.addEventListener('click', () => {
          g.collapsed = !g.collapsed;
          tbody.classList.toggle('collapsed', g.collapsed);
          toggle.setAttribute('aria-expanded', g.collapsed ? 'false' : 'true');
        });
        tbody.append(el('tr', { class: 'group-head' }, el('th', { colspan: String(ncols), scope: 'rowgroup' }, toggle)));
        g.rows.forEach((r, i) => tbody.append(renderRow(r, i)));
        if (g.next && g.rows.length < g.count) {
          const more = el('button', { type: 'button', class: 'group-more', 'data-group-more': String(gi), text: `Voir plus (${fr(g.count - g.rows.length)} de plus)` });
          more.addEventListener('click', () => loadGroupMore(g, more));
          tbody.append(el('tr', { class: 'group-more-row' }, el('td', { colspan: String(ncols) }, more)));
        }
        dom.grid.append(tbody);
      });
    } else {
      const tbody = el('tbody');
      view.rows.forEach((r, i) => tbody.append(renderRow(r, i)));
      dom.grid.append(tbody);
    }
    const first = dom.grid.querySelector('tr.row');
    if (first) first.tabIndex = 0;
    const L = LISTS[view.list];
    dom.empty.hidden = view.total !== 0;
    dom.empty.replaceChildren();
    if (view.total === 0) {
      const anyCriteria = view.st.q || view.st.filters.size;
      dom.empty.append(el('p', { class: 'empty-title', text: anyCriteria ? `Aucun ${L.one} ne correspond à ces critères.` : `Aucun ${L.one} pour l’instant.` }));
      if (anyCriteria) dom.empty.append(el('button', { type: 'button', class: 'btn', text: 'Effacer la recherche et les filtres', onclick: clearCriteria }));
      dom.empty.append(el('button', { type: 'button', class: 'btn primary', text: L.newLabel, onclick: () => openNew() }));
    }
    updateMore();
    dom.view.dataset.loaded = String(view.rows.length);
  }

  function updateMore() {
    const show = !view.groups && !!view.next;
    dom.more.hidden = !show;
    dom.more.disabled = false;
    if (show) {
      const left = view.total - view.rows.length;
      dom.more.textContent = left > 0 ? `Charger plus (${fr(Math.min(left, PAGE))} sur ${fr(left)} restants)` : 'Charger plus';
    }
  }

  function renderRow(r, index) {
    const values = r.values || {};
    const L = LISTS[view.list];
    const tr = el('tr', { class: 'row' + (values.active === false ? ' inactive' : ''), tabindex: '-1', 'data-id': String(r.id), 'data-index': String(index) });
    if ($('#detail').dataset.id === String(r.id) && !$('#detail').hidden) tr.classList.add('current');
    for (const name of view.st.columns) {
      const col = columnOf(name);
      const v = values[name];
      const text = displayValue(col, v);
      const td = el('td', { 'data-column': name, class: col.type === 'number' ? 'num' : col.type === 'bool' ? 'bool' : null });
      if (col.type === 'bool' && typeof v === 'boolean') {
        td.append(el('span', { class: 'pill ' + (v ? 'yes' : 'no'), text }));
      } else if (text) {
        td.textContent = text;
        if (text.length > 28) td.title = text;
      }
      tr.append(td);
    }
    // Focus without the browser scrolling the wide row sideways.
    tr.addEventListener('mousedown', (e) => { if (e.button === 0) { e.preventDefault(); tr.focus({ preventScroll: true }); } });
    tr.addEventListener('click', () => openRow(r, tr));
    tr.addEventListener('focus', () => { view.focusRow = index; });
    tr.setAttribute('aria-label', (L.titleOf(values) || String(r.id)) + (values.active === false ? ' (inactif)' : ''));
    return tr;
  }

  function openRow(r, tr) {
    const values = r.values || {};
    for (const x of $$('tr.row.current', dom.grid)) x.classList.remove('current');
    tr.classList.add('current');
    for (const x of $$('tr.row[tabindex="0"]', dom.grid)) x.tabIndex = -1;
    tr.tabIndex = 0;
    App.openRecord({ id: String(r.id), kind: LISTS[view.list].kind, title: LISTS[view.list].titleOf(values) || String(r.id) }, tr);
  }

  function focusRow(tr) {
    for (const x of $$('tr.row[tabindex="0"]', dom.grid)) x.tabIndex = -1;
    tr.tabIndex = 0;
    tr.focus({ preventScroll: true });
    // Scroll vertically only (a row is wider than the grid), below the sticky header rows.
    const box = dom.scroll.getBoundingClientRect();
    const r = tr.getBoundingClientRect();
    const head = dom.grid.tHead ? dom.grid.tHead.offsetHeight : 0;
    if (r.top < box.top + head) dom.scroll.scrollTop -= box.top + head - r.top;
    else if (r.bottom > box.bottom) dom.scroll.scrollTop += r.bottom - box.bottom + 4;
  }

  // Rows: ↑/↓ move, Home/End, Enter or Space opens the record.
  dom.grid.addEventListener('keydown', (e) => {
    const tr = e.target.closest && e.target.closest('tr.row');
    if (!tr || e.target !== tr) return;
    const rows = $$('tbody:not(.collapsed) tr.row', dom.grid);
    const i = rows.indexOf(tr);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const j = i + (e.key === 'ArrowDown' ? 1 : -1);
      if (j >= 0 && j < rows.length) focusRow(rows[j]);
      else if (j >= rows.length) loadMore();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      focusRow(rows[e.key === 'Home' ? 0 : rows.length - 1]);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      tr.click();
    }
  });

  document.addEventListener('labsearch:detail-closed', () => {
    for (const x of $$('tr.row.current', dom.grid)) x.classList.remove('current');
  });

  // ------------------------------------------------------------------ chips

  function describeFilter(f) {
    const col = columnOf(f.column);
    const vals = (f.values || []).map((v) => displayValue(col, v));
    switch (f.op) {
      case 'contains': return `${col.label} contient « ${vals[0] || ''} »`;
      case 'starts_with': return `${col.label} commence par « ${vals[0] || ''} »`;
      case 'eq': return `${col.label} = ${vals[0] === '' ? '(vide)' : vals[0]}`;
      case 'in': return `${col.label} : ${vals.join(', ')}`;
      case 'empty': return `${col.label} vide`;
      case 'not_empty': return `${col.label} non vide`;
      case 'between': {
        const a = f.from !== undefined && f.from !== null ? displayValue(col, f.from) : null;
        const b = f.to !== undefined && f.to !== null ? displayValue(col, f.to) : null;
        if (a && b) return `${col.label} de ${a} à ${b}`;
        return a ? `${col.label} ≥ ${a}` : `${col.label} ≤ ${b}`;
      }
      default: return `${col.label} ${f.op}`;
    }
  }

  function chip(label, removeLabel, onRemove, data) {
    const c = el('span', Object.assign({ class: 'chip' }, data || {}), el('span', { text: label }));
    c.append(el('button', { type: 'button', class: 'chip-x', 'aria-label': removeLabel, title: removeLabel, text: '×', onclick: onRemove }));
    return c;
  }

  function renderChips() {
    const st = view.st;
    dom.chips.replaceChildren();
    if (st.sort.length) {
      const label = 'Tri : ' + st.sort.map((s) => `${columnOf(s.column).label} ${s.dir === 'asc' ? '↑' : '↓'}`).join(', ');
      dom.chips.append(chip(label, 'Retirer le tri', () => { st.sort = []; changed({ head: true }); dom.q.focus(); }, { 'data-chip': 'sort' }));
    } else if (st.q.trim()) {
      dom.chips.append(el('span', { class: 'chip plain', 'data-chip': 'relevance', text: 'Tri : pertinence' }));
    } else if (view.cols && Array.isArray(view.cols.default_sort) && view.cols.default_sort.length) {
      const label = view.cols.default_sort.map((s) => `${columnOf(s.column).label} ${s.dir === 'desc' ? '↓' : '↑'}`).join(', ');
      dom.chips.append(el('span', { class: 'chip plain', 'data-chip': 'default-sort', text: `Tri par défaut : ${label}` }));
    }
    if (st.group) {
      dom.chips.append(chip(`Groupé par : ${columnOf(st.group).label}`, 'Ne plus grouper', () => { st.group = null; changed({ head: true }); dom.q.focus(); }, { 'data-chip': 'group' }));
    }
    // Every filter, also those of hidden columns (which have no cell in the filter row).
    for (const f of st.filters.values()) {
      dom.chips.append(chip(describeFilter(f), `Retirer le filtre ${columnOf(f.column).label}`,
        () => { st.filters.delete(f.column); changed({ head: true }); dom.q.focus(); }, { 'data-chip': 'filter', 'data-column': f.column }));
    }
    const dirty = st.q || st.filters.size || st.sort.length || st.group || st.inactive
      || st.columns.join(',') !== LISTS[view.list].defaults.join(',');
    if (dirty) {
      dom.chips.append(el('button', { type: 'button', class: 'link-button', id: 'list-reset', text: 'Réinitialiser la vue', onclick: resetView }));
    }
  }

  function clearCriteria() {
    view.st.q = '';
    dom.q.value = '';
    view.st.filters.clear();
    changed({ head: true });
    dom.q.focus();
  }

  function resetView() {
    view.st = emptyState(view.list);
    dom.scroll.scrollTop = 0;
    dom.q.value = '';
    dom.inactive.checked = false;
    changed({ head: true });
    dom.q.focus();
  }

  // --------------------------------------------------------------- sorting

  function toggleSort(name, add) {
    const st = view.st;
    const i = sortIndex(name);
    if (add) {
      if (i < 0) st.sort.push({ column: name, dir: 'asc' });
      else if (st.sort[i].dir === 'asc') st.sort[i].dir = 'desc';
      else st.sort.splice(i, 1);
    } else if (i === 0 && st.sort.length === 1) {
      if (st.sort[0].dir === 'asc') st.sort[0].dir = 'desc'; else st.sort = [];
    } else {
      st.sort = [{ column: name, dir: 'asc' }];
    }
    changed({ head: true });
  }

  function setSort(name, dir, add) {
    const st = view.st;
    const i = sortIndex(name);
    if (!add) st.sort = [{ column: name, dir }];
    else if (i >= 0) st.sort[i].dir = dir;
    else st.sort.push({ column: name, dir });
    changed({ head: true });
  }

  // --------------------------------------------------------------- popover
  // One popover at a time (column menu, value picker, column chooser), under its button.

  const pop = { anchor: null, onClose: null };

  function openPopover(anchor, { role = 'dialog', label, className = '', build, onClose }) {
    const same = pop.anchor === anchor;
    closePopover(false);
    if (same) { anchor.focus(); return; } // the button toggles its popover
    const p = dom.popover;
    p.replaceChildren();
    p.className = 'popover ' + className;
    p.setAttribute('role', role);
    p.setAttribute('aria-label', label || '');
    if (anchor.dataset.columnMenu) p.dataset.column = anchor.dataset.columnMenu; else delete p.dataset.column;
    build(p);
    p.hidden = false;
    pop.anchor = anchor;
    pop.onClose = onClose || null;
    anchor.setAttribute('aria-expanded', 'true');
    placePopover();
    const first = p.querySelector('[autofocus], [role^="menuitem"]:not([disabled]), input, select, button');
    if (first) first.focus();
  }

  function placePopover() {
    const p = dom.popover;
    if (!pop.anchor || p.hidden) return;
    const r = pop.anchor.getBoundingClientRect();
    const w = p.offsetWidth;
    const h = p.offsetHeight;
    let left = Math.min(r.left, window.innerWidth - w - 8);
    left = Math.max(8, left);
    let top = r.bottom + 4;
    if (top + h > window.innerHeight - 8 && r.top - h - 4 > 8) top = r.top - h - 4;
    p.style.left = `${Math.round(left)}px`;
    p.style.top = `${Math.round(Math.max(8, top))}px`;
  }

  function closePopover(returnFocus = true) {
    const p = dom.popover;
    if (p.hidden && !pop.anchor) return;
    const anchor = pop.anchor;
    const onClose = pop.onClose;
    pop.anchor = null;
    pop.onClose = null;
    p.hidden = true;
    p.replaceChildren();
    if (anchor) {
      anchor.setAttribute('aria-expanded', 'false');
      if (returnFocus && anchor.isConnected) anchor.focus();
    }
    if (onClose) onClose();
  }

  document.addEventListener('pointerdown', (e) => {
    if (dom.popover.hidden) return;
    if (dom.popover.contains(e.target) || (pop.anchor && pop.anchor.contains(e.target))) return;
    closePopover(false);
  }, true);
  window.addEventListener('resize', () => closePopover(false));
  // Tabbing out of the popover closes it.
  dom.popover.addEventListener('focusout', (e) => {
    const to = e.relatedTarget;
    if (to && !dom.popover.contains(to) && to !== pop.anchor) closePopover(false);
  });
  dom.scroll.addEventListener('scroll', () => { if (pop.anchor && dom.scroll.contains(pop.anchor)) closePopover(false); });
  dom.popover.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); closePopover(true); return; }
    if (dom.popover.getAttribute('role') === 'menu') {
      const items = $$('[role^="menuitem"]:not([disabled])', dom.popover);
      const i = items.indexOf(document.activeElement);
      let j = null;
      if (e.key === 'ArrowDown') j = (i + 1) % items.length;
      else if (e.key === 'ArrowUp') j = (i - 1 + items.length) % items.length;
      else if (e.key === 'Home') j = 0;
      else if (e.key === 'End') j = items.length - 1;
      else if (e.key === 'Tab') { closePopover(false); return; }
      if (j !== null && items.length) { e.preventDefault(); items[j].focus(); }
    }
  });

  function menuItem(text, action, onSelect, { checked, disabled } = {}) {
    const b = el('button', {
      type: 'button', role: checked === undefined ? 'menuitem' : 'menuitemcheckbox', class: 'menu-item',
      'data-action': action, 'aria-checked': checked === undefined ? null : String(!!checked), disabled: disabled || null, tabindex: '-1',
    }, el('span', { class: 'menu-check', 'aria-hidden': 'true', text: checked ? '✓' : '' }), el('span', { text }));
    b.addEventListener('click', () => { closePopover(true); onSelect(); });
    return b;
  }

  function openColumnMenu(name, anchor) {
    const col = columnOf(name);
    const st = view.st;
    const i = sortIndex(name);
    const s = i >= 0 ? st.sort[i] : null;
    const others = st.sort.some((x) => x.column !== name);
    const pos = st.columns.indexOf(name);
    openPopover(anchor, {
      role: 'menu', label: `Colonne ${col.label}`, className: 'menu',
      build: (p) => {
        p.append(
          menuItem('Trier par ordre croissant', 'sort-asc', () => setSort(name, 'asc', false), { checked: !!s && s.dir === 'asc' && st.sort.length === 1 }),
          menuItem('Trier par ordre décroissant', 'sort-desc', () => setSort(name, 'desc', false), { checked: !!s && s.dir === 'desc' && st.sort.length === 1 }));
        if (others) {
          p.append(
            menuItem(s ? 'Dans le tri : croissant' : 'Ajouter au tri, croissant', 'sort-add-asc', () => setSort(name, 'asc', true), { checked: !!s && s.dir === 'asc' }),
            menuItem(s ? 'Dans le tri : décroissant' : 'Ajouter au tri, décroissant', 'sort-add-desc', () => setSort(name, 'desc', true), { checked: !!s && s.dir === 'desc' }));
        }
        if (s) p.append(menuItem('Retirer du tri', 'sort-remove', () => { st.sort.splice(sortIndex(name), 1); changed({ head: true }); }));
        p.append(el('div', { class: 'menu-sep', role: 'separator' }));
        if (col.type !== 'date' && name !== 'id') {
          p.append(st.group === name
            ? menuItem('Ne plus grouper', 'ungroup', () => { st.group = null; changed({ head: true }); })
            : menuItem('Grouper par cette colonne', 'group', () => { st.group = name; changed({ head: true }); }));
        }
        if (st.filters.has(name)) p.append(menuItem('Effacer le filtre', 'clear-filter', () => { st.filters.delete(name); changed({ head: true }); }));
        p.append(el('div', { class: 'menu-sep', role: 'separator' }),
          menuItem('Déplacer vers la gauche', 'move-left', () => moveColumn(name, -1), { disabled: pos <= 0 }),
          menuItem('Déplacer vers la droite', 'move-right', () => moveColumn(name, 1), { disabled: pos >= st.columns.length - 1 }),
          menuItem('Masquer la colonne', 'hide', () => hideColumn(name), { disabled: st.columns.length <= 1 }),
          menuItem('Choisir les colonnes…', 'columns', () => openColumnChooser(dom.columnsBtn)));
      },
    });
  }

  function moveColumn(name, delta) {
    const cols = view.st.columns;
    const i = cols.indexOf(name);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= cols.length) return;
    [cols[i], cols[j]] = [cols[j], cols[i]];
    writeUrl();
    renderHead();
    renderChips();
    renderBody();
    const b = dom.grid.querySelector(`[data-column-menu="${CSS.escape(name)}"]`);
    if (b) b.focus();
  }

  function hideColumn(name) {
    const cols = view.st.columns;
    if (cols.length <= 1) return;
    view.st.columns = cols.filter((c) => c !== name);
    changed({ head: true });
    const first = dom.grid.querySelector('.th-sort');
    if (first) first.focus();
  }

  function openColumnChooser(anchor) {
    const all = view.cols.columns;
    openPopover(anchor, {
      role: 'dialog', label: 'Colonnes affichées', className: 'chooser',
      build: (p) => {
        p.append(el('p', { class: 'pop-title', text: 'Colonnes affichées' }));
        const list = el('div', { class: 'chooser-list' });
        for (const c of all) {
          const box = el('input', { type: 'checkbox', 'data-col': c.name });
          box.checked = view.st.columns.includes(c.name);
          box.addEventListener('change', () => {
            const cols = view.st.columns;
            if (box.checked && !cols.includes(c.name)) cols.push(c.name);
            if (!box.checked) {
              if (cols.length <= 1) { box.checked = true; return; }
              view.st.columns = cols.filter((x) => x !== c.name);
            }
            changed({ head: true });
          });
          list.append(el('label', { class: 'checkbox' }, box, ' ' + c.label));
        }
        p.append(list, el('div', { class: 'pop-actions' },
          el('button', { type: 'button', class: 'btn ghost', text: 'Colonnes par défaut', onclick: () => {
            view.st.columns = LISTS[view.list].defaults.slice();
            closePopover(true);
            changed({ head: true });
          } }),
          el('button', { type: 'button', class: 'btn', text: 'Fermer', onclick: () => closePopover(true) })));
      },
    });
  }

  // ---------------------------------------------------------------- filters

  function setFilter(name, f, { delay = 0 } = {}) {
    clearTimeout(view.filterTimers.get(name));
    const apply = () => {
      if (f) view.st.filters.set(name, f); else view.st.filters.delete(name);
      const cell = dom.grid.querySelector(`td[data-filter-column="${CSS.escape(name)}"]`);
      if (cell) cell.classList.toggle('active', !!f);
      changed();
    };
    if (delay) view.filterTimers.set(name, setTimeout(apply, delay)); else apply();
  }

  function renderFilterCell(col) {
    const f = view.st.filters.get(col.name) || null;
    const td = el('td', { 'data-filter-column': col.name, 'data-type': col.type, class: f ? 'active' : null });
    if (col.type === 'bool') td.append(boolFilter(col, f));
    else if (col.type === 'number') td.append(numberFilter(col, f));
    else if (col.type === 'date' || col.type === 'select') td.append(pickerFilterButton(col, f));
    else td.append(textFilter(col, f));
    return td;
  }

  function textFilter(col, f) {
    const ops = TEXT_OPS.filter((o) => !col.ops || col.ops.includes(o.op));
    let op = f ? f.op : 'contains';
    const info = () => ops.find((o) => o.op === op) || TEXT_OPS[0];
    const input = el('input', {
      type: 'search', class: 'f-input', 'data-filter-input': col.name, 'data-fk': 'f:' + col.name, spellcheck: 'false',
      autocomplete: 'off', 'aria-label': `Filtrer ${col.label} (${info().label.toLowerCase()})`, placeholder: info().placeholder,
    });
    if (f && f.values && f.values.length) input.value = String(f.values[0]);
    const noValue = () => op === 'empty' || op === 'not_empty';
    input.disabled = noValue();
    const emit = (delay) => {
      if (noValue()) { setFilter(col.name, { column: col.name, op }); return; }
      const v = input.value.trim();
      setFilter(col.name, v ? { column: col.name, op, values: [v] } : null, { delay });
    };
    input.addEventListener('input', () => emit(DEBOUNCE_MS));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); emit(0); }
    });
    const opBtn = el('button', {
      type: 'button', class: 'f-op', 'data-filter-op': col.name, 'data-fk': 'fop:' + col.name, 'aria-haspopup': 'menu', 'aria-expanded': 'false',
      'aria-label': `Type de filtre pour ${col.label} : ${info().label.toLowerCase()}`, title: 'Type de filtre',
    }, el('span', { 'aria-hidden': 'true', text: '▾' }));
    opBtn.addEventListener('click', () => openPopover(opBtn, {
      role: 'menu', label: `Filtre ${col.label}`, className: 'menu',
      build: (p) => {
        for (const o of ops) {
          p.append(menuItem(o.label, 'op-' + o.op, () => {
            op = o.op;
            input.placeholder = o.placeholder;
            input.setAttribute('aria-label', `Filtrer ${col.label} (${o.label.toLowerCase()})`);
            opBtn.setAttribute('aria-label', `Type de filtre pour ${col.label} : ${o.label.toLowerCase()}`);
            input.disabled = noValue();
            if (noValue()) input.value = '';
            emit(0);
            if (!noValue()) input.focus();
          }, { checked: o.op === op }));
        }
      },
    }));
    return el('div', { class: 'f-text' + (noValue() ? ' novalue' : '') }, input, opBtn);
  }

  function numberFilter(col, f) {
    const parse = (s) => {
      const t = String(s).replace(/\s/g, '').replace(',', '.');
      if (!t) return null;
      const n = Number(t);
      return Number.isFinite(n) ? n : NaN;
    };
    const mk = (which, label) => {
      const input = el('input', {
        type: 'text', inputmode: 'decimal', class: 'f-input f-num', ['data-filter-' + which]: col.name, 'data-fk': `f${which}:${col.name}`,
        placeholder: label, 'aria-label': `${col.label} ${label}`, autocomplete: 'off',
      });
      if (f && f.op === 'between' && f[which] !== undefined && f[which] !== null) input.value = String(f[which]).replace('.', ',');
      return input;
    };
    const from = mk('from', 'min');
    const to = mk('to', 'max');
    const emit = (delay) => {
      const a = parse(from.value);
      const b = parse(to.value);
      from.toggleAttribute('aria-invalid', Number.isNaN(a));
      to.toggleAttribute('aria-invalid', Number.isNaN(b));
      if (Number.isNaN(a) || Number.isNaN(b)) return;
      if (a === null && b === null) { setFilter(col.name, null, { delay }); return; }
      const filter = { column: col.name, op: 'between' };
      if (a !== null) filter.from = a;
      if (b !== null) filter.to = b;
      setFilter(col.name, filter, { delay });
    };
    for (const i of [from, to]) {
      i.addEventListener('input', () => emit(DEBOUNCE_MS));
      i.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); emit(0); } });
    }
    return el('div', { class: 'f-range' }, from, el('span', { class: 'f-dash', 'aria-hidden': 'true', text: '–' }), to);
  }

  function boolFilter(col, f) {
    const sel = el('select', { class: 'f-input f-bool', 'data-filter-bool': col.name, 'data-fk': 'f:' + col.name, 'aria-label': `Filtrer ${col.label}` });
    for (const [v, t] of [['', 'Tous'], ['true', 'Oui'], ['false', 'Non']]) sel.append(el('option', { value: v, text: t }));
    if (f && f.op === 'eq' && f.values) sel.value = String(f.values[0]);
    sel.addEventListener('change', () => {
      setFilter(col.name, sel.value ? { column: col.name, op: 'eq', values: [sel.value === 'true'] } : null);
    });
    return sel;
  }

  function pickerSummary(col, f) {
    if (!f) return col.type === 'date' ? 'Toutes' : 'Tous';
    if (f.op === 'in') return f.values.length === 1 ? displayValue(col, f.values[0]) : `${f.values.length} valeurs`;
    return describeFilter(f).slice(col.label.length + 1);
  }

  function pickerFilterButton(col, f) {
    const b = el('button', {
      type: 'button', class: 'f-pick', 'data-filter-pick': col.name, 'data-fk': 'f:' + col.name, 'aria-haspopup': 'dialog', 'aria-expanded': 'false',
      'aria-label': `Filtrer ${col.label} : ${pickerSummary(col, f)}`,
    }, el('span', { class: 'f-pick-text', text: pickerSummary(col, f) }), el('span', { class: 'f-caret', 'aria-hidden': 'true', text: '▾' }));
    b.addEventListener('click', () => (col.type === 'date' ? openDateFilter(col, b) : openValueFilter(col, b)));
    return b;
  }

  // After a filter chosen in a popover: refresh the cell's button text in place.
  function refreshPickerCell(col) {
    const cell = dom.grid.querySelector(`td[data-filter-column="${CSS.escape(col.name)}"]`);
    const b = cell && cell.querySelector('.f-pick');
    if (!b) return;
    const f = view.st.filters.get(col.name) || null;
    $('.f-pick-text', b).textContent = pickerSummary(col, f);
    b.setAttribute('aria-label', `Filtrer ${col.label} : ${pickerSummary(col, f)}`);
    cell.classList.toggle('active', !!f);
  }

  // Values with their counts: the list grouped by the column, counts only, with the other filters.
  async function distinctValues(col) {
    const body = { include_inactive: view.st.inactive, group_by: col.name, limit: 0, columns: [col.name] };
    if (view.st.q.trim()) body.q = view.st.q.trim();
    const others = filtersArray(view.st, col.name);
    if (others.length) body.filters = others;
    const res = await api(`/v1/lists/${view.list}`, { method: 'POST', body, retry: null });
    if (res.status !== 200 || !res.data) throw new Error(problemText(res, 'Valeurs indisponibles.'));
    return (res.data.groups || []).map((g) => ({ key: g.key, count: Number(g.count) || 0 }));
  }

  function openValueFilter(col, anchor) {
    const current = view.st.filters.get(col.name) || null;
    const chosen = new Set(current && (current.op === 'in' || current.op === 'eq') ? current.values.map(String) : []);
    const apply = () => {
      const values = [...chosen];
      setFilter(col.name, values.length === 0 ? null : values.length === 1
        ? { column: col.name, op: 'eq', values } : { column: col.name, op: 'in', values });
      refreshPickerCell(col);
    };
    openPopover(anchor, {
      role: 'dialog', label: `Filtrer ${col.label}`, className: 'values',
      build: (p) => {
        p.dataset.filterPopover = col.name;
        p.append(el('p', { class: 'pop-title', text: `Filtrer : ${col.label}` }));
        const search = el('input', { type: 'search', class: 'f-input', 'data-value-search': col.name, placeholder: 'Rechercher une valeur…', 'aria-label': `Rechercher une valeur de ${col.label}`, autocomplete: 'off', autofocus: true });
        if (current && (current.op === 'contains' || current.op === 'starts_with')) search.value = String(current.values[0] || '');
        const containsBtn = el('button', { type: 'button', class: 'btn small', 'data-action': 'contains', hidden: true });
        const list = el('div', { class: 'value-list', role: 'group', 'aria-label': `Valeurs de ${col.label}` });
        const status = el('p', { class: 'pop-status', role: 'status', text: 'Chargement des valeurs…' });
        let values = [];
        const draw = () => {
          const needle = fold(search.value.trim());
          containsBtn.hidden = !needle;
          containsBtn.textContent = `Contient « ${search.value.trim()} »`;
          list.replaceChildren();
          let shown = 0;
          for (const v of values) {
            if (v.key === null || v.key === undefined) continue;
            if (needle && !fold(v.key).includes(needle)) continue;
            if (++shown > 300) break;
            const box = el('input', { type: 'checkbox', 'data-value': String(v.key) });
            box.checked = chosen.has(String(v.key));
            box.addEventListener('change', () => { if (box.checked) chosen.add(String(v.key)); else chosen.delete(String(v.key)); apply(); });
            list.append(el('label', { class: 'checkbox value' }, box, el('span', { class: 'value-text', text: displayValue(col, v.key) }), el('span', { class: 'value-count', text: fr(v.count) })));
          }
          if (!shown && values.length) list.append(el('p', { class: 'pop-status', text: 'Aucune valeur ne correspond.' }));
        };
        search.addEventListener('input', draw);
        search.addEventListener('keydown', (e) => { if (e.key === 'Enter' && search.value.trim()) { e.preventDefault(); containsBtn.click(); } });
        containsBtn.addEventListener('click', () => {
          chosen.clear();
          setFilter(col.name, { column: col.name, op: 'contains', values: [search.value.trim()] });
          refreshPickerCell(col);
          closePopover(true);
        });
        const nullCount = el('span', { class: 'value-count' });
        const actions = el('div', { class: 'pop-actions' },
          el('button', { type: 'button', class: 'btn small', 'data-action': 'empty', onclick: () => { chosen.clear(); setFilter(col.name, { column: col.name, op: 'empty' }); refreshPickerCell(col); closePopover(true); } }, 'Vide ', nullCount),
          el('button', { type: 'button', class: 'btn small', 'data-action': 'not_empty', text: 'Non vide', onclick: () => { chosen.clear(); setFilter(col.name, { column: col.name, op: 'not_empty' }); refreshPickerCell(col); closePopover(true); } }),
          el('button', { type: 'button', class: 'btn small ghost', 'data-action': 'clear', text: 'Effacer', onclick: () => { chosen.clear(); setFilter(col.name, null); refreshPickerCell(col); closePopover(true); } }));
        p.append(search, containsBtn, status, list, actions);
        distinctValues(col).then((vs) => {
          values = vs;
          const n = vs.find((v) => v.key === null || v.key === undefined);
          nullCount.textContent = n ? `(${fr(n.count)})` : '(0)';
          status.textContent = vs.length ? '' : 'Aucune valeur.';
          status.hidden = !!vs.length;
          draw();
          placePopover();
        }).catch((err) => { status.textContent = err instanceof AuthNeeded ? 'Clé d’API requise.' : String(err.message || err); });
      },
    });
  }

  function openDateFilter(col, anchor) {
    const current = view.st.filters.get(col.name) || null;
    openPopover(anchor, {
      role: 'dialog', label: `Filtrer ${col.label}`, className: 'dates',
      build: (p) => {
        p.dataset.filterPopover = col.name;
        const from = el('input', { type: 'date', id: 'date-from', 'data-filter-from': col.name });
        const to = el('input', { type: 'date', id: 'date-to', 'data-filter-to': col.name });
        if (current && current.op === 'between') { from.value = current.from || ''; to.value = current.to || ''; }
        const apply = () => {
          if (!from.value && !to.value) { setFilter(col.name, null); refreshPickerCell(col); return; }
          const f = { column: col.name, op: 'between' };
          if (from.value) f.from = from.value;
          if (to.value) f.to = to.value;
          setFilter(col.name, f);
          refreshPickerCell(col);
        };
        from.addEventListener('change', apply);
        to.addEventListener('change', apply);
        p.append(el('p', { class: 'pop-title', text: `Filtrer : ${col.label}` }),
          el('div', { class: 'date-grid' },
            el('label', { for: 'date-from', text: 'Du' }), from,
            el('label', { for: 'date-to', text: 'Au' }), to),
          el('div', { class: 'pop-actions' },
            el('button', { type: 'button', class: 'btn small', 'data-action': 'empty', text: 'Vide', onclick: () => { setFilter(col.name, { column: col.name, op: 'empty' }); refreshPickerCell(col); closePopover(true); } }),
            el('button', { type: 'button', class: 'btn small', 'data-action': 'not_empty', text: 'Non vide', onclick: () => { setFilter(col.name, { column: col.name, op: 'not_empty' }); refreshPickerCell(col); closePopover(true); } }),
            el('button', { type: 'button', class: 'btn small ghost', 'data-action': 'clear', text: 'Effacer', onclick: () => { setFilter(col.name, null); refreshPickerCell(col); closePopover(true); } })));
      },
    });
  }

  // ----------------------------------------------------------------- files

  function filenameOf(res, fallback) {
    const cd = res.headers.get('Content-Disposition') || '';
    const m = /filename\*=UTF-8''([^;]+)/i.exec(cd) || /filename="?([^";]+)"?/i.exec(cd);
    if (!m) return fallback;
    try { return decodeURIComponent(m[1]); } catch (_) { return m[1]; }
  }

  function saveBlob(blob, filename) {
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: filename, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  }

  async function readProblem(res) {
    let data = null;
    try { data = JSON.parse(await res.text()); } catch (_) { /* not JSON */ }
    return { status: res.status, data, headers: res.headers };
  }

  async function downloadTemplate() {
    const kind = view.list;
    try {
      const res = await api(`/v1/import/template?kind=${kind}`, { raw: true, retry: null });
      if (!res.ok) { App.showToast(problemText(await readProblem(res), 'Modèle indisponible.')); return; }
      saveBlob(await res.blob(), filenameOf(res, `modele-import-${kind}.xlsx`));
      App.showToast('Modèle téléchargé');
    } catch (err) {
      if (!(err instanceof AuthNeeded)) App.showToast('Serveur injoignable.');
    }
  }

  // ---------------------------------------------------------------- import

  const imp = { file: null, kind: null, report: null, mode: null, shown: 0, filter: 'all', busy: false };

  function openImport() {
    const L = LISTS[view.list];
    imp.kind = view.list;
    imp.file = null;
    imp.report = null;
    imp.mode = null;
    dom.imp.title.textContent = L.importTitle;
    dom.imp.file.value = '';
    resetImportView();
    dom.imp.dialog.dataset.state = 'idle';
    dom.imp.dialog.dataset.kind = imp.kind;
    dom.imp.dialog.showModal();
    dom.imp.drop.focus();
  }

  function resetImportView() {
    dom.imp.pick.hidden = false;
    dom.imp.result.hidden = true;
    dom.imp.error.hidden = true;
    dom.imp.status.textContent = '';
    dom.imp.commit.hidden = true;
    dom.imp.other.hidden = true;
    dom.imp.cancel.textContent = 'Annuler';
    dom.imp.tbody.replaceChildren();
  }

  function importError(message) {
    dom.imp.error.hidden = !message;
    dom.imp.error.textContent = message || '';
  }

  function chooseFile(file) {
    if (!file) return;
    importError('');
    if (!/\.(xlsx|xls|csv)$/i.test(file.name)) {
      importError(`« ${file.name} » n’est pas un fichier .xlsx, .xls ou .csv.`);
      return;
    }
    if (file.size > MAX_IMPORT_BYTES) {
      importError(`Le fichier dépasse la taille maximale autorisée de 2 Mo (${fr(Math.round(file.size / 1024))} Ko).`);
      return;
    }
    imp.file = file;
    runImport('preview');
  }

  async function runImport(mode) {
    if (!imp.file || imp.busy) return;
    imp.busy = true;
    importError('');
    dom.imp.dialog.dataset.state = mode === 'preview' ? 'previewing' : 'committing';
    dom.imp.status.textContent = mode === 'preview' ? `Analyse de « ${imp.file.name} »…` : 'Import en cours…';
    dom.imp.commit.disabled = true;
    const form = new FormData();
    form.append('file', imp.file, imp.file.name);
    let res;
    try {
      res = await api(`/v1/import?kind=${imp.kind}&mode=${mode}`, { method: 'POST', form, retry: null });
    } catch (err) {
      imp.busy = false;
      dom.imp.commit.disabled = false;
      dom.imp.dialog.dataset.state = 'error';
      dom.imp.status.textContent = '';
      importError(err instanceof AuthNeeded ? 'Clé d’API requise.' : 'Serveur injoignable. Réessayez.');
      return;
    }
    imp.busy = false;
    dom.imp.commit.disabled = false;
    dom.imp.status.textContent = '';
    if (res.status !== 200 || !res.data || !Array.isArray(res.data.rows)) {
      dom.imp.dialog.dataset.state = 'error';
      importError(problemText(res, `Le fichier n’a pas pu être lu (${res.status}).`));
      dom.imp.other.hidden = false;
      return;
    }
    imp.report = res.data;
    imp.mode = mode;
    imp.filter = 'all';
    renderImport();
    dom.imp.dialog.dataset.state = mode === 'preview' ? 'preview' : 'committed';
    if (mode === 'commit') {
      const s = res.data.summary || {};
      App.showToast(importDoneText(s));
      if (view.list === imp.kind) reload();
    }
  }

  function importDoneText(s) {
    const L = LISTS[imp.kind];
    const companies = plural(Number(s.clients_created) || 0, 'société cliente créée', 'sociétés clientes créées');
    const contacts = plural(Number(s.contacts_created) || 0, 'contact créé', 'contacts créés');
    return imp.kind === 'clients' || L === LISTS.clients ? `${companies}, ${contacts}` : `${contacts}, ${companies}`;
  }

  function rowClass(r) {
    if (r.status === 'error') return 'error';
    if (r.status === 'skipped') return 'skipped';
    if ((r.duplicates && r.duplicates.length) || (r.in_file_duplicates && r.in_file_duplicates.length)) return 'duplicate';
    return 'ok';
  }

  function renderImport() {
    const rep = imp.report;
    const s = rep.summary || {};
    const committed = imp.mode === 'commit';
    dom.imp.pick.hidden = true;
    dom.imp.result.hidden = false;
    dom.imp.other.hidden = false;
    dom.imp.dialog.dataset.ok = String(Number(s.ok) || 0);
    // Summary
    const sum = dom.imp.summary;
    sum.replaceChildren();
    const counts = { ok: 0, duplicate: 0, skipped: 0, error: 0 };
    for (const r of rep.rows) counts[rowClass(r)]++;
    const stat = (n, label, cls, key) => el('div', { class: 'stat ' + cls, 'data-stat': key }, el('strong', { text: fr(n) }), el('span', { text: label }));
    sum.append(el('p', { class: 'import-file' }, committed ? 'Import terminé : ' : 'Aperçu de ', el('strong', { text: imp.file ? imp.file.name : '' }),
      ` — ${plural(Number(s.rows) || rep.rows.length, 'ligne', 'lignes')}${rep.header_row ? `, en-têtes en ligne ${rep.header_row}` : ''}.`));
    const stats = el('div', { class: 'stats' });
    if (committed) {
      stats.append(
        stat(Number(s.clients_created) || 0, 'sociétés créées', 'ok', 'clients_created'),
        stat(Number(s.contacts_created) || 0, 'contacts créés', 'ok', 'contacts_created'));
    } else {
      stats.append(
        stat(Number(s.ok) || 0, 'lignes à importer', 'ok', 'ok'),
        stat(Number(s.clients_to_create) || 0, 'sociétés à créer', 'info', 'clients_to_create'),
        stat(Number(s.contacts_to_create) || 0, 'contacts à créer', 'info', 'contacts_to_create'));
    }
    stats.append(
      stat(counts.duplicate, 'doublons probables', 'duplicate', 'duplicates'),
      stat(Number(s.skipped) || 0, 'déjà présentes (ignorées)', 'skipped', 'skipped'),
      stat(Number(s.errors) || 0, 'en erreur', 'error', 'errors'));
    sum.append(stats);
    if (rep.ignored_columns && rep.ignored_columns.length) {
      sum.append(el('p', { class: 'import-note', text: 'Colonnes ignorées : ' + rep.ignored_columns.map((c) => (c && c.header) || c).join(', ') + '.' }));
    }
    if (committed && s.indexed === false) sum.append(el('p', { class: 'import-note', text: 'L’indexation se termine : les nouvelles fiches apparaîtront dans la recherche dans quelques instants.' }));
    if (!committed && (Number(s.errors) || 0) > 0) sum.append(el('p', { class: 'import-note', text: 'Les lignes en erreur ne seront pas importées : corrigez le fichier puis choisissez-le à nouveau, ou importez les autres lignes.' }));
    // Filter buttons
    dom.imp.filter.replaceChildren();
    for (const [key, label, n] of [['all', 'Toutes', rep.rows.length], ['ok', 'À importer', counts.ok + counts.duplicate],
      ['duplicate', 'Doublons probables', counts.duplicate], ['skipped', 'Ignorées', counts.skipped], ['error', 'Erreurs', counts.error]]) {
      if (key !== 'all' && !n) continue;
      const b = el('button', { type: 'button', class: 'seg', 'data-filter': key, 'aria-pressed': String(imp.filter === key), text: `${label} (${fr(n)})` });
      b.addEventListener('click', () => { imp.filter = key; renderImport(); const again = dom.imp.filter.querySelector(`[data-filter="${key}"]`); if (again) again.focus(); });
      dom.imp.filter.append(b);
    }
    // Rows
    dom.imp.tbody.replaceChildren();
    imp.shown = 0;
    appendImportRows();
    // Footer
    const ok = Number(s.ok) || 0;
    dom.imp.commit.hidden = committed;
    dom.imp.commit.disabled = ok === 0;
    dom.imp.commit.textContent = ok ? `Importer ${plural(ok, 'ligne', 'lignes')}` : 'Rien à importer';
    dom.imp.cancel.textContent = committed ? 'Fermer' : 'Annuler';
    if (committed) dom.imp.cancel.focus(); else if (ok) dom.imp.commit.focus();
  }

  function visibleImportRows() {
    const rows = imp.report.rows;
    if (imp.filter === 'all') return rows;
    if (imp.filter === 'ok') return rows.filter((r) => r.status === 'ok');
    return rows.filter((r) => rowClass(r) === imp.filter);
  }

  function appendImportRows() {
    const rows = visibleImportRows();
    const end = Math.min(rows.length, imp.shown + IMPORT_CHUNK);
    for (let i = imp.shown; i < end; i++) dom.imp.tbody.append(renderImportRow(rows[i]));
    imp.shown = end;
    dom.imp.moreRows.hidden = end >= rows.length;
    dom.imp.moreRows.textContent = `Afficher plus de lignes (${fr(rows.length - end)} restantes)`;
  }

  const STATUS_TEXT = { ok: ['À importer', 'Importée'], duplicate: ['À vérifier', 'Importée'], skipped: ['Ignorée', 'Ignorée'], error: ['Erreur', 'Erreur'] };

  function recordLine(rec) {
    if (!rec) return '';
    const name = rec.name || [rec.first_name, rec.last_name].filter(Boolean).join(' ');
    const extra = [rec.email, rec.city, rec.phone_direct ? formatPhone(rec.phone_direct) : null].filter(Boolean).join(' · ');
    return [name, extra].filter(Boolean).join(' — ');
  }

  function renderImportRow(r) {
    const cls = rowClass(r);
    const committed = imp.mode === 'commit';
    const tr = el('tr', { class: 'imp-row ' + cls, 'data-row': String(r.row), 'data-status': r.status });
    tr.append(el('td', { class: 'num', text: String(r.row) }));
    tr.append(el('td', {}, el('span', { class: 'status-badge ' + cls, text: STATUS_TEXT[cls][committed && r.status === 'ok' ? 1 : 0] })));
    const company = el('td');
    if (r.client) {
      company.append(el('span', { class: 'imp-cell', text: recordLine(r.client.record) || (r.client.id || '') }));
      const note = r.client.action === 'existing' ? 'société existante' : r.client.action === 'in_file' ? `même société que la ligne ${r.client.first_row}` : r.client.action === 'create' ? (committed ? 'créée' : 'à créer') : null;
      if (note) company.append(el('span', { class: 'imp-note', text: note }));
    }
    if (!company.childElementCount) company.append(el('span', { class: 'imp-note', text: '—' }));
    tr.append(company);
    const contact = el('td');
    if (r.contact) {
      contact.append(el('span', { class: 'imp-cell', text: recordLine(r.contact.record) }));
      const note = r.contact.action === 'existing' ? 'contact existant' : r.contact.action === 'create' ? (committed ? 'créé' : 'à créer') : null;
      if (note) contact.append(el('span', { class: 'imp-note', text: note }));
    }
    tr.append(contact);
    const notes = el('td', { class: 'imp-remarks' });
    const ul = el('ul');
    for (const e of r.errors || []) {
      ul.append(el('li', { class: 'imp-error', 'data-field': e.field || '' }, el('strong', { text: (e.column || e.field || 'Ligne') + ' : ' }), String(e.message || 'valeur invalide')));
    }
    if (r.message) ul.append(el('li', { class: 'imp-message', text: String(r.message) }));
    for (const d of r.duplicates || []) {
      const name = el('strong', { class: 'dup-name', text: String(d.id) });
      const reasons = (d.reasons || []).map((x) => REASONS[x] || x).join(', ');
      const score = typeof d.score === 'number' ? ` — ${Math.round(d.score * 100)} %` : '';
      ul.append(el('li', { class: 'imp-dup', 'data-dup-id': String(d.id), 'data-dup-kind': String(d.kind || '') },
        d.kind === 'client' ? 'Société déjà dans la base ? ' : 'Contact déjà dans la base ? ', name, ` (${reasons}${score})`, d.active === false ? ' — inactif' : ''));
      const coll = d.kind === 'client' ? 'clients' : d.kind === 'client_contact' ? 'client-contacts' : null;
      if (coll) {
        api(`/v1/${coll}/${encodeURIComponent(d.id)}`).then((res) => {
          if (res.status === 200 && res.data) name.textContent = res.data.name || [res.data.first_name, res.data.last_name].filter(Boolean).join(' ') || String(d.id);
        }).catch(() => {});
      }
    }
    for (const d of r.in_file_duplicates || []) {
      const reasons = (d.reasons || []).map((x) => REASONS[x] || x).join(', ');
      ul.append(el('li', { class: 'imp-dup in-file', 'data-dup-row': String(d.row) },
        `Proche de la ligne ${d.row} du fichier (${d.kind === 'client' ? 'société' : 'contact'} : ${reasons})`));
    }
    if (ul.childElementCount) notes.append(ul);
    tr.append(notes);
    return tr;
  }

  dom.imp.file.addEventListener('change', () => chooseFile(dom.imp.file.files && dom.imp.file.files[0]));
  for (const ev of ['dragenter', 'dragover']) {
    dom.imp.drop.addEventListener(ev, (e) => { e.preventDefault(); dom.imp.drop.classList.add('over'); });
  }
  for (const ev of ['dragleave', 'drop']) dom.imp.drop.addEventListener(ev, () => dom.imp.drop.classList.remove('over'));
  dom.imp.drop.addEventListener('drop', (e) => {
    e.preventDefault();
    const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    chooseFile(f);
  });
  dom.imp.drop.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); dom.imp.file.click(); }
  });
  dom.imp.drop.tabIndex = 0;
  dom.imp.drop.setAttribute('role', 'button');
  dom.imp.drop.setAttribute('aria-describedby', 'import-status');
  dom.imp.form.addEventListener('submit', (e) => e.preventDefault());
  dom.imp.commit.addEventListener('click', () => runImport('commit'));
  dom.imp.other.addEventListener('click', () => { imp.file = null; imp.report = null; dom.imp.file.value = ''; resetImportView(); dom.imp.dialog.dataset.state = 'idle'; dom.imp.drop.focus(); });
  dom.imp.moreRows.addEventListener('click', appendImportRows);
  dom.imp.template.addEventListener('click', downloadTemplate);
  for (const b of $$('[data-close]', dom.imp.dialog)) b.addEventListener('click', () => dom.imp.dialog.close());
  dom.imp.dialog.addEventListener('close', () => { if (!dom.importBtn.hidden && document.body.dataset.view !== 'search') dom.importBtn.focus(); });

  // ---------------------------------------------------------------- export

  function openExport() {
    const L = LISTS[view.list];
    dom.exp.title.textContent = L.exportTitle;
    const st = view.st;
    const parts = [];
    if (st.q.trim()) parts.push(`recherche « ${st.q.trim()} »`);
    if (st.filters.size) parts.push(plural(st.filters.size, 'filtre', 'filtres'));
    if (st.sort.length) parts.push('tri de la liste');
    const n = view.total === null ? '' : plural(view.total, L.one, L.many);
    dom.exp.scope.textContent = `La vue actuelle sera exportée${n ? ` : ${n}` : ''}${parts.length ? ` (${parts.join(', ')})` : ''}, avec les colonnes du modèle d’import puis les colonnes affichées.`
      + (st.group ? ' Le regroupement n’est pas repris : les lignes suivent l’ordre de la liste.' : '');
    dom.exp.error.hidden = true;
    for (const p of $$('.field-error', dom.exp.form)) { p.hidden = true; p.textContent = ''; }
    for (const x of $$('[aria-invalid]', dom.exp.form)) x.removeAttribute('aria-invalid');
    dom.exp.password.value = '';
    try { if (!dom.exp.email.value) dom.exp.email.value = sessionStorage.getItem(EMAIL_STORAGE) || ''; } catch (_) { /* ignore */ }
    syncBom();
    dom.exp.dialog.dataset.state = 'idle';
    dom.exp.dialog.showModal();
    (dom.exp.email.value ? dom.exp.password : dom.exp.email).focus();
  }

  function syncBom() {
    const csv = dom.exp.form.elements.namedItem('format').value === 'csv';
    dom.exp.bom.disabled = !csv;
    dom.exp.bom.closest('label').classList.toggle('disabled', !csv);
  }

  function exportFieldError(field, message) {
    const p = dom.exp.form.querySelector(`.field-error[data-error-for="${CSS.escape(field)}"]`);
    if (!p) return false;
    p.hidden = false;
    p.textContent = message;
    const input = dom.exp.form.elements.namedItem(field);
    if (input) input.setAttribute('aria-invalid', 'true');
    return true;
  }

  async function submitExport() {
    dom.exp.error.hidden = true;
    for (const p of $$('.field-error', dom.exp.form)) { p.hidden = true; p.textContent = ''; }
    for (const x of $$('[aria-invalid]', dom.exp.form)) x.removeAttribute('aria-invalid');
    const email = dom.exp.email.value.trim();
    const password = dom.exp.password.value;
    let missing = false;
    if (!email) { exportFieldError('email', 'L’e-mail de l’administrateur est obligatoire.'); missing = true; }
    if (!password) { exportFieldError('password', 'Le mot de passe est obligatoire pour exporter.'); missing = true; }
    if (missing) { $('[aria-invalid="true"]', dom.exp.form).focus(); return; }
    const format = dom.exp.form.elements.namedItem('format').value;
    const q = viewQuery();
    delete q.group_by; // an export follows the list's order
    const body = { kind: view.list, format, email, password, query: q };
    if (format === 'csv') body.encoding = dom.exp.bom.checked ? 'utf-8-bom' : 'utf-8';
    dom.exp.submit.disabled = true;
    dom.exp.submit.textContent = 'Export en cours…';
    dom.exp.dialog.dataset.state = 'exporting';
    let res;
    try {
      res = await api('/v1/export', { method: 'POST', body, raw: true, retry: null });
    } catch (err) {
      res = null;
      dom.exp.error.hidden = false;
      dom.exp.error.textContent = err instanceof AuthNeeded ? 'Clé d’API requise.' : 'Serveur injoignable. Réessayez.';
    }
    dom.exp.submit.disabled = false;
    dom.exp.submit.textContent = 'Exporter';
    if (!res) { dom.exp.dialog.dataset.state = 'error'; return; }
    if (res.ok) {
      const filename = filenameOf(res, `${view.list}.${format}`);
      saveBlob(await res.blob(), filename);
      try { sessionStorage.setItem(EMAIL_STORAGE, email); } catch (_) { /* ignore */ }
      dom.exp.password.value = '';
      dom.exp.dialog.dataset.state = 'done';
      dom.exp.dialog.dataset.filename = filename;
      dom.exp.dialog.close();
      App.showToast(`Export téléchargé : ${filename}`);
      return;
    }
    const problem = await readProblem(res);
    dom.exp.dialog.dataset.state = 'error';
    const unplaced = [];
    for (const e of (problem.data && Array.isArray(problem.data.errors)) ? problem.data.errors : []) {
      if (!exportFieldError(String(e.field || ''), String(e.message || 'Valeur invalide.'))) unplaced.push(e.message);
    }
    let text = problemText(problem, `Export impossible (${res.status}).`);
    if (res.status === 429) {
      const after = res.headers.get('Retry-After');
      if (after && !/\d+\s*secondes?/.test(text)) text += ` Réessayez dans ${after} s.`;
    }
    dom.exp.error.hidden = false;
    dom.exp.error.textContent = text;
    if (res.status === 403) { dom.exp.password.value = ''; dom.exp.password.setAttribute('aria-invalid', 'true'); dom.exp.password.focus(); }
  }

  dom.exp.form.addEventListener('submit', (e) => { e.preventDefault(); submitExport(); });
  dom.exp.form.addEventListener('change', (e) => { if (e.target.name === 'format') syncBom(); });
  for (const b of $$('[data-close]', dom.exp.dialog)) b.addEventListener('click', () => dom.exp.dialog.close());
  dom.exp.dialog.addEventListener('close', () => { dom.exp.password.value = ''; if (document.body.dataset.view !== 'search') dom.exportBtn.focus(); });

  // ---------------------------------------------------------------- wiring

  function openNew() {
    App.openCreate(LISTS[view.list].create, {}, null, dom.newBtn);
  }

  dom.q.addEventListener('input', () => {
    clearTimeout(view.qTimer);
    view.qTimer = setTimeout(() => { view.st.q = dom.q.value; changed(); }, DEBOUNCE_MS);
  });
  $('#list-search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(view.qTimer);
    if (view.st.q !== dom.q.value) { view.st.q = dom.q.value; changed(); }
  });
  dom.q.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      const first = dom.grid.querySelector('tbody:not(.collapsed) tr.row');
      if (first) { e.preventDefault(); focusRow(first); }
    } else if (e.key === 'Escape' && dom.q.value && $('#detail').hidden) {
      e.preventDefault();
      dom.q.value = '';
      clearTimeout(view.qTimer);
      view.st.q = '';
      changed();
    }
  });
  dom.inactive.addEventListener('change', () => { view.st.inactive = dom.inactive.checked; changed(); });
  dom.columnsBtn.addEventListener('click', () => openColumnChooser(dom.columnsBtn));
  dom.more.addEventListener('click', loadMore);
  dom.newBtn.addEventListener('click', openNew);
  dom.importBtn.addEventListener('click', openImport);
  dom.exportBtn.addEventListener('click', openExport);
  dom.templateBtn.addEventListener('click', downloadTemplate);

  // Infinite scroll: the "Charger plus" button loads itself when it comes into view.
  if (window.IntersectionObserver) {
    new IntersectionObserver((entries) => {
      if (entries.some((x) => x.isIntersecting) && !dom.more.hidden && dom.view.dataset.autoload !== 'off') loadMore();
    }, { root: dom.scroll, rootMargin: '200px' }).observe(dom.more);
  }

  // Typing in the global search bar from a list goes back to the search view.
  const globalQ = $('#q');
  globalQ.addEventListener('input', () => { if (document.body.dataset.view !== 'search') location.hash = '#/'; });

  // Records created from a list, or a key entered: show the list again.
  document.addEventListener('labsearch:created', (e) => {
    if (!view.list) return;
    reload();
    if (e.detail && e.detail.delayed) setTimeout(() => { if (view.list) reload(); }, 1500);
  });
  document.addEventListener('labsearch:key', () => { if (view.list) { delete meta[view.list]; view.list = null; route(); } });

  window.addEventListener('hashchange', route);
  restoreNavLinks();
  route();
})();
