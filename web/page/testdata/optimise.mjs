// Drives the Edit panel's optimiser in Chromium for browser_optimise_test.go.
// Usage: node optimise.mjs BASE_URL OUT_DIR
// A long run cancelled after its first progress report; a small run; the
// same run with a ward it moved kept fixed; that run's first option
// previewed from the keyboard (the draft, the panel, the checks, a moved
// ward's pixel), discarded, previewed again and saved. Prints one JSON
// object of what the page showed; screenshots go to OUT_DIR.
import { writeFileSync } from 'node:fs';
import { launch, open, idle, settled } from './steps.mjs';

const [base, out] = process.argv.slice(2);
const result = { steps: {} };
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await open(page, base);
  const versions = () => page.evaluate(async () => (await window.placeteam.api('/api/configurations/' +
    encodeURIComponent(window.placeteam.state.config) + '/versions')).versions.map((v) => v.version));
  const progress = () => page.evaluate(() => {
    const p = document.getElementById('optimise-progress');
    return { job: Number(p.dataset.job), state: p.dataset.state, movesTried: Number(p.dataset.movesTried),
      best: p.dataset.best === undefined ? null : Number(p.dataset.best), text: p.textContent, live: p.getAttribute('aria-live') };
  });
  // finish waits for the run after job `after` to end in state.
  const finish = async (after, state) => {
    await page.waitForFunction(({ after, state }) => {
      const p = document.getElementById('optimise-progress');
      return Number(p.dataset.job) > after && p.dataset.state === state;
    }, { after, state }, { timeout: 30000 }).catch(async (e) => {
      throw new Error('waiting for a job after ' + after + ' to be ' + state + ': ' + JSON.stringify(await progress()) + ': ' + e.message);
    });
    return progress();
  };
  const shownOptions = () => page.evaluate(() => [...document.querySelectorAll('#optimise-options > li')].map((li) => ({
    rank: Number(li.dataset.rank), score: Number(li.dataset.score), objectiveChange: Number(li.dataset.objectiveChange),
    moves: [...li.querySelectorAll('.opt-moves li')].map((m) => ({ ward: m.dataset.ward, team: m.dataset.team })),
    changes: [...li.querySelectorAll('tbody tr')].map((tr) => ({ unit: tr.dataset.unit,
      metrics: Object.fromEntries([...tr.querySelectorAll('td[data-metric]')].map((td) => [td.dataset.metric, [td.dataset.a, td.dataset.b]])) })),
    previewEnabled: !li.querySelector('.opt-preview').disabled, current: li.getAttribute('aria-current') === 'true',
  })));
  const panelRows = () => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#panel-table tr')]
    .map((tr) => [tr.cells[0].textContent, Number(tr.cells[1].dataset.value)])));
  result.steps.start = { versions: await versions(), editShown: await page.isVisible('#optimise-run') };

  // A long run, cancelled once it has reported progress.
  await page.selectOption('#optimise-objective', 'min_local');
  await page.fill('#optimise-moves', '500000000');
  await page.fill('#optimise-time', '30');
  await page.click('#optimise-run');
  await page.waitForFunction(() => {
    const p = document.getElementById('optimise-progress');
    return p.dataset.state === 'running' && Number(p.dataset.movesTried) > 0;
  }, null, { timeout: 30000 }).catch(async (e) => {
    throw new Error('waiting for progress: ' + JSON.stringify(await progress()) + ', status "' + await page.textContent('#status') +
      '", errors ' + errors.join('; ') + ': ' + e.message);
  });
  const running = await progress();
  running.cancelEnabled = await page.isEnabled('#optimise-cancel');
  running.runEnabled = await page.isEnabled('#optimise-run');
  await page.click('#optimise-cancel');
  const cancelled = await finish(running.job - 1, 'cancelled');
  result.steps.cancel = { running, cancelled, options: (await shownOptions()).length };

  // A small run, then the same with the first ward it moved kept fixed.
  await page.fill('#optimise-moves', '20000');
  await page.fill('#optimise-time', '20');
  await page.click('#optimise-run');
  const free = await finish(cancelled.job, 'completed');
  const freeOptions = await shownOptions();
  const frozen = freeOptions.length && freeOptions[0].moves.length ? freeOptions[0].moves[0].ward : '';
  await page.selectOption('#optimise-frozen', frozen ? [frozen] : []);
  await page.click('#optimise-run');
  const fixed = await finish(free.job, 'completed');
  await idle(page);
  const options = await shownOptions();
  result.steps.runs = { free: { job: free.job, options: freeOptions }, frozen, fixed: { job: fixed.job, progress: fixed, options },
    note: await page.textContent('#optimise-note') };
  if (!options.length || !options[0].moves.length) {
    result.errors = errors.concat(['the run with ' + frozen + ' fixed found no option with moves']);
    console.log(JSON.stringify(result));
    process.exit(0);
  }

  // The whole city, and a moved ward of option 1 with a pixel where only
  // the fills are drawn: the one whose teams' colours differ most.
  await page.evaluate(() => {
    const { map, state } = window.placeteam;
    const b = state.bounds;
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 20, animate: false });
  });
  await idle(page);
  const probe = await page.evaluate((moves) => {
    const { map, state } = window.placeteam;
    const fills = ['wards-fill', 'teams-fill', 'lsoas-imd'];
    const rgb = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
    const distance = (a, b) => Math.max(...rgb(a).map((v, i) => Math.abs(v - rgb(b)[i])));
    const canvas = map.getCanvas();
    let best = null;
    for (const m of moves) {
      const from = state.wardTeam[m.ward];
      const d = distance(state.colours[from], state.colours[m.team]);
      if (best && best.distance >= d) continue;
      for (const f of map.querySourceFeatures('placeteam', { sourceLayer: 'wards', filter: ['==', ['get', 'code'], m.ward] })) {
        const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
        let x = 0, y = 0;
        for (const [lon, lat] of ring) { x += lon; y += lat; }
        const c = [x / ring.length, y / ring.length];
        let found = null;
        for (const ll of [c, ...ring.map(([lon, lat]) => [c[0] + 0.4 * (lon - c[0]), c[1] + 0.4 * (lat - c[1])])]) {
          const pt = map.project(ll);
          const px = Math.round(pt.x), py = Math.round(pt.y);
          if (px < 5 || py < 5 || px > canvas.clientWidth - 5 || py > canvas.clientHeight - 5) continue;
          const hits = map.queryRenderedFeatures([[px - 3, py - 3], [px + 3, py + 3]]);
          if (hits.length && window.__clearOfLabels(px, py) && hits.every((h) => fills.includes(h.layer.id)) &&
              hits.filter((h) => h.layer.id === 'wards-fill').every((h) => h.properties.code === m.ward) &&
              hits.some((h) => h.layer.id === 'wards-fill')) { found = { x: px, y: py }; break; }
        }
        if (found) { best = { ward: m.ward, from, to: m.team, fromColour: state.colours[from], toColour: state.colours[m.team], distance: d, ...found }; break; }
      }
    }
    return best || { error: 'no clear pixel inside any moved ward of ' + JSON.stringify(moves) };
  }, options[0].moves);
  probe.mapBox = await page.locator('#map').boundingBox();
  result.steps.probe = probe;
  // The panel shows the team the probed ward joins.
  await page.evaluate((team) => window.placeteam.showTeam(team), probe.to || options[0].moves[0].team);
  result.steps.before = { rows: await panelRows(), team: await page.getAttribute('#panel', 'data-team') };
  await page.screenshot({ path: out + '/before.png' });

  // Preview option 1 from the keyboard.
  await page.focus('.opt-preview[data-rank="1"]');
  await page.keyboard.press('Enter');
  await settled(page, 'Previewing option 1');
  result.steps.preview = { moves: await page.evaluate(() => window.placeteam.state.moves), rows: await panelRows(),
    checks: await page.textContent('#checks'), listed: await page.$$eval('#moves li', (l) => l.length),
    options: await shownOptions(), discardEnabled: await page.isEnabled('#optimise-discard'),
    saveEnabled: await page.isEnabled('#save'), version: await page.evaluate(() => window.placeteam.state.version),
    versions: await versions() };
  await page.screenshot({ path: out + '/preview.png' });

  // Discard: back to the version as saved.
  await page.click('#optimise-discard');
  await settled(page, 'Preview discarded');
  result.steps.discard = { moves: await page.evaluate(() => window.placeteam.state.moves), rows: await panelRows(),
    checks: await page.textContent('#checks'), versions: await versions(), discardEnabled: await page.isEnabled('#optimise-discard') };
  await page.screenshot({ path: out + '/discard.png' });

  // Preview again and save (If-Match, as a hand edit).
  await page.click('.opt-preview[data-rank="1"]');
  await settled(page, 'Previewing option 1');
  const draft = await page.evaluate(() => window.placeteam.state.moves);
  await page.click('#save');
  await settled(page, 'Saved as version');
  result.steps.save = { draft, version: await page.evaluate(() => window.placeteam.state.version),
    etag: await page.evaluate(() => window.placeteam.state.etag), versions: await versions(),
    options: await shownOptions(), note: await page.textContent('#optimise-note') };
  result.errors = errors;
} finally {
  await browser.close();
}
writeFileSync(out + '/optimise.json', JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
