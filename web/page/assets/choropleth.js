// Choropleths by feature-state: the lean tiles carry only ids, so the
// figure comes from the layer's values document (/values/{config}/{layer}.json,
// listed in the style's metadata) and is set on each feature as state `v`;
// one fill layer paints ['feature-state', 'v'] with a sequential ramp.
(function () {
  'use strict';
  const { map, state, api, fmt, fail } = window.placeteam;
  const $ = (id) => document.getElementById(id);
  const layerId = 'choropleth';
  // viridis in five steps, light (low) to dark (high): colour-blind safe
  // and readable in grey.
  const ramp = ['#fde725', '#5ec962', '#21918c', '#3b528b', '#440154'];
  // Figures with their own names; every ind_{id} is offered too.
  const known = {
    imd_decile: { name: 'IMD 2019 decile (1 = most deprived)', decile: true },
    density_per_km2: { name: 'Population density (residents per km²)' },
    local_registration_share: { name: 'Local registration share', share: true },
    out_of_city_share: { name: 'Out-of-city share of registered patients', share: true },
    imd_weighted_score: { name: 'IMD weighted score' },
    resident_population: { name: 'Resident population' },
    registered_population: { name: 'Registered population' },
    population: { name: 'Resident population' },
  };
  const units = { teams: 'Teams', localities: 'Localities', wards: 'Wards', lsoas: 'Small areas (LSOA)' };
  const docs = {}; // values URL → promise of the document
  let indicators = null; // id → {name, unit}
  let painted = null; // what is drawn: {unit, figure, url, values, breaks, colours, modelled}
  let wanted = { unit: 'teams', figure: '' };
  let generation = 0;

  function valuesDoc(url) {
    if (!docs[url]) docs[url] = api(url).catch((e) => { delete docs[url]; throw e; });
    return docs[url];
  }
  async function indicatorNames() {
    if (indicators) return indicators;
    indicators = {};
    try {
      const list = await api('/api/indicators');
      for (const i of list.indicators || []) indicators[i.id] = i;
    } catch (e) { /* names are a nicety: fall back to ids */ }
    return indicators;
  }

  // The figures of a values document: its numeric properties that are known
  // figures or indicators.
  function figuresOf(doc, names) {
    const keys = new Set();
    for (const row of Object.values(doc.values)) {
      for (const [k, v] of Object.entries(row)) if (typeof v === 'number' && (known[k] || k.startsWith('ind_'))) keys.add(k);
    }
    return [...keys].map((k) => ({ key: k, name: figureName(k, names) }))
      .sort((a, b) => (!!known[b.key] - !!known[a.key]) || a.name.localeCompare(b.name));
  }
  function figureName(key, names) {
    if (known[key]) return known[key].name;
    let id = key.replace(/^ind_/, ''), lens = '';
    if (id.endsWith('_resident')) { id = id.slice(0, -'_resident'.length); lens = ' (resident lens)'; }
    return ((names[id] && names[id].name) || id) + lens;
  }
  function isShare(key) {
    if (known[key]) return !!known[key].share;
    const id = key.replace(/^ind_/, '').replace(/_resident$/, '');
    return !!(indicators && indicators[id] && indicators[id].unit === 'proportion');
  }
  const show = (key, v) => isShare(key) ? (v * 100).toFixed(1) + '%' : (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-GB') : fmt(Math.round(v * 100) / 100));

  // Quantile breaks (up to five classes); deciles get fixed pairs.
  function classify(key, values) {
    if (known[key] && known[key].decile) return { breaks: [3, 5, 7, 9], colours: ramp.slice().reverse() };
    const sorted = values.slice().sort((a, b) => a - b);
    const breaks = [];
    for (let i = 1; i < ramp.length; i++) {
      const b = sorted[Math.floor(i * sorted.length / ramp.length)];
      if (b > sorted[0] && (!breaks.length || b > breaks[breaks.length - 1])) breaks.push(b);
    }
    const n = breaks.length + 1;
    const colours = n === 1 ? [ramp[2]] : Array.from({ length: n }, (_, i) => ramp[Math.round(i * (ramp.length - 1) / (n - 1))]);
    return { breaks, colours };
  }
  function colourOf(v) {
    if (!painted || typeof v !== 'number') return null;
    let i = 0;
    while (i < painted.breaks.length && v >= painted.breaks[i]) i++;
    return painted.colours[i];
  }

  async function fillFigures() {
    const url = state.values[wanted.unit];
    const sel = $('choro-figure');
    sel.innerHTML = '';
    const none = document.createElement('option');
    none.value = ''; none.textContent = 'Team colours (no choropleth)';
    sel.append(none);
    if (!url) return;
    const [doc, names] = await Promise.all([valuesDoc(url), indicatorNames()]);
    for (const f of figuresOf(doc, names)) {
      const o = document.createElement('option');
      o.value = f.key;
      o.textContent = f.name + (doc.modelled.includes(f.key) ? ' (modelled)' : '');
      sel.append(o);
    }
    if (![...sel.options].some((o) => o.value === wanted.figure)) wanted.figure = '';
    sel.value = wanted.figure;
  }

  // Fetch what is wanted for the current version and draw it.
  async function refresh() {
    const mine = ++generation;
    const { unit, figure } = wanted;
    if (!figure) { painted = null; draw(); drawLegend(); return; }
    const url = state.values[unit];
    if (!url) throw new Error('the style lists no values for ' + unit);
    const doc = await valuesDoc(url);
    if (mine !== generation) return;
    // The city's areas only: the map's tiles hold no LSOA outside it
    // (in_city false), so those must not shape the classes or the count.
    const rows = Object.entries(doc.values).filter(([, row]) => row.in_city !== false);
    const values = {};
    for (const [id, row] of rows) if (typeof row[figure] === 'number') values[id] = row[figure];
    painted = Object.assign({ unit, figure, url, version: doc.version, values, modelled: doc.modelled.includes(figure),
      missing: rows.length - Object.keys(values).length }, classify(figure, Object.values(values)));
    draw();
    drawLegend();
  }

  // draw sets the feature-state and the fill layer; it runs again after
  // every style load (a new version's source starts with no state).
  function draw() {
    if (!state.styleReady || !map.getSource('placeteam')) return;
    if (map.getLayer(layerId)) map.removeLayer(layerId);
    for (const u of Object.keys(units)) map.removeFeatureState({ source: 'placeteam', sourceLayer: u });
    state.choropleth = !!painted; // the base fills give way (app.js)
    window.placeteam.applyVisibility();
    if (!painted) return;
    for (const [id, v] of Object.entries(painted.values)) {
      map.setFeatureState({ source: 'placeteam', sourceLayer: painted.unit, id }, { v });
    }
    const step = ['step', ['to-number', ['feature-state', 'v']], painted.colours[0]];
    painted.breaks.forEach((b, i) => step.push(b, painted.colours[i + 1]));
    const before = ['wards-line', 'teams-line'].find((l) => map.getLayer(l));
    map.addLayer({ id: layerId, type: 'fill', source: 'placeteam', 'source-layer': painted.unit,
      paint: { 'fill-color': ['case', ['==', ['typeof', ['feature-state', 'v']], 'number'], step, '#d9d9d9'],
        'fill-opacity': 0.8 } }, before);
    state.idle = false;
  }

  function drawLegend() {
    const box = $('choro-legend');
    box.innerHTML = '';
    if (!painted) return;
    const title = document.createElement('p');
    title.className = 'choro-title';
    title.textContent = figureName(painted.figure, indicators || {}) + ' · ' + units[painted.unit].toLowerCase() + ', version ' + painted.version;
    if (painted.modelled) {
      const m = document.createElement('span');
      m.className = 'modelled'; m.textContent = 'modelled';
      m.title = 'an estimate (e.g. gravity-modelled registrations), not an observed figure';
      title.append(' ', m);
    }
    box.append(title);
    const ul = document.createElement('ul');
    ul.className = 'choro-classes';
    const vals = Object.values(painted.values);
    const lo = Math.min(...vals), hi = Math.max(...vals);
    const edges = [lo, ...painted.breaks, hi];
    painted.colours.forEach((c, i) => {
      const li = document.createElement('li');
      li.dataset.colour = c;
      const sw = document.createElement('span');
      sw.className = 'swatch'; sw.style.background = c;
      const upper = i === painted.colours.length - 1 ? '–' + show(painted.figure, edges[i + 1]) : ' to under ' + show(painted.figure, edges[i + 1]);
      const text = known[painted.figure] && known[painted.figure].decile ? 'deciles ' + (2 * i + 1) + '–' + (2 * i + 2)
        : show(painted.figure, edges[i]) + upper;
      li.append(sw, document.createTextNode(text));
      ul.append(li);
    });
    if (painted.missing > 0) {
      const li = document.createElement('li');
      const sw = document.createElement('span');
      sw.className = 'swatch'; sw.style.background = '#d9d9d9';
      li.append(sw, document.createTextNode('no value (' + painted.missing + ')'));
      ul.append(li);
    }
    box.append(ul);
  }

  async function select(unit, figure) {
    const unitChanged = unit !== wanted.unit;
    wanted = { unit, figure: figure || '' };
    $('choro-unit').value = unit;
    if (unitChanged) await fillFigures();
    $('choro-figure').value = wanted.figure;
    await refresh();
  }

  const unitSel = $('choro-unit');
  unitSel.innerHTML = '';
  for (const [k, name] of Object.entries(units)) {
    const o = document.createElement('option');
    o.value = k; o.textContent = name;
    unitSel.append(o);
  }
  unitSel.addEventListener('change', () => { wanted.unit = unitSel.value; fillFigures().then(refresh).catch(fail); });
  $('choro-figure').addEventListener('change', (e) => { wanted.figure = e.target.value; refresh().catch(fail); });
  // A new version has new values: list its figures and fetch them again.
  window.placeteam.on('version', () => { fillFigures().then(refresh).catch(fail); });
  window.placeteam.on('style', draw);
  window.placeteam.choropleth = { select, colourOf, get painted() { return painted; }, ramp };
})();
