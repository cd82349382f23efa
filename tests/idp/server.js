// A real OpenID Connect provider for kubectl-oidc's end-to-end tests: panva's oidc-provider
// (OpenID Certified), started on 127.0.0.1 with a free port, plus a tiny HTTPS "Kubernetes API"
// that accepts a bearer id_token only if it verifies against this provider's keys.
//
// Usage: node server.js [--tls-cert F --tls-key F] [--id-token-ttl S] [--token-delay-ms MS] [--no-rotation] [--no-revocation]
//        [--device-interval S] [--device-ttl S] [--require-origin ORIGIN] [--reject-scope S] [--hide-pkce]
// --reject-scope S answers an authorization request for scope S with invalid_scope (Cognito and
// offline_access); --hide-pkce leaves code_challenge_methods_supported out of discovery while
// PKCE stays required (Entra ID). stats.last_auth holds the last authorization request's
// parameters (state and nonce left out).
// --require-origin plays Entra ID's single-page-application client: the token endpoint answers
// AADSTS9002327 unless the request carries that Origin header.
// The device flow (RFC 8628) is on; its authorization answer carries `interval` only with
// --device-interval (oidc-provider sends none, so RFC 8628's 5 s applies); --device-ttl sets
// how long a device code lives (default 600 s).
// Prints one JSON line on stdout: {"issuer": ..., "proxy": ...}. The tests' API server is the
// real kube-apiserver (tests/it/common/cluster.rs), not this process.
// `proxy` is a plain HTTP CONNECT proxy (for HTTPS_PROXY tests); stats.proxy lists its tunnels.
// Test hooks (not part of OIDC): GET /__test/stats, POST /__test/fail-next-refresh?mode=M where M
// is invalid_grant or html (the refresh fails), or one of TAMPER below (the refresh succeeds at
// the provider, which rotates the refresh token, but the id_token in its answer is unusable);
// `malformed-<name>` (MALFORMED below): the refresh succeeds at the provider, but its answer is
// malformed in that way;
// GET /__test/break-discovery?mode=html|garbage breaks the next discovery document;
// GET /__test/override-discovery?FIELD=VALUE... sets fields of every later discovery document
// (a provider whose endpoints point elsewhere); with no query it resets them;
// GET /__test/provider-text?text=T puts T where a provider's words reach the user: the
// error_description of an invalid_grant refresh and of a --reject-scope refusal, and the
// user_code of device authorizations (a hostile or broken provider's text);
// GET /__test/slow-down-next answers the next device-code poll with slow_down;
// GET /__test/slow-down-next?error=expired_token with that error instead (a code the provider
// expired before its announced lifetime).
// GET /__test/token-delay?ms=N makes every later token request wait N ms (--token-delay-ms).
// GET /__test/ttl?seconds=S sets the lifetime of the tokens issued from then on.
// PKCE on the device flow, as some providers take it: a code_challenge (S256) sent to
// /device/auth binds the device code, whose token request must then carry the matching
// code_verifier (invalid_grant otherwise); stats.device_pkce counts the verified polls.
// Machines: client `ci` (secret `ci-secret`) has the client credentials grant, answered with a
// JWT access token for audience `kubernetes` (oidc-provider's resource indicators);
// --jwt-access-tokens gives client `kubernetes` JWT access tokens for that audience too (as
// providers whose access token is what the cluster validates). Token exchange (RFC 8693,
// which oidc-provider does not implement) is served here: the subject token must be a JWT of
// the test CI issuer (GET /__test/ci-token?sub=S mints one, as a CI system would); the answer
// is an id_token of this provider for `ci:<sub>`, audience `audience` or the client.
// stats.last_exchange holds the exchange's parameters (the subject token left out);
// stats.last_refresh_token the refresh token the token endpoint issued last.
// --refresh-needs-offline-access issues refresh tokens only for offline_access (Okta, Dex,
// Entra ID).
// The password grant (ROPC, which oidc-provider does not implement) is served here: the
// password of user U is `U-password`; the answer has an id_token signed with the provider's
// key and no refresh token, as legacy IdPs often do.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import * as jose from 'jose';
import Provider from 'oidc-provider';

// stdout carries the one JSON line the harness reads (then it closes the pipe); oidc-provider's
// notices (console.info, e.g. on the device flow's default pages) go to stderr instead.
console.info = (...m) => console.error(...m);

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const tlsCert = opt('--tls-cert');
const tlsKey = opt('--tls-key');
let idTokenTtl = Number(opt('--id-token-ttl', '3600'));
let tokenDelayMs = Number(opt('--token-delay-ms', '0'));
// Refresh tokens rotate on every use (oidc-provider's default for public clients) unless
// --no-rotation: then a refresh token stays valid until it expires.
const rotation = !args.includes('--no-rotation');
// Token revocation (RFC 7009) is on unless --no-revocation.
const revocation = !args.includes('--no-revocation');
const deviceInterval = opt('--device-interval');
const requireOrigin = opt('--require-origin');
const rejectScope = opt('--reject-scope');
const hidePkce = args.includes('--hide-pkce');
const deviceTtl = Number(opt('--device-ttl', '600'));
const jwtAccessTokens = args.includes('--jwt-access-tokens');
const refreshNeedsOffline = args.includes('--refresh-needs-offline-access');
// --groups-overage: Entra ID's answer for a user in more than 200 groups: no groups claim, a
// reference to Microsoft Graph in _claim_names/_claim_sources instead.
const groupsOverage = args.includes('--groups-overage');
// --extra-redirect URI registers client `https-loopback` (public, a web client: oidc-provider
// refuses https loopback URIs of native clients) with that one redirect URI, an https
// loopback callback whose port must match exactly.
const extraRedirect = opt('--extra-redirect');
const tls = tlsCert ? { cert: fs.readFileSync(tlsCert), key: fs.readFileSync(tlsKey) } : null;

const stats = { requests: 0, paths: {}, grants: {}, proxy: { connects: [] } };
let failNextRefresh = null;
let breakDiscovery = null;
let slowDownNext = false;
let discoveryOverride = {};
let providerText = null;
const deviceChallenges = new Map();

const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
// The key of the test CI system whose job tokens token exchange accepts.
const ci = await jose.generateKeyPair('RS256');
const ciIssuer = 'https://ci.example';
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const serverFor = (handler) => (tls ? https.createServer(tls, handler) : http.createServer(handler));

let app = null;
const idp = serverFor((req, res) => app(req, res));
const port = await listen(idp);
const issuer = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'kubernetes',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback'],
      grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: ['code'],
    },
    // A second cluster's client (tests/it/clusters.rs: one user entry, a client per cluster).
    {
      client_id: 'cluster-b',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
    ...(extraRedirect ? [{
      client_id: 'https-loopback',
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      redirect_uris: [extraRedirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    }] : []),
    // Registered as kubelogin's users register their client: its redirect URIs only
    // (http://localhost:8000 and :18000, no path).
    {
      client_id: 'kubelogin',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://localhost:8000', 'http://localhost:18000'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
    // Another application of the same provider, whose tokens no API server should take.
    {
      client_id: 'other-app',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
    {
      client_id: 'ci',
      client_secret: 'ci-secret',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'groups email',
    },
    {
      client_id: 'confidential',
      client_secret: 'test-client-secret',
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [signingJwk] },
  pkce: { required: () => true },
  conformIdTokenClaims: false,
  // Any Origin may call the token endpoint (see --require-origin).
  clientBasedCORS: () => true,
  scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['preferred_username', 'name'],
    groups: ['groups', '_claim_names', '_claim_sources'],
  },
  issueRefreshToken: async (ctx, client, code) => client.grantTypeAllowed('refresh_token')
    && (!refreshNeedsOffline || code.scopes.has('offline_access')),
  rotateRefreshToken: () => rotation,
  ttl: { IdToken: () => idTokenTtl, AccessToken: () => idTokenTtl, Interaction: 600, Session: 3600, Grant: 3600, RefreshToken: 86400, DeviceCode: deviceTtl },
  findAccount: async (ctx, sub) => ({
    accountId: sub,
    claims: async () => ({
      sub,
      email: `${sub}@example.com`,
      email_verified: true,
      preferred_username: sub,
      name: sub,
      ...(groupsOverage ? {
        _claim_names: { groups: 'src1' },
        _claim_sources: { src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${sub}/getMemberObjects` } },
      } : { groups: ['dev', 'ops'] }),
    }),
  }),
  features: {
    devInteractions: { enabled: true },
    revocation: { enabled: revocation },
    deviceFlow: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (ctx, client, oneOf) => oneOf
        || ((client.clientId === 'ci' || jwtAccessTokens) ? 'urn:kubernetes' : undefined),
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope: 'groups email',
        audience: 'kubernetes',
        accessTokenTTL: idTokenTtl,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
});
provider.on('server_error', (ctx, err) => console.error('idp server_error', err));

const readBody = (req) => new Promise((resolve, reject) => {
  let data = '';
  req.setEncoding('utf8');
  req.on('data', (c) => { data += c; });
  req.on('end', () => resolve(data));
  req.on('error', reject);
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// How the id_token of a successful refresh is spoiled, by mode.
const resign = (token, change) => {
  const claims = jose.decodeJwt(token);
  const header = { alg: 'RS256', kid: signingJwk.kid, ...change.header };
  return new jose.SignJWT({ ...claims, ...change.claims }).setProtectedHeader(header).sign(privateKey);
};
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const TAMPER = {
  'no-id-token': async () => undefined,
  'bad-signature': async (t) => t.slice(0, -6) + (t.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA'),
  'alg-none': async (t) => `${b64({ alg: 'none', typ: 'JWT' })}.${t.split('.')[1]}.`,
  'wrong-aud': (t) => resign(t, { claims: { aud: 'someone-else' } }),
  'wrong-iss': (t) => resign(t, { claims: { iss: 'https://evil.example' } }),
  'unknown-kid': (t) => resign(t, { header: { kid: 'rotated-away' } }),
  'expired': (t) => resign(t, { claims: { iat: Math.floor(Date.now() / 1000) - 1200, exp: Math.floor(Date.now() / 1000) - 600 } }),
  // Valid, signed, and good until 10000-01-02 (past what RFC 3339 can write).
  'year-10000': (t) => resign(t, { claims: { exp: 253402400000 } }),
};

// How the answer of a successful refresh is made malformed, by mode (`malformed-<name>`): the
// provider has rotated the refresh token, and the answer still carries it (or not), with
// something else in it that a strict parser refuses. Returns a JSON value, or a string sent as
// is with the given type. stats.malformed_secrets lists every secret the answer carried, so a
// test can check that none of them reaches a message.
const MALFORMED = {
  'expires-in-string': (b) => ({ ...b, expires_in: String(b.expires_in) }),
  'expires-in-word': (b) => ({ ...b, expires_in: 'soon' }),
  'expires-in-huge': (b) => ({ ...b, expires_in: 1e300 }),
  'expires-in-negative': (b) => ({ ...b, expires_in: -5 }),
  'no-token-type': ({ token_type, ...b }) => b,
  'token-type-number': (b) => ({ ...b, token_type: 7 }),
  'token-type-secret': (b) => ({ ...b, token_type: b.refresh_token }),
  'no-access-token': ({ access_token, ...b }) => b,
  'access-token-number': (b) => ({ ...b, access_token: 12345 }),
  'access-token-object': (b) => ({ ...b, access_token: { value: b.access_token } }),
  'refresh-token-number': (b) => ({ ...b, refresh_token: 42 }),
  'refresh-token-array': (b) => ({ ...b, refresh_token: [b.refresh_token] }),
  'scope-number': (b) => ({ ...b, scope: 1 }),
  'id-token-number': (b) => ({ ...b, id_token: 99 }),
  'id-token-not-jwt': (b) => ({ ...b, id_token: `not-a-jwt-${b.refresh_token}` }),
  'id-token-bad-base64': (b) => ({ ...b, id_token: `${b.id_token.split('.')[0]}.%%%${b.refresh_token}.sig` }),
  'id-token-payload-not-json': (b) => ({ ...b, id_token: `${b.id_token.split('.')[0]}.${Buffer.from(`{"sub":"${b.refresh_token}`).toString('base64url')}.sig` }),
  'id-token-exp-string': async (b) => ({ ...b, id_token: await resign(b.id_token, { claims: { exp: String(Math.floor(Date.now() / 1000) + 600) } }) }),
  'id-token-exp-huge': async (b) => ({ ...b, id_token: await resign(b.id_token, { claims: { exp: 1e300 } }) }),
  'id-token-exp-object': async (b) => ({ ...b, id_token: await resign(b.id_token, { claims: { exp: { at: b.refresh_token } } }) }),
  'id-token-aud-number': async (b) => ({ ...b, id_token: await resign(b.id_token, { claims: { aud: 5 } }) }),
  'id-token-sub-secret-type': async (b) => ({ ...b, id_token: await resign(b.id_token, { claims: { sub: [b.refresh_token] } }) }),
  'truncated': (b) => ['json', JSON.stringify(b).slice(0, JSON.stringify(b).indexOf(b.refresh_token) + 10)],
  'trailing-garbage': (b) => ['json', `${JSON.stringify(b)} ${b.refresh_token}`],
  'array': (b) => [b],
  'string': (b) => b.refresh_token,
  'html': (b) => ['html', `<html><body><p>Welcome! Your session: ${b.refresh_token} token ${b.access_token}</p><pre>${JSON.stringify(b)}</pre></body></html>`],
  'form-encoded': (b) => ['application/x-www-form-urlencoded', new URLSearchParams({ access_token: b.access_token, refresh_token: b.refresh_token, token_type: 'bearer' }).toString()],
  'error-with-tokens': (b) => ({ error: 'server_error', error_description: 'could not finish', refresh_token: b.refresh_token, access_token: b.access_token }),
  'unknown-error-with-tokens': (b) => ({ error: b.refresh_token, access_token: b.access_token }),
};

// The client of a token request: HTTP Basic (client_secret_basic) or the form.
const clientOf = (ctx, body) => {
  const basic = (ctx.get('authorization') || '').replace(/^Basic\s+/i, '');
  const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [];
  return { clientId: basicId || body.client_id, secret: basicSecret || body.client_secret };
};

// ROPC (RFC 6749 §4.3) for the test users: client `kubernetes` (public) or `confidential`.
const passwordGrant = async (ctx, body) => {
  const fail = (status, error, description) => {
    ctx.status = status;
    ctx.body = { error, error_description: description };
  };
  const { clientId, secret } = clientOf(ctx, body);
  if (!(clientId === 'kubernetes' || (clientId === 'confidential' && secret === 'test-client-secret'))) {
    return fail(401, 'invalid_client', 'client authentication failed');
  }
  if (!body.username || body.password !== `${body.username}-password`) {
    return fail(400, 'invalid_grant', 'wrong username or password');
  }
  const scopes = (body.scope || '').split(' ');
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: body.username };
  if (scopes.includes('email')) Object.assign(claims, { email: `${body.username}@example.com`, email_verified: true });
  if (scopes.includes('groups')) claims.groups = ['dev', 'ops'];
  const idToken = await new jose.SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: signingJwk.kid })
    .setIssuer(issuer).setAudience(clientId).setIssuedAt(now).setExpirationTime(now + idTokenTtl)
    .sign(privateKey);
  ctx.body = { access_token: `at-${now}-${Math.random()}`, token_type: 'Bearer', expires_in: idTokenTtl, id_token: idToken, scope: body.scope };
};

// Token exchange (RFC 8693 §2) for clients `ci` (secret) and `kubernetes` (public).
const tokenExchange = async (ctx, body) => {
  const fail = (status, error, description) => {
    ctx.status = status;
    ctx.body = { error, error_description: description };
  };
  const { clientId, secret } = clientOf(ctx, body);
  if (!(clientId === 'kubernetes' || (clientId === 'ci' && secret === 'ci-secret'))) {
    return fail(401, 'invalid_client', 'client authentication failed');
  }
  const { subject_token: subject, ...rest } = body;
  stats.last_exchange = { ...rest, client: clientId };
  let subjectClaims;
  try {
    ({ payload: subjectClaims } = await jose.jwtVerify(subject || '', ci.publicKey, { issuer: ciIssuer }));
  } catch (e) {
    return fail(400, 'invalid_request', `subject_token is not valid: ${e.code || e.message}`);
  }
  const now = Math.floor(Date.now() / 1000);
  const idToken = await new jose.SignJWT({ sub: `ci:${subjectClaims.sub}`, groups: ['ci'] })
    .setProtectedHeader({ alg: 'RS256', kid: signingJwk.kid })
    .setIssuer(issuer).setAudience(body.audience || clientId).setIssuedAt(now).setExpirationTime(now + idTokenTtl)
    .sign(privateKey);
  ctx.body = { access_token: idToken, issued_token_type: 'urn:ietf:params:oauth:token-type:id_token', token_type: 'N_A', expires_in: idTokenTtl };
};

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/ci-token') {
    const now = Math.floor(Date.now() / 1000);
    ctx.body = await new jose.SignJWT({ sub: ctx.query.sub || 'job' })
      .setProtectedHeader({ alg: 'RS256' }).setIssuer(ciIssuer).setAudience('idp')
      .setIssuedAt(now).setExpirationTime(now + 600).sign(ci.privateKey);
    ctx.type = 'text';
    return;
  }
  if (ctx.path === '/__test/stats') {
    ctx.body = stats;
    return;
  }
  if (ctx.path === '/__test/break-discovery') {
    breakDiscovery = ctx.query.mode || 'garbage';
    ctx.body = { ok: true };
    return;
  }
  if (ctx.path === '/.well-known/openid-configuration' && breakDiscovery) {
    const mode = breakDiscovery;
    breakDiscovery = null;
    stats.requests += 1;
    if (mode === 'html') {
      ctx.status = 503;
      ctx.type = 'html';
      ctx.body = '<html><body><h1>503 Service Unavailable</h1></body></html>';
    } else {
      ctx.type = 'json';
      ctx.body = '{"issuer": "' + issuer + '", "authorization_endpoint": 42';
    }
    return;
  }
  if (ctx.path === '/__test/provider-text') {
    providerText = ctx.query.text;
    ctx.body = { ok: true };
    return;
  }
  if (ctx.path === '/__test/override-discovery') {
    discoveryOverride = { ...ctx.query };
    ctx.body = { ok: true };
    return;
  }
  if (ctx.path === '/__test/ttl') {
    idTokenTtl = Number(ctx.query.seconds);
    ctx.body = 'ok';
    return;
  }
  if (ctx.path === '/__test/token-delay') {
    tokenDelayMs = Number(ctx.query.ms);
    ctx.body = { ok: true };
    return;
  }
  if (ctx.path === '/__test/slow-down-next') {
    slowDownNext = ctx.query.error || 'slow_down';
    ctx.body = { ok: true };
    return;
  }
  if (ctx.path === '/__test/fail-next-refresh') {
    failNextRefresh = ctx.query.mode || 'invalid_grant';
    ctx.body = { ok: true };
    return;
  }
  stats.requests += 1;
  stats.paths[ctx.path] = (stats.paths[ctx.path] || 0) + 1;
  if (ctx.path === '/auth') {
    const { state, nonce, ...rest } = ctx.query;
    stats.last_auth = rest;
    // Okta and Dex grant offline_access without prompt=consent, which oidc-provider (following
    // OIDC Core §11) requires: a request without any prompt gets it added.
    if (refreshNeedsOffline && !ctx.query.prompt && (ctx.query.scope || '').split(' ').includes('offline_access')) {
      ctx.query = { ...ctx.query, prompt: 'consent' };
    }
    if (rejectScope && (ctx.query.scope || '').split(' ').includes(rejectScope)) {
      const back = new URL(ctx.query.redirect_uri);
      back.searchParams.set('error', 'invalid_scope');
      back.searchParams.set('error_description', providerText || 'Invalid scope requested');
      back.searchParams.set('state', state);
      ctx.redirect(back.href);
      return;
    }
  }
  // The forms these hooks look at, read once and handed on to oidc-provider.
  let body = null;
  if (ctx.method === 'POST' && (ctx.path === '/token' || ctx.path === '/device/auth')) {
    body = Object.fromEntries(new URLSearchParams(await readBody(ctx.req)));
    ctx.req.body = body;
  }
  const deviceChallenge = ctx.path === '/device/auth' && body && body.code_challenge
    ? { challenge: body.code_challenge, method: body.code_challenge_method }
    : null;
  if (ctx.path === '/token' && body) {
    const grant = body.grant_type || 'none';
    stats.grants[grant] = (stats.grants[grant] || 0) + 1;
    if (tokenDelayMs) await sleep(tokenDelayMs);
    if (requireOrigin && ctx.get('origin') !== requireOrigin) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: "AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests." };
      return;
    }
    if (grant === 'password') {
      await passwordGrant(ctx, body);
      return;
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:token-exchange') {
      await tokenExchange(ctx, body);
      return;
    }
    const bound = grant === 'urn:ietf:params:oauth:grant-type:device_code' && deviceChallenges.get(body.device_code);
    if (bound) {
      const derived = crypto.createHash('sha256').update(body.code_verifier || '').digest('base64url');
      if (bound.method !== 'S256' || derived !== bound.challenge) {
        ctx.status = 400;
        ctx.body = { error: 'invalid_grant', error_description: 'PKCE verification failed' };
        return;
      }
      stats.device_pkce = (stats.device_pkce || 0) + 1;
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code' && slowDownNext) {
      const error = slowDownNext;
      slowDownNext = false;
      if (error === 'slow_down') stats.slow_downs = (stats.slow_downs || 0) + 1;
      ctx.status = 400;
      ctx.body = { error, error_description: `test: ${error}` };
      return;
    }
    const malformed = failNextRefresh && MALFORMED[failNextRefresh.replace(/^malformed-/, '')];
    if (grant === 'refresh_token' && failNextRefresh && failNextRefresh.startsWith('malformed-') && malformed) {
      failNextRefresh = null;
      await next();
      if (ctx.status === 200 && ctx.body && ctx.body.id_token) {
        const answer = ctx.body;
        stats.malformed_secrets = [answer.access_token, answer.refresh_token, answer.id_token].filter(Boolean);
        const out = await malformed(answer);
        if (Array.isArray(out) && typeof out[0] === 'string' && typeof out[1] === 'string') {
          ctx.type = out[0];
          ctx.body = out[1];
        } else {
          ctx.type = 'json';
          ctx.body = JSON.stringify(out);
        }
      }
      return;
    }
    if (grant === 'refresh_token' && TAMPER[failNextRefresh]) {
      const tamper = TAMPER[failNextRefresh];
      failNextRefresh = null;
      await next();
      if (ctx.status === 200 && ctx.body && ctx.body.id_token) {
        const spoiled = await tamper(ctx.body.id_token);
        ctx.body = { ...ctx.body, id_token: spoiled };
        if (spoiled === undefined) delete ctx.body.id_token;
      }
      return;
    }
    if (grant === 'refresh_token' && failNextRefresh) {
      const mode = failNextRefresh;
      failNextRefresh = null;
      if (mode === 'html') {
        ctx.status = 502;
        ctx.type = 'html';
        ctx.body = '<html><body><h1>502 Bad Gateway</h1><p>upstream down</p></body></html>';
      } else {
        ctx.status = 400;
        ctx.body = { error: 'invalid_grant', error_description: providerText || 'test: refresh token revoked' };
      }
      return;
    }
  }
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && ctx.body && ctx.body.refresh_token) {
    stats.last_refresh_token = ctx.body.refresh_token;
  }
  if (ctx.path === '/.well-known/openid-configuration' && ctx.body) {
    ctx.body = { ...ctx.body, ...discoveryOverride };
  }
  if (ctx.path === '/.well-known/openid-configuration' && hidePkce && ctx.body) {
    const { code_challenge_methods_supported, ...rest } = ctx.body;
    ctx.body = rest;
  }
  if (ctx.path === '/device/auth' && ctx.status === 200 && deviceChallenge) {
    deviceChallenges.set(ctx.body.device_code, deviceChallenge);
  }
  if (ctx.path === '/device/auth' && ctx.status === 200 && providerText) {
    ctx.body = { ...ctx.body, user_code: providerText };
  }
  if (ctx.path === '/device/auth' && ctx.status === 200 && deviceInterval) {
    ctx.body = { ...ctx.body, interval: Number(deviceInterval) };
  }
});

app = provider.callback();

// An HTTP proxy that only tunnels (CONNECT), as corporate proxies do; ureq uses CONNECT for
// http and https targets alike.
const proxy = http.createServer((req, res) => { res.statusCode = 405; res.end('CONNECT only\n'); });
proxy.on('connect', (req, client, head) => {
  stats.proxy.connects.push(req.url);
  const [host, port] = req.url.split(':');
  const upstream = net.connect(Number(port), host, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  const close = () => { client.destroy(); upstream.destroy(); };
  upstream.on('error', close);
  client.on('error', close);
});
const proxyPort = await listen(proxy);

console.log(JSON.stringify({
  issuer,
  proxy: `http://127.0.0.1:${proxyPort}`,
}));
