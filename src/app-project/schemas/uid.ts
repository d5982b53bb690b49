import { z } from 'zod';

/** HubSpot's rule for component uids (project-parsing-lib: letters, digits, "_", "-", "."; at most 64). */
export const UidSchema = z
  .string()
  .max(64)
  .regex(/^[a-zA-Z0-9_\-.]+$/, 'use only letters, numbers, periods, hyphens and underscores');
