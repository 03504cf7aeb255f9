// Steps shared by browser.mjs (demo city) and manchester.mjs: each drives
// one panel of the map page and returns what the page showed, for the Go
// test to check against the API. Screenshots go to the out directory.
import { chromium } from 'playwright-core';

export async function launch() {
  return chromium.launch({ executablePath: process.env.PLACETEAM_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export const idle = (page) => page.waitForFunction(() => window.placeteam.state.idle && window.placeteam.map.areTilesLoaded(),
  null, { timeout: 20000 });

export async function settled(page, text) {
  await page.waitForFunction((t) => document.getElementById('status').textContent.includes(t), text, { timeout: 20000 })
    .catch(async (e) => { throw new Error('waiting for "' + text + '", the status says "' + await page.textContent('#status') + '": ' + e.message); });
  await idle(page);
}

// open loads the page and waits for the first idle map with the
// configuration's style and tiles in; it returns the milliseconds taken.
export async function open(page, base) {
  const t0 = Date.now();
  await page.goto(base + '/', { waitUntil: 'load' });
  await page.waitForFunction(() => window.placeteam && window.placeteam.state.profile &&
    window.placeteam.map.getSource('placeteam') && window.placeteam.state.idle && window.placeteam.map.loaded() &&
    window.placeteam.map.areTilesLoaded(), null, { timeout: 60000 });
  const ms = Date.now() - t0;
  // For the pixel probes: whether map point (x, y) is clear of the ward
  // names drawn over the map (HTML, so not in queryRenderedFeatures).
  await page.evaluate(() => {
    window.__clearOfLabels = (x, y, margin = 4) => {
      const b = window.placeteam.map.getContainer().getBoundingClientRect();
      return ![...document.querySelectorAll('.ward-label')].some((el) => {
        if (el.hidden) return false;
        const r = el.getBoundingClientRect();
        return x >= r.left - b.left - margin && x <= r.right - b.left + margin && y >= r.top - b.top - margin && y <= r.bottom - b.top + margin;
      });
    };
  });
  return ms;
}

// fitCity shows the whole city.
export async function fitCity(page) {
  await page.evaluate(() => {
    const { map, state } = window.placeteam;
    const b = state.bounds;
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 20, animate: false });
  });
  await idle(page);
}

// compare compares the page's version (A) with configuration b version
// bVersion: the table's deltas, the wards listed as moved and those
// outlined on the map.
export async function compare(page, out, b, bVersion) {
  if ((await page.getAttribute('#compare', 'open')) === null) await page.click('#compare summary');
  await page.selectOption('#compare-config', b);
  await page.waitForFunction((v) => document.querySelector('#compare-version option[value="' + v + '"]'), String(bVersion), { timeout: 10000 });
  await page.selectOption('#compare-version', String(bVersion));
  await page.click('#compare-run');
  await page.waitForSelector('#compare-table:not([hidden])', { timeout: 10000 });
  await page.waitForFunction(() => window.placeteam.map.getLayer('compare-moved'), null, { timeout: 10000 });
  await idle(page);
  const shown = await page.evaluate(() => {
    const { map, state } = window.placeteam;
    const rows = {};
    for (const tr of document.querySelectorAll('#compare-table tbody tr')) {
      rows[tr.dataset.team] = Object.fromEntries([...tr.querySelectorAll('td[data-value]')].map((td) => [td.dataset.field, Number(td.dataset.value)]));
    }
    const outlined = [...new Set(map.queryRenderedFeatures({ layers: ['compare-moved'] }).map((f) => f.properties.code))].sort();
    return { a: state.config, aVersion: state.version, moved: document.getElementById('compare-summary').dataset.moved.split(' ').filter(Boolean),
      rows, outlined, summary: document.getElementById('compare-summary').textContent };
  });
  await page.screenshot({ path: out + '/compare.png' });
  return shown;
}

// choropleth colours units by figure and finds a clear pixel inside the
// features with the highest and the lowest value.
export async function choropleth(page, out, unit, figure) {
  await page.selectOption('#choro-unit', unit);
  await page.waitForSelector('#choro-figure option[value="' + figure + '"]', { state: 'attached', timeout: 10000 });
  await page.selectOption('#choro-figure', figure);
  await page.waitForFunction(({ unit, figure }) => {
    const p = window.placeteam.choropleth.painted;
    return p && p.unit === unit && p.figure === figure && window.placeteam.map.getLayer('choropleth');
  }, { unit, figure }, { timeout: 10000 });
  await idle(page);
  const shown = await page.evaluate(({ unit }) => {
    const { map, choropleth } = window.placeteam;
    const p = choropleth.painted;
    const ids = Object.keys(p.values).sort((a, b) => p.values[a] - p.values[b]);
    const idField = window.placeteam.state.promoteId[unit];
    // A pixel inside the feature where the choropleth is the top layer: the
    // ring's vertex average or a point part way from it to a vertex.
    const probe = (id) => {
      for (const f of map.querySourceFeatures('placeteam', { sourceLayer: unit, filter: ['==', ['get', idField], id] })) {
        const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
        let x = 0, y = 0;
        for (const [lon, lat] of ring) { x += lon; y += lat; }
        const c = [x / ring.length, y / ring.length];
        const candidates = [c, ...ring.map(([lon, lat]) => [c[0] + 0.4 * (lon - c[0]), c[1] + 0.4 * (lat - c[1])])];
        const canvas = map.getCanvas();
        for (const ll of candidates) {
          const pt = map.project(ll);
          const cx = Math.round(pt.x), cy = Math.round(pt.y);
          if (cx < 5 || cy < 5 || cx > canvas.clientWidth - 5 || cy > canvas.clientHeight - 5) continue;
          const hits = map.queryRenderedFeatures([[cx - 3, cy - 3], [cx + 3, cy + 3]]);
          if (hits.length && window.__clearOfLabels(cx, cy) && hits.every((h) => h.layer.id === 'choropleth' || h.layer.id === 'background') &&
              hits.some((h) => h.layer.id === 'choropleth' && String(h.id) === id)) {
            return { id, value: p.values[id], x: cx, y: cy, colour: choropleth.colourOf(p.values[id]) };
          }
        }
      }
      return { id, error: 'no clear pixel inside ' + id };
    };
    return { version: p.version, ramp: choropleth.ramp, colours: p.colours, breaks: p.breaks,
      legend: [...document.querySelectorAll('#choro-legend li[data-colour]')].map((li) => li.dataset.colour),
      legendText: document.getElementById('choro-legend').textContent,
      modelled: !!document.querySelector('#choro-legend .modelled'),
      high: probe(ids[ids.length - 1]), low: probe(ids[0]) };
  }, { unit });
  await page.screenshot({ path: out + '/choropleth.png' });
  return shown;
}

// site runs a one-hub-per-team scenario (saved when named) and reports the hubs and spokes
// drawn, a hub's pixel and the equity table.
export async function site(page, out, name) {
  if ((await page.getAttribute('#site', 'open')) === null) await page.click('#site summary');
  await page.fill('#site-threshold', '1.5');
  if (name) await page.fill('#site-name', name);
  await page.click('#site-run');
  await settled(page, 'Sited');
  const shown = await page.evaluate(() => {
    const { map } = window.placeteam;
    const hubs = map.queryRenderedFeatures({ layers: ['site-hubs'] });
    const ids = [...new Set(hubs.map((f) => f.properties.id))];
    const first = hubs[0] ? map.project(hubs[0].geometry.coordinates) : null;
    return { saved: window.placeteam.site.plan.saved, version: window.placeteam.state.version, planVersion: window.placeteam.site.plan.version,
      features: window.placeteam.map.getSource('siting').serialize().data.features.length,
      hubs: ids, spokes: map.queryRenderedFeatures({ layers: ['site-spokes'] }).length,
      hub: first ? { id: hubs[0].properties.id, x: Math.round(first.x), y: Math.round(first.y) } : null,
      equity: Object.fromEntries([...document.querySelectorAll('#site-equity tbody tr')].map((tr) =>
        [tr.dataset.group, [...tr.querySelectorAll('td')].map((td) => td.dataset.value === undefined ? null : Number(td.dataset.value))])) };
  });
  await page.screenshot({ path: out + '/site.png' });
  return shown;
}

// usability: every control has a name, what Tab reaches from the version
// choice, and whether anything scrolls sideways.
export async function usability(page) {
  const shown = await page.evaluate(() => {
    const unnamed = [];
    for (const el of document.querySelectorAll('#side select, #side input, #side button, #side a, #side summary, header select, header input')) {
      const name = el.getAttribute('aria-label') || (el.labels && el.labels.length && el.labels[0].textContent.trim()) || el.textContent.trim();
      if (!name) unnamed.push(el.id || el.outerHTML.slice(0, 60));
    }
    const side = document.getElementById('side');
    return { unnamed, pageOverflow: document.documentElement.scrollWidth > window.innerWidth, sideOverflow: side.scrollWidth > side.clientWidth };
  });
  await page.focus('#version');
  shown.tabbed = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    shown.tabbed.push(await page.evaluate(() => document.activeElement && document.activeElement.id));
  }
  return shown;
}

// exports fetches each export link as the page shows it.
export async function exports(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const id of ['export-config', 'export-profile', 'export-teams']) {
      const a = document.getElementById(id);
      const res = await fetch(a.href);
      const body = await res.text();
      out[id] = { href: a.getAttribute('href'), download: a.download, status: res.status, type: res.headers.get('Content-Type'), start: body.slice(0, 40) };
    }
    return out;
  });
}
