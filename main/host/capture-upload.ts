// The web host's way to import a capture: POST /api/import?name=<file>&protocol=<p>&device=<id> streams
// the body into the uploads folder, then hands the file to the core exactly as the desktop app hands a
// picked file to ingest.importPath. The file stays there: refused payloads in the log name it, so the
// technician can go back to the bytes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CALLS } from '../../preload/api';
import { ApiError } from './backend';
import { readableZodError } from '../../preload/transport';
import { receiveUpload, replyWith, type UploadOptions } from './firmware-upload';

export const IMPORT_PATH = '/api/import';

export async function handleCaptureUpload(req: IncomingMessage, res: ServerResponse, options: UploadOptions): Promise<void> {
  const params = new URL(req.url ?? '/', 'http://upload.invalid').searchParams;
  const protocol = params.get('protocol') || undefined;
  const device = params.get('device') || undefined;
  const args = { ...(protocol ? { protocol } : {}), ...(device ? { device } : {}) };
  // Checked before the body is stored, so a request the core would refuse leaves no file behind.
  const checked = CALLS['ingest.importPath'].req.safeParse({ path: 'capture', ...args });
  if (!checked.success) {
    req.resume();
    return replyWith(res, 400, () => Promise.reject(new ApiError('bad-request', `ingest.importPath: ${readableZodError(checked.error)}`)));
  }
  const path = await receiveUpload(req, res, options, 'capture');
  if (path === undefined) return;
  await replyWith(res, 200, () => options.dispatch('ingest.importPath', { path, ...args }));
}
