/**
 * `npm run bench`: measures, in one run on this machine, each path's raw limit and Luotsi's own path,
 * and prints each as a ratio (timings drift on shared machines; ratios within one run hold). Writes the
 * results to a JSON file; the last line printed is a one-line summary of every goal.
 *
 *   npm run bench -- --only dispatch,growth,memory,scale-out,submission,report,console --out results.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killChildren } from './child';
import { benchConsole } from './console';
import { benchDispatch, DISPATCH_PATHS, DispatchPath } from './dispatch';
import { BenchRun, formatLine, PathResult, startBench, summaryLine } from './kit';
import { benchReport } from './report';
import { benchSubmission } from './submission';
import { killAll } from '../test/support/processes';

/** `console` also measures `console-pilot` (the pilot page) in the same run. */
const PATHS = [...DISPATCH_PATHS, 'submission', 'report', 'console'] as const;
type PathName = (typeof PATHS)[number];

const print = (line: string) => process.stdout.write(`${line}\n`);

function parseArgs(argv: string[]): { only: Set<PathName>; out: string } {
  let only = new Set<PathName>(PATHS);
  let out = path.join(__dirname, 'results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--only') {
      const names = value()
        .split(',')
        .map((name) => name.trim());
      const unknown = names.filter((name) => !(PATHS as readonly string[]).includes(name));
      if (unknown.length)
        throw new Error(`unknown path(s) ${unknown.join(', ')}; known: ${PATHS.join(', ')}`);
      only = new Set(names as PathName[]);
    } else if (flag === '--out') out = path.resolve(value());
    else throw new Error(`unknown option ${argv[i]}; use --only <paths> and --out <file>`);
  }
  return { only, out };
}

/** Each module of paths, in the fixed order: the dispatch family, submission, report, console. */
function modules(only: Set<PathName>, shown: (result: PathResult) => void) {
  const dispatch = new Set(DISPATCH_PATHS.filter((name) => only.has(name))) as Set<DispatchPath>;
  return [
    { name: 'dispatch', run: (run: BenchRun) => benchDispatch(run, dispatch, shown), on: dispatch.size > 0 },
    { name: 'submission', run: benchSubmission, on: only.has('submission') },
    { name: 'report', run: benchReport, on: only.has('report') },
    { name: 'console', run: benchConsole, on: only.has('console') },
  ].filter((module) => module.on);
}

async function main(): Promise<number> {
  const { only, out } = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const run = await startBench((line) => print(`  · ${line}`));
  const results: PathResult[] = [];
  const printed = new Set<PathResult>();
  const show = (result: PathResult) => {
    printed.add(result);
    print(formatLine(result));
  };
  const crashed: string[] = [];
  const errors: Record<string, string> = {};
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    print('bench: interrupted; cleaning up');
    killChildren();
    killAll();
    void run.close().finally(() => process.exit(130));
  });
  try {
    for (const module of modules(only, show)) {
      const began = Date.now();
      try {
        const measured = await module.run(run);
        for (const result of measured) {
          if (!printed.has(result)) show(result);
          results.push(result);
        }
      } catch (error) {
        if (interrupted) return 130;
        crashed.push(module.name);
        errors[module.name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
        console.error(`bench: ${module.name} crashed:`, error);
      } finally {
        killChildren();
        killAll();
        run.log(`${module.name}: ${Math.round((Date.now() - began) / 1000)} s`);
      }
    }
  } finally {
    await run.close();
  }
  const summary = summaryLine(results, crashed);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        seconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
        machine: {
          cpus: os.cpus().length,
          memoryMb: Math.round(os.totalmem() / 2 ** 20),
          node: process.version,
        },
        only: [...only],
        results,
        crashed: errors,
        summary,
      },
      null,
      2,
    ) + '\n',
  );
  print(`results: ${path.relative(process.cwd(), out)}`);
  print(summary);
  return crashed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    killChildren();
    killAll();
    process.exit(1);
  },
);
