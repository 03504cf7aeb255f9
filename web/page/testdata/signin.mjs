// Sign-in: against a server that requires tokens, the page asks for one,
// and shows each role only what it may do. Prints what it saw as JSON.
// Usage: node signin.mjs BASE OUT (tokens in PLACETEAM_VIEWER_TOKEN and
// PLACETEAM_EDITOR_TOKEN).
import { launch, idle } from './steps.mjs';

const [base, out] = process.argv.slice(2);
const browser = await launch();
const result = { errors: [] };
try {
  // A fresh page (own session storage) per role.
  const as = async (role, token) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => result.errors.push(role + ': ' + e.message));
    const statuses = [];
    page.on('response', (r) => { if (r.url().includes('/tiles/')) statuses.push(r.status()); });
    await page.goto(base + '/', { waitUntil: 'load' });
    await page.waitForSelector('#signin:not([hidden])', { timeout: 20000 });
    const before = { signin: true, who: await page.textContent('#who'), profile: await page.evaluate(() => !!window.placeteam.state.profile) };
    await page.fill('#token', token);
    await page.click('#signin button[type=submit]');
    await page.waitForFunction(() => window.placeteam.state.profile && window.placeteam.state.role && window.placeteam.map.getSource('placeteam'), null, { timeout: 30000 });
    await idle(page);
    const seen = await page.evaluate(() => ({
      role: window.placeteam.state.role, who: document.getElementById('who').textContent,
      signinHidden: document.getElementById('signin').hidden,
      editHidden: document.getElementById('edit').hidden,
      siteRunDisabled: document.getElementById('site-run').disabled,
      siteNoteHidden: document.getElementById('site-role-note').hidden,
      siteSaveHidden: document.getElementById('site-save-row').hidden,
    }));
    await page.screenshot({ path: out + '/signin-' + role + '.png' });
    await page.close();
    return Object.assign({ before, tiles: statuses }, seen);
  };
  result.viewer = await as('viewer', process.env.PLACETEAM_VIEWER_TOKEN);
  result.editor = await as('editor', process.env.PLACETEAM_EDITOR_TOKEN);
} catch (e) {
  result.errors.push(String(e && e.stack || e));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
