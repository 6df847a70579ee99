// A real OpenID Connect provider for the single sign-on tests: panva's oidc-provider (npm,
// installed into .oidc/ by `make oidc`), configured with one client and one person whose claims
// name an organisation and a department. Its development login and consent screens are the
// ones the test fills in, exactly as a person would.
//
// Environment: OIDC_PORT (loopback port), OIDC_REDIRECT_URI (the allauth callback),
// OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_PROVIDER_MODULE (path to oidc-provider's index.js).
import { pathToFileURL } from "node:url";

const { default: Provider } = await import(pathToFileURL(process.env.OIDC_PROVIDER_MODULE).href);

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;

const people = {
  ines: {
    email: "ines.idp@portesmer.example",
    email_verified: true,
    name: "Inès Identity",
    organisation: "PORTESMER",
    department: "International Relations",
  },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: [process.env.OIDC_REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "organisation", "department"],
  },
  async findAccount(ctx, id) {
    const person = people[id];
    if (!person) return undefined;
    // The subject is the account id; the other claims are the person's.
    return { accountId: id, async claims() { return { sub: id, ...person }; } };
  },
  // Plain-HTTP loopback: cookies cannot be Secure here.
  cookies: { long: { signed: true, secure: false }, short: { signed: true, secure: false }, keys: ["test-only-cookie-key"] },
});
provider.proxy = false;

provider.listen(port, "127.0.0.1", () => {
  process.stdout.write(`READY ${issuer}\n`);
});
