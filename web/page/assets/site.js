// Site hubs: run a siting scenario (POST /api/scenarios, one hub per team),
// draw its hubs, spokes and coverage circles from a GeoJSON source, and put
// the equity table (coverage and distance by IMD quintile, against today's
// practices) beside it.
(function () {
  'use strict';
  const { map, state, api, fail, status } = window.placeteam;
  const $ = (id) => document.getElementById(id);
  const source = 'siting';
  const layers = ['site-coverage', 'site-spokes', 'site-hubs'];
  let plan = null;
  let geojson = null;

  // run sites hubs for the version shown (named, by editors, the scenario
  // is saved too): one answer, the plan's GeoJSON with the plan itself in
  // its "plan" member.
  async function run(opts) {
    const body = { configuration: state.config, version: state.version, one_per_team: true, model: opts.model,
      weight: opts.weight, k: Number(opts.k) || 0, threshold_km: Number(opts.threshold) || 0 };
    if (opts.name) body.name = opts.name;
    status('Siting ' + state.config + ' v' + state.version + '…');
    geojson = await api('/api/scenarios?format=geojson', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    plan = geojson.plan;
    delete geojson.plan;
    plan.saved = opts.name || '';
    draw();
    drawTable();
    status('Sited ' + plan.hubs.length + ' hubs for ' + state.config);
  }

  function draw() {
    if (!state.styleReady || !map.getSource('placeteam')) return;
    for (const l of layers) if (map.getLayer(l)) map.removeLayer(l);
    if (map.getSource(source)) map.removeSource(source);
    if (!geojson) return;
    map.addSource(source, { type: 'geojson', data: geojson });
    map.addLayer({ id: 'site-coverage', type: 'fill', source, filter: ['==', ['get', 'layer'], 'coverage'],
      paint: { 'fill-color': '#E69F00', 'fill-opacity': 0.1, 'fill-outline-color': '#9a6a00' } });
    map.addLayer({ id: 'site-spokes', type: 'line', source, filter: ['==', ['get', 'layer'], 'spokes'],
      paint: { 'line-color': '#222222', 'line-width': 1.2, 'line-opacity': 0.8 } });
    map.addLayer({ id: 'site-hubs', type: 'circle', source, filter: ['==', ['get', 'layer'], 'hubs'],
      paint: { 'circle-color': '#000000', 'circle-radius': 8, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5 } });
    state.idle = false;
  }

  // The coverage entry at the plan's threshold (the nearest below it).
  function within(summary, km) {
    let best = null;
    for (const c of summary.coverage || []) if (c.threshold_km <= km + 1e-9) best = c;
    return best;
  }
  const pct = (c) => c ? (c.share * 100).toFixed(1) + '%' : '–';
  const km = (v) => typeof v === 'number' ? v.toFixed(2) : '–';

  function drawTable() {
    const t = plan.options.threshold_km;
    const table = $('site-equity');
    table.tHead.innerHTML = '';
    const head = document.createElement('tr');
    for (const h of ['Group', 'Residents', 'Mean km', '95th pct km', 'Within ' + t + ' km', 'Now within']) {
      const th = document.createElement('th'); th.scope = 'col'; th.textContent = h; head.append(th);
    }
    table.tHead.append(head);
    const body = table.tBodies[0];
    body.innerHTML = '';
    const row = (label, key, s, now) => {
      const tr = document.createElement('tr');
      tr.dataset.group = key;
      const th = document.createElement('th'); th.scope = 'row'; th.textContent = label;
      tr.append(th);
      const c = within(s, t);
      for (const [text, value] of [[Math.round(s.weight).toLocaleString('en-GB'), s.weight], [km(s.mean_distance_km), s.mean_distance_km],
        [km(s.p95_distance_km), s.p95_distance_km], [pct(c), c && c.share], [pct(now && within(now, t)), now && within(now, t) && within(now, t).share]]) {
        const td = document.createElement('td'); td.textContent = text;
        if (typeof value === 'number') td.dataset.value = String(value);
        tr.append(td);
      }
      body.append(tr);
    };
    row('All residents', 'overall', plan.report.overall, plan.current_sites.overall);
    for (const q of ['1', '2', '3', '4', '5']) {
      const s = plan.report.by_imd_quintile[q];
      if (s) row('Quintile ' + q + (q === '1' ? ' (most deprived)' : q === '5' ? ' (least)' : ''), 'q' + q, s, plan.current_sites.by_imd_quintile[q]);
    }
    table.hidden = false;
    const modelled = (plan.modelled || []).length ? ' Modelled: ' + plan.modelled.join(', ') + '.' : '';
    $('site-summary').textContent = plan.hubs.length + ' hubs (' + plan.options.model + ', weighted by ' + plan.options.weight +
      ') for ' + plan.configuration + ', ' + plan.spokes.length + ' practices joined' + (plan.saved ? ', saved as ' + plan.saved : '') +
      '. "Now" is every open practice as a site.' + modelled;
    $('site-clear').disabled = false;
    $('site').scrollIntoView({ block: 'start' });
  }

  function clear() {
    plan = null; geojson = null;
    $('site-equity').hidden = true;
    $('site-summary').textContent = '';
    $('site-clear').disabled = true;
    draw();
  }

  $('site-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $('site-save-row').hidden ? '' : $('site-name').value.trim();
    run({ model: $('site-model').value, weight: $('site-weight').value, k: $('site-k').value, threshold: $('site-threshold').value, name }).catch(fail);
  });
  // Running (and saving) a scenario is an editor's: a viewer is told so.
  function byRole() {
    const editor = state.role === 'editor' || state.role === 'admin';
    $('site-save-row').hidden = !editor;
    $('site-run').disabled = !editor;
    $('site-role-note').hidden = editor || !state.role;
  }
  window.placeteam.on('role', byRole);
  window.placeteam.on('version', byRole);
  $('site-clear').addEventListener('click', clear);
  window.placeteam.on('style', draw);
  window.placeteam.site = { run, clear, get plan() { return plan; } };
})();
