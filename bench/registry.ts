// Every benchmark `npm run bench` knows. A plain list: add yours with one import and one entry.
import { md5Bench } from './md5.bench';
import { cliHashBench } from './cli-hash.bench';
import { serve4Bench, serveBench } from './serve.bench';
import { journalBench } from './journal.bench';
import { replayBench } from './replay.bench';
import { exportBench } from './export.bench';
import { eventsBench } from './events.bench';
import { ingestBench, ingestParseBench } from './ingest.bench';
import { uiBench } from './ui.bench';
import type { Benchmark } from './support';

export const BENCHMARKS: Benchmark[] = [md5Bench, cliHashBench, serveBench, serve4Bench, journalBench, replayBench, exportBench, eventsBench, ingestBench, ingestParseBench, uiBench];
