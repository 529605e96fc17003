// The web host's uploads: a file's bytes go to POST /api/firmware or /api/import with upload progress
// (XMLHttpRequest, because fetch still reports no upload progress).
import { SESSION_HEADER, type CallResponse, type FirmwareInfo } from '../preload/api';
import { ApiCallError, callErrorFromBody } from './api-error';
import type { CaptureOptions } from './capture-options';

type Xhr = new () => XMLHttpRequest;

/** How an upload reaches the host: the page's XMLHttpRequest and the host's session token. */
export interface UploadTransport {
  session: string;
  Xhr?: Xhr;
}

function uploadFile<T>(path: string, file: File, okStatus: number, onProgress: ((sent: number, total: number) => void) | undefined, transport: UploadTransport): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new (transport.Xhr ?? XMLHttpRequest)();
    xhr.open('POST', path);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader(SESSION_HEADER, transport.session);
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiCallError('unavailable', `${file.name}: the upload stopped (the Dockside host is not reachable)`));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        return reject(new ApiCallError('internal', `${file.name}: the host answered ${xhr.status} without a readable body`));
      }
      if (xhr.status === okStatus) return resolve(body as T);
      reject(callErrorFromBody((body as { error?: unknown } | null)?.error, `the host answered ${xhr.status}`, `${file.name}: `));
    };
    xhr.send(file);
  });
}

export function uploadFirmware(file: File, onProgress: ((sent: number, total: number) => void) | undefined, transport: UploadTransport): Promise<FirmwareInfo> {
  return uploadFile(`/api/firmware?name=${encodeURIComponent(file.name)}`, file, 201, onProgress, transport);
}

export function uploadCapture(
  file: File,
  options: CaptureOptions,
  onProgress: ((sent: number, total: number) => void) | undefined,
  transport: UploadTransport,
): Promise<CallResponse<'ingest.importPath'>> {
  const query = new URLSearchParams({ name: file.name });
  if (options.protocol) query.set('protocol', options.protocol);
  if (options.device) query.set('device', options.device);
  return uploadFile(`/api/import?${query}`, file, 200, onProgress, transport);
}
