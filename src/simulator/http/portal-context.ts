import type { Response } from 'express';
import type { Portal } from '../portal/portal';

/** The authenticated portal of an API request (set by the API gate). */
export function portalOf(res: Response): Portal {
  const portal = res.locals.portal as Portal | undefined;
  if (!portal) throw new Error('portalOf called on a route the API gate does not cover');
  return portal;
}
