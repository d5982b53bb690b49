import { join } from 'node:path';
import { AppConfigSchema, backendOrigin, loadAppConfig } from '../app-config';
import { appConfig, REPO_ROOT } from './helpers';

describe('app.json', () => {
  it('the committed app.json is valid', () => {
    expect(loadAppConfig(join(REPO_ROOT, 'app.json')).distribution).toBe('private');
  });

  it('accepts a backend behind a path prefix and drops a trailing slash', () => {
    const config = appConfig({ backendUrl: 'https://apps.example.com/lifecycle/' });
    expect(config.backendUrl).toBe('https://apps.example.com/lifecycle');
    expect(backendOrigin(config)).toBe('https://apps.example.com');
  });

  it.each([
    ['http://lifecycle.example.com', 'must be an https:// URL'],
    ['https://lifecycle.example.com?tenant=1', 'no query string'],
  ])('rejects the backend URL %s', (backendUrl, message) => {
    expect(() => appConfig({ backendUrl })).toThrow(message);
  });

  it('rejects settings it does not know, so a typo is not silently ignored', () => {
    expect(AppConfigSchema.safeParse({ ...appConfig(), backendURL: 'https://x.example.com' }).success).toBe(false);
  });

  it('requires OAuth for marketplace distribution', () => {
    expect(() => appConfig({ distribution: 'marketplace' })).toThrow('marketplace distribution requires oauth auth');
    expect(appConfig({ distribution: 'marketplace', auth: { type: 'oauth' } }).auth.type).toBe('oauth');
  });
});
