// Drives the map page in Chromium for browser_test.go. Usage:
//   node browser.mjs BASE_URL OUT_DIR
// Prints one JSON object: what the page showed at each step, and the
// screenshots it saved (the Go test checks pixels and numbers).
import { writeFileSync } from 'node:fs';
import * as steps from './steps.mjs';

const [base, out] = process.argv.slice(2);
const result = { steps: {} };
const browser = await steps.launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The first idle after the configuration's style and tiles are in.
  result.loadMs = await steps.open(page, base);
  // Centre the first ward of the first team and note where it is drawn.
  const probe = await page.evaluate(async () => {
    const { map, state } = window.placeteam;
    const team = state.profile.teams[0];
    const wards = map.querySourceFeatures('placeteam', { sourceLayer: 'wards', filter: ['==', ['get', 'team'], team.id] });
    if (!wards.length) return { error: 'no ward of team ' + team.id + ' in the rendered tiles' };
    // A point inside the ward: the middle of its first ring's bound is not
    // always inside, so use the vertex average and check with a query.
    const ring = wards[0].geometry.type === 'Polygon' ? wards[0].geometry.coordinates[0] : wards[0].geometry.coordinates[0][0];
    let x = 0, y = 0;
    for (const [lon, lat] of ring) { x += lon; y += lat; }
    const c = [x / ring.length, y / ring.length];
    map.jumpTo({ center: c, zoom: Math.max(map.getZoom(), 11) });
    await new Promise((r) => map.once('idle', r));
    // The vertex average, or a point part way from it to a vertex, clear of
    // the ward names.
    const lngLat = [c, ...ring.map(([lon, lat]) => [c[0] + 0.4 * (lon - c[0]), c[1] + 0.4 * (lat - c[1])])].find((ll) => {
      const q = map.project(ll);
      return window.__clearOfLabels(q.x, q.y);
    }) || c;
    const p = map.project(lngLat);
    const hit = map.queryRenderedFeatures(p, { layers: ['wards-fill'] });
    return { team: team.id, ward: wards[0].properties.code, hitTeam: hit.length ? hit[0].properties.team : '',
      x: Math.round(p.x), y: Math.round(p.y), colour: state.colours[team.id],
      legend: document.querySelectorAll('#legend-list button').length,
      attribution: document.querySelector('.maplibregl-ctrl-attrib') ? document.querySelector('.maplibregl-ctrl-attrib').textContent : '',
      attributionFolded: !document.querySelector('.maplibregl-ctrl-attrib.maplibregl-compact-show') };
  });
  result.steps.render = probe;
  if (probe.error) {
    result.errors = errors;
    console.log(JSON.stringify(result));
    process.exit(0);
  }
  const box = await page.locator('#map').boundingBox();
  result.steps.render.mapBox = box;
  await page.screenshot({ path: out + '/map.png' });
  // Click the ward: the team's profile opens.
  await page.mouse.click(box.x + probe.x, box.y + probe.y);
  await page.waitForSelector('#panel:not([hidden])', { timeout: 10000 });
  result.steps.profile = await page.evaluate(() => ({
    team: document.getElementById('panel').dataset.team,
    title: document.getElementById('panel-title').textContent,
    rows: Object.fromEntries([...document.querySelectorAll('#panel-table tr')].map((tr) => [tr.cells[0].textContent, Number(tr.cells[1].dataset.value)])),
  }));
  await page.screenshot({ path: out + '/profile.png' });
  // Keyboard: the legend's buttons are reachable and open a team.
  await page.focus('#legend-list button >> nth=1');
  await page.keyboard.press('Enter');
  result.steps.keyboard = await page.evaluate(() => document.getElementById('panel').dataset.team);

  // Edit: move the probed ward to the second team (a what-if via evaluate).
  const teams = await page.evaluate(() => window.placeteam.state.profile.teams.map((t) => t.id));
  const target = teams[1];
  const panelRows = () => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#panel-table tr')]
    .map((tr) => [tr.cells[0].textContent, Number(tr.cells[1].dataset.value)])));
  const idle = () => steps.idle(page);
  const settled = (text) => steps.settled(page, text);
  await page.evaluate((team) => window.placeteam.showTeam(team), probe.team);
  await page.selectOption('#move-ward', probe.ward);
  await page.selectOption('#move-team', target);
  await page.click('#move');
  await settled('1 unsaved move');
  result.steps.edit = { target, targetColour: await page.evaluate((t) => window.placeteam.state.colours[t], target),
    rows: await panelRows(), checks: await page.textContent('#checks') };
  await page.screenshot({ path: out + '/edit.png' });

  // Undo restores the numbers and the colour; Ctrl+Y redoes.
  await page.click('#undo');
  await settled('No unsaved moves');
  result.steps.undo = { rows: await panelRows(), redoEnabled: await page.isEnabled('#redo') };
  await page.screenshot({ path: out + '/undo.png' });
  await page.focus('#move-ward');
  await page.keyboard.press('Control+y');
  await settled('1 unsaved move');

  // Save (If-Match: the loaded version's ETag).
  await page.click('#save');
  await settled('Saved as version');
  result.steps.save = await page.evaluate(() => ({ version: window.placeteam.state.version, etag: window.placeteam.state.etag }));

  // Someone else saves behind the page's back; the page's save is stale.
  const other = await page.evaluate(async ({ etag, teams }) => {
    const { state } = window.placeteam;
    const ward = Object.keys(state.wardTeam).find((w) => state.wardTeam[w] === teams[2]);
    const res = await fetch('/api/configurations/' + state.config + '/moves', { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'If-Match': etag }, body: JSON.stringify({ moves: [{ ward, team: teams[3] }] }) });
    return { status: res.status, ward };
  }, { etag: result.steps.save.etag, teams });
  const another = await page.evaluate((teams) => {
    const { state } = window.placeteam;
    return Object.keys(state.wardTeam).find((w) => state.wardTeam[w] === teams[4]);
  }, teams);
  await page.selectOption('#move-ward', another);
  await page.selectOption('#move-team', teams[5]);
  await page.click('#move');
  await settled('1 unsaved move');
  await page.click('#save');
  await page.waitForSelector('#conflict:not([hidden])', { timeout: 10000 });
  result.steps.conflict = { other, text: await page.textContent('#conflict'),
    latest: Number(await page.getAttribute('#conflict', 'data-latest')), pending: await page.evaluate(() => window.placeteam.state.moves.length) };

  // Compare: this version (2) against version 1, the deltas and the moved
  // ward outlined on the map.
  result.steps.compare = await steps.compare(page, out, 'demo-baseline', 1);

  // Choropleths over the whole city: a modelled team figure is marked so;
  // wards by income deprivation: the highest and lowest drawn in the
  // ramp's ends.
  await steps.fitCity(page);
  const teamsChoropleth = await steps.choropleth(page, out, 'teams', 'local_registration_share');
  result.steps.choropleth = await steps.choropleth(page, out, 'wards', 'ind_income-deprivation');
  result.steps.choropleth.teams = { text: teamsChoropleth.legendText, modelled: teamsChoropleth.modelled };
  // A new version re-fetches the values: version 1's figures as feature-state.
  await page.selectOption('#version', '1');
  await page.waitForFunction(() => { const p = window.placeteam.choropleth.painted; return p && p.version === 1 && window.placeteam.map.getLayer('choropleth'); }, null, { timeout: 10000 });
  await idle();
  result.steps.choropleth.refetched = await page.evaluate((ward) => ({ version: window.placeteam.choropleth.painted.version,
    state: window.placeteam.map.getFeatureState({ source: 'placeteam', sourceLayer: 'wards', id: ward }).v }), result.steps.choropleth.high.id);
  await page.selectOption('#choro-figure', '');
  await idle();

  // Site: one hub per team, drawn on the map, and the equity table. Siting
  // uses the latest version, and the other user's version 3 left a team
  // with no practice: they revert it first (version 4 = version 2).
  result.steps.revert = await page.evaluate(async () => (await fetch('/api/configurations/demo-baseline/revert', { method: 'POST',
    headers: { 'Content-Type': 'application/json', 'If-Match': '"demo-baseline.v3"' }, body: JSON.stringify({ version: 2 }) })).status);
  result.steps.site = await steps.site(page, out, 'demo-hubs');

  // Usable by keyboard at 1280×800; the exports answer.
  result.steps.usability = await steps.usability(page);
  result.steps.exports = await steps.exports(page);

  // Layer toggles: GP practices off (from the keyboard) and on again.
  await page.click('#layers summary');
  // Pixels of the practices' blue drawn on the canvas (queryRenderedFeatures
  // may still list a hidden layer's features until its tiles reload).
  const practicesShown = () => page.evaluate(() => {
    const src = window.placeteam.map.getCanvas();
    const c = document.createElement('canvas');
    c.width = src.width; c.height = src.height;
    const g = c.getContext('2d');
    g.drawImage(src, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 0x21) < 12 && Math.abs(d[i + 1] - 0x66) < 12 && Math.abs(d[i + 2] - 0xac) < 12) n++;
    return n;
  });
  const before = await practicesShown();
  await page.focus('#toggle-practices');
  await page.keyboard.press('Space');
  await idle();
  const off = await practicesShown();
  await page.keyboard.press('Space');
  await idle();
  result.steps.toggles = { before, off, after: await practicesShown() };
  // Ward names: one label per ward at its label point; the toggle hides them.
  const names = () => page.evaluate(() => {
    const { map } = window.placeteam;
    const box = map.getContainer().getBoundingClientRect();
    return [...document.querySelectorAll('.ward-label')].map((el) => {
      const r = el.getBoundingClientRect();
      const m = window.placeteam.wardNames.markers.find((x) => x.getElement() === el);
      const p = map.project(m.getLngLat());
      return { ward: el.dataset.ward, text: el.textContent, shown: !el.hidden && r.width > 0,
        offset: Math.round(Math.hypot(r.left + r.width / 2 - box.left - p.x, r.top + r.height / 2 - box.top - p.y)),
        lngLat: [m.getLngLat().lng, m.getLngLat().lat] };
    });
  });
  const shownNames = await names();
  await page.focus('#toggle-ward-names');
  await page.keyboard.press('Space');
  const hiddenNames = (await names()).filter((n) => n.shown).length;
  await page.keyboard.press('Space');
  result.steps.wardNames = { labels: shownNames, hiddenShown: hiddenNames, zoom: await page.evaluate(() => window.placeteam.map.getZoom()) };
  result.errors = errors;
} finally {
  await browser.close();
}
writeFileSync(out + '/result.json', JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
