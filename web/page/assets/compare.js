// Compare view: the chosen version (A) against another configuration or
// version (B) through GET /api/compare — a table of per-team deltas and the
// wards that moved outlined on the map.
(function () {
  'use strict';
  const { map, state, api, fail } = window.placeteam;
  const $ = (id) => document.getElementById(id);
  const lineLayer = 'compare-moved';
  const casingLayer = 'compare-moved-casing';
  let shown = null; // the last comparison: {a, b, aVersion, bVersion, result}

  const signed = (v, digits) => (v > 0 ? '+' : v < 0 ? '−' : '±') + Math.abs(v).toLocaleString('en-GB',
    { minimumFractionDigits: digits || 0, maximumFractionDigits: digits || 0 });
  const columns = [
    ['resident_population_delta', (v) => signed(v)],
    ['registered_population_delta', (v) => signed(v)],
    ['local_registration_share_delta', (v) => signed(v * 100, 1) + ' pp'],
    ['out_of_city_registered_delta', (v) => signed(v)],
  ];

  async function fillVersions(name, prefer) {
    const sel = $('compare-version');
    const list = (await api('/api/configurations/' + encodeURIComponent(name) + '/versions')).versions || [];
    sel.innerHTML = '';
    for (const v of list.slice().reverse()) {
      const o = document.createElement('option');
      o.value = v.version; o.textContent = 'v' + v.version + (v.author ? ' · ' + v.author : '');
      sel.append(o);
    }
    if (prefer && list.some((v) => v.version === prefer)) sel.value = String(prefer);
  }

  // After a version is chosen B defaults to the version before it (or the
  // latest when A is the first).
  async function onVersion() {
    const sel = $('compare-config');
    const chosen = sel.value;
    sel.innerHTML = '';
    for (const o of $('config').options) sel.append(new Option(o.textContent, o.value));
    sel.value = chosen && [...sel.options].some((o) => o.value === chosen) ? chosen : state.config;
    await fillVersions(sel.value, sel.value === state.config && state.version > 1 ? state.version - 1 : 0);
    if (shown && (shown.a !== state.config || shown.aVersion !== state.version)) clear();
  }

  async function run(b, bVersion) {
    const q = new URLSearchParams({ a: state.config, b, a_version: String(state.version), b_version: String(bVersion) });
    const result = await api('/api/compare?' + q);
    shown = { a: state.config, b, aVersion: state.version, bVersion: Number(bVersion), result };
    drawTable();
    draw();
  }

  function drawTable() {
    const { result, a, b, aVersion, bVersion } = shown;
    const moved = result.wards_moved || [];
    const modelled = new Set(result.modelled_fields || []);
    $('compare-summary').textContent = 'A ' + a + ' v' + aVersion + ' → B ' + b + ' v' + bVersion + ': ' +
      (moved.length ? moved.length + ' ward(s) moved, outlined on the map: ' +
        moved.map((m) => m.ward + ' ' + (m.team_a || '—') + '→' + (m.team_b || '—')).join(', ') : 'no ward moved') + '.' +
      (modelled.has('local_registration_share') ? ' Local share and out-of-city figures are modelled.' : '');
    $('compare-summary').dataset.moved = moved.map((m) => m.ward).join(' ');
    const body = $('compare-table').tBodies[0];
    body.innerHTML = '';
    for (const t of result.teams) {
      const tr = document.createElement('tr');
      tr.dataset.team = t.id;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = t.id + (t.name_a === undefined ? ' (new in B)' : t.name_b === undefined ? ' (not in B)' : '');
      th.title = t.name_b || t.name_a || '';
      tr.append(th);
      let changed = false;
      for (const [key, show] of columns) {
        const td = document.createElement('td');
        const v = t[key];
        td.dataset.field = key;
        if (typeof v === 'number') {
          td.textContent = show(v); td.dataset.value = String(v);
          if (v !== 0) changed = true;
        } else td.textContent = '–';
        tr.append(td);
      }
      if (changed) tr.className = 'changed';
      body.append(tr);
    }
    $('compare-table').hidden = false;
    $('compare-clear').disabled = false;
    $('compare').scrollIntoView({ block: 'start' });
  }

  // draw outlines the moved wards; it runs again after every style load.
  function draw() {
    if (!state.styleReady || !map.getSource('placeteam')) return;
    for (const l of [lineLayer, casingLayer]) if (map.getLayer(l)) map.removeLayer(l);
    if (!shown) return;
    const codes = (shown.result.wards_moved || []).map((m) => m.ward);
    const filter = ['in', ['get', 'code'], ['literal', codes]];
    // A white casing under a dashed black line stands out on any fill.
    map.addLayer({ id: casingLayer, type: 'line', source: 'placeteam', 'source-layer': 'wards', filter,
      paint: { 'line-color': '#ffffff', 'line-width': 7 } });
    map.addLayer({ id: lineLayer, type: 'line', source: 'placeteam', 'source-layer': 'wards', filter,
      paint: { 'line-color': '#000000', 'line-width': 3.5, 'line-dasharray': [2, 1] } });
    state.idle = false;
  }

  function clear() {
    shown = null;
    $('compare-table').hidden = true;
    $('compare-summary').textContent = '';
    $('compare-clear').disabled = true;
    draw();
  }

  $('compare-config').addEventListener('change', (e) => fillVersions(e.target.value).catch(fail));
  $('compare-form').addEventListener('submit', (e) => {
    e.preventDefault();
    run($('compare-config').value, $('compare-version').value).catch(fail);
  });
  $('compare-clear').addEventListener('click', clear);
  window.placeteam.on('version', () => { onVersion().catch(fail); });
  window.placeteam.on('style', draw);
  window.placeteam.compare = { run, clear, get shown() { return shown; } };
})();
