import { Signature } from '@hubspot/api-client';
import { signedRequestHeaders, signV1, signV2, signV3, verifyHubSpotSignature } from '../signature';

const clientSecret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const v1Body =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
const url = 'https://www.example.com/webhook_uri';

describe('HubSpot request signatures', () => {
  it('computes v1 exactly as HubSpot documents it', () => {
    expect(signV1({ clientSecret, body: v1Body })).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
  });

  it('computes v2 for a GET and a POST exactly as HubSpot documents it', () => {
    expect(signV2({ clientSecret, method: 'GET', url, body: '' })).toBe('eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e');
    expect(signV2({ clientSecret, method: 'POST', url, body: '{"example_field":"example_value"}' })).toBe('9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900');
  });

  it('computes v3 as an HMAC independent of our code (cross-checked with the official SDK)', () => {
    const body = '{"example_field":"example_value"}';
    const timestamp = 1700000000000;
    expect(signV3({ clientSecret, method: 'POST', url, body, timestamp })).toBe('rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=');
    const sdk = Signature.getSignature('POST', 'v3', { clientSecret, requestBody: body, url, timestamp } as never);
    expect(signV3({ clientSecret, method: 'POST', url, body, timestamp })).toBe(sdk);
  });

  it('decodes the escapes HubSpot decodes before signing v3', () => {
    const timestamp = 1700000000000;
    const encoded = 'https://api.example.com/webhooks%3Fportal=1%2C2';
    const decoded = 'https://api.example.com/webhooks?portal=1,2';
    expect(signV3({ clientSecret, method: 'POST', url: encoded, body: '', timestamp })).toBe(signV3({ clientSecret, method: 'POST', url: decoded, body: '', timestamp }));
  });

  describe('verification', () => {
    const now = 1_800_000_000_000;
    const body = '[{"eventId":7}]';
    const signed = (timestamp: number, secret = clientSecret) => ({
      method: 'POST',
      url,
      rawBody: body,
      headers: Object.fromEntries(
        Object.entries(signedRequestHeaders({ clientSecret: secret, method: 'POST', url, body, timestamp, legacyVersion: 'v1' })).map(([k, v]) => [k.toLowerCase(), v]),
      ),
    });

    it('accepts a fresh v3 signature', () => {
      expect(verifyHubSpotSignature(signed(now - 1000), { clientSecrets: [clientSecret], now })).toEqual({ ok: true, version: 'v3' });
    });

    it('refuses a request 6 minutes old and one 6 minutes in the future', () => {
      expect(verifyHubSpotSignature(signed(now - 6 * 60_000), { clientSecrets: [clientSecret], now }).ok).toBe(false);
      expect(verifyHubSpotSignature(signed(now + 6 * 60_000), { clientSecrets: [clientSecret], now }).ok).toBe(false);
    });

    it('refuses a body that was changed after signing', () => {
      const request = { ...signed(now), rawBody: '[{"eventId":8}]' };
      expect(verifyHubSpotSignature(request, { clientSecrets: [clientSecret], now })).toEqual({ ok: false, reason: 'v3 signature mismatch' });
    });

    it('accepts the previous secret during a rotation', () => {
      expect(verifyHubSpotSignature(signed(now, 'old-secret'), { clientSecrets: ['new-secret', 'old-secret'], now }).ok).toBe(true);
    });

    it('when only a legacy header is sent, refuses it unless the route takes v2, and never takes v1', () => {
      const v1Only = { method: 'POST', url, rawBody: v1Body, headers: { 'x-hubspot-signature': signV1({ clientSecret, body: v1Body }), 'x-hubspot-signature-version': 'v1' } };
      const v2Only = {
        method: 'POST',
        url,
        rawBody: v1Body,
        headers: { 'x-hubspot-signature': signV2({ clientSecret, method: 'POST', url, body: v1Body }), 'x-hubspot-signature-version': 'v2' },
      };
      expect(verifyHubSpotSignature(v1Only, { clientSecrets: [clientSecret], now })).toEqual({ ok: false, reason: 'v3 signature required' });
      expect(verifyHubSpotSignature(v2Only, { clientSecrets: [clientSecret], now })).toEqual({ ok: false, reason: 'v3 signature required' });
      expect(verifyHubSpotSignature(v1Only, { clientSecrets: [clientSecret], now, legacy: 'v2' }).ok).toBe(false);
      expect(verifyHubSpotSignature(v2Only, { clientSecrets: [clientSecret], now, legacy: 'v2' })).toEqual({ ok: true, version: 'v2' });
    });

    it('refuses an unsigned request', () => {
      expect(verifyHubSpotSignature({ method: 'POST', url, rawBody: body, headers: {} }, { clientSecrets: [clientSecret], now })).toEqual({
        ok: false,
        reason: 'no HubSpot signature header',
      });
    });
  });
});
