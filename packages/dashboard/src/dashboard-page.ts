import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Options of {@link createDashboardPage}. */
export interface DashboardPageOptions {
  /**
   * Where the page is served.
   * @default '/dashboard'
   */
  basePath?: string;
  /** The built front end; by default the one shipped in this package (`dist/client`). */
  assetsDir?: string | URL;
}

/** The dashboard's page as a Node handler: resolves true when it answered the request. */
export interface DashboardPage {
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
}

interface Asset {
  body: Buffer;
  type: string;
  /** Vite names bundled files by their hash: they never change under one name. */
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  json: 'application/json; charset=utf-8',
};

// The page loads only its own files and talks only to its own origin; nothing frames it.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

async function loadAssets(directory: string): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  const files = await readdir(directory, { recursive: true, withFileTypes: true });
  for (const file of files) {
    if (!file.isFile()) continue;
    const path = join(file.parentPath, file.name);
    const name = relative(directory, path).split(sep).join('/');
    const extension = name.slice(name.lastIndexOf('.') + 1);
    assets.set(name, {
      body: await readFile(path),
      type: TYPES[extension] ?? 'application/octet-stream',
      immutable: name.startsWith('assets/'),
    });
  }
  return assets;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const text = (status: number, body: string, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
  body,
});

function send(response: ServerResponse, { status, headers, body }: Answer, head: boolean): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(head ? undefined : body);
}

/**
 * The dashboard: a prebuilt page (shipped in this package, no build step for the app that serves
 * it) that asks the admin key, keeps it in sessionStorage and reads the admin JSON API
 * ({@link createAdminApi}) of the same origin with it. The page holds no data and no secret: every
 * figure it shows comes from the API, behind the key. Only the files of the build are served.
 * @example
 * const page = createDashboardPage();
 * app.use((req, res, next) => page.handle(req, res).then((done) => done || next(), next));
 */
export function createDashboardPage(options: DashboardPageOptions = {}): DashboardPage {
  const basePath = (options.basePath ?? '/dashboard').replace(/\/$/, '');
  const directory =
    options.assetsDir === undefined
      ? fileURLToPath(new URL('./client/', import.meta.url))
      : options.assetsDir instanceof URL
        ? fileURLToPath(options.assetsDir)
        : options.assetsDir;
  let loading: Promise<Map<string, Asset>> | undefined;
  const assets = (): Promise<Map<string, Asset>> => {
    loading ??= loadAssets(directory).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    async handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
      const { pathname } = url;
      if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return false;
      const head = request.method === 'HEAD';
      if (request.method !== 'GET' && !head) {
        send(response, text(405, 'use GET\n', { allow: 'GET, HEAD' }), head);
        return true;
      }
      // Relative asset URLs resolve under the page only from `/dashboard/`.
      if (pathname === basePath) {
        send(response, text(308, '', { location: `${basePath}/${url.search}` }), head);
        return true;
      }
      let files: Map<string, Asset>;
      try {
        files = await assets();
      } catch {
        send(
          response,
          text(503, 'the dashboard is not built: run `pnpm --filter @switchyard/dashboard build`\n'),
          head,
        );
        return true;
      }
      const name = pathname.slice(basePath.length + 1) || 'index.html';
      const asset = files.get(name);
      if (asset === undefined) {
        send(response, text(404, `no ${name} in the dashboard\n`), head);
        return true;
      }
      const caching = asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
      send(
        response,
        { status: 200, headers: { 'content-type': asset.type, 'cache-control': caching }, body: asset.body },
        head,
      );
      return true;
    },
  };
}
