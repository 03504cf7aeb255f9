// Drives the flows view and compare's swipe view in Chromium for
// browser_flows_test.go. Usage:
//   node flows.mjs BASE_URL OUT_DIR
// The server holds demo-baseline version 2 (a ward moved from version 1).
// Prints one JSON object: what the page showed at each step and where; the
// Go test checks it against the API and reads the screenshots' pixels.
import { writeFileSync } from 'node:fs';
import { launch, open, idle, fitCity, compare, usability } from './steps.mjs';

const [base, out] = process.argv.slice(2);
const result = { steps: {} };
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

// flowsShown reads both charts, the lines source and the widest line's
// midpoint on screen.
const flowsShown = (page) => page.evaluate(() => {
  const { map, state } = window.placeteam;
  const bars = (id) => [...document.querySelectorAll('#' + id + ' li')].map((li) => ({ unit: li.dataset.unit,
    value: li.dataset.value === undefined ? null : Number(li.dataset.value), share: li.dataset.share === undefined ? null : Number(li.dataset.share),
    text: li.querySelector('.flow-value').textContent, width: li.querySelector('.flow-bar span').getBoundingClientRect().width }));
  const src = map.getSource('flows');
  const features = src ? src.serialize().data.features : [];
  let widest = null;
  for (const f of features) if (!widest || f.properties.flow > widest.properties.flow) widest = f;
  let mid = null;
  if (widest) {
    const [a, b] = widest.geometry.coordinates.map((c) => map.project(c));
    mid = { team: widest.properties.team, x: Math.round((a.x + b.x) / 2), y: Math.round((a.y + b.y) / 2) };
  }
  return { team: document.getElementById('flows').dataset.team || '', version: state.version,
    residents: bars('flows-residents'), patients: bars('flows-patients'),
    modelled: { residents: !!document.querySelector('#flows-residents .modelled'), patients: !!document.querySelector('#flows-patients .modelled') },
    lines: features.map((f) => ({ team: f.properties.team, flow: f.properties.flow, from: f.geometry.coordinates[0], to: f.geometry.coordinates[1] })),
    rendered: map.getLayer('flows-lines') ? map.queryRenderedFeatures({ layers: ['flows-lines'] }).length : 0,
    mid, summary: document.getElementById('flows-summary').textContent };
});

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  result.loadMs = await open(page, base);
  await fitCity(page);

  // Flows: a team chosen from the legend by keyboard while the flows panel
  // is closed draws nothing; opening the panel draws its flows.
  const teams = await page.evaluate(() => window.placeteam.state.profile.teams.map((t) => t.id));
  await page.focus('#legend-list button >> nth=1');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#panel:not([hidden])', { timeout: 10000 });
  await idle(page);
  result.mapBox = await page.locator('#map').boundingBox();
  result.steps.closed = await page.evaluate(() => ({ source: !!window.placeteam.map.getSource('flows'),
    bars: document.querySelectorAll('#flows li').length }));
  await page.screenshot({ path: out + '/flows-before.png' });
  await page.focus('#flows summary');
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => document.getElementById('flows').dataset.team === t && window.placeteam.map.getSource('flows'),
    teams[1], { timeout: 10000 });
  await idle(page);
  result.steps.flows = await flowsShown(page);
  result.steps.flows.mapBox = await page.locator('#map').boundingBox();
  await page.screenshot({ path: out + '/flows.png' });

  // Another team from the panel's own list (keyboard): the profile follows.
  await page.focus('#flows-team');
  await page.selectOption('#flows-team', teams[2]);
  await page.waitForFunction((t) => document.getElementById('flows').dataset.team === t, teams[2], { timeout: 10000 });
  await idle(page);
  result.steps.other = await flowsShown(page);
  result.steps.other.profile = await page.evaluate(() => document.getElementById('panel').dataset.team);
  await page.screenshot({ path: out + '/flows-other.png' });

  // Clear removes the lines and the charts.
  await page.focus('#flows-clear');
  await page.keyboard.press('Enter');
  await idle(page);
  result.steps.cleared = await page.evaluate(() => ({ source: !!window.placeteam.map.getSource('flows'),
    layer: !!window.placeteam.map.getLayer('flows-lines'), bars: document.querySelectorAll('#flows li').length }));

  // Compare this version (2) with version 1, then centre the moved ward.
  result.steps.compare = await compare(page, out, 'demo-baseline', 1);
  const ward = result.steps.compare.moved[0];
  await page.evaluate((ward) => {
    const { map } = window.placeteam;
    const f = map.querySourceFeatures('placeteam', { sourceLayer: 'wards', filter: ['==', ['get', 'code'], ward] })[0];
    const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
    let x = 0, y = 0;
    for (const [lon, lat] of ring) { x += lon; y += lat; }
    map.jumpTo({ center: [x / ring.length, y / ring.length], zoom: 13 });
  }, ward);
  await idle(page);

  // Swipe view on, from the keyboard.
  await page.focus('#compare-swipe');
  await page.keyboard.press('Enter');
  const swipeIdle = () => page.waitForFunction(() => {
    const s = window.placeteam.compare.swipe;
    return s && s.idle && s.map.loaded() && s.map.areTilesLoaded() && window.placeteam.state.idle && window.placeteam.map.areTilesLoaded();
  }, null, { timeout: 20000 });
  await swipeIdle();
  // A pixel well inside the moved ward on both maps, away from outlines.
  const probe = await page.evaluate((ward) => {
    const { map, compare } = window.placeteam;
    const b = compare.swipe.map;
    const canvas = map.getCanvas();
    for (let dy = 0; dy < canvas.clientHeight / 3; dy += 6) {
      for (let dx = 0; dx < canvas.clientWidth / 3; dx += 6) {
        for (const [sx, sy] of [[1, 1], [-1, 1], [1, -1], [-1, -1]]) {
          const x = Math.round(canvas.clientWidth / 2 + sx * dx), y = Math.round(canvas.clientHeight / 2 + sy * dy);
          const area = [[x - 5, y - 5], [x + 5, y + 5]];
          const clear = (m) => {
            const hits = m.queryRenderedFeatures(area);
            return hits.length && hits.every((h) => ['wards-fill', 'teams-fill', 'lsoas-imd', 'background'].includes(h.layer.id) &&
              (h.layer.id !== 'wards-fill' || h.properties.code === ward));
          };
          if (clear(map) && clear(b) && window.__clearOfLabels(x, y)) {
            const team = (m) => m.queryRenderedFeatures([x, y], { layers: ['wards-fill'] })[0].properties.team;
            return { ward, x, y, teamA: team(map), teamB: team(b),
              colourA: window.placeteam.state.colours[team(map)], colourB: b.getStyle().metadata['placeteam:team-colours'][team(b)] };
          }
        }
      }
    }
    return { ward, error: 'no clear pixel inside ' + ward };
  }, ward);
  const shown = await page.evaluate(() => {
    const { map, compare } = window.placeteam;
    const s = compare.swipe;
    const d = document.getElementById('swipe-divider');
    return { maps: document.querySelectorAll('#map .swipe-map .maplibregl-canvas').length,
      styleA: map.getStyle().sources.placeteam.tiles[0], styleB: s.map.getStyle().sources.placeteam.tiles[0],
      role: d.getAttribute('role'), label: d.getAttribute('aria-label'), valuenow: Number(d.getAttribute('aria-valuenow')),
      labelA: document.getElementById('swipe-label-a').textContent, labelB: document.getElementById('swipe-label-b').textContent,
      pressed: document.getElementById('compare-swipe').getAttribute('aria-pressed'),
      clip: s.box.style.clipPath };
  });
  result.steps.swipe = { probe, ...shown };
  // The divider by keyboard.
  await page.focus('#swipe-divider');
  await page.keyboard.press('ArrowLeft');
  const value = () => page.evaluate(() => Number(document.getElementById('swipe-divider').getAttribute('aria-valuenow')));
  result.steps.swipe.afterLeft = await value();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  result.steps.swipe.afterRight = await value();
  // Each camera follows the other.
  result.steps.swipe.sync = await page.evaluate(() => {
    const { map, compare } = window.placeteam;
    const b = compare.swipe.map;
    const c0 = map.getCenter(), z0 = map.getZoom();
    map.jumpTo({ center: [c0.lng + 0.01, c0.lat + 0.005], zoom: z0 - 0.5 });
    const aMoved = { a: map.getCenter().toArray().concat(map.getZoom()), b: b.getCenter().toArray().concat(b.getZoom()) };
    b.jumpTo({ center: [c0.lng - 0.01, c0.lat], zoom: z0 + 0.25 });
    const bMoved = { a: map.getCenter().toArray().concat(map.getZoom()), b: b.getCenter().toArray().concat(b.getZoom()) };
    map.jumpTo({ center: c0, zoom: z0 });
    return { aMoved, bMoved, back: { a: map.getCenter().toArray().concat(map.getZoom()), b: b.getCenter().toArray().concat(b.getZoom()) } };
  });
  await swipeIdle();
  // Drag the divider right of the probe (A there), then left of it (B).
  const box = result.mapBox;
  const drag = async (toX) => {
    const at = await page.evaluate(() => window.placeteam.compare.swipe.position);
    const y = box.y + box.height * 0.7;
    await page.mouse.move(box.x + box.width * at / 100, y);
    await page.mouse.down();
    await page.mouse.move(box.x + toX, y, { steps: 6 });
    await page.mouse.up();
    await frames(page);
    return value();
  };
  if (!probe.error) {
    result.steps.swipe.rightOfProbe = await drag(probe.x + 80);
    await page.screenshot({ path: out + '/swipe-a.png' });
    result.steps.swipe.leftOfProbe = await drag(probe.x - 80);
    await page.screenshot({ path: out + '/swipe-b.png' });
    result.steps.swipe.cameraAfterDrag = await page.evaluate(() => {
      const { map, compare } = window.placeteam;
      return { a: map.getCenter().toArray().concat(map.getZoom()), b: compare.swipe.map.getCenter().toArray().concat(compare.swipe.map.getZoom()) };
    });
  }

  // Swipe view off: the second map goes.
  await page.focus('#compare-swipe');
  await page.keyboard.press('Enter');
  await idle(page);
  await frames(page);
  result.steps.off = await page.evaluate(() => ({ swipe: window.placeteam.compare.swipe !== null,
    maps: document.querySelectorAll('#map .maplibregl-canvas').length, divider: !!document.getElementById('swipe-divider'),
    pressed: document.getElementById('compare-swipe').getAttribute('aria-pressed') }));
  await page.screenshot({ path: out + '/swipe-off.png' });
  result.steps.usability = await usability(page);
  result.errors = errors;
} finally {
  await browser.close();
}
writeFileSync(out + '/flows-result.json', JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
