// Logins and codes a technician reads off the screen and types into a dock or Pilot 2: random, long
// enough, and without characters that look alike (0/O, 1/l/I).
import { randomInt, randomUUID } from 'node:crypto';
import type { BrokerLogin } from '../../preload/api';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function randomText(length: number, alphabet = ALPHABET, pick: (n: number) => number = randomInt): string {
  return Array.from({ length }, () => alphabet[pick(alphabet.length)]).join('');
}

/** 20 characters of 56: about 116 bits, out of reach of guessing over a LAN. */
export function newLogin(prefix: 'dock' | 'vehicles' | 'dockside'): BrokerLogin {
  return { username: `${prefix}-${randomText(4, CODE_ALPHABET).toLowerCase()}`, password: randomText(20) };
}

/** What the technician types into Pilot 2 to bind a dock to the site's organisation. */
export function newBindingCode(): string {
  return randomText(6, CODE_ALPHABET);
}

export function newOrganisationId(): string {
  return randomUUID();
}

/** The Pilot 2 page's path token: the page carries the dock login, so its address is not guessable. */
export function newPageToken(): string {
  return randomText(16);
}
