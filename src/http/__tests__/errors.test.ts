import { Writable } from 'node:stream';
import express, { Router } from 'express';
import pino from 'pino';
import { z } from 'zod';
import { HubSpotError } from '../../app/ports/hubspot-port';
import { createHttpApp } from '../create-http-app';
import { HTTP_ERRORS, HttpError } from '../errors';
import { jsonBody, param, query } from '../route-kit';

/** A backend with routes that fail in each way a route can, served on a free port. */
async function serve(router: Router): Promise<{ url: string; lines: string[]; close: () => Promise<void> }> {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString('utf8')), done()) }));
  const server = createHttpApp({ logger, routers: [router] }).listen(0);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, lines, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const Body = z.strictObject({ reason: z.string().min(1) });

describe('HTTP errors: one table, one middleware', () => {
  let backend: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    const router = Router();
    router.get('/hubspot-down', async () => Promise.reject(new HubSpotError('server', 'HTTP-Code: 503 from http://127.0.0.1:1/crm', 503, 1_500)));
    router.get('/hubspot-down-unknown', () => {
      throw new HubSpotError('network', 'ECONNREFUSED 127.0.0.1', null);
    });
    router.get('/conflict', () => {
      throw new HttpError('busy');
    });
    router.get('/bug', () => {
      throw new Error('SELECT * FROM secrets failed');
    });
    router.get('/hubspot-refused', () => {
      throw new HubSpotError('validation', 'Property values were not valid: internal detail', 400);
    });
    backend = await serve(router);
  });
  afterAll(() => backend.close());

  it('answers a transient HubSpot failure 503 hubspot_unavailable, with Retry-After when HubSpot gave one, and a correlation id instead of the cause', async () => {
    const response = await fetch(`${backend.url}/hubspot-down`);
    const body = (await response.json()) as { error: string; message: string; correlationId: string };
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(body).toEqual({ error: 'hubspot_unavailable', message: HTTP_ERRORS.hubspot_unavailable.message, correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(backend.lines.some((line) => line.includes(body.correlationId) && line.includes('HTTP-Code: 503'))).toBe(true);

    const unknownWait = await fetch(`${backend.url}/hubspot-down-unknown`);
    expect(unknownWait.status).toBe(503);
    expect(unknownWait.headers.get('retry-after')).toBeNull();
    expect(JSON.stringify(await unknownWait.json())).not.toContain('127.0.0.1');
  });

  it('answers an HttpError with the status and default message of its code', async () => {
    const response = await fetch(`${backend.url}/conflict`);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: 'busy', message: HTTP_ERRORS.busy.message });
  });

  it('answers anything else 500 internal_error, with a correlation id and nothing of our insides', async () => {
    const response = await fetch(`${backend.url}/bug`);
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(text).not.toContain('SELECT');
    expect(JSON.parse(text)).toMatchObject({ error: 'internal_error', message: 'internal error' });
  });

  it('never passes on the message of a HubSpot refusal that is not transient (it is our failure: 500)', async () => {
    const response = await fetch(`${backend.url}/hubspot-refused`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('internal detail');
  });

  it('answers an unknown path 404 not_found', async () => {
    const response = await fetch(`${backend.url}/nowhere`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not_found', message: 'no such endpoint' });
  });
});

describe('the route kit: body, params and query parsed with zod, refused with a 400 naming the problem', () => {
  let backend: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    const router = Router();
    router.post('/body', express.raw({ type: () => true }), (req, res) => void res.json(jsonBody(req, Body, 'invalid_request')));
    router.get('/records/:objectId', (req, res) => void res.json({ id: param(req, 'objectId', z.string().regex(/^\d+$/, 'objectId must be numeric'), 'invalid_object_id') }));
    router.get('/query', (req, res) => void res.json(query(req, z.object({ portalId: z.string().regex(/^\d+$/, 'portalId must be numeric') }))));
    backend = await serve(router);
  });
  afterAll(() => backend.close());

  const post = (body: string) => fetch(`${backend.url}/body`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

  it('passes a valid JSON body on, parsed', async () => {
    const response = await post('{"reason":"bounced"}');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ reason: 'bounced' });
  });

  it('refuses a body that is not JSON, saying so', async () => {
    const response = await post('{reason');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', message: expect.stringMatching(/^the body is not valid JSON: /) });
  });

  it('refuses an empty body or one that fails the schema, naming the field', async () => {
    for (const body of ['', '{"reason":""}', '{"reason":"x","extra":1}']) {
      const response = await post(body);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: string; message: string };
      expect(answer.error).toBe('invalid_request');
      expect(answer.message).toMatch(/✖/);
    }
  });

  it("refuses a bad path parameter with the route's code", async () => {
    const response = await fetch(`${backend.url}/records/abc`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_object_id', message: '✖ objectId must be numeric' });
  });

  it('refuses a bad query as invalid_query', async () => {
    const response = await fetch(`${backend.url}/query?portalId=x`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_query', message: '✖ portalId must be numeric\n  → at portalId' });
  });
});
