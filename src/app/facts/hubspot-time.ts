/** HubSpot datetime values arrive as epoch-ms strings or ISO-8601; date-only values as YYYY-MM-DD. */
export function parseHubSpotTime(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value);
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
