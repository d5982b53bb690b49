// The funnel dashboard: reads the filters from the URL, fetches the reporting API, renders the flow/stock table and
// one stock-over-time chart per stage. Plain DOM and SVG, no build step; every value is inserted as text, never as
// HTML, because stage labels and reason codes come from admin-edited models and the ledger.

const SVG_NS = 'http://www.w3.org/2000/svg';
const FILTERS = ['portalId', 'from', 'to', 'objectType', 'ownerId'];
const COLUMNS = ['beginning', 'flowIn', 'flowOut', 'ending', 'cvr', 'fastpassed', 'skippedThrough', 'medianDays', 'slaDue', 'slaPastDue'];
const DAY_MS = 86_400_000;

// The browser's locale (undefined = the user's own), so 7000 reads "7,000", "7.000" or "7 000" as they expect.
const formats = {
  count: new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }),
  percent: new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  days: new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  // Report periods are UTC days, so dates are shown in UTC too.
  date: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }),
  shortDate: new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' }),
};
const NO_VALUE = '—';

const elements = {
  form: document.getElementById('filters'),
  portalOptions: document.getElementById('portal-options'),
  report: document.getElementById('report'),
  status: document.getElementById('status'),
  content: document.getElementById('content'),
  accessNote: document.getElementById('access-note'),
  partialNote: document.getElementById('partial-note'),
  periodCaption: document.getElementById('period-caption'),
  summary: document.getElementById('summary'),
  pathRows: document.getElementById('path-rows'),
  detourRows: document.getElementById('detour-rows'),
  charts: document.getElementById('stock-charts'),
};

start();

async function start() {
  const filters = filtersFromUrl();
  fillForm(filters);
  elements.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = filtersFromForm();
    history.replaceState(null, '', `?${new URLSearchParams(chosen)}`);
    showReport(chosen);
  });
  const portals = await knownPortals();
  if (!filters.portalId && portals.length === 1) {
    filters.portalId = String(portals[0]);
    fillForm(filters);
  }
  if (filters.portalId) showReport(filters);
}

// ---- filters ------------------------------------------------------------------------------------------------------

function filtersFromUrl() {
  const params = new URLSearchParams(location.search);
  return Object.fromEntries(FILTERS.flatMap((name) => (params.get(name) ? [[name, params.get(name)]] : [])));
}

function filtersFromForm() {
  const data = new FormData(elements.form);
  return Object.fromEntries(FILTERS.flatMap((name) => (data.get(name) ? [[name, String(data.get(name)).trim()]] : [])));
}

function fillForm(filters) {
  for (const name of FILTERS) if (filters[name]) elements.form.elements[name].value = filters[name];
}

/** Portals with ledger rows, offered as suggestions; an empty list when the server cannot list them. */
async function knownPortals() {
  try {
    const { portals } = await getJson('/api/reports/portals');
    for (const id of portals ?? []) elements.portalOptions.append(new Option(String(id), String(id)));
    return portals ?? [];
  } catch {
    return [];
  }
}

// ---- loading, empty and error states ------------------------------------------------------------------------------

async function showReport(filters) {
  setState('loading', 'Loading report…');
  showPartial(undefined);
  try {
    const query = new URLSearchParams(filters);
    const [funnel, stock] = await Promise.all([getJson(`/api/reports/funnel?${query}`), getJson(`/api/reports/stock-series?${query}`)]);
    showPartial(funnel.partial);
    if (funnel.report.records.ending === 0) {
      const owner = funnel.ownerId ? ` held by owner ${funnel.ownerId}` : '';
      setState('empty', `No ${funnel.objectType} records${owner} in the ledger of portal ${funnel.portalId} up to ${formatPeriodEnd(funnel.period.end)}.`);
      return;
    }
    renderReport(funnel, stock);
    setState('ready', '');
  } catch (error) {
    setState('error', `Could not load the report: ${error.message}`);
  }
}

function setState(state, message) {
  elements.report.dataset.state = state;
  elements.report.setAttribute('aria-busy', String(state === 'loading'));
  elements.form.querySelector('button').disabled = state === 'loading';
  elements.status.textContent = message;
  elements.status.hidden = state === 'ready';
  elements.content.hidden = state !== 'ready';
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const access = response.headers.get('X-Dashboard-Access');
  if (access) showAccessNote(access);
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.message ?? `${response.status} ${response.statusText}`);
  return body;
}

/** While the portal's aggregates are being rebuilt the API says the figures are partial (`partial`): one line says so. */
function showPartial(partial) {
  elements.partialNote.textContent = partial ? `Partial figures: ${partial.message}.` : '';
  elements.partialNote.hidden = !partial;
}

function showAccessNote(access) {
  elements.accessNote.textContent = `Access: ${access}. Anyone on this machine can open this page; set DASHBOARD_TOKEN to require a token.`;
  elements.accessNote.hidden = false;
}

// ---- the report ---------------------------------------------------------------------------------------------------

function renderReport(funnel, stock) {
  const { period, records, churn } = funnel.report;
  const owner = funnel.ownerId ? ` · owner ${funnel.ownerId} (${formats.count.format(funnel.filteredToRecords ?? 0)} records)` : '';
  elements.periodCaption.textContent = `Portal ${funnel.portalId} · ${funnel.objectType === 'company' ? 'companies' : 'contacts'}${owner} · ${formats.date.format(period.start)} – ${formatPeriodEnd(period.end)} (UTC)`;
  elements.summary.replaceChildren(
    ...summaryItem('Records at start', formats.count.format(records.beginning)),
    ...summaryItem('Records at end', formats.count.format(records.ending)),
    ...summaryItem('Churned', formats.count.format(churn.churned)),
    ...summaryItem('Churn rate', churn.rate === null ? NO_VALUE : formats.percent.format(churn.rate), 'churned ÷ customers at period start'),
  );
  elements.pathRows.replaceChildren(...funnel.table.filter((row) => row.kind === 'path').map(tableRow));
  elements.detourRows.replaceChildren(...funnel.table.filter((row) => row.kind !== 'path').map(tableRow));
  elements.charts.replaceChildren(...stock.series.stages.map((stage) => stockChart(stage, stock.series.points)));
}

/** The period end is exclusive; the last day it covers is the one just before it. */
function formatPeriodEnd(end) {
  return formats.date.format(end - 1);
}

function summaryItem(term, value, hint) {
  const dt = element('dt', term);
  const dd = element('dd', value);
  if (hint) dd.title = hint;
  return [dt, dd];
}

function tableRow(row) {
  const tr = document.createElement('tr');
  tr.dataset.stage = row.stageId;
  tr.dataset.line = row.line;
  tr.dataset.kind = row.kind;
  const label = element('th', row.line === 'reason' ? `↳ ${row.label}` : row.label);
  label.scope = 'row';
  if (row.line === 'reason') tr.dataset.reason = row.label;
  tr.append(label);
  for (const column of COLUMNS) {
    const td = element('td', formatCell(column, row[column], row.line));
    td.dataset.measure = column;
    if (column === 'slaPastDue' && row[column] > 0) td.classList.add('past-due');
    tr.append(td);
  }
  return tr;
}

function formatCell(column, value, line) {
  if (value === null) return line === 'reason' ? '' : NO_VALUE;
  if (column === 'cvr') return formats.percent.format(value);
  if (column === 'medianDays') return formats.days.format(value);
  return formats.count.format(value);
}

// ---- stock-over-time charts (one per stage: stocks differ by orders of magnitude) ---------------------------------

const CHART = { width: 280, height: 120, left: 44, right: 8, top: 10, bottom: 22 };

function stockChart(stage, points) {
  const values = points.map((point) => point.stock[stage.stageId] ?? 0);
  const figure = document.createElement('figure');
  figure.className = `chart kind-${stage.kind}`;
  figure.dataset.stage = stage.stageId;
  const last = values[values.length - 1] ?? 0;
  figure.append(element('figcaption', `${stage.label}: ${formats.count.format(last)}`));

  const svg = svgElement('svg', { viewBox: `0 0 ${CHART.width} ${CHART.height}`, role: 'img' });
  const first = points[0]?.at ?? 0;
  const end = points[points.length - 1]?.at ?? first;
  const summary = `${stage.label} stock: ${formats.count.format(values[0] ?? 0)} on ${formats.date.format(first)}, ${formats.count.format(last)} at ${formats.date.format(end)}, peak ${formats.count.format(Math.max(...values, 0))}`;
  svg.append(svgElement('title', {}, summary));

  const top = niceCeiling(Math.max(...values, 1));
  const x = (at) => CHART.left + ((at - first) / Math.max(end - first, DAY_MS)) * (CHART.width - CHART.left - CHART.right);
  const y = (value) => CHART.top + (1 - value / top) * (CHART.height - CHART.top - CHART.bottom);
  const baseline = y(0);

  svg.append(
    svgElement('line', { class: 'axis', x1: CHART.left, x2: CHART.width - CHART.right, y1: baseline, y2: baseline }),
    svgElement('line', { class: 'grid', x1: CHART.left, x2: CHART.width - CHART.right, y1: y(top), y2: y(top) }),
    svgElement('text', { class: 'tick', x: CHART.left - 4, y: y(top) + 4, 'text-anchor': 'end' }, formats.count.format(top)),
    svgElement('text', { class: 'tick', x: CHART.left - 4, y: baseline + 4, 'text-anchor': 'end' }, formats.count.format(0)),
    svgElement('text', { class: 'tick', x: CHART.left, y: CHART.height - 6 }, formats.shortDate.format(first)),
    svgElement('text', { class: 'tick', x: CHART.width - CHART.right, y: CHART.height - 6, 'text-anchor': 'end' }, formats.shortDate.format(end - 1)),
    svgElement('polyline', { class: 'line', points: points.map((point, i) => `${x(point.at).toFixed(1)},${y(values[i]).toFixed(1)}`).join(' ') }),
  );
  figure.append(svg);
  return figure;
}

/** 1, 2 or 5 × 10^n at or above the value, so the axis top reads as a round number. */
function niceCeiling(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * magnitude).find((candidate) => candidate >= value);
}

// ---- DOM helpers --------------------------------------------------------------------------------------------------

function element(tag, text) {
  const node = document.createElement(tag);
  node.textContent = text;
  return node;
}

function svgElement(tag, attributes, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}
