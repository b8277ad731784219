// A real OpenID Connect provider (node-oidc-provider) for the single sign-on tests
// (src/accounts/tests/test_sso.py) and the residents' DigiD sign-in through a broker
// (src/portal/tests/test_digid.py); the fixture that starts it is in src/conftest.py. Started by the test fixture with `node provider.mjs`; it
// listens on a free loopback port, prints its issuer URL on one line, and stops when its
// standard input closes (so it never outlives the tests).
//
// Static clients: "wijkteam" (the application under test) and "andere-app" (another application
// of the same provider, for the wrong-audience test), and "mijn-wijkteam" (the residents' portal,
// as a DigiD broker such as Open Inwoner's sees it). Any account id signs in: its e-mail address
// is <id>@gemeente.example; an id of 9 digits is a BSN, given in the claim "bsn" (scope "bsn"),
// and the acr values include DigiD's levels of assurance as Open Forms names them. The login page is replaced by GET /interaction/<uid>?account=<id>&amr=
// <values>&acr=<value>, which finishes the login prompt as that account with those amr/acr claims;
// the same URL without parameters grants the consent prompt. In a browser (the demo and the
// browser journeys) the login prompt without parameters is a small form that asks for the account
// id (a BSN for DigiD) and the level. WIJKTEAM_OIDC_PORTAL_REDIRECT_URIS (comma-separated) adds
// redirect URIs for "mijn-wijkteam"; WIJKTEAM_OIDC_PORT fixes the port (default: a free one).
import './clock.mjs';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

export const REDIRECT_URI = 'http://testserver/account/login/sso/terug/';
export const PORTAL_REDIRECT_URI = 'http://testserver/mijn/inloggen/terug/';
const CLIENTS = [
  { client_id: 'wijkteam', client_secret: 'wijkteam-test-secret', redirect_uris: [REDIRECT_URI] },
  { client_id: 'andere-app', client_secret: 'andere-app-test-secret', redirect_uris: [REDIRECT_URI] },
  {
    client_id: 'mijn-wijkteam',
    client_secret: 'mijn-wijkteam-test-secret',
    redirect_uris: [
      PORTAL_REDIRECT_URI,
      ...(process.env.WIJKTEAM_OIDC_PORTAL_REDIRECT_URIS || '').split(',').filter(Boolean),
    ],
  },
];
const DIGID_LEVELS = [
  'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI',
];

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

async function findAccount(ctx, id) {
  return {
    accountId: id,
    async claims() {
      const bsn = /^[0-9]{9}$/.test(id) ? { bsn: id } : {};
      return { sub: id, email: `${id}@gemeente.example`, email_verified: true, preferred_username: id, ...bsn };
    },
  };
}

async function interaction(provider, ctx) {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const query = new URL(ctx.req.url, 'http://localhost').searchParams;
  let result;
  if (details.prompt.name === 'login' && !query.has('account')) {
    ctx.res.setHeader('Content-Type', 'text/html; charset=utf-8');
    const levels = DIGID_LEVELS.map((level) => `<option value="${level}"${level.endsWith(':Smartcard') ? ' selected' : ''}>${level.split(':').pop()}</option>`);
    ctx.res.end(`<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Test-inlogpagina</title></head>
<body><main><h1>Test-inlogpagina (geen echte DigiD)</h1><form method="get">
<p><label for="account">BSN of gebruiker</label> <input id="account" name="account" required></p>
<p><label for="acr">Niveau</label> <select id="acr" name="acr">${levels.join('')}</select></p>
<p><button type="submit">Inloggen</button></p></form></main></body></html>`);
    return;
  }
  if (details.prompt.name === 'login') {
    const amr = (query.get('amr') || '').split(',').filter(Boolean);
    result = {
      login: {
        accountId: query.get('account') || 'onbekend',
        ...(amr.length ? { amr } : {}),
        ...(query.get('acr') ? { acr: query.get('acr') } : {}),
      },
    };
  } else {
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
}

const server = createServer();
server.listen(Number(process.env.WIJKTEAM_OIDC_PORT || 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: CLIENTS,
    jwks: { keys: [signingKey] },
    cookies: { keys: ['test-only-cookie-key'] },
    findAccount,
    claims: {
      // acr and amr in the openid scope: every ID token says how the user signed in.
      openid: ['sub', 'acr', 'amr', 'auth_time', 'sid'],
      email: ['email', 'email_verified'],
      profile: ['preferred_username'],
      bsn: ['bsn'],
    },
    interactions: { url: (ctx, it) => `/interaction/${it.uid}` },
    features: { devInteractions: { enabled: false } },
    acrValues: ['urn:wijkteam:test:wachtwoord', 'urn:wijkteam:test:mfa', ...DIGID_LEVELS],
    pkce: { required: () => true },
  });
  provider.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path.startsWith('/interaction/')) {
      ctx.respond = false;
      try {
        await interaction(provider, ctx);
      } catch (error) {
        ctx.res.statusCode = 400;
        ctx.res.end(String(error));
      }
      return;
    }
    await next();
  });
  server.on('request', provider.callback());
  process.stdout.write(`${issuer}\n`);
});

// With a fixed port (make demo) it runs until stopped; otherwise it stops when its input closes.
if (!process.env.WIJKTEAM_OIDC_PORT) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
