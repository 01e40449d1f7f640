import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { AttemptSummary, RequestSummary } from '../src/request-summary.js';
import type { RoutesReport } from '../src/routes-report.js';
import type { SpendReport } from '../src/spend-report.js';

// The admin key lives in this tab's sessionStorage only, and goes out as a Bearer header to this
// origin's /admin API. Everything shown comes from that API; text is set as text, never as HTML.
const STORAGE_KEY = 'switchyard.adminKey';
const API = new URL('../admin/', window.location.href);
const COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d'];

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

class Refused extends Error {}

async function api<T>(path: string, query: Record<string, string> = {}): Promise<T> {
  const url = new URL(path, API);
  for (const [name, value] of Object.entries(query)) if (value !== '') url.searchParams.set(name, value);
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${sessionStorage.getItem(STORAGE_KEY) ?? ''}` },
    cache: 'no-store',
  });
  if (response.status === 401) throw new Refused('the admin key was refused');
  const body = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `${path} answered ${response.status}`);
  return body;
}

type Child = Node | string | number | null | undefined;

function el(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

function fillTable(
  table: HTMLElement,
  { headings, rows, empty = 'nothing yet' }: { headings: string[]; rows: Child[][]; empty?: string },
): void {
  const head = el('thead', {}, el('tr', {}, ...headings.map((heading) => el('th', {}, heading))));
  const body = el('tbody');
  if (rows.length === 0)
    body.append(el('tr', {}, el('td', { colspan: String(headings.length), class: 'muted' }, empty)));
  for (const row of rows) body.append(el('tr', {}, ...row.map((cell) => el('td', {}, cell))));
  table.replaceChildren(head, body);
}

// Set through the CSSOM, which the page's policy allows, unlike a `style` attribute.
function swatch(color: string): HTMLElement {
  const element = el('span', { class: 'swatch' });
  element.style.background = color;
  return element;
}

const usd = (amount: string): string => `$${amount}`;
const ms = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : `${value} ms`;
const nameOf = (group: string | null | undefined): string => group ?? '(none)';
const flags = (request: RequestSummary): string =>
  [
    request.fallback && 'fallback',
    request.escalated && 'escalated',
    request.routeSurprise && 'route surprise',
  ]
    .filter(Boolean)
    .join(', ');

const charts = new Map<string, uPlot>();

function drawChart(groupBy: string, report: SpendReport): void {
  const container = byId(`chart-${groupBy}`);
  charts.get(groupBy)?.destroy();
  const xs = report.buckets.map((start) => Date.parse(start) / 1000);
  // The chart is an edge: plotted as numbers; the exact strings are in the table below it.
  const data: uPlot.AlignedData = [xs, ...report.series.map((series) => series.costUsd.map(Number))];
  const chart = new uPlot(
    {
      width: Math.max(280, container.clientWidth),
      height: 200,
      series: [
        {},
        ...report.series.map((series, index) => ({
          label: nameOf(series.group),
          stroke: COLORS[index % COLORS.length] as string,
          width: 2,
          points: { show: true, size: 4 },
        })),
      ],
      axes: [{}, { size: 70, values: (_chart, values) => values.map((value) => `$${value}`) }],
      legend: { show: false },
    },
    data,
    container,
  );
  charts.set(groupBy, chart);
  fillTable(byId(`spend-${groupBy}`), {
    headings: [groupBy, 'attempts', 'cache hits', 'tokens', 'cost'],
    rows: report.series
      .map((series, index) => [
        swatch(COLORS[index % COLORS.length] as string),
        nameOf(series.group),
        series.summary.attempts,
        series.summary.cacheHits,
        series.summary.promptTokens + series.summary.completionTokens,
        usd(series.summary.costUsd),
      ])
      .map(([swatch, ...cells]) => [el('span', {}, swatch, ' ', cells[0] as string), ...cells.slice(1)]),
    empty: 'no spend in this period',
  });
}

function drawRequests(report: SpendReport): void {
  const container = byId('chart-requests');
  charts.get('requests')?.destroy();
  const xs = report.buckets.map((start) => Date.parse(start) / 1000);
  const chart = new uPlot(
    {
      width: Math.max(280, container.clientWidth),
      height: 200,
      series: [{}, { label: 'requests', stroke: '#111827', fill: 'rgba(37, 99, 235, 0.15)', width: 2 }],
      legend: { show: false },
    },
    [xs, report.requests.perBucket],
    container,
  );
  charts.set('requests', chart);
}

function drawTiles(report: SpendReport): void {
  const { requests, totals, latencyMs } = report;
  const tiles: Array<[string, string, string | number]> = [
    ['requests', 'Requests', requests.total],
    ['spend', 'Spend', usd(totals.costUsd)],
    ['cache-hits', 'Cache hits', requests.cacheHits],
    ['fallbacks', 'Fallbacks', requests.fallbacks],
    ['escalations', 'Escalations', requests.escalations],
    ['route-surprises', 'Route surprises', requests.routeSurprises],
    ['failed', 'Failed', requests.failed],
    ['p50', 'Latency p50', ms(latencyMs.p50)],
  ];
  byId('tiles').replaceChildren(
    ...tiles.map(([id, label, value]) =>
      el(
        'div',
        { class: 'tile', 'data-stat': id },
        el('span', { class: 'label' }, label),
        el('strong', {}, value),
      ),
    ),
  );
  fillTable(byId('latency'), {
    headings: ['attempts', 'p50', 'p90', 'p95', 'p99', 'max'],
    rows: [
      [
        latencyMs.count,
        ms(latencyMs.p50),
        ms(latencyMs.p90),
        ms(latencyMs.p95),
        ms(latencyMs.p99),
        ms(latencyMs.max),
      ],
    ],
  });
  const codes = new Set([...Object.keys(requests.errors), ...Object.keys(requests.attemptFailures)]);
  fillTable(byId('errors'), {
    headings: ['code', 'failed requests', 'failed attempts'],
    rows: [...codes]
      .sort()
      .map((code) => [code, requests.errors[code] ?? 0, requests.attemptFailures[code] ?? 0]),
    empty: 'no errors in this period',
  });
}

function drawRoutes(report: RoutesReport): void {
  byId('store').textContent = `store: ${report.store}`;
  const targets = [...report.routes.flatMap((route) => route.targets), ...report.models];
  const seen = new Set<string>();
  const rows: Child[][] = [];
  for (const target of targets) {
    const id = `${target.provider ?? '?'}/${target.model ?? target.target}`;
    if (seen.has(id)) continue;
    seen.add(id);
    rows.push([
      target.target,
      id,
      el('span', { class: `state ${target.breaker ?? 'closed'}` }, target.breaker ?? 'closed'),
    ]);
  }
  fillTable(byId('breakers'), {
    headings: ['target', 'provider/model', 'breaker'],
    rows: rows,
    empty: 'no targets',
  });
  fillTable(byId('budgets'), {
    headings: ['budget', 'for', 'period', 'spent', 'left', 'of'],
    rows: report.budgets.map((budget) => [
      budget.budget,
      budget.value,
      budget.period,
      usd(budget.spentUsd),
      usd(budget.remainingUsd),
      usd(budget.limitUsd),
    ]),
    empty: 'no budgets configured',
  });
  fillTable(byId('rate-limits'), {
    headings: ['limit', 'for', 'counter', 'used', 'left', 'of', 'resets in'],
    rows: report.rateLimits.map((limit) => [
      limit.limit,
      limit.value,
      limit.window === 'utc-day' ? `${limit.counter} (UTC day)` : limit.counter,
      limit.used,
      limit.remaining,
      limit.allowed,
      limit.resetsInMs === 0 ? '—' : `${Math.ceil(limit.resetsInMs / 1000)} s`,
    ]),
    empty: 'no rate limits configured',
  });
  byId('known-routes').replaceChildren(...report.routes.map((route) => el('option', { value: route.name })));
}

function attemptRow(attempt: AttemptSummary): Child[] {
  return [
    attempt.attempt,
    attempt.target,
    attempt.provider,
    attempt.servedModel === undefined || attempt.servedModel === attempt.model
      ? attempt.model
      : `${attempt.model} → ${attempt.servedModel}`,
    el('span', { class: `outcome ${attempt.outcome}` }, attempt.outcome),
    ms(attempt.latencyMs),
    `${attempt.promptTokens} + ${attempt.completionTokens}`,
    usd(attempt.costUsd) + (attempt.estimated ? ' (estimated)' : ''),
  ];
}

function showTrace(request: RequestSummary): void {
  const panel = byId('trace');
  const table = el('table', { id: 'trace-attempts' });
  fillTable(table, {
    headings: ['#', 'target', 'provider', 'model', 'outcome', 'latency', 'tokens', 'cost'],
    rows: request.attempts.map(attemptRow),
  });
  const facts: Array<[string, string]> = [
    ['time', request.time],
    ['key', nameOf(request.key)],
    ['route', nameOf(request.route)],
    ['outcome', request.outcome],
    [
      'served by',
      request.served === undefined
        ? '—'
        : `${request.served.target} (${request.served.servedModel ?? request.served.model})`,
    ],
    ['flags', flags(request) || 'none'],
    ['cost', usd(request.costUsd)],
  ];
  panel.replaceChildren(
    el('h2', {}, 'Trace of ', el('code', {}, request.requestId)),
    el(
      'dl',
      { class: 'facts' },
      ...facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', { 'data-fact': term }, value)]),
    ),
    table,
    el('button', { type: 'button', id: 'close-trace', class: 'secondary' }, 'Close'),
  );
  panel.hidden = false;
  byId('close-trace').addEventListener('click', () => {
    panel.hidden = true;
  });
  panel.scrollIntoView({ block: 'nearest' });
}

let shown: RequestSummary[] = [];

async function loadRequests(period: { from: string; to: string }): Promise<void> {
  const { requests, total } = await api<{ total: number; requests: RequestSummary[] }>('requests', {
    limit: '50',
    from: period.from,
    to: period.to,
    key: byId<HTMLInputElement>('filter-key').value.trim(),
    route: byId<HTMLInputElement>('filter-route').value.trim(),
    outcome: byId<HTMLSelectElement>('filter-outcome').value,
  });
  shown = requests;
  const table = byId('requests');
  fillTable(table, {
    headings: ['time', 'key', 'route', 'served by', 'outcome', 'attempts', 'flags', 'cost'],
    rows: requests.map((request) => [
      new Date(request.time).toLocaleTimeString(),
      nameOf(request.key),
      nameOf(request.route),
      request.served?.target ?? '—',
      el('span', { class: `outcome ${request.outcome}` }, request.outcome),
      request.attempts.length,
      flags(request),
      usd(request.costUsd),
    ]),
    empty: 'no requests in this period',
  });
  table.querySelectorAll('tbody tr').forEach((row, index) => {
    const request = requests[index];
    if (request === undefined) return;
    row.setAttribute('data-request-id', request.requestId);
    row.setAttribute('tabindex', '0');
    row.classList.add('clickable');
  });
  table.setAttribute('data-total', String(total));
}

async function refresh(): Promise<void> {
  const span = Number(byId<HTMLSelectElement>('period').value);
  const to = Date.now() + 1000;
  const period = { from: new Date(to - span).toISOString(), to: new Date(to).toISOString() };
  const error = byId('app-error');
  try {
    const [byKey, byRoute, byModel, routes] = await Promise.all([
      api<SpendReport>('spend', { groupBy: 'key', ...period }),
      api<SpendReport>('spend', { groupBy: 'route', ...period }),
      api<SpendReport>('spend', { groupBy: 'model', ...period }),
      api<RoutesReport>('routes'),
    ]);
    drawTiles(byKey);
    drawChart('key', byKey);
    drawChart('route', byRoute);
    drawChart('model', byModel);
    drawRequests(byKey);
    drawRoutes(routes);
    byId('known-keys').replaceChildren(
      ...byKey.series.flatMap((series) =>
        series.group === null ? [] : [el('option', { value: series.group })],
      ),
    );
    await loadRequests(period);
    error.hidden = true;
    document.body.setAttribute('data-loaded', new Date().toISOString());
  } catch (caught) {
    if (caught instanceof Refused) return logOut('The admin key was refused. Log in again.');
    error.textContent = `Could not load the dashboard: ${(caught as Error).message}`;
    error.hidden = false;
  }
}

function logOut(message?: string): void {
  sessionStorage.removeItem(STORAGE_KEY);
  byId('app').hidden = true;
  byId('login').hidden = false;
  const error = byId('login-error');
  error.textContent = message ?? '';
  error.hidden = message === undefined;
}

async function logIn(key: string): Promise<void> {
  sessionStorage.setItem(STORAGE_KEY, key);
  try {
    await api<RoutesReport>('routes');
  } catch (caught) {
    logOut(
      caught instanceof Refused
        ? 'Refused: that is not the admin key.'
        : `Could not reach the gateway: ${(caught as Error).message}`,
    );
    return;
  }
  byId('login').hidden = true;
  byId('app').hidden = false;
  await refresh();
}

byId('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byId<HTMLInputElement>('admin-key');
  const key = input.value;
  input.value = '';
  void logIn(key);
});
byId('logout').addEventListener('click', () => logOut());
byId('refresh').addEventListener('click', () => void refresh());
byId('period').addEventListener('change', () => void refresh());
byId('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  void refresh();
});
byId('requests').addEventListener('click', (event) => {
  const row = (event.target as HTMLElement).closest('tr[data-request-id]');
  const request = shown.find((candidate) => candidate.requestId === row?.getAttribute('data-request-id'));
  if (request === undefined) return;
  // The list's copy may be a page old: the trace is read again, whole.
  api<RequestSummary>(`requests/${encodeURIComponent(request.requestId)}`).then(showTrace, () =>
    showTrace(request),
  );
});
byId('requests').addEventListener('keydown', (event) => {
  if (event.key === 'Enter') (event.target as HTMLElement).click();
});

if (sessionStorage.getItem(STORAGE_KEY)) void logIn(sessionStorage.getItem(STORAGE_KEY) as string);
