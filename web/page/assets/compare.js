// Compare view: the chosen version (A) against another configuration or
// version (B) through GET /api/compare — a table of per-team deltas and the
// wards that moved outlined on the map; and a swipe view, B's map stacked
// over A's and shown right of a divider.
(function () {
  'use strict';
  const { map, state, api, fail } = window.placeteam;
  const $ = (id) => document.getElementById(id);
  const lineLayer = 'compare-moved';
  const casingLayer = 'compare-moved-casing';
  let shown = null; // the last comparison: {a, b, aVersion, bVersion, result}
  let swipe = null; // the swipe view: {map, box, divider, labels, position, b, bVersion, idle, follow}

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
    if (swipe) swipeShow();
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
    $('compare-swipe').disabled = false;
    $('compare').scrollIntoView({ block: 'start' });
  }

  // draw outlines the moved wards; it runs again after every style load.
  function draw() {
    if (!state.styleReady || !map.getSource('placeteam')) return;
    outline(map);
    state.idle = false;
  }
  // outline outlines the moved wards on map m (A's, or B's in the swipe view).
  function outline(m) {
    for (const l of [lineLayer, casingLayer]) if (m.getLayer(l)) m.removeLayer(l);
    if (!shown || !m.getSource('placeteam')) return;
    const codes = (shown.result.wards_moved || []).map((w) => w.ward);
    const filter = ['in', ['get', 'code'], ['literal', codes]];
    // A white casing under a dashed black line stands out on any fill.
    m.addLayer({ id: casingLayer, type: 'line', source: 'placeteam', 'source-layer': 'wards', filter,
      paint: { 'line-color': '#ffffff', 'line-width': 7 } });
    m.addLayer({ id: lineLayer, type: 'line', source: 'placeteam', 'source-layer': 'wards', filter,
      paint: { 'line-color': '#000000', 'line-width': 3.5, 'line-dasharray': [2, 1] } });
  }

  // Swipe view: a second map of B in the first map's container, clipped
  // (CSS clip-path) to the right of a divider dragged or moved with the
  // arrow keys; each map's camera follows the other's.
  const styleURL = (name, version) => '/styles/' + encodeURIComponent(name) + '.json?version=' + version;
  function swipeOn() {
    if (swipe || !shown) return;
    const holder = map.getContainer();
    const box = document.createElement('div');
    box.className = 'swipe-map';
    box.id = 'swipe-map';
    const divider = document.createElement('div');
    divider.className = 'swipe-divider';
    divider.id = 'swipe-divider';
    divider.tabIndex = 0;
    divider.setAttribute('role', 'slider');
    divider.setAttribute('aria-label', 'Swipe divider: A left of it, B right of it');
    divider.setAttribute('aria-valuemin', '0');
    divider.setAttribute('aria-valuemax', '100');
    divider.setAttribute('aria-controls', 'swipe-map');
    const labels = [document.createElement('span'), document.createElement('span')];
    labels[0].className = 'swipe-label'; labels[0].id = 'swipe-label-a';
    labels[1].className = 'swipe-label'; labels[1].id = 'swipe-label-b';
    holder.append(box, divider, ...labels);
    const other = new maplibregl.Map({ container: box, style: styleURL(shown.b, shown.bVersion),
      center: map.getCenter(), zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch(),
      attributionControl: false, canvasContextAttributes: { preserveDrawingBuffer: true },
      transformRequest: (url) => (new URL(url, location.href).origin === location.origin && state.token ?
        { url, headers: { Authorization: 'Bearer ' + state.token } } : { url }) });
    other.getCanvas().setAttribute('aria-label', 'Map of B, right of the swipe divider');
    swipe = { map: other, box, divider, labels, position: 50, b: shown.b, bVersion: shown.bVersion, idle: false };
    // jumpTo fires the other map's move at once: the flag stops the echo.
    let syncing = false;
    const follow = (from, to) => () => {
      if (syncing) return;
      syncing = true;
      try { to.jumpTo({ center: from.getCenter(), zoom: from.getZoom(), bearing: from.getBearing(), pitch: from.getPitch() }); } finally { syncing = false; }
    };
    swipe.follow = follow(map, other);
    map.on('move', swipe.follow);
    other.on('move', follow(other, map));
    other.on('style.load', () => {
      if (!other.getSource('placeteam')) return;
      for (const id of state.hiddenLayers) if (other.getLayer(id)) other.setLayoutProperty(id, 'visibility', 'none');
      outline(other);
    });
    other.on('dataloading', () => { if (swipe && swipe.map === other) swipe.idle = false; });
    other.on('idle', () => { if (swipe && swipe.map === other) swipe.idle = true; });
    divider.addEventListener('keydown', (e) => {
      const step = { ArrowLeft: -5, ArrowDown: -5, ArrowRight: 5, ArrowUp: 5, PageDown: -20, PageUp: 20 }[e.key];
      if (step) swipeTo(swipe.position + step);
      else if (e.key === 'Home') swipeTo(0);
      else if (e.key === 'End') swipeTo(100);
      else return;
      e.preventDefault();
    });
    divider.addEventListener('pointerdown', (e) => {
      divider.setPointerCapture(e.pointerId);
      divider.focus();
      e.preventDefault();
    });
    divider.addEventListener('pointermove', (e) => {
      if (!divider.hasPointerCapture(e.pointerId)) return;
      const r = holder.getBoundingClientRect();
      swipeTo(100 * (e.clientX - r.left) / r.width);
    });
    divider.addEventListener('pointerup', (e) => divider.releasePointerCapture(e.pointerId));
    swipeTo(50);
    swipeShow();
    $('compare-swipe').setAttribute('aria-pressed', 'true');
  }
  // swipeShow labels both sides and gives B the comparison's style.
  function swipeShow() {
    if (swipe.b !== shown.b || swipe.bVersion !== shown.bVersion) {
      swipe.b = shown.b; swipe.bVersion = shown.bVersion; swipe.idle = false;
      swipe.map.setStyle(styleURL(shown.b, shown.bVersion), { diff: false });
    } else if (swipe.map.isStyleLoaded()) outline(swipe.map);
    const a = 'A: ' + shown.a + ' v' + shown.aVersion, b = 'B: ' + shown.b + ' v' + shown.bVersion;
    swipe.labels[0].textContent = a;
    swipe.labels[1].textContent = b;
    $('compare-swipe-note').textContent = 'Swipe view: ' + a + ' left of the divider, ' + b +
      ' right of it. Drag the divider, or focus it and use the arrow keys.';
  }
  function swipeTo(p) {
    if (!swipe) return;
    p = Math.max(0, Math.min(100, Math.round(p * 10) / 10));
    swipe.position = p;
    swipe.box.style.clipPath = 'inset(0 0 0 ' + p + '%)';
    swipe.divider.style.left = p + '%';
    swipe.divider.setAttribute('aria-valuenow', String(Math.round(p)));
    swipe.divider.setAttribute('aria-valuetext', Math.round(p) + '% A, ' + Math.round(100 - p) + '% B');
    swipe.labels[0].style.right = 'calc(' + (100 - p) + '% + 14px)';
    swipe.labels[1].style.left = 'calc(' + p + '% + 14px)';
  }
  function swipeOff() {
    if (!swipe) return;
    map.off('move', swipe.follow);
    swipe.map.remove();
    for (const el of [swipe.box, swipe.divider, ...swipe.labels]) el.remove();
    swipe = null;
    $('compare-swipe').setAttribute('aria-pressed', 'false');
    $('compare-swipe-note').textContent = '';
  }

  function clear() {
    shown = null;
    $('compare-table').hidden = true;
    $('compare-summary').textContent = '';
    $('compare-clear').disabled = true;
    swipeOff();
    $('compare-swipe').disabled = true;
    draw();
  }

  $('compare-config').addEventListener('change', (e) => fillVersions(e.target.value).catch(fail));
  $('compare-form').addEventListener('submit', (e) => {
    e.preventDefault();
    run($('compare-config').value, $('compare-version').value).catch(fail);
  });
  $('compare-clear').addEventListener('click', clear);
  $('compare-swipe').addEventListener('click', () => { if (swipe) swipeOff(); else swipeOn(); });
  window.placeteam.on('version', () => { onVersion().catch(fail); });
  window.placeteam.on('style', draw);
  window.placeteam.compare = { run, clear, swipeOn, swipeOff, swipeTo, get shown() { return shown; }, get swipe() { return swipe; } };
})();
