// Drives the map page on the Manchester data for browser_test.go. Usage:
//   node manchester.mjs BASE_URL OUT_DIR
// Loads the page (timed), drafts a move (edit view), compares
// manchester-2015 with manchester-2015-b, colours wards by income
// deprivation and sites hubs; prints what the page showed as JSON.
import { writeFileSync } from 'node:fs';
import * as steps from './steps.mjs';

const [base, out] = process.argv.slice(2);
const result = { steps: {} };
const browser = await steps.launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  result.loadMs = await steps.open(page, base);
  result.config = await page.evaluate(() => window.placeteam.state.config);
  result.mapBox = await page.locator('#map').boundingBox();
  await page.screenshot({ path: out + '/map.png' });

  // Edit view: Fallowfield-style draft move of the first ward option B
  // moves, the team's profile open beside it.
  const move = { ward: 'E05000697', team: 'N4' };
  const from = await page.evaluate((w) => window.placeteam.state.wardTeam[w], move.ward);
  await page.evaluate((team) => window.placeteam.showTeam(team), from);
  await page.selectOption('#move-ward', move.ward);
  await page.selectOption('#move-team', move.team);
  await page.click('#move');
  await steps.settled(page, '1 unsaved move');
  result.steps.edit = { from, status: await page.textContent('#status') };
  await page.screenshot({ path: out + '/edit.png' });
  await page.click('#undo');
  await steps.settled(page, 'No unsaved moves');

  result.steps.compare = await steps.compare(page, out, 'manchester-2015-b', 1);
  await steps.fitCity(page);
  result.steps.choropleth = await steps.choropleth(page, out, 'wards', 'ind_income-deprivation');
  await page.selectOption('#choro-figure', '');
  await steps.idle(page);
  result.steps.site = await steps.site(page, out);
  result.errors = errors;
} finally {
  await browser.close();
}
writeFileSync(out + '/result.json', JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
