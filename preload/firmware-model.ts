// Which model a firmware file is for, as far as its name says: DJI packages carry the product in the
// name ("Dock2_…", "M3D_…", "WM265E_…"). A file that plainly names another model is refused for a device;
// a name that says nothing is accepted with a note. Shared by the core and the window.

export interface ModelFamily {
  /** What the technician reads. */
  name: string;
  /** Topology product keys "domain-type-sub_type" of the devices in the family. */
  products: readonly string[];
  /** Matched against the lower-cased file name, between non-alphanumerics. */
  pattern: RegExp;
}

const token = (body: string) => new RegExp(`(?<![a-z0-9])(?:${body})(?![a-z0-9])`);

/** Families whose files a name tells apart; the Cloud API product list gives the keys. */
export const MODEL_FAMILIES: readonly ModelFamily[] = [
  { name: 'DJI Dock 2', products: ['3-2-0'], pattern: token('dock[ _-]?2') },
  { name: 'DJI Dock 3', products: ['3-3-0'], pattern: token('dock[ _-]?3') },
  { name: 'Matrice 3D / 3TD', products: ['0-91-0', '0-91-1'], pattern: token('m3t?d|matrice[ _-]?3t?d') },
  { name: 'Matrice 4D / 4TD', products: ['0-100-0', '0-100-1'], pattern: token('m4t?d|matrice[ _-]?4t?d') },
  { name: 'Matrice 30 / 30T', products: ['0-67-0', '0-67-1'], pattern: token('m30t?|matrice[ _-]?30t?') },
  { name: 'Mavic 3 Enterprise', products: ['0-77-0', '0-77-1', '0-77-2'], pattern: token('wm265[etm]?|m3[etm]|mavic[ _-]?3[etm]?') },
  { name: 'Matrice 300 / 350 RTK', products: ['0-60-0', '0-89-0'], pattern: token('m300|m350|matrice[ _-]?3[05]0') },
];

export type PackageFit = { fit: 'fits'; family: string } | { fit: 'unknown'; note: string } | { fit: 'other-model'; family: string; reason: string };

/** The families a file name names. */
export function familiesOf(fileName: string): ModelFamily[] {
  const name = fileName.toLowerCase();
  return MODEL_FAMILIES.filter((f) => f.pattern.test(name));
}

/**
 * Whether `fileName` is for a device of topology product `productKey` ("3-2-0"), named `model` for people.
 * Unknown when the name names no family we know, or the device's product is unknown.
 */
export function packageFit(fileName: string, productKey: string | undefined, model: string): PackageFit {
  const named = familiesOf(fileName);
  if (named.length === 0) return { fit: 'unknown', note: `${fileName} does not say which model it is for: check it is meant for ${model}` };
  const own = MODEL_FAMILIES.find((f) => productKey !== undefined && f.products.includes(productKey));
  if (own && named.includes(own)) return { fit: 'fits', family: own.name };
  if (!own) return { fit: 'unknown', note: `${fileName} names ${named.map((f) => f.name).join(', ')}; Dockside cannot tell whether that is ${model}` };
  return { fit: 'other-model', family: named[0]!.name, reason: `${fileName} is for ${named.map((f) => f.name).join(', ')}, not ${model}` };
}
