// Errors about firmware files, as values a technician can read: what happened to which file, never a stack.

export type FirmwareErrorCode = 'not-found' | 'not-a-file' | 'permission' | 'aborted' | 'changed' | 'io';

export class FirmwareError extends Error {
  override readonly name = 'FirmwareError';

  constructor(
    readonly code: FirmwareErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }

  /** Maps a Node errno error (or its bare code) about `path` to a sentence. */
  static fromErrno(path: string, errnoCode: string | undefined, detail?: string): FirmwareError {
    switch (errnoCode) {
      case 'ENOENT':
      case 'ENOTDIR':
        return new FirmwareError('not-found', `${path}: file not found`, path);
      case 'EISDIR':
        return new FirmwareError('not-a-file', `${path} is a folder, not a firmware file`, path);
      case 'EACCES':
      case 'EPERM':
        return new FirmwareError('permission', `${path}: permission denied (this user cannot read the file)`, path);
      case 'ELOOP':
        return new FirmwareError('not-a-file', `${path}: too many symbolic links`, path);
      default:
        return new FirmwareError('io', `${path}: could not read the file (${detail ?? errnoCode ?? 'unknown error'})`, path);
    }
  }

  static aborted(path: string): FirmwareError {
    return new FirmwareError('aborted', `${path}: hashing canceled`, path);
  }
}
