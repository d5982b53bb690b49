import { z } from 'zod';
import { validationError } from '../domain/simulated-api-error';

/** Parses a request part with zod; failures become HubSpot's 400 VALIDATION_ERROR naming every problem. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path' = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    message: issue.message,
    in: issue.path.length > 0 ? issue.path.join('.') : where,
    code: issue.code.toUpperCase(),
  }));
  throw validationError(`Invalid input JSON on line 1: ${z.prettifyError(result.error).replace(/\n/g, ' ')}`, errors);
}

/** Query values arrive as a string, a repeated key (array) or comma-separated; the SDK repeats keys. */
export const listParam = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) =>
    value === undefined
      ? []
      : (Array.isArray(value) ? value : [value])
          .flatMap((v) => v.split(','))
          .map((v) => v.trim())
          .filter(Boolean),
  );

export const booleanParam = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true');
