// The web host's firmware upload: the file's bytes go to POST /api/firmware with upload progress
// (XMLHttpRequest, because fetch still reports no upload progress).
import type { FirmwareInfo } from '../preload/api';
import { ApiCallError } from './api-error';

export function uploadFirmware(
  file: File,
  onProgress?: (sent: number, total: number) => void,
  Xhr: new () => XMLHttpRequest = XMLHttpRequest,
): Promise<FirmwareInfo> {
  return new Promise((resolve, reject) => {
    const xhr = new Xhr();
    xhr.open('POST', `/api/firmware?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiCallError('unavailable', `${file.name}: the upload stopped (the Dockside host is not reachable)`));
    xhr.onload = () => {
      let body: { error?: { code?: string; message?: string } } & Partial<FirmwareInfo>;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        return reject(new ApiCallError('internal', `${file.name}: the host answered ${xhr.status} without a readable body`));
      }
      if (xhr.status === 201) return resolve(body as FirmwareInfo);
      reject(new ApiCallError(body.error?.code ?? 'internal', `${file.name}: ${body.error?.message ?? `the host answered ${xhr.status}`}`));
    };
    xhr.send(file);
  });
}
