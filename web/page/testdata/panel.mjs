// Drives the team profile panel's charts (teamcharts.js) in Chromium for
// browser_panel_test.go. Usage:
//   node panel.mjs BASE_URL OUT_DIR
// Prints one JSON object: what the table and the charts showed for two
// teams, the indicator whiskers, the indicator requests made and a team
// with unknown figures (set in the page); the Go test checks it against
// the API. Screenshots go to OUT_DIR.
import { launch, open, idle } from './steps.mjs';

const [base, out] = process.argv.slice(2);
const result = { steps: {} };
const indicatorIDs = ['income-deprivation', 'emergency-admissions'];

// shown reads the profile table and the charts of the team the panel shows.
const shown = (page) => page.evaluate(() => {
  const num = (li) => (li && li.dataset.value !== undefined ? Number(li.dataset.value) : null);
  const map = (sel, key) => Object.fromEntries([...document.querySelectorAll('#panel-charts li[data-' + key + ']')]
    .filter((li) => li.closest(sel)).map((li) => [li.dataset[key], num(li)]));
  const cities = (key) => Object.fromEntries([...document.querySelectorAll('#panel-charts li[data-' + key + ']')]
    .map((li) => [li.dataset[key], li.dataset.city === undefined ? null : Number(li.dataset.city)]));
  const bar = (key) => document.querySelector('#panel-charts li[data-bar="' + key + '"]');
  return {
    team: document.getElementById('panel').dataset.team,
    charts: document.getElementById('panel-charts').dataset.team,
    rows: [...document.querySelectorAll('#panel-table tr')].map((tr) => ({ label: tr.cells[0].textContent, field: tr.dataset.field,
      value: tr.cells[1].dataset.value === undefined ? null : Number(tr.cells[1].dataset.value),
      text: tr.cells[1].textContent, title: tr.cells[1].title, unknown: tr.cells[1].dataset.unknown || '' })),
    tableMarks: [...document.querySelectorAll('#panel-table .modelled')].map((m) => m.dataset.field),
    chartMarks: [...document.querySelectorAll('#panel-charts .modelled[data-field]')].filter((m) => m.dataset.field !== 'indicator').map((m) => m.dataset.field),
    resident: num(bar('resident')), registered: num(bar('registered')),
    registeredUnknown: bar('registered') ? bar('registered').dataset.unknown || '' : 'no bar',
    local: num(bar('local')), outOfCity: num(bar('out-of-city')),
    bands: map('figure', 'band'), bandsCity: cities('band'),
    quintiles: map('figure', 'quintile'), quintilesCity: cities('quintile'),
    trusts: map('figure', 'trust'),
    catchmentUnknown: (document.querySelector('#panel-charts figure[data-unknown][data-field="catchment_shares"]') || { dataset: {} }).dataset.unknown || '',
    notes: document.getElementById('panel-notes').hidden ? '' : document.getElementById('panel-notes').textContent,
    imgs: [...document.querySelectorAll('#panel-charts [role="img"]')].map((e) => e.getAttribute('aria-label')),
  };
});

const whisker = (page) => page.evaluate(() => {
  const box = document.getElementById('panel-indicator-chart');
  const g = box.querySelector('g.tc-team'), c = box.querySelector('g.tc-city');
  return { indicator: box.dataset.indicator, team: box.dataset.team,
    value: g ? Number(g.dataset.value) : null, lower: g ? Number(g.dataset.lower) : null, upper: g ? Number(g.dataset.upper) : null,
    city: c ? Number(c.dataset.value) : null, modelled: !!box.querySelector('.modelled[data-indicator]'),
    label: (box.querySelector('svg[role="img"]') || { getAttribute: () => '' }).getAttribute('aria-label') };
});

async function openTeam(page, team) {
  await page.click('#legend-list button[data-team="' + team + '"]');
  await page.waitForFunction((t) => document.getElementById('panel-charts').dataset.team === t &&
    document.querySelector('#panel-charts li[data-band]'), team, { timeout: 10000 });
}

async function chooseIndicator(page, team, id) {
  await page.waitForSelector('#panel-indicator option[value="' + id + '"]', { state: 'attached', timeout: 10000 });
  await page.selectOption('#panel-indicator', id);
  await waitWhisker(page, team, id);
}

const waitWhisker = (page, team, id) => page.waitForFunction(({ team, id }) => {
  const box = document.getElementById('panel-indicator-chart');
  return box && box.dataset.indicator === id && box.dataset.team === team && (box.querySelector('g.tc-team') || box.querySelector('[data-unknown]'));
}, { team, id }, { timeout: 15000 });

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const requests = [];
  page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.includes('/indicators')) requests.push(u.pathname + u.search); });
  result.loadMs = await open(page, base);
  result.steps.beforePanel = requests.slice();

  const teams = await page.evaluate(() => window.placeteam.state.profile.teams.map((t) => t.id));
  const [a, b] = teams;
  await openTeam(page, a);
  await idle(page);
  result.steps.a = await shown(page);
  result.steps.a.whiskers = [];
  for (const id of indicatorIDs) {
    await chooseIndicator(page, a, id);
    result.steps.a.whiskers.push(await whisker(page));
    if (id === indicatorIDs[0]) await page.screenshot({ path: out + '/panel.png' });
  }
  await page.locator('#panel').screenshot({ path: out + '/panel-charts.png' });
  const before = requests.length;

  // Another team: the chosen indicator again, from the cache.
  await openTeam(page, b);
  await waitWhisker(page, b, indicatorIDs[indicatorIDs.length - 1]);
  result.steps.b = await shown(page);
  result.steps.b.whiskers = [await whisker(page)];
  result.steps.b.newRequests = requests.slice(before);
  // Back to the first indicator: cached too.
  await chooseIndicator(page, b, indicatorIDs[0]);
  result.steps.b.whiskers.push(await whisker(page));
  result.steps.b.newRequests = requests.slice(before);
  result.steps.requests = requests;

  // Unknown figures (set in the page: the demo knows them all) show a dash
  // and why, in the table and the charts.
  await page.evaluate((id) => {
    const t = window.placeteam.state.profile.teams.find((x) => x.id === id);
    window.__saved = { registered_population: t.registered_population, catchment_shares: t.catchment_shares, unknown: t.unknown };
    t.registered_population = null;
    t.catchment_shares = null;
    t.unknown = { registered_population: 'no practice could be placed (test)', catchment_shares: 'the dataset has no catchments (test)' };
    window.placeteam.showTeam(id);
  }, b);
  result.steps.unknown = await shown(page);
  await page.locator('#panel').screenshot({ path: out + '/panel-unknown.png' });
  await page.evaluate((id) => {
    const t = window.placeteam.state.profile.teams.find((x) => x.id === id);
    Object.assign(t, window.__saved);
    if (!t.unknown) delete t.unknown;
    window.placeteam.showTeam(id);
  }, b);
  result.steps.restored = await shown(page);
  result.steps.sideOverflow = await page.evaluate(() => { const s = document.getElementById('side'); return s.scrollWidth > s.clientWidth; });
  // The page itself never scrolls: the side panel does (hidden chart text
  // positioned outside it would make the whole page taller).
  result.steps.pageScrolls = await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight);
  result.errors = errors;
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
