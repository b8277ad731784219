// A real OpenID Connect provider (node-oidc-provider) for the single sign-on tests
// (src/accounts/tests/test_sso.py). Started by the test fixture with `node provider.mjs`; it
// listens on a free loopback port, prints its issuer URL on one line, and stops when its
// standard input closes (so it never outlives the tests).
//
// Static clients: "wijkteam" (the application under test) and "andere-app" (another application
// of the same provider, for the wrong-audience test). Any account id signs in: its e-mail address
// is <id>@gemeente.example. The login page is replaced by GET /interaction/<uid>?account=<id>&amr=
// <values>&acr=<value>, which finishes the login prompt as that account with those amr/acr claims;
// the same URL without parameters grants the consent prompt.
import './clock.mjs';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

export const REDIRECT_URI = 'http://testserver/account/login/sso/terug/';
const CLIENTS = [
  { client_id: 'wijkteam', client_secret: 'wijkteam-test-secret', redirect_uris: [REDIRECT_URI] },
  { client_id: 'andere-app', client_secret: 'andere-app-test-secret', redirect_uris: [REDIRECT_URI] },
];

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

async function findAccount(ctx, id) {
  return {
    accountId: id,
    async claims() {
      return { sub: id, email: `${id}@gemeente.example`, email_verified: true, preferred_username: id };
    },
  };
}

async function interaction(provider, ctx) {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const query = new URL(ctx.req.url, 'http://localhost').searchParams;
  let result;
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
server.listen(0, '127.0.0.1', () => {
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
    },
    interactions: { url: (ctx, it) => `/interaction/${it.uid}` },
    features: { devInteractions: { enabled: false } },
    acrValues: ['urn:wijkteam:test:wachtwoord', 'urn:wijkteam:test:mfa'],
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

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
