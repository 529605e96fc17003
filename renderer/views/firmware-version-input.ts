// A firmware version typed by the technician goes into ota_create as firmware_version and is compared
// with what the docks report: only numbers separated by dots ("10.01.0300", "v1.2.0.69") can be.
export const VERSION_MAX_LENGTH = 64;

const VERSION = /^v?\d+(\.\d+)*$/i;

/** Why the text is not a version, in words for the field; undefined when it is one. */
export function versionProblem(text: string): string | undefined {
  const v = text.trim();
  if (v.length > VERSION_MAX_LENGTH) return `A version has at most ${VERSION_MAX_LENGTH} characters.`;
  if (!VERSION.test(v)) return 'A version is numbers separated by dots, e.g. 10.01.0300.';
  return undefined;
}
