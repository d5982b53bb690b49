import type { PagesHsmeta } from '../schemas/pages-hsmeta';

/** The app pages component: one entry (Pages.tsx) whose page router serves Funnel, Sync health and Audit. */
export const PAGES_ENTRY = 'Pages';

export function pagesHsmeta(): PagesHsmeta {
  return { uid: 'lifecycle_pages', type: 'pages', config: { entrypoint: `/app/pages/${PAGES_ENTRY}.tsx` } };
}
