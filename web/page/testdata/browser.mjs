// Drives the map page in Chromium for browser_test.go. Usage:
//   node browser.mjs BASE_URL OUT_DIR
// Prints one JSON object: what the page showed at each step, and the
// screenshots it saved (the Go test checks pixels and numbers).
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const [base, out] = process.argv.slice(2);
const result = { steps: {} };
const browser = await chromium.launch({ executablePath: process.env.PLACETEAM_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const t0 = Date.now();
  await page.goto(base + '/', { waitUntil: 'load' });
  // The first idle after the configuration's style and tiles are in.
  await page.waitForFunction(() => window.placeteam && window.placeteam.state.profile &&
    window.placeteam.map.getSource('placeteam') && window.placeteam.state.idle && window.placeteam.map.loaded() &&
    window.placeteam.map.areTilesLoaded(), null, { timeout: 60000 });
  result.loadMs = Date.now() - t0;
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
    const lngLat = [x / ring.length, y / ring.length];
    map.jumpTo({ center: lngLat, zoom: Math.max(map.getZoom(), 11) });
    await new Promise((r) => map.once('idle', r));
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
  const settled = async (text) => {
    await page.waitForFunction((t) => document.getElementById('status').textContent.includes(t), text, { timeout: 20000 });
    await page.waitForFunction(() => window.placeteam.state.idle && window.placeteam.map.areTilesLoaded(), null, { timeout: 20000 });
  };
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
  result.errors = errors;
} finally {
  await browser.close();
}
writeFileSync(out + '/result.json', JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
