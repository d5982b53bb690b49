/**
 * HubSpot reports a form submission by the form's name (recent_conversion_event_name); rules speak of form kinds.
 * Names are matched by keyword, first match wins; anything else is `other`.
 */
const FORM_KIND_KEYWORDS: ReadonlyArray<[kind: string, pattern: RegExp]> = [
  ['quote_request', /\b(quote|pricing|price)\b/i],
  ['demo_request', /\b(demo|trial)\b/i],
  ['event_registration', /\b(event|webinar|seminar|conference|registration)\b/i],
  ['catalog_request', /\b(catalog|catalogue|brochure)\b/i],
  ['document_request', /\b(download|ebook|e-book|whitepaper|white paper|guide|report|document)\b/i],
  ['contact_us', /\b(contact|inquiry|enquiry|talk to)\b/i],
  ['newsletter', /\b(newsletter|subscribe|subscription)\b/i],
];

export function formKindOf(formName: string | null | undefined): string {
  if (!formName) return 'other';
  const slug = formName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
  // A name that already is a kind (e.g. "demo_request") is taken as is.
  if (FORM_KIND_KEYWORDS.some(([kind]) => kind === slug)) return slug;
  return FORM_KIND_KEYWORDS.find(([, pattern]) => pattern.test(formName))?.[0] ?? 'other';
}
