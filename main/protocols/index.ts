// The vehicle protocol decoders by name, so ingest picks one per route or topic.
// (The DJI progress decoder lives beside them in dji-*.ts; it has its own shape.)
import type { Source } from '../../preload/api';
import { decodeAktualizr } from './aktualizr';
import { decodeCarota } from './carota';
import type { Decoder } from './decode-result';
import { decodeEdgehog } from './edgehog';
import { decodeOem } from './oem';

export type { DecodeContext, DecodeError, DecodeResult, Decoder } from './decode-result';

export const decoders: Record<Exclude<Source, 'dji'>, Decoder> = {
  aktualizr: decodeAktualizr,
  carota: decodeCarota,
  edgehog: decodeEdgehog,
  oem: decodeOem,
};
