// A scripted browser that plays the user: follows the authorization URL through
// oidc-provider's (or Dex's, or Keycloak's) login and consent pages and back to kubectl-oidc's loopback callback.
// Cookies are kept like a browser would. Usage (as --browser-command, the URL appended):
//   node browser.js [--login NAME] [--password P] [--deny] [--tamper-state] [--forge-first] [--never] [--marker FILE]
//                   [--record FILE] [--delay-ms N] URL
// --deny cancels at the login page (the provider answers error=access_denied);
// --tamper-state changes the state parameter on the way back; --never does nothing at all;
// --forge-first plays a hostile page first: callbacks with a forged state and a bare error,
// which must be answered 400 and change nothing, then logs in as usual;
// --callback-error CODE plays a provider that answers the authorization request with an OAuth
// error (error=CODE and this login's state, as RFC 6749 §4.1.2.1 has it) instead of a code;
// --print-callback FILE stops where the provider sends the browser back (a /callback URL that
// nothing may be listening on) and writes that URL to FILE: what a user copies from the
// address bar in a keyboard login.
const args = process.argv.slice(2);
const url = args[args.length - 1];
const login = args.includes('--login') ? args[args.indexOf('--login') + 1] : 'alice';
// --password P: what is typed as the password (oidc-provider's pages take any; Dex's and
// Keycloak's need it).
const password = args.includes('--password') ? args[args.indexOf('--password') + 1] : 'any';
const log = (...m) => console.error('[browser]', ...m);
if (args.includes('--marker')) (await import('node:fs')).writeFileSync(args[args.indexOf('--marker') + 1], url);
// --record FILE appends the URL to FILE (how many browsers were opened); --delay-ms N waits
// before the login (a person taking their time).
if (args.includes('--record')) (await import('node:fs')).appendFileSync(args[args.indexOf('--record') + 1], url + '\n');
if (args.includes('--delay-ms')) await new Promise((r) => setTimeout(r, Number(args[args.indexOf('--delay-ms') + 1])));
if (args.includes('--never')) process.exit(0);
if (args.includes('--forge-first')) {
  const callback = new URL(url).searchParams.get('redirect_uri');
  for (const query of ['?code=forged&state=forged', '?error=access_denied&error_description=forged']) {
    const res = await fetch(callback + query, { redirect: 'manual' });
    log(`forged ${query}: HTTP ${res.status}`);
    if (res.status !== 400) process.exit(3);
  }
}

if (args.includes('--callback-error')) {
  const params = new URL(url).searchParams;
  const callback = new URL(params.get('redirect_uri'));
  callback.searchParams.set('error', args[args.indexOf('--callback-error') + 1]);
  callback.searchParams.set('error_description', 'the provider is overloaded');
  callback.searchParams.set('state', params.get('state'));
  const res = await fetch(callback, { redirect: 'manual' });
  log(`error callback: HTTP ${res.status}`);
  process.exit(0);
}

const jar = new Map();
const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
const keepCookies = (res) => {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    jar.set(pair.slice(0, i).trim(), pair.slice(i + 1));
  }
};
const formOf = (html) => {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
  const fields = {};
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]] = m[2];
  // A text field the page filled in (Dex's device page: the user code from the URL).
  for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*type="text"[^>]*value="([^"]*)"/g)) fields[m[1]] = m[2];
  return { action, fields, hasLogin: /name="login"/.test(html), hasUsername: /name="username"/.test(html) };
};

let next = { url, method: 'GET', body: null };
for (let step = 0; step < 20; step += 1) {
  let target = new URL(next.url);
  if (args.includes('--print-callback') && target.pathname === '/callback') {
    (await import('node:fs')).writeFileSync(args[args.indexOf('--print-callback') + 1], target.href);
    log('stopped at the callback');
    process.exit(0);
  }
  if (args.includes('--tamper-state') && target.pathname === '/callback' && target.searchParams.has('state')) {
    target.searchParams.set('state', 'tampered');
    log('tampering with state');
  }
  const headers = { cookie: cookieHeader() };
  if (next.body) headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await fetch(target, { method: next.method, body: next.body, headers, redirect: 'manual' });
  keepCookies(res);
  if (res.status >= 300 && res.status < 400) {
    next = { url: new URL(res.headers.get('location'), target).href, method: 'GET', body: null };
    continue;
  }
  const html = await res.text();
  const form = formOf(html);
  if (!form.action) {
    const refresh = /http-equiv="refresh" content="0;url=([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    if (refresh) log(`sent on to ${refresh}`);
    log(`finished at ${target.origin}${target.pathname} with HTTP ${res.status}`);
    process.exit(res.ok ? 0 : 1);
  }
  const action = new URL(form.action, target).href;
  if (form.hasLogin && args.includes('--deny')) {
    next = { url: action.replace(/\/login$/, '').replace(/\/?$/, '/abort'), method: 'GET', body: null };
    continue;
  }
  const body = new URLSearchParams(form.fields);
  if (form.hasLogin) {
    body.set('login', login);
    body.set('password', password);
    // Keycloak's login form names the field `username`.
    if (form.hasUsername) body.set('username', login);
  }
  next = { url: action, method: 'POST', body: body.toString() };
}
log('too many steps');
process.exit(1);
