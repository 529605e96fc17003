import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AKTUALIZR_EVENTS } from './aktualizr-events';
import { CAROTA_STATUS } from './carota-status';
import { EDGEHOG_STATUS, EDGEHOG_STATUS_CODE } from './edgehog-status';
import { DOC_PATH, DOCUMENTS, generatedSection, README_PATH, renderMappingTables } from './mapping-doc';
import { DJI_ERROR_CODES } from '../../preload/dji-codes';
import { DJI_SUB_STATUSES, DJI_TASK_STATUSES } from './dji-progress';
import { OEM_EVENTS } from './oem-events';

const doc = readFileSync(DOC_PATH, 'utf8');
const section = generatedSection(doc) ?? '';

describe.each(DOCUMENTS.flatMap((d) => d.sections.map((section) => ({ path: d.path, section }))))('generated section in $path', ({ path, section }) => {
  it(`matches the code's tables (refresh: npx tsx main/protocols/mapping-doc.ts --write)`, () => {
    expect(generatedSection(readFileSync(path, 'utf8'), section)).toBe(section.render());
  });
});

describe('README DJI tables', () => {
  it('list every status, sub-status and error code', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    for (const s of [...DJI_TASK_STATUSES, ...DJI_SUB_STATUSES]) expect(readme).toContain(`| \`${s}\` |`);
    for (const c of DJI_ERROR_CODES.keys()) expect(readme).toContain(`\`${c}\``);
  });
});

describe('docs/vehicle-mapping.md', () => {
  it('holds the tables exactly as the code has them (refresh: npx tsx main/protocols/mapping-doc.ts --write)', () => {
    expect(section).toBe(renderMappingTables());
  });

  it('lists every key of every table in a row of its own', () => {
    const rows = section.split('\n').filter((l) => l.startsWith('| '));
    const hasRow = (...cells: string[]) => rows.some((row) => cells.every((c) => row.includes(`| ${c} |`)));
    for (const type of Object.keys(AKTUALIZR_EVENTS)) expect(hasRow(`\`${type}\``), type).toBe(true);
    for (const [value, s] of Object.entries(CAROTA_STATUS)) expect(hasRow(value, `\`${s.name}\``), s.name).toBe(true);
    for (const status of Object.keys(EDGEHOG_STATUS)) expect(hasRow(`\`${status}\``), status).toBe(true);
    for (const c of Object.keys(EDGEHOG_STATUS_CODE)) expect(hasRow(`\`${c}\``), c).toBe(true);
    for (const [type, byStatus] of Object.entries(OEM_EVENTS)) {
      for (const status of Object.keys(byStatus)) expect(hasRow(`\`${type}\``, `\`${status}\``), `${type} ${status}`).toBe(true);
    }
  });
});
