// The lint rules the house relies on, shown to fire: each case plants a few lines in a throwaway project
// and runs the repo's own eslint.config.js over them. A rule switched off or misconfigured fails here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CASES: { rule: string; code: string; line: number }[] = [
  {
    rule: '@typescript-eslint/no-floating-promises',
    code: `async function save(): Promise<void> {}\nexport function onTick(): void {\n  save();\n}\n`,
    line: 3,
  },
  {
    rule: '@typescript-eslint/no-misused-promises',
    code: `async function save(): Promise<void> {}\nexport function onTicks(ticks: number[]): void {\n  ticks.forEach(async () => {\n    await save();\n  });\n}\n`,
    line: 3,
  },
  {
    rule: '@typescript-eslint/switch-exhaustiveness-check',
    code: `type Status = 'ok' | 'failed' | 'timeout';\nexport function label(s: Status): string {\n  switch (s) {\n    case 'ok':\n      return 'done';\n    case 'failed':\n      return 'failed';\n  }\n  return '?';\n}\n`,
    line: 3,
  },
  {
    rule: '@typescript-eslint/method-signature-style',
    code: `export interface Listener {\n  onEvent(name: string): void;\n}\n`,
    line: 2,
  },
  {
    rule: 'no-restricted-syntax',
    code: `export class QuotaError extends Error {\n  readonly limit = 3;\n}\n`,
    line: 1,
  },
  {
    rule: '@typescript-eslint/no-unused-vars',
    code: `export function total(values: number[]): number {\n  const unused = values.length;\n  return values.reduce((a, b) => a + b, 0);\n}\n`,
    line: 2,
  },
];

let dir: string;
let eslint: ESLint;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockside-lint-'));
  const compilerOptions = { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2023'], types: [] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
  CASES.forEach((c, i) => writeFileSync(join(dir, `case-${i}.ts`), c.code));
  const clean = [
    'export class QuotaError extends Error {',
    "  override name = 'QuotaError';",
    '}',
    'export async function save(): Promise<void> {}',
    'export async function run(): Promise<void> {',
    '  await save();',
    '  const [_skipped, kept] = [1, 2];',
    '  void kept;',
    '}',
  ];
  writeFileSync(join(dir, 'clean.ts'), clean.join('\n') + '\n');
  eslint = new ESLint({ cwd: dir, overrideConfigFile: resolve('eslint.config.js') });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('eslint.config.js', () => {
  it.each(CASES.map((c, i) => ({ ...c, file: `case-${i}.ts` })))('$rule fires on its planted mistake', async ({ rule, line, file }) => {
    const [result] = await eslint.lintFiles([join(dir, file)]);
    expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
    expect(result!.messages.map((m) => [m.ruleId, m.line])).toEqual([[rule, line]]);
  });

  it('passes code that awaits its promises, names its error class and marks a skipped value with an underscore', async () => {
    const [result] = await eslint.lintFiles([join(dir, 'clean.ts')]);
    expect(result!.messages).toEqual([]);
  });
});
