// A firmware version typed by the technician goes into ota_create as firmware_version and is compared
// with what the docks report: only numbers separated by dots ("10.01.0300", "v1.2.0.69") can be.
import { FIRMWARE_VERSION_MAX_LENGTH as VERSION_MAX_LENGTH, FIRMWARE_VERSION_PATTERN as VERSION } from '../../preload/api';

export { VERSION_MAX_LENGTH };

/** Why the text is not a version, in words for the field; undefined when it is one. */
export function versionProblem(text: string): string | undefined {
  const v = text.trim();
  if (v.length > VERSION_MAX_LENGTH) return `A version has at most ${VERSION_MAX_LENGTH} characters.`;
  if (!VERSION.test(v)) return 'A version is numbers separated by dots, e.g. 10.01.0300.';
  return undefined;
}
