// A real browser playing the user: Debian's headless Chromium, driven with playwright-core
// (nothing is downloaded: the system binary, CHROMIUM or /usr/bin/chromium). Used as
// --browser-command, the URL appended:
//   node chrome.js [--login NAME] [--deny] [--screenshot FILE] [--text FILE] [--final-url FILE]
//                  [--spki HASH] URL
// It follows the provider's pages as a person would (the login form, the consent, a device
// code's confirmation), by clicking, until a page with nothing to submit: our callback page
// (or, in the device flow, the provider's last page). --deny cancels at the login page.
// --screenshot and --text keep that page (a PNG; its visible text); --final-url waits for the
// page to send the browser on (--open-url-after-authentication) and writes where it went.
// --spki trusts one more certificate by its SPKI SHA-256 (the test CA's HTTPS callback), as
// Chromium's --ignore-certificate-errors-spki-list does, nothing else.
// Nothing of the URL's query (state, code) is printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const url = args[args.length - 1];
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const login = opt('--login') || 'alice';
const log = (...m) => console.error('[chrome]', ...m);

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-oidc-chrome-'));
const flags = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--no-default-browser-check',
];
if (opt('--spki')) flags.push(`--ignore-certificate-errors-spki-list=${opt('--spki')}`);
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: flags,
  viewport: { width: 900, height: 600 },
});
const done = async (code) => {
  await context.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
  process.exit(code);
};
const where = (u) => { const x = new URL(u); return `${x.origin}${x.pathname}`; };

try {
  const page = context.pages()[0] || (await context.newPage());
  // Every address the tab was at, for --final-url (our page sends the browser on at once).
  const visited = [];
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) visited.push(frame.url()); });
  await page.goto(url, { waitUntil: 'load' });
  for (let step = 0; step < 15; step += 1) {
    await page.waitForLoadState('load');
    const loginField = page.locator('input[name="login"]');
    if (await loginField.count()) {
      if (args.includes('--deny')) {
        log('cancelling at the login page');
        await Promise.all([page.waitForNavigation(), page.locator('a[href*="/abort"]').first().click()]);
        continue;
      }
      await loginField.fill(login);
      await page.locator('input[name="password"]').fill('any');
    }
    // The first submit button (a form's own, or one outside it with form=, as the provider's
    // device pages have): Continue, never Abort.
    const submit = page.locator('button[type="submit"]:not([name="abort"]), input[type="submit"]');
    if (!(await submit.count())) break;
    await Promise.all([page.waitForNavigation(), submit.first().click()]);
  }
  await page.waitForLoadState('load');
  log(`finished at ${where(page.url())}`);
  if (opt('--text')) fs.writeFileSync(opt('--text'), await page.locator('body').innerText());
  if (opt('--screenshot')) await page.screenshot({ path: opt('--screenshot'), fullPage: true });
  if (opt('--final-url')) {
    // Past the callback (the address with the code): where our page sent the browser.
    const beyond = () => {
      const i = visited.findIndex((u) => new URL(u).searchParams.has('code'));
      return i >= 0 && i < visited.length - 1 ? visited[visited.length - 1] : null;
    };
    for (let waited = 0; !beyond() && waited < 10000; waited += 100) await page.waitForTimeout(100);
    if (!beyond()) throw new Error('the page did not send the browser on');
    fs.writeFileSync(opt('--final-url'), beyond());
  }
  await done(0);
} catch (e) {
  log(`failed: ${e.message.split('\n')[0]}`);
  await done(1);
}
