// Where a test helper may live (README, "Tests"), as a check over the import graph: a room's helpers in
// its `testing/` folder, helpers of several rooms in test-support/, none imported by product code.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';

/** file → the files it imports, all paths relative to the repository root. */
export type ImportGraph = Map<string, string[]>;

const SOURCE_ROOTS = ['main', 'preload', 'renderer', 'sim', 'wire', 'test-support', 'bench', 'e2e', 'scripts'];
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.mjs'];

function sourceFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(root, path);
    return EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.mts') ? [path] : [];
  });
}

export function importGraph(root: string): ImportGraph {
  const files = SOURCE_ROOTS.flatMap((dir) => sourceFiles(root, dir));
  const known = new Set(files);
  const resolve = (from: string, spec: string): string | undefined => {
    const base = normalize(join(dirname(from), spec)).replace(/\.js$/, '');
    return [base, ...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => `${base}/index${ext}`)].find((candidate) => known.has(candidate));
  };
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets = importedFiles
      .filter(({ fileName }) => fileName.startsWith('.'))
      .map(({ fileName }) => resolve(file, fileName))
      .filter((target): target is string => target !== undefined);
    graph.set(file, targets);
  }
  return graph;
}

/** main/<room>/… and sim/<room>/… are rooms of their own; elsewhere the top folder is the room. */
export function roomOf(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'main' || parts[0] === 'sim' ? parts.slice(0, 2).join('/') : parts[0]!;
}

const isTest = (file: string) => /\.(test|spec)\.tsx?$/.test(file);
const isRoomHelper = (file: string) => file.split('/').slice(0, -1).includes('testing');
const isSharedHelper = (file: string) => file.startsWith('test-support/') && !isTest(file);
/** Tests, their helpers, and the benchmarks, which may use the shared helpers too. */
const isTestSide = (file: string) => isTest(file) || isRoomHelper(file) || file.startsWith('test-support/') || file.startsWith('e2e/') || file.startsWith('bench/');
const ownTest = (file: string, importer: string) => importer === file.replace(/\.(tsx?|mts)$/, '.test.$1');

/** Every way the graph breaks the convention, one line each; empty when it holds. */
export function misplacedHelpers(graph: ImportGraph): string[] {
  const importers = new Map<string, string[]>();
  for (const [file, targets] of graph) for (const target of targets) importers.set(target, [...(importers.get(target) ?? []), file]);
  const problems: string[] = [];
  for (const [file, targets] of graph) {
    if (isTestSide(file)) continue;
    for (const target of targets) {
      if (isRoomHelper(target) || isSharedHelper(target) || target.startsWith('e2e/')) problems.push(`${file}: product code imports the test helper ${target}`);
    }
  }
  for (const [file, users] of importers) {
    if (isRoomHelper(file)) {
      const outsiders = users.filter((user) => roomOf(user) !== roomOf(file));
      if (outsiders.length > 0) problems.push(`${file}: used outside ${roomOf(file)} (${outsiders.join(', ')}): move it to test-support/`);
    } else if (isSharedHelper(file)) {
      const rooms = new Set(users.map(roomOf));
      rooms.delete('test-support');
      if (rooms.size === 1) problems.push(`${file}: used by ${[...rooms][0]} only: move it to that room's testing/`);
    } else if (!isTestSide(file)) {
      const others = users.filter((user) => !ownTest(file, user));
      if (others.length > 0 && others.every(isTestSide)) problems.push(`${file}: imported by tests and benchmarks only: a helper belongs in a testing/ folder or test-support/`);
    }
  }
  return problems.sort();
}
