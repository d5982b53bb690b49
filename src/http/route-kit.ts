import type { Request } from 'express';
import { z } from 'zod';
import { HttpError, type HttpErrorCode } from './errors';
import { rawBodyOf } from './signed-request';

/**
 * The routes' one way to read a request: JSON body, path params and query, each parsed with zod before any use case
 * runs. A refusal is an HttpError 400 whose message names the problem (field by field); `code` is the route's
 * documented code for it (docs/http-errors.md).
 */

/** The raw body (signed routes keep the bytes) as JSON, then the schema. An empty body is `undefined` to the schema. */
export function jsonBody<S extends z.ZodType>(req: Request, schema: S, code: HttpErrorCode = 'invalid_request'): z.infer<S> {
  const raw = rawBodyOf(req);
  let json: unknown;
  if (raw !== '') {
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new HttpError(code, `the body is not valid JSON: ${(error as Error).message}`);
    }
  }
  return parsed(schema, json, code);
}

/** One path parameter. */
export function param<S extends z.ZodType>(req: Request, name: string, schema: S, code: HttpErrorCode = 'invalid_request'): z.infer<S> {
  return parsed(schema, req.params[name], code);
}

/** The query string. */
export function query<S extends z.ZodType>(req: Request, schema: S, code: HttpErrorCode = 'invalid_query'): z.infer<S> {
  return parsed(schema, req.query, code);
}

/** Any value a route reads (a locals object, a computed scope): the same 400 on failure. */
export function parsed<S extends z.ZodType>(schema: S, value: unknown, code: HttpErrorCode): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(code, z.prettifyError(result.error));
  return result.data;
}

/** A check that throws zod errors itself (e.g. a report period's own rules): the same 400 on failure. */
export function checked<T>(code: HttpErrorCode, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof z.ZodError) throw new HttpError(code, z.prettifyError(error));
    throw error;
  }
}
