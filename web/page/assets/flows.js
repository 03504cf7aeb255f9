// Flows view: for the chosen team, where its residents are registered and
// where its practices' patients live (GET /api/configurations/{name}/flows,
// a team × team matrix with the outside of the city last) as two bar
// charts, and lines on the map from the team's centre to every other team's
// centre, wider for more patients. It follows the team the profile shows
// (placeteam.on('team')) while its panel is open or lines are drawn.
(function () {
  'use strict';
  const { map, state, api, fmt, fail } = window.placeteam;
  const $ = (id) => document.getElementById(id);
  const source = 'flows', centreSource = 'flows-centre';
  const lineLayer = 'flows-lines', centreLayer = 'flows-centre';
  const outsideID = 'outside';
  const lineColour = '#3b0f70';
  const cache = { key: '', matrix: null, centres: null };
  let chosen = '';   // the team the profile shows
  let shown = null;  // {team, config, version, matrix, residents, patients, lines, centre}
  let asked = 0;     // guards against an older request finishing last

  const versionKey = () => state.config + '@' + state.version;

  // The flow matrix and the team centres of the chosen version, fetched
  // once per version.
  async function load() {
    const key = versionKey();
    if (cache.key === key) return cache;
    const name = encodeURIComponent(state.config), q = 'version=' + state.version;
    const [matrix, teams] = await Promise.all([api('/api/configurations/' + name + '/flows?' + q),
      api('/collections/teams-' + name + '/items?limit=10000&' + q)]);
    const centres = {};
    for (const f of teams.features) {
      const c = centre(f.geometry);
      if (c) centres[f.properties.id || f.id] = c;
    }
    if (key === versionKey()) Object.assign(cache, { key, matrix, centres });
    return { key, matrix, centres };
  }

  // centre is the area-weighted centroid of a polygon's outer ring (of a
  // multipolygon's largest part): plain lon/lat maths, enough to anchor a
  // line at a team.
  function centre(g) {
    if (!g) return null;
    const rings = g.type === 'Polygon' ? [g.coordinates[0]] : g.type === 'MultiPolygon' ? g.coordinates.map((p) => p[0]) : [];
    let best = null;
    for (const ring of rings) {
      let a = 0, x = 0, y = 0;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [x0, y0] = ring[j], [x1, y1] = ring[i];
        const cross = x0 * y1 - x1 * y0;
        a += cross; x += (x0 + x1) * cross; y += (y0 + y1) * cross;
      }
      if (a && (!best || Math.abs(a) > best.area)) best = { area: Math.abs(a), point: [x / (3 * a), y / (3 * a)] };
    }
    return best && best.point;
  }

  // cellModelled mirrors placeprofile's FlowMatrix.CellModelled: with a
  // gravity model over a city that is a whole district, the patients living
  // outside come straight from counts; every other cell of a modelled
  // matrix is an estimate.
  function cellModelled(m, from, to) {
    const fm = m.flow_model || {};
    if (!fm.modelled) return false;
    return !(from === outsideID && to !== outsideID && fm.kind === 'gravity' && fm.city_is_district);
  }

  // figures lists the team's row (where its residents are registered) and
  // column (where its practices' patients live), null values when unknown.
  function figures(m, team) {
    const i = m.units.indexOf(team);
    const residents = [], patients = [];
    if (i < 0) return { residents, patients };
    for (let j = 0; j < m.units.length; j++) {
      const unit = m.units[j], name = m.names[j];
      const cell = (r, c) => (m.rows && m.rows[r] && typeof m.rows[r][c] === 'number' ? m.rows[r][c] : null);
      residents.push({ unit, name, value: cell(i, j), modelled: cellModelled(m, team, unit) });
      patients.push({ unit, name, value: cell(j, i), modelled: cellModelled(m, unit, team) });
    }
    return { residents, patients };
  }

  async function show(team) {
    const ask = ++asked;
    const { key, matrix, centres } = await load();
    // A later ask, or a version chosen while this one loaded, wins: the
    // flows shown are always the shown version's.
    if (ask !== asked) return;
    if (key !== versionKey()) { show(team).catch(fail); return; }
    const { residents, patients } = figures(matrix, team);
    const i = matrix.units.indexOf(team);
    const from = centres[team];
    const features = [];
    if (matrix.rows && i >= 0 && from) {
      matrix.units.forEach((unit, j) => {
        if (unit === team || unit === outsideID || !centres[unit]) return;
        const out = matrix.rows[i][j] || 0, back = matrix.rows[j][i] || 0;
        if (out + back <= 0) return;
        features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: [from, centres[unit]] },
          properties: { team: unit, name: matrix.names[j], residents_registered_there: out, their_residents_registered_here: back, flow: out + back } });
      });
      // The widest drawn last, on top.
      features.sort((a, b) => a.properties.flow - b.properties.flow);
    }
    shown = { team, config: state.config, version: state.version, matrix, residents, patients,
      lines: { type: 'FeatureCollection', features }, centre: from };
    drawPanel();
    draw();
  }

  function drawChart(id, caption, items) {
    const fig = $(id);
    fig.innerHTML = '';
    const cap = document.createElement('figcaption');
    cap.textContent = caption;
    if (items.some((x) => x.modelled)) {
      const mark = document.createElement('span');
      mark.className = 'modelled';
      mark.textContent = 'modelled';
      mark.title = 'These flows are estimates (' + (shown.matrix.flow_model.kind || 'model') + '), not counts';
      cap.append(' ', mark);
    }
    fig.append(cap);
    const m = shown.matrix;
    if (!m.rows) {
      const p = document.createElement('p');
      p.className = 'flow-unknown';
      p.dataset.unknown = m.unknown || 'unknown';
      p.textContent = '– (unknown: ' + (m.unknown || 'the flows are not known') + ')';
      fig.append(p);
      return;
    }
    const total = items.reduce((s, x) => s + (x.value || 0), 0);
    const list = document.createElement('ol');
    list.className = 'flow-bars';
    list.setAttribute('aria-label', caption);
    const drawn = items.filter((x) => x.value === null || x.value > 0)
      .sort((a, b) => (b.value === null ? -1 : b.value) - (a.value === null ? -1 : a.value));
    const top = drawn.reduce((s, x) => Math.max(s, x.value || 0), 0);
    for (const x of drawn) {
      const li = document.createElement('li');
      li.dataset.unit = x.unit;
      if (x.unit === shown.team) li.className = 'own';
      else if (x.unit === outsideID) li.className = 'outside';
      const label = document.createElement('span');
      label.className = 'flow-label';
      label.textContent = x.unit === outsideID ? 'Outside the city' : x.unit + ' ' + x.name + (x.unit === shown.team ? ' (this team)' : '');
      label.title = label.textContent;
      const bar = document.createElement('span');
      bar.className = 'flow-bar';
      bar.setAttribute('aria-hidden', 'true');
      const fill = document.createElement('span');
      bar.append(fill);
      const value = document.createElement('span');
      value.className = 'flow-value';
      if (x.value === null) {
        value.textContent = '–';
        value.title = m.unknown || 'unknown';
      } else {
        const share = total ? x.value / total : 0;
        li.dataset.value = String(x.value);
        li.dataset.share = String(share);
        fill.style.width = (top ? 100 * x.value / top : 0).toFixed(1) + '%';
        value.textContent = fmt(Math.round(x.value)) + ' · ' + (share * 100).toFixed(1) + '%';
      }
      li.append(label, bar, value);
      list.append(li);
    }
    fig.append(list);
    const none = items.length - drawn.length;
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = 'Total ' + fmt(Math.round(total)) + (none ? '; ' + none + ' other team(s) have none.' : '.');
    fig.append(note);
  }

  function drawPanel() {
    const t = state.profile.teams.find((x) => x.id === shown.team);
    const name = t ? t.id + ' ' + t.name : shown.team;
    drawChart('flows-residents', 'Its residents are registered with practices in…', shown.residents);
    drawChart('flows-patients', 'Its practices\u2019 patients live in…', shown.patients);
    const n = shown.lines.features.length;
    $('flows-summary').textContent = name + ', version ' + shown.version + (state.moves.length ? ' as saved (unsaved moves not included)' : '') +
      (shown.matrix.rows ? '. On the map: a line to each of the ' + n + ' team(s) sharing patients with it (its residents registered there ' +
        'plus their residents registered here), wider for more.' : '. Flows unknown: no lines drawn.');
    $('flows').dataset.team = shown.team;
    $('flows-team').value = shown.team;
    $('flows-clear').disabled = false;
  }

  // draw puts the lines on the map; it runs again after every style load.
  function draw() {
    if (!state.styleReady || !map.getSource('placeteam')) return;
    for (const l of [lineLayer, centreLayer]) if (map.getLayer(l)) map.removeLayer(l);
    for (const s of [source, centreSource]) if (map.getSource(s)) map.removeSource(s);
    if (!shown || shown.config !== state.config || shown.version !== state.version) return;
    const top = shown.lines.features.reduce((s, f) => Math.max(s, f.properties.flow), 0);
    if (top > 0) {
      map.addSource(source, { type: 'geojson', data: shown.lines });
      map.addLayer({ id: lineLayer, type: 'line', source, layout: { 'line-cap': 'round' },
        paint: { 'line-color': lineColour, 'line-opacity': 0.85,
          'line-width': ['interpolate', ['linear'], ['get', 'flow'], 0, 1, top, 14] } });
    }
    if (shown.centre) {
      map.addSource(centreSource, { type: 'geojson', data: { type: 'Feature', geometry: { type: 'Point', coordinates: shown.centre },
        properties: { team: shown.team } } });
      map.addLayer({ id: centreLayer, type: 'circle', source: centreSource,
        paint: { 'circle-color': lineColour, 'circle-radius': 7, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5 } });
    }
    state.idle = false;
  }

  function clear() {
    asked++;
    shown = null;
    for (const id of ['flows-residents', 'flows-patients']) $(id).innerHTML = '';
    $('flows-summary').textContent = '';
    delete $('flows').dataset.team;
    $('flows-clear').disabled = true;
    draw();
  }

  const active = () => $('flows').open || shown !== null;

  function onTeam() {
    chosen = $('panel').dataset.team || '';
    if (!chosen || !active()) return;
    if (shown && shown.team === chosen && shown.config === state.config && shown.version === state.version) return;
    show(chosen).catch(fail);
  }

  // A new version: the team list again, and the same team's flows in it.
  function onVersion() {
    const sel = $('flows-team');
    sel.innerHTML = '';
    sel.append(new Option('Choose a team', ''));
    for (const t of state.profile.teams) sel.append(new Option(t.id + ' ' + t.name, t.id));
    if (!shown) return; // a show() in flight sees the new version itself
    if (state.profile.teams.some((t) => t.id === shown.team)) {
      sel.value = shown.team;
      show(shown.team).catch(fail);
    } else clear();
  }

  $('flows').addEventListener('toggle', () => {
    if ($('flows').open && chosen && !shown) show(chosen).catch(fail);
  });
  // Choosing here opens the team's profile too (and so its flows).
  $('flows-team').addEventListener('change', (e) => { if (e.target.value) window.placeteam.showTeam(e.target.value); });
  $('flows-clear').addEventListener('click', clear);
  window.placeteam.on('team', onTeam);
  window.placeteam.on('version', onVersion);
  window.placeteam.on('style', draw);
  window.placeteam.flows = { show, clear, get shown() { return shown; } };
})();
