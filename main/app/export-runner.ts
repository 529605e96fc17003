// Exports started from the window: streamed to a file in the data folder, progress pushed as it goes,
// and (web host) served back for download from /api/exports/<file>.
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ExportProgress, ExportRequest } from '../../preload/api';
import type { Journal } from '../journal/journal';
import { exportCsv } from '../journal/export-csv';
import { exportJsonl } from '../journal/export-jsonl';
import { exportReport } from '../journal/export-report';

const EXTENSIONS = { csv: 'csv', jsonl: 'jsonl', html: 'html' } as const;
const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8', html: 'text/html; charset=utf-8' } as const;
const EXPORT_NAME = /^dockside-(?:[a-z0-9]+(?:-[a-z0-9]+)*-)?\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-[0-9a-f]{8}\.(csv|jsonl|html)$/;
const SITE_CHARS = 40;

/** The site as a file-name part: "Depot North <bay 4>" → "depot-north-bay-4". */
export function siteSlug(site: string | undefined): string {
  return (site ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SITE_CHARS)
    .replace(/^-+|-+$/g, '');
}
const PROGRESS_MS = 200;

export class ExportRunner {
  readonly dir: string;

  constructor(
    dataDir: string,
    private readonly journal: Journal,
    private readonly push: (p: ExportProgress) => void,
  ) {
    this.dir = join(dataDir, 'exports');
  }

  /** Starts the export and returns its id at once; progress and the end arrive as pushes. */
  start(req: ExportRequest): string {
    const exportId = randomUUID();
    const stamp = new Date()
      .toISOString()
      .replace(/[:.]/g, '-')
      .replace(/-\d{3}Z$/, 'Z');
    // The site and the date in the name: a folder of reports from many sites sorts and reads by itself.
    const site = siteSlug(req.site);
    const fileName = `dockside-${site ? `${site}-` : ''}${stamp}-${exportId.slice(0, 8)}.${EXTENSIONS[req.format]}`;
    void this.run(exportId, fileName, req);
    return exportId;
  }

  private async run(exportId: string, fileName: string, req: ExportRequest): Promise<void> {
    const base = { exportId, format: req.format };
    let last = 0;
    let latest = { done: 0, total: 0 };
    const onProgress = (done: number, total: number) => {
      latest = { done, total };
      const now = Date.now();
      if (now - last < PROGRESS_MS) return;
      last = now;
      this.push({ ...base, done, total });
    };
    const final = join(this.dir, fileName);
    const partial = `${final}.part`;
    try {
      mkdirSync(this.dir, { recursive: true });
      const out = createWriteStream(partial);
      await once(out, 'open');
      const opts = { since: req.since, device: req.device, site: req.site, technician: req.technician, customer: req.customer, notes: req.notes, onProgress };
      if (req.format === 'csv') await exportCsv(this.journal, out, opts);
      else if (req.format === 'jsonl') await exportJsonl(this.journal, out, opts);
      else await exportReport(this.journal, out, { ...opts, timeZone: req.timeZone });
      out.end();
      await once(out, 'finish');
      renameSync(partial, final);
      this.push({ ...base, ...latest, fileName, path: final, url: `/api/exports/${fileName}` });
    } catch (e) {
      rmSync(partial, { force: true });
      this.push({ ...base, ...latest, error: `export failed: ${(e as Error).message}` });
    }
  }

  /** GET /api/exports/<file>: only finished exports by their exact generated name. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    if (!url.startsWith('/api/exports/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return true;
    }
    let name: string;
    try {
      name = decodeURIComponent(url.slice('/api/exports/'.length).split('?')[0] ?? '');
    } catch {
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'malformed export name (bad %-encoding)' }));
      return true;
    }
    const match = EXPORT_NAME.exec(name);
    const size = match ? statSync(join(this.dir, name), { throwIfNoEntry: false })?.size : undefined;
    const path = join(this.dir, name);
    if (!match || size === undefined) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'no such export' }));
      return true;
    }
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[match[1] as keyof typeof CONTENT_TYPES],
      'Content-Length': size,
      'Content-Disposition': `attachment; filename="${name}"`,
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(path).pipe(res);
    return true;
  }
}
