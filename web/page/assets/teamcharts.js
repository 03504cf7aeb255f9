// Team charts: small charts under the profile table (#panel-charts) for the
// team it shows, from the unit of state.profile — resident against
// registered population, age bands, IMD quintiles against the city's,
// catchment shares by trust, local registration and out-of-city patients —
// and one indicator (GET /api/indicators, then
// GET /api/configurations/{name}/indicators/{id}) as the team's value and
// 95% interval against the city's. Every bar carries its figure in
// data-value; a figure the unit's modelled_fields names gets the modelled
// mark, an unknown one a dash and why. It draws on placeteam.on('team').
(function () {
  'use strict';
  const { state, api, fmt, fail, modelledMark, unknownReason } = window.placeteam;
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const pct = (v) => (v * 100).toFixed(1) + '%';
  const svgNS = 'http://www.w3.org/2000/svg';

  let indicators = null;     // the promise of GET /api/indicators, asked once
  const results = new Map(); // config@version/indicator → promise of its result
  let chosen = '';           // the indicator chosen in the select
  let asked = 0;             // guards against an older indicator answer landing last

  const versionKey = () => state.config + '@' + state.version;

  // bars draws a list of horizontal bars: items are {key, label, value
  // (null when unknown), width (0–1 of the track), text, city (0–1, a
  // tick), cityText, unknown (why), field (its JSON name), modelled}.
  function bars(caption, items, attr) {
    const fig = el('figure', 'tc-chart');
    const cap = el('figcaption', '', caption);
    fig.append(cap);
    const list = el('ol', 'tc-bars');
    list.setAttribute('aria-label', caption);
    for (const x of items) {
      const li = el('li');
      li.dataset[attr] = x.key;
      if (x.field) li.dataset.field = x.field;
      const label = el('span', 'tc-label', x.label);
      label.title = x.label;
      const track = el('span', 'tc-track');
      track.setAttribute('aria-hidden', 'true');
      const value = el('span', 'tc-value');
      if (x.value === null || x.value === undefined) {
        li.dataset.unknown = x.unknown || 'unknown';
        value.textContent = '–';
        value.title = 'unknown: ' + (x.unknown || 'not known');
        value.append(el('span', 'visually-hidden', ' (unknown: ' + (x.unknown || 'not known') + ')'));
      } else {
        li.dataset.value = String(x.value);
        const fill = el('span', 'tc-fill');
        fill.style.width = (100 * Math.max(0, Math.min(1, x.width))).toFixed(1) + '%';
        track.append(fill);
        value.textContent = x.text;
      }
      if (typeof x.city === 'number') {
        li.dataset.city = String(x.city);
        const tick = el('span', 'tc-tick');
        tick.style.left = (100 * Math.max(0, Math.min(1, x.city))).toFixed(1) + '%';
        track.append(tick);
        value.append(el('span', 'visually-hidden', '; city ' + (x.cityText || pct(x.city))));
      }
      if (x.modelled) value.prepend(modelledMark(x.field), ' ');
      li.append(label, track, value);
      list.append(li);
    }
    fig.append(list);
    return fig;
  }

  const note = (text) => el('p', 'note', text);

  function population(t) {
    const res = t.resident_population.total, reg = t.registered_population;
    const top = Math.max(res, reg || 0) || 1;
    const modelled = t.modelled_fields || [];
    return bars('Resident and registered population', [
      { key: 'resident', field: 'resident_population', label: 'Residents', value: res, width: res / top, text: fmt(res),
        modelled: modelled.includes('resident_population') },
      { key: 'registered', field: 'registered_population', label: 'Registered', value: reg, width: (reg || 0) / top,
        text: typeof reg === 'number' ? fmt(reg) : '', unknown: unknownReason(t, 'registered_population'),
        modelled: modelled.includes('registered_population') },
    ], 'bar');
  }

  function ages(t, city) {
    const p = t.resident_population, c = city.resident_population;
    const bands = [['age_0_15', '0–15'], ['age_16_59', '16–59'], ['age_60_plus', '60+']];
    const top = Math.max(...bands.map(([k]) => (p.total ? p[k] / p.total : 0)), ...bands.map(([k]) => (c.total ? c[k] / c.total : 0))) || 1;
    const fig = bars('Age bands (share of residents; tick: the city)', bands.map(([k, label]) => {
      const share = p.total ? p[k] / p.total : null, cityShare = c.total ? c[k] / c.total : null;
      return { key: k, label, value: share, width: (share || 0) / top, text: share === null ? '' : pct(share),
        city: cityShare === null ? undefined : cityShare / top, cityText: cityShare === null ? '' : pct(cityShare),
        unknown: 'no residents' };
    }), 'band');
    // The tick sits at the city's share on the bars' scale; data-city holds the share itself.
    bands.forEach(([k], i) => { if (c.total) fig.querySelectorAll('li')[i].dataset.city = String(c[k] / c.total); });
    return fig;
  }

  function quintiles(t, city) {
    const q = t.imd_quintile_population || [], cq = city.imd_quintile_population || [];
    const sum = q.reduce((s, v) => s + v, 0), csum = cq.reduce((s, v) => s + v, 0);
    const shares = q.map((v) => (sum ? v / sum : null)), cshares = cq.map((v) => (csum ? v / csum : null));
    const top = Math.max(...shares.map((v) => v || 0), ...cshares.map((v) => v || 0)) || 1;
    const fig = bars('Residents by national IMD quintile (1 most deprived; tick: the city)', shares.map((share, i) => ({
      key: String(i + 1), label: 'Quintile ' + (i + 1) + (i === 0 ? ' (most deprived)' : ''), value: share,
      width: (share || 0) / top, text: share === null ? '' : pct(share) + ' · ' + fmt(q[i]),
      city: cshares[i] === null ? undefined : cshares[i] / top, cityText: cshares[i] === null ? '' : pct(cshares[i]),
      unknown: 'no residents with an IMD rank' })), 'quintile');
    cshares.forEach((s, i) => { const li = fig.querySelectorAll('li')[i]; if (li && s !== null) li.dataset.city = String(s); });
    return fig;
  }

  function catchments(t) {
    const modelled = (t.modelled_fields || []).includes('catchment_shares');
    if (!t.catchment_shares) {
      const fig = el('figure', 'tc-chart');
      fig.dataset.field = 'catchment_shares';
      const reason = unknownReason(t, 'catchment_shares');
      fig.dataset.unknown = reason;
      fig.append(el('figcaption', '', 'Hospital catchment shares'), note('– (unknown: ' + reason + ')'));
      return fig;
    }
    const list = t.catchment_shares.slice().sort((a, b) => b.share - a.share);
    const fig = bars('Residents in each trust\u2019s catchment', list.map((c) => ({
      key: c.trust, field: 'catchment_shares', label: c.name ? c.name + ' (' + c.trust + ')' : c.trust, value: c.share,
      width: c.share, text: pct(c.share) + (c.trust === t.dominant_trust ? ' (main)' : '') })), 'trust');
    if (modelled) fig.querySelector('figcaption').append(' ', modelledMark('catchment_shares'));
    return fig;
  }

  function registration(t) {
    const modelled = t.modelled_fields || [];
    const local = t.local_registration_share, out = t.out_of_city_registered, outShare = t.out_of_city_share;
    return bars('Where patients register', [
      { key: 'local', field: 'local_registration_share', label: 'Registered locally', value: local, width: local || 0,
        text: typeof local === 'number' ? pct(local) : '', unknown: unknownReason(t, 'local_registration_share'),
        modelled: modelled.includes('local_registration_share') },
      { key: 'out-of-city', field: 'out_of_city_registered', label: 'Patients outside city', value: out,
        width: typeof outShare === 'number' ? outShare : 0,
        text: typeof out === 'number' ? fmt(Math.round(out)) + (typeof outShare === 'number' ? ' · ' + pct(outShare) : '') : '',
        unknown: unknownReason(t, 'out_of_city_registered'), modelled: modelled.includes('out_of_city_registered') },
    ], 'bar');
  }

  // The indicator chooser, filled once GET /api/indicators answers.
  function chooser() {
    const fig = el('figure', 'tc-chart');
    fig.id = 'tc-indicator';
    fig.append(el('figcaption', '', 'Indicator (95% interval; line: the city)'));
    const sel = el('select');
    sel.id = 'panel-indicator';
    sel.setAttribute('aria-label', 'Indicator to compare with the city');
    sel.append(new Option('Choose an indicator', ''));
    sel.addEventListener('change', () => { chosen = sel.value; drawIndicator().catch(fail); });
    const out = el('div', 'tc-whisker');
    out.id = 'panel-indicator-chart';
    out.setAttribute('aria-live', 'polite');
    fig.append(sel, out);
    if (!indicators) {
      indicators = api('/api/indicators');
      indicators.catch(() => { indicators = null; });
    }
    indicators.then((list) => {
      for (const i of list.indicators || []) sel.append(new Option(i.name, i.id));
      sel.value = chosen;
      if (sel.value !== chosen) chosen = '';
    }).catch(fail);
    return fig;
  }

  // result fetches one indicator for the version shown, once per
  // version and indicator (the promise is kept, so asking again while it
  // is on its way asks nothing).
  function result(id) {
    const key = versionKey() + '/' + id;
    if (!results.has(key)) {
      const p = api('/api/configurations/' + encodeURIComponent(state.config) + '/indicators/' + encodeURIComponent(id) +
        '?version=' + state.version);
      p.catch(() => results.delete(key));
      results.set(key, p);
    }
    return results.get(key);
  }

  const indicatorText = (r, v) => (r.indicator.unit === 'proportion' ? pct(v) :
    v.toFixed(1) + (r.indicator.unit === 'rate-per-1000' ? ' per 1,000' : ''));

  async function drawIndicator() {
    const out = $('panel-indicator-chart');
    if (!out) return;
    const ask = ++asked, team = $('panel').dataset.team;
    out.innerHTML = '';
    delete out.dataset.indicator;
    if (!chosen) return;
    out.append(note('Loading…'));
    const r = await result(chosen);
    if (ask !== asked || !$('panel-indicator-chart')) return;
    out.innerHTML = '';
    out.dataset.indicator = r.indicator.id;
    out.dataset.team = team;
    const f = (r.teams || []).find((x) => x.id === team);
    const c = r.city;
    const head = el('p', 'tc-ind-head', r.indicator.name + ' · ' + r.indicator.period);
    if (r.modelled) {
      const m = modelledMark('indicator');
      m.dataset.indicator = r.indicator.id;
      m.title = 'modelled: ' + r.lens;
      head.append(' ', m);
    }
    out.append(head);
    if (!f || typeof f.value !== 'number') {
      const why = !f ? 'the indicator has no figure for this team' : 'too few people to show a value (' + f.areas + ' areas, ' + f.missing + ' missing)';
      const p = note('– (unknown: ' + why + ')');
      p.dataset.unknown = why;
      out.append(p);
      return;
    }
    const lo = typeof f.lower === 'number' ? f.lower : f.value, hi = typeof f.upper === 'number' ? f.upper : f.value;
    const ends = [lo, hi, f.value];
    if (c && typeof c.value === 'number') ends.push(c.value, typeof c.lower === 'number' ? c.lower : c.value, typeof c.upper === 'number' ? c.upper : c.value);
    let min = Math.min(...ends), max = Math.max(...ends);
    const pad = (max - min) * 0.15 || Math.abs(max) * 0.1 || 1;
    min -= pad; max += pad;
    if (r.indicator.unit === 'proportion') { min = Math.max(0, min); max = Math.min(1, max); }
    const W = 300, H = 54, L = 8, R = 8;
    const x = (v) => L + (W - L - R) * (v - min) / (max - min);
    const svg = document.createElementNS(svgNS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('class', 'tc-whisker-svg');
    svg.setAttribute('role', 'img');
    const cityText = c && typeof c.value === 'number' ? indicatorText(r, c.value) : 'unknown';
    svg.setAttribute('aria-label', 'This team ' + indicatorText(r, f.value) + ' (95% interval ' + indicatorText(r, lo) + ' to ' +
      indicatorText(r, hi) + '), city ' + cityText + (f.comparison_with_city ? ': ' + f.comparison_with_city + ' than the city' : ''));
    const add = (tag, attrs, parent) => {
      const e = document.createElementNS(svgNS, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
      (parent || svg).append(e);
      return e;
    };
    add('line', { x1: L, x2: W - R, y1: 40, y2: 40, class: 'tc-axis' });
    if (c && typeof c.value === 'number') {
      const g = add('g', { class: 'tc-city', 'data-value': c.value });
      add('line', { x1: x(c.value), x2: x(c.value), y1: 6, y2: 44 }, g);
      add('text', { x: x(c.value), y: 54, 'text-anchor': 'middle' }, g).textContent = 'city ' + cityText;
    }
    const g = add('g', { class: 'tc-team', 'data-value': f.value, 'data-lower': lo, 'data-upper': hi });
    add('line', { x1: x(lo), x2: x(hi), y1: 22, y2: 22, class: 'tc-whisk' }, g);
    add('line', { x1: x(lo), x2: x(lo), y1: 16, y2: 28, class: 'tc-whisk' }, g);
    add('line', { x1: x(hi), x2: x(hi), y1: 16, y2: 28, class: 'tc-whisk' }, g);
    add('circle', { cx: x(f.value), cy: 22, r: 4.5, class: 'tc-dot' }, g);
    out.append(svg);
    out.append(note('This team ' + indicatorText(r, f.value) + ' (' + indicatorText(r, lo) + '–' + indicatorText(r, hi) + ')' +
      (f.comparison_with_city ? ', ' + f.comparison_with_city + (/^(better|worse|higher|lower|similar)$/.test(f.comparison_with_city) ? ' than the city' : '') : '') +
      '. ' + r.lens + (state.moves.length ? ' (as saved: unsaved moves not included)' : '') + '.'));
  }

  function onTeam() {
    const box = $('panel-charts');
    const id = $('panel').dataset.team;
    const t = state.profile && state.profile.teams.find((x) => x.id === id);
    box.innerHTML = '';
    if (!t || $('panel').hidden) return;
    box.dataset.team = id;
    const city = state.profile.city;
    box.append(population(t), ages(t, city), quintiles(t, city), catchments(t), registration(t), chooser());
    drawIndicator().catch(fail);
  }

  // A new version hides the panel: its charts go with it.
  function onVersion() {
    asked++;
    $('panel-charts').innerHTML = '';
    delete $('panel-charts').dataset.team;
  }

  window.placeteam.on('team', onTeam);
  window.placeteam.on('version', onVersion);
  window.placeteam.teamCharts = { results };
})();
