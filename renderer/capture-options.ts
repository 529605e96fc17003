// What the technician may say about a capture file before it is imported: which protocol it holds
// (else each payload's shape tells) and the device for payloads that do not name one.
import type { CallRequest } from '../preload/api';

export type CaptureOptions = Omit<CallRequest<'ingest.importPath'>, 'path'>;
