// Serves the built renderer: known content types, index.html for client routes, no directory
// listings, nothing outside the renderer folder (traversal, encoded dots and symlinks all refused).
import { createReadStream, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, resolve, sep, isAbsolute } from 'node:path';

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dockside</title></head>
<body><h1>Dockside</h1><p>The web host is running, but the user interface is not built yet.
Run <code>npm run build</code> (or <code>node scripts/build.mjs --renderer</code>) and reload.</p></body></html>`;

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(head ? undefined : body);
}

/** Resolves a URL path inside root, or undefined when it would leave root or is not a plain path. */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  if (decoded.split('/').some((segment) => segment === '..')) return undefined;
  const target = resolve(root, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  const rel = relative(root, target);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return target;
}

function statFile(path: string, realRoot: string): Stats | undefined {
  try {
    const real = realpathSync(path);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return undefined;
    const stats = statSync(real);
    return stats.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}

export interface StaticOptions {
  /** Rewrites the app's index.html for this request (the web host puts its session token in it); never cached. */
  page?: (html: string, req: IncomingMessage) => string;
}

export function createStaticHandler(rootDir: string, options: StaticOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const root = resolve(rootDir);
  const index = join(root, 'index.html');
  const realRoot = () => {
    try {
      return realpathSync(root);
    } catch {
      return root;
    }
  };
  const serveFile = (req: IncomingMessage, res: ServerResponse, path: string, stats: Stats) => {
    if (options.page && path === index) return send(res, 200, CONTENT_TYPES['.html']!, options.page(readFileSync(path, 'utf8'), req), req.method === 'HEAD');
    const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
    const hashedAsset = relative(root, path).startsWith(`assets${sep}`);
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': stats.size,
      'Cache-Control': hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(path)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  return (req, res) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', false);
    }
    const urlPath = (req.url ?? '/').split('?')[0] ?? '/';
    const target = resolveInside(root, urlPath);
    if (target === undefined) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
    const rootReal = realRoot();
    const file = urlPath.endsWith('/') ? undefined : statFile(target, rootReal);
    if (file) return serveFile(req, res, target, file);
    // A path without an extension is a client route: the app's index.html answers it.
    if (extname(urlPath) === '') {
      const indexStats = statFile(index, rootReal);
      if (indexStats) return serveFile(req, res, index, indexStats);
      return send(res, 200, 'text/html; charset=utf-8', options.page ? options.page(NOT_BUILT_PAGE, req) : NOT_BUILT_PAGE, head);
    }
    return send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
  };
}
