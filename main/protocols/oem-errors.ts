// Error codes anywhere in an OEM event: `errorCodes` ({code, description}), `errorExtras` and `oemErrors`
// ({phaseCode, siteCode, oemCode, targetId}), at any depth (downloadExtras.oemErrors, activationExtras.
// ecuInfo[].errorCodes…). A zero code means "no error": C_16 reports success with an all-zero oemErrors.
import { isObject, kindOf, type Obj } from './fields';
import { malformed } from './malformed';

const CODE_LISTS = new Set(['errorCodes', 'errorExtras', 'oemErrors']);

function nonZero(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return !/^\s*0+\s*$/.test(value);
  return true;
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function describe(entry: unknown, at: string): string | null {
  if (typeof entry === 'number' || typeof entry === 'string') return nonZero(entry) ? `code ${show(entry)}` : null;
  if (!isObject(entry)) return malformed(`${at} is ${kindOf(entry)}, expected an error code object`);
  if ('code' in entry) {
    if (!nonZero(entry.code)) return null;
    return `code ${show(entry.code)}${typeof entry.description === 'string' && entry.description ? ` (${entry.description})` : ''}`;
  }
  const { oemCode, phaseCode, siteCode, targetId } = entry;
  if (![oemCode, phaseCode, siteCode].some(nonZero)) return null;
  const where = [`phase ${show(phaseCode ?? '?')}`, `site ${show(siteCode ?? '?')}`, ...(targetId !== undefined ? [`target ${show(targetId)}`] : [])];
  return `OEM code ${show(oemCode ?? '?')} (${where.join(', ')})`;
}

function collect(value: unknown, at: string, found: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => collect(item, `${at}[${i}]`, found));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const childAt = at === '' ? key : `${at}.${key}`;
    if (CODE_LISTS.has(key) && Array.isArray(child)) {
      child.forEach((entry, i) => {
        const text = describe(entry, `${childAt}[${i}]`);
        if (text !== null) found.push(text);
      });
    } else {
      collect(child, childAt, found);
    }
  }
}

/** Every non-zero error code in the event, in words; empty when the event reports no error. */
export function oemErrorCodes(event: Obj, at: string): string[] {
  const found: string[] = [];
  collect(event, at, found);
  return found;
}
