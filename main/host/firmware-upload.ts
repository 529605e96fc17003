// The web host's way to add firmware: POST /api/firmware?name=<file name> streams the body into the
// uploads folder, then hands the file to the core exactly as the desktop app hands a dropped file.
// The capture import (capture-upload.ts) stores its uploads the same way.
import { createWriteStream, mkdirSync, renameSync, rmSync, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from './backend';
import { toErrorBody, type Dispatch } from './contract';

export const UPLOAD_PATH = '/api/firmware';
export const DEFAULT_MAX_UPLOAD_BYTES = 8 * 1024 ** 3;

const STATUS_OF: Record<ApiError['code'], number> = {
  'bad-request': 400,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  timeout: 504,
  internal: 500,
};

/** A file name safe on every OS: no folders, no leading dots, no control or reserved characters. */
export function sanitiseFileName(name: string): string | undefined {
  const last = name.split(/[\\/]/).pop() ?? '';
  const cleaned = last
    .replace(/[^A-Za-z0-9._+()@ -]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .slice(0, 200);
  return /[A-Za-z0-9]/.test(cleaned) ? cleaned : undefined;
}

/** `name.bin`, then `name-1.bin`, `name-2.bin`…: an upload never replaces a file already catalogued. */
function freeName(dir: string, name: string): string {
  if (!existsSync(join(dir, name))) return name;
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let i = 1; ; i += 1) {
    const candidate = `${stem}-${i}${ext}`;
    if (!existsSync(join(dir, candidate))) return candidate;
  }
}

class TooLarge extends Error {
  override name = 'TooLarge';
}

function limit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) done(new TooLarge());
      else done(null, chunk);
    },
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

function replyError(res: ServerResponse, e: unknown): void {
  const body = toErrorBody(e);
  reply(res, STATUS_OF[body.code], { error: body });
}

function tooLarge(res: ServerResponse, maxBytes: number): void {
  res.setHeader('Connection', 'close');
  reply(res, 413, { error: { code: 'bad-request', message: `the file is larger than the ${maxBytes} byte limit` } });
}

export interface UploadOptions {
  uploadDir: string;
  dispatch: Dispatch;
  maxBytes?: number;
}

/**
 * Streams the request body into `uploadDir` under the sanitised `?name=`, never replacing a file already
 * there; answers the request itself and resolves undefined when the upload cannot be stored.
 */
export async function receiveUpload(req: IncomingMessage, res: ServerResponse, options: UploadOptions, what: string): Promise<string | undefined> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const url = new URL(req.url ?? '/', 'http://upload.invalid');
  const name = sanitiseFileName(url.searchParams.get('name') ?? '');
  if (name === undefined) {
    req.resume();
    replyError(res, new ApiError('bad-request', `add ?name=<file name> with the ${what} file name`));
    return undefined;
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) {
    tooLarge(res, maxBytes);
    req.destroy();
    return undefined;
  }
  mkdirSync(options.uploadDir, { recursive: true });
  const partial = join(options.uploadDir, `.${name}.${process.pid}.${Date.now()}.part`);
  const out = createWriteStream(partial, { flags: 'wx' });
  try {
    await pipeline(req, limit(maxBytes), out);
  } catch (e) {
    // The file opens asynchronously: removed before its open lands, it would come back empty.
    if (!out.closed) await new Promise<void>((closed) => out.once('close', () => closed()));
    rmSync(partial, { force: true });
    if (e instanceof TooLarge) tooLarge(res, maxBytes);
    // The browser went away mid-upload: nothing to answer, nothing left behind.
    else if (req.destroyed || req.aborted) res.destroy();
    else replyError(res, new ApiError('internal', `could not store the upload: ${(e as Error).message}`));
    return undefined;
  }
  const finalPath = join(options.uploadDir, freeName(options.uploadDir, name));
  renameSync(partial, finalPath);
  return finalPath;
}

/** Answers a stored upload with what the core made of it: `status` on success, the error's own status otherwise. */
export async function replyWith(res: ServerResponse, status: number, work: () => Promise<unknown>): Promise<void> {
  try {
    reply(res, status, await work());
  } catch (e) {
    replyError(res, e);
  }
}

export async function handleFirmwareUpload(req: IncomingMessage, res: ServerResponse, options: UploadOptions): Promise<void> {
  const finalPath = await receiveUpload(req, res, options, 'firmware');
  if (finalPath === undefined) return;
  const version = new URL(req.url ?? '/', 'http://upload.invalid').searchParams.get('version');
  await replyWith(res, 201, () => options.dispatch('firmware.addPath', version ? { path: finalPath, version } : { path: finalPath }));
}
