import { randomBytes } from 'node:crypto';
import { ConfigError, parseEnv, redactedConfig, usesSimulator } from '../env';

const key = randomBytes(32).toString('base64');
const oauthEnv = { HUBSPOT_CLIENT_ID: 'client-id', HUBSPOT_CLIENT_SECRET: 'client-secret', PUBLIC_BASE_URL: 'https://lifecycle.example.com', TOKEN_ENCRYPTION_KEY: key };

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    parseEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('auth mode from the environment', () => {
  it('a client id without a static token is an OAuth public app, which is not the simulator', () => {
    const env = parseEnv(oauthEnv);
    expect(env.AUTH_MODE).toBe('oauth');
    expect(usesSimulator(env)).toBe(false);
  });

  it('a static token keeps the private-app mode, client id or not; nothing at all is the simulator', () => {
    expect(parseEnv({ ...oauthEnv, HUBSPOT_ACCESS_TOKEN: 'pat-na1-x', HUBSPOT_PORTAL_ID: '101' }).AUTH_MODE).toBe('static');
    const bare = parseEnv({});
    expect(bare.AUTH_MODE).toBe('static');
    expect(usesSimulator(bare)).toBe(true);
  });

  it('names each missing OAuth setting and how to produce it', () => {
    expect(problems({ HUBSPOT_CLIENT_ID: 'client-id' })).toEqual([
      expect.stringMatching(/^HUBSPOT_CLIENT_SECRET: is required with HUBSPOT_CLIENT_ID/),
      expect.stringMatching(/^OAUTH_REDIRECT_URL: is required .*PUBLIC_BASE_URL/),
      expect.stringMatching(/^TOKEN_ENCRYPTION_KEY: is required .*openssl rand -base64 32/),
    ]);
  });

  it('says how long a bad encryption key is, without echoing it', () => {
    const short = randomBytes(12).toString('base64');
    const found = problems({ ...oauthEnv, TOKEN_ENCRYPTION_KEY: short });
    expect(found).toEqual([expect.stringMatching(/^TOKEN_ENCRYPTION_KEY: must be 32 bytes .* decodes to 12 bytes$/)]);
    expect(found.join('')).not.toContain(short);
    expect(problems({ ...oauthEnv, TOKEN_ENCRYPTION_PREVIOUS_KEYS: 'k0' })).toEqual([expect.stringMatching(/^TOKEN_ENCRYPTION_PREVIOUS_KEYS: must be "id:base64key" pairs/)]);
  });

  it('never shows the encryption keys in the logged configuration', () => {
    const shown = JSON.stringify(redactedConfig(parseEnv({ ...oauthEnv, TOKEN_ENCRYPTION_PREVIOUS_KEYS: `k0:${key}` })));
    expect(shown).not.toContain(key);
    expect(shown).not.toContain('client-secret');
  });
});
