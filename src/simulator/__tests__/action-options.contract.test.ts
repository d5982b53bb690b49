import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyHubSpotSignature } from '../../adapters/hubspot/signature';
import type { Harness } from './harness';
import { startHarness } from './harness';

interface Received {
  url: string;
  body: Record<string, unknown>;
  signature: ReturnType<typeof verifyHubSpotSignature>;
}

/** The app's side of "fetch external data fields": records each request and answers by input field name. */
async function startApp(secret: string, now: () => number) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const url = `http://${req.headers.host}${req.url}`;
      const body = JSON.parse(raw) as Record<string, unknown>;
      received.push({ url, body, signature: verifyHubSpotSignature({ method: 'POST', url, rawBody: raw, headers: req.headers }, { clientSecrets: [secret], now: now() }) });
      const field = body['inputFieldName'];
      if (field === 'reason')
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ options: [{ label: 'No budget', value: 'no_budget' }], after: 'p2', searchable: true }));
      else if (field === 'broken') res.writeHead(500).end('boom');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": []}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/actions/recycle/options`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('workflow editor: the options of a custom action input (static, or fetched from the app by optionsUrl)', () => {
  let h: Harness;
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeEach(async () => {
    h = await startHarness();
    app = await startApp(h.sim.portals[0]!.clientSecret, () => h.clock.now());
  });
  afterEach(async () => {
    await app.close();
    await h.sim.stop();
  });

  const register = () => {
    const select = (name: string) => ({ typeDefinition: { name, type: 'enumeration', fieldType: 'select', optionsUrl: app.url }, supportedValueTypes: ['STATIC_VALUE'], isRequired: true });
    const [definition] = h.sim.control.registerActionDefinitions(h.sim.portals[0]!.appId, [
      {
        actionUrl: 'https://app.example/actions/recycle',
        objectTypes: ['CONTACT'],
        inputFields: [
          select('reason'),
          select('broken'),
          select('junk'),
          { typeDefinition: { name: 'kind', type: 'enumeration', fieldType: 'select', options: [{ value: 'nps', label: 'NPS' }] }, supportedValueTypes: ['STATIC_VALUE'], isRequired: true },
        ],
      },
    ]);
    return definition!;
  };

  it("POSTs the documented request, signed like an execution, and reads the app's options", async () => {
    const definition = register();
    const outcome = await h.sim.control.fetchActionInputOptions(101, definition.id, { inputFieldName: 'reason', q: 'bud', inputFields: { note: 'x' } });

    expect(outcome).toMatchObject({ source: 'optionsUrl', status: 200, options: [{ label: 'No budget', value: 'no_budget' }], after: 'p2', searchable: true });
    expect(app.received).toHaveLength(1);
    expect(app.received[0]!.signature).toEqual({ ok: true, version: 'v3' });
    expect(app.received[0]!.body).toEqual({
      origin: { portalId: 101, actionDefinitionId: Number(definition.id), actionDefinitionVersion: 1 },
      objectTypeId: '0-1',
      inputFieldName: 'reason',
      inputFields: { note: 'x' },
      fetchOptions: { q: 'bud' },
    });
  });

  it('answers a static list as declared, and reports an app that fails or answers another shape instead of inventing options', async () => {
    const definition = register();
    expect(await h.sim.control.fetchActionInputOptions(101, definition.id, { inputFieldName: 'kind' })).toEqual({ source: 'static', options: [{ value: 'nps', label: 'NPS' }] });
    expect(await h.sim.control.fetchActionInputOptions(101, definition.id, { inputFieldName: 'broken' })).toMatchObject({ source: 'optionsUrl', status: 500, error: 'HTTP 500: boom' });
    expect(await h.sim.control.fetchActionInputOptions(101, definition.id, { inputFieldName: 'junk' })).toMatchObject({ error: expect.stringMatching(/^the answer is not \{ options/) });
    await expect(h.sim.control.fetchActionInputOptions(101, definition.id, { inputFieldName: 'nope' })).rejects.toThrow(/no input field nope/);
  });
});
