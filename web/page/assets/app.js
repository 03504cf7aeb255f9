// placeteam map page: configuration and version choice, team colours and
// legend, a team's profile on click, editing, exports. Talks only to this
// server. choropleth.js, compare.js, site.js and flows.js add their panels
// through placeteam.on('version'|'style'|'team', fn).
(function () {
  'use strict';
  const state = { token: sessionStorage.getItem('placeteam-token') || '', config: '', version: 0,
    profile: null, saved: null, colours: {}, role: '', idle: false,
    etag: '', moves: [], undone: [], wardTeam: {} };
  const $ = (id) => document.getElementById(id);
  // Hooks: 'version' after a configuration version is chosen (state
  // filled, style requested), 'style' after each style has loaded (the
  // source exists: add layers and feature-state here), 'team' after a
  // team's profile is shown (its id in #panel's data-team), 'names' once
  // the ward names are known (state.wardNames, from labels.js), 'role'
  // once the signed-in role is known (state.role).
  const hooks = { version: [], style: [], team: [], names: [], role: [] };
  const on = (name, fn) => { hooks[name].push(fn); };
  const emit = (name) => { for (const fn of hooks[name]) { try { fn(); } catch (e) { fail(e); } } };
  const status = (text) => { $('status').textContent = text; };

  function headers() {
    return state.token ? { Authorization: 'Bearer ' + state.token } : {};
  }
  async function api(path, opts) {
    opts = opts || {};
    const res = await fetch(path, { method: opts.method || 'GET', body: opts.body,
      headers: Object.assign({}, headers(), opts.headers || {}) });
    if (opts.raw) return res;
    if (res.status === 401) { $('signin').hidden = false; throw new Error('sign in with a token to see ' + path); }
    if (!res.ok) {
      let detail = res.statusText;
      try { detail = (await res.json()).detail || detail; } catch (e) { /* not JSON */ }
      throw new Error(res.status + ': ' + detail);
    }
    return res.json();
  }

  const fmt = (v) => typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-GB') :
    (Math.abs(v) <= 1 ? (v * 100).toFixed(1) + '%' : v.toFixed(1))) : String(v);

  async function whoami(asked) {
    try {
      const me = await (asked || api('/api/whoami'));
      state.role = me.role;
      $('who').textContent = me.name + ' (' + me.role + ')';
      $('signin').hidden = !!state.token || me.role !== 'viewer';
      $('edit').hidden = !canEdit();
      if (state.saved) drawEditor();
      emit('role');
    } catch (e) { $('who').textContent = 'not signed in'; throw e; }
  }

  async function loadConfigurations(asked) {
    const list = await (asked || api('/api/configurations'));
    const sel = $('config');
    sel.innerHTML = '';
    for (const c of list.configurations) {
      const o = document.createElement('option');
      o.value = c.name; o.textContent = c.title ? c.name + ' — ' + c.title : c.name; o.dataset.version = c.version;
      sel.append(o);
    }
    if (!list.configurations.length) throw new Error('the store has no configurations');
    await chooseConfiguration(list.configurations[0].name, list.configurations[0].version);
  }

  // chooseConfiguration shows name at its latest version. latest, when the
  // caller knows it (the configurations list names it), is loaded while the
  // version list is fetched rather than after it.
  async function chooseConfiguration(name, latest) {
    state.config = name;
    $('config').value = name;
    const versions = api('/api/configurations/' + encodeURIComponent(name) + '/versions').then((versions) => {
      const sel = $('version');
      sel.innerHTML = '';
      const list = versions.versions || [];
      for (const v of list.slice().reverse()) {
        const o = document.createElement('option');
        o.value = v.version; o.textContent = 'v' + v.version + (v.author ? ' · ' + v.author : '');
        sel.append(o);
      }
      return list.length ? list[list.length - 1].version : 1;
    });
    if (latest) await Promise.all([versions, chooseVersion(latest)]);
    else await chooseVersion(await versions);
    $('version').value = String(state.version);
  }

  async function chooseVersion(version) {
    state.version = Number(version);
    $('version').value = String(state.version);
    const q = '?version=' + state.version;
    const base = '/api/configurations/' + encodeURIComponent(state.config);
    // The configuration (for its ETag), its profile and its style at once.
    const [res, profile, style] = await Promise.all([api(base + q, { raw: true }), api(base + '/profile' + q),
      api('/styles/' + encodeURIComponent(state.config) + '.json' + q)]);
    if (!res.ok) throw new Error(res.status + ': cannot load ' + state.config);
    state.etag = res.headers.get('ETag') || '';
    state.saved = profile;
    state.profile = state.saved;
    state.moves = []; state.undone = [];
    state.wardTeam = {};
    for (const t of state.saved.teams) for (const w of t.wards) state.wardTeam[w] = t.id;
    if (!state.fitted && style.sources.placeteam) {
      // Go to the city before the style's tiles are asked for, so none are
      // cut for the world view: the style names the city's bounds (its
      // source's bounds also hold the LSOAs and hospitals around it).
      state.fitted = true;
      state.bounds = (style.metadata && style.metadata['placeteam:city-bounds']) || style.sources.placeteam.bounds;
      const b = state.bounds;
      if (b) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 20, animate: false });
      else if (style.center) map.jumpTo({ center: style.center, zoom: style.zoom });
    }
    state.colours = (style.metadata && style.metadata['placeteam:team-colours']) || {};
    state.values = (style.metadata && style.metadata['placeteam:values']) || {};
    state.promoteId = (style.sources.placeteam && style.sources.placeteam.promoteId) || {};
    state.idle = false;
    state.styleReady = false;
    // No diffing: every version's source is new, and 'style.load' (which
    // re-adds the panels' layers and feature-state) always fires. No paint
    // transitions: a draft's colours show at once, and the map is idle
    // (drawn) without waiting out a fade.
    style.transition = { duration: 0, delay: 0 };
    map.setStyle(style, { diff: false });
    drawLegend();
    drawEditor();
    drawExports();
    $('conflict').hidden = true;
    $('panel').hidden = true;
    status(state.profile.title + ' · version ' + state.version);
    emit('version');
  }

  // Layer toggles: a layer is shown when its box is ticked, and the base
  // fills also give way to a choropleth (state.choropleth set by
  // choropleth.js).
  const toggles = [
    ['lsoas-imd', 'IMD shading (LSOAs)'], ['teams-fill', 'Team fills'], ['wards-fill', 'Ward fills'],
    ['wards-line', 'Ward outlines'], ['teams-line', 'Team outlines'], ['localities-line', 'Locality outlines'],
    ['practices', 'GP practices (sized by list)'], ['hospitals', 'Hospital sites'],
  ];
  const baseFills = ['lsoas-imd', 'teams-fill', 'wards-fill'];
  state.hiddenLayers = new Set();
  function drawToggles() {
    const box = $('layer-toggles');
    for (const [id, label] of toggles) {
      const l = document.createElement('label');
      const c = document.createElement('input');
      c.type = 'checkbox'; c.checked = true; c.dataset.layer = id; c.id = 'toggle-' + id;
      c.addEventListener('change', () => {
        if (c.checked) state.hiddenLayers.delete(id); else state.hiddenLayers.add(id);
        applyVisibility();
      });
      l.append(c, document.createTextNode(' ' + label));
      box.append(l);
    }
  }
  function applyVisibility() {
    if (!state.styleReady) return;
    for (const [id] of toggles) {
      if (!map.getLayer(id)) continue;
      const shown = !state.hiddenLayers.has(id) && !(state.choropleth && baseFills.includes(id));
      map.setLayoutProperty(id, 'visibility', shown ? 'visible' : 'none');
    }
    state.idle = false;
  }

  // Exports of the chosen version: configuration CSV, profile CSV and the
  // teams as GeoJSON.
  function drawExports() {
    const name = encodeURIComponent(state.config), q = 'version=' + state.version;
    $('export-config').href = '/api/configurations/' + name + '/export?' + q;
    $('export-config').download = state.config + '-v' + state.version + '.csv';
    $('export-profile').href = '/api/configurations/' + name + '/profile?format=csv&' + q;
    $('export-profile').download = state.config + '-v' + state.version + '-profile.csv';
    $('export-teams').href = '/collections/teams-' + name + '/items?limit=10000&' + q;
    $('export-teams').download = state.config + '-teams.geojson';
  }

  function drawLegend() {
    const ul = $('legend-list');
    ul.innerHTML = '';
    for (const t of state.profile.teams) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button'; b.dataset.team = t.id; b.setAttribute('aria-pressed', 'false');
      const sw = document.createElement('span');
      sw.className = 'swatch'; sw.style.background = state.colours[t.id] || '#bbb';
      b.append(sw, document.createTextNode(t.id + ' ' + t.name));
      b.addEventListener('click', () => showTeam(t.id));
      li.append(b); ul.append(li);
    }
  }

  // The profile table: label, the figure's JSON name (as the unit's
  // modelled_fields and unknown name it) and how to read it.
  const rows = [
    ['Resident population', 'resident_population', (t) => t.resident_population.total],
    ['Aged 60+', 'age_60_plus', (t) => t.resident_population.age_60_plus],
    ['Registered population', 'registered_population', (t) => t.registered_population],
    ['Practices', 'practice_count', (t) => t.practice_count],
    ['Local registration share', 'local_registration_share', (t) => t.local_registration_share],
    ['Out-of-city registered', 'out_of_city_registered', (t) => t.out_of_city_registered],
    ['IMD weighted score', 'imd_weighted_score', (t) => t.imd_weighted_score],
    ['Area km²', 'area_km2', (t) => t.area_km2],
  ];

  // modelledMark is the mark of an estimate (a figure the unit's
  // modelled_fields names); panels (teamcharts.js) use it too.
  function modelledMark(field) {
    const m = document.createElement('span');
    m.className = 'modelled'; m.textContent = 'modelled'; m.dataset.field = field;
    m.title = 'an estimate (e.g. gravity-modelled registrations), not an observed figure';
    return m;
  }
  // unknownReason says why a figure is unknown: the unit's unknown map, or
  // a plain "not known" when a null figure is not named there.
  const unknownReason = (t, field) => (t.unknown && t.unknown[field]) || 'not known in the data';

  function showTeam(id) {
    const t = state.profile.teams.find((x) => x.id === id);
    if (!t) return;
    $('panel').hidden = false;
    $('panel').dataset.team = id;
    $('panel-title').textContent = t.id + ' ' + t.name + ' (locality ' + t.locality + ')';
    const body = $('panel-table').tBodies[0];
    body.innerHTML = '';
    const notes = [];
    const modelled = t.modelled_fields || [];
    for (const [label, field, get] of rows) {
      const v = get(t);
      const tr = document.createElement('tr');
      tr.dataset.field = field;
      const th = document.createElement('th'); th.textContent = label;
      const td = document.createElement('td');
      if (v === undefined || v === null) {
        // Unknown, never 0: a dash, and why in a title and a footnote.
        const reason = unknownReason(t, field);
        notes.push(label + ': ' + reason);
        td.textContent = '–';
        td.title = 'unknown: ' + reason;
        td.dataset.unknown = reason;
        const sup = document.createElement('sup');
        sup.textContent = String(notes.length);
        td.append(sup);
      } else {
        td.textContent = fmt(v); td.dataset.value = String(v);
      }
      if (modelled.includes(field)) td.prepend(modelledMark(field), ' ');
      tr.append(th, td); body.append(tr);
    }
    const foot = $('panel-notes');
    foot.innerHTML = '';
    notes.forEach((n, i) => {
      const li = document.createElement('li');
      li.value = i + 1; li.textContent = 'Unknown – ' + n;
      foot.append(li);
    });
    foot.hidden = !notes.length;
    for (const b of document.querySelectorAll('#legend-list button')) {
      b.setAttribute('aria-pressed', String(b.dataset.team === id));
    }
    emit('team');
  }

  function canEdit() { return state.role === 'editor' || state.role === 'admin'; }

  // The team each ward is in with the pending moves applied.
  function currentTeams() {
    const teams = Object.assign({}, state.wardTeam);
    for (const m of state.moves) teams[m.ward] = m.team;
    return teams;
  }

  // Ward names, once labels.js has read them (state.wardNames); codes
  // until then.
  const wardName = (w) => (state.wardNames && state.wardNames[w]) || w;
  const wardLabel = (w, more) => {
    const name = state.wardNames && state.wardNames[w];
    const inner = [name ? w : '', more].filter(Boolean).join(', ');
    return (name || w) + (inner ? ' (' + inner + ')' : '');
  };

  function drawEditor() {
    const wardSel = $('move-ward'), teamSel = $('move-team');
    const teams = currentTeams();
    const chosen = wardSel.value;
    wardSel.innerHTML = '';
    for (const w of Object.keys(teams).sort((a, b) => wardName(a).localeCompare(wardName(b)))) {
      const o = document.createElement('option');
      o.value = w; o.textContent = wardLabel(w, teams[w]);
      wardSel.append(o);
    }
    if (chosen && teams[chosen]) wardSel.value = chosen;
    if (!teamSel.options.length || teamSel.dataset.config !== state.config) {
      teamSel.innerHTML = '';
      teamSel.dataset.config = state.config;
      for (const t of state.saved.teams) {
        const o = document.createElement('option');
        o.value = t.id; o.textContent = t.id + ' ' + t.name;
        teamSel.append(o);
      }
    }
    const list = $('moves');
    list.innerHTML = '';
    for (const m of state.moves) {
      const li = document.createElement('li');
      li.textContent = wardLabel(m.ward) + ' from ' + state.wardTeam[m.ward] + ' to ' + m.team;
      list.append(li);
    }
    $('undo').disabled = !state.moves.length;
    $('redo').disabled = !state.undone.length;
    $('save').disabled = !state.moves.length || !canEdit();
  }

  // Ward colours follow the pending moves: moved wards get their new
  // team's colour on top of the style's.
  function paintWards() {
    if (!map.getLayer('wards-fill')) return;
    const teamColour = ['match', ['get', 'team']];
    for (const [id, c] of Object.entries(state.colours)) teamColour.push(id, c);
    teamColour.push('#bbbbbb');
    let expr = teamColour;
    if (state.moves.length) {
      const byWard = {};
      for (const m of state.moves) byWard[m.ward] = state.colours[m.team] || '#bbbbbb';
      expr = ['match', ['get', 'code']];
      for (const [w, c] of Object.entries(byWard)) expr.push(w, c);
      expr.push(teamColour);
    }
    state.idle = false;
    map.setPaintProperty('wards-fill', 'fill-color', expr);
  }

  async function evaluate() {
    const shown = $('panel').hidden ? '' : $('panel').dataset.team;
    if (!state.moves.length) {
      state.profile = state.saved;
      $('checks').textContent = '';
    } else {
      const r = await api('/api/configurations/' + encodeURIComponent(state.config) + '/evaluate?version=' + state.version,
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ moves: state.moves }) });
      state.profile = r.profile;
      $('checks').textContent = r.checks.ok ? 'Plan checks pass.' : 'Plan checks failing: ' + r.checks.failing.join(', ');
    }
    paintWards();
    drawEditor();
    if (shown) showTeam(shown);
    status(state.moves.length ? state.moves.length + ' unsaved move(s) on version ' + state.version : 'No unsaved moves');
  }

  async function move(ward, team) {
    if (!ward || !team) return;
    state.moves = state.moves.filter((m) => m.ward !== ward);
    if (state.wardTeam[ward] !== team) state.moves.push({ ward, team });
    state.undone = [];
    await evaluate();
  }
  async function undo() {
    if (!state.moves.length) return;
    state.undone.push(state.moves.pop());
    await evaluate();
  }
  async function redo() {
    if (!state.undone.length) return;
    state.moves.push(state.undone.pop());
    await evaluate();
  }
  // setDraft replaces the pending moves with moves (as if made one by one
  // by hand): other panels' previews (optimise.js) are evaluated, drawn,
  // undone and saved as hand edits are.
  async function setDraft(moves) {
    state.moves = [];
    for (const m of moves) {
      state.moves = state.moves.filter((x) => x.ward !== m.ward);
      if (state.wardTeam[m.ward] !== m.team) state.moves.push({ ward: m.ward, team: m.team });
    }
    state.undone = [];
    await evaluate();
  }

  async function save() {
    $('conflict').hidden = true;
    const res = await api('/api/configurations/' + encodeURIComponent(state.config) + '/moves', { raw: true, method: 'POST',
      headers: { 'Content-Type': 'application/json', 'If-Match': state.etag }, body: JSON.stringify({ moves: state.moves }) });
    if (res.status === 412) {
      let detail = '';
      try { detail = (await res.json()).detail; } catch (e) { /* not JSON */ }
      const latest = await api('/api/configurations/' + encodeURIComponent(state.config));
      $('conflict').hidden = false;
      $('conflict').textContent = 'Not saved: someone saved version ' + latest.version + ' of ' + state.config +
        ' after you loaded version ' + state.version + '. Your ' + state.moves.length +
        ' move(s) are kept here; choose the latest version and make them again. (' + detail + ')';
      $('conflict').dataset.latest = String(latest.version);
      return;
    }
    if (!res.ok) {
      let detail = res.statusText;
      try { detail = (await res.json()).detail || detail; } catch (e) { /* not JSON */ }
      throw new Error('save: ' + res.status + ': ' + detail);
    }
    const saved = await res.json();
    await chooseConfiguration(state.config);
    status('Saved as version ' + (saved.version || state.version));
  }

  // Who is signed in and the configurations are asked for before the map
  // is built (a slow step with software WebGL), and read once the page's
  // scripts have loaded. The catch only keeps an early refusal from being
  // reported as unhandled: start() reads it.
  let early = { whoami: api('/api/whoami'), configurations: api('/api/configurations') };
  for (const p of Object.values(early)) p.catch(() => {});
  const map = new maplibregl.Map({
    container: 'map',
    style: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#f4f1ea' } }] },
    attributionControl: { compact: true },
    canvasContextAttributes: { preserveDrawingBuffer: true },
    transformRequest: (url) => (new URL(url, location.href).origin === location.origin ? { url, headers: headers() } : { url }),
  });
  map.addControl(new maplibregl.NavigationControl(), 'top-left');
  map.on('style.load', () => {
    if (!map.getSource('placeteam')) return;
    state.styleReady = true;
    paintWards();
    applyVisibility();
    emit('style');
  });
  map.on('idle', () => {
    state.idle = true;
    document.body.dataset.idle = String(Date.now());
    if (!state.attributionFolded) {
      // Compact: the sources' credits fold behind the (i) button.
      const attrib = document.querySelector('.maplibregl-ctrl-attrib');
      if (attrib && attrib.textContent.trim()) {
        attrib.classList.remove('maplibregl-compact-show');
        attrib.removeAttribute('open');
        state.attributionFolded = true;
      }
    }
  });
  map.on('click', (e) => {
    const hit = map.queryRenderedFeatures(e.point, { layers: ['wards-fill', 'teams-fill'].filter((l) => map.getLayer(l)) });
    const team = hit.map((f) => f.properties.team || f.properties.id).find(Boolean);
    if (team) showTeam(team);
    const ward = hit.map((f) => f.properties.code).find(Boolean);
    if (ward && !$('edit').hidden) $('move-ward').value = ward;
  });
  map.on('mousemove', (e) => {
    const hit = map.getLayer('wards-fill') ? map.queryRenderedFeatures(e.point, { layers: ['wards-fill'] }) : [];
    map.getCanvas().style.cursor = hit.length ? 'pointer' : '';
  });

  $('move-form').addEventListener('submit', (e) => { e.preventDefault(); move($('move-ward').value, $('move-team').value).catch(fail); });
  $('undo').addEventListener('click', () => undo().catch(fail));
  $('redo').addEventListener('click', () => redo().catch(fail));
  $('save').addEventListener('click', () => save().catch(fail));
  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || $('edit').hidden) return;
    if (e.key === 'z' && !e.shiftKey) { e.preventDefault(); undo().catch(fail); }
    if (e.key === 'y' || (e.key === 'z' && e.shiftKey)) { e.preventDefault(); redo().catch(fail); }
  });
  // A plain link sends no bearer token: signed in, fetch and hand over a blob.
  for (const id of ['export-config', 'export-profile', 'export-teams']) {
    $(id).addEventListener('click', (e) => {
      if (!state.token) return;
      e.preventDefault();
      const link = e.currentTarget;
      api(link.href, { raw: true }).then(async (res) => {
        if (!res.ok) throw new Error('export: ' + res.status);
        const url = URL.createObjectURL(await res.blob());
        const a = document.createElement('a');
        a.href = url; a.download = link.download;
        document.body.append(a); a.click(); a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      }).catch(fail);
    });
  }
  $('config').addEventListener('change', (e) => chooseConfiguration(e.target.value).catch(fail));
  $('version').addEventListener('change', (e) => chooseVersion(e.target.value).catch(fail));
  $('signin').addEventListener('submit', (e) => {
    e.preventDefault();
    state.token = $('token').value.trim();
    sessionStorage.setItem('placeteam-token', state.token);
    start();
  });
  function fail(err) { status('Error: ' + err.message); }
  async function start() {
    const asked = early || {};
    early = null; // a sign-in asks again
    try { await Promise.all([whoami(asked.whoami), loadConfigurations(asked.configurations)]); } catch (e) { fail(e); }
  }
  drawToggles();
  window.placeteam = { map, state, api, fmt, status, fail, on, applyVisibility, showTeam, modelledMark, unknownReason, move, undo, redo,
    draft: { set: setDraft }, wardName, namesKnown: () => { if (state.saved) drawEditor(); emit('names'); } };
  // The panels' scripts load after this one and register their hooks first.
  document.addEventListener('DOMContentLoaded', start);
})();
