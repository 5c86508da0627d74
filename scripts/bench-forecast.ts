/**
 * Forecast benchmark runner: fits every series × origin of a prepared benchmark dataset
 * (series.csv, origins.csv; training data only), writes series_id,origin,step,yhat,lo80,hi80 and
 * reports fit+predict time per series and peak memory. Score the output with the benchmark's scorer.
 *
 *   npx tsx scripts/bench-forecast.ts --dataset ../shared/bench/forecast/bench/superstore --out /tmp/f.csv
 *     [--workers 2] [--methods ses,theta] [--combine 0] [--origins 6]
 *
 * --methods restricts the candidates (e.g. one method to benchmark it alone); --combine sets how many
 * of the best candidates the combination averages (0 disables it); --origins sets the backtest origins.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { parse } from "csv-parse/sync";
import {
  fitModel,
  predict,
  periodStart,
  singleMethodNames,
  type FitOptions,
  type Frequency,
  type SingleMethodName,
} from "../shared/forecast/index.ts";

interface Task {
  readonly seriesId: string;
  readonly level: string;
  readonly origin: string;
  readonly start: string;
  readonly values: readonly number[];
  readonly horizon: number;
}

interface TaskResult {
  readonly rows: readonly string[];
  readonly milliseconds: number;
  readonly method: string;
}

interface WorkerInput {
  readonly frequency: Frequency;
  readonly tasks: readonly Task[];
  readonly options: FitOptions;
}

function runTasks({ frequency, tasks, options }: WorkerInput): TaskResult[] {
  return tasks.map((task) => {
    const started = performance.now();
    const model = fitModel(
      { frequency, start: task.start, values: task.values },
      { ...options, horizon: task.horizon },
    );
    const steps = predict(model, task.horizon);
    const milliseconds = performance.now() - started;
    const rows = steps.map(
      (step, index) => `${task.seriesId},${task.origin},${index + 1},${step.mean},${step.lo80},${step.hi80}`,
    );
    return { rows, milliseconds, method: model.method };
  });
}

function readCsv(file: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true });
}

function loadTasks(datasetDir: string): Omit<WorkerInput, "options"> {
  const dataset = JSON.parse(readFileSync(path.join(datasetDir, "dataset.json"), "utf8")) as {
    frequency: string;
  };
  const frequency: Frequency =
    dataset.frequency === "monthly" ? "month" : dataset.frequency === "daily" ? "day" : "week";
  const history = new Map<string, { level: string; dates: string[]; values: number[] }>();
  for (const row of readCsv(path.join(datasetDir, "series.csv"))) {
    const id = row["series_id"]!;
    const entry = history.get(id) ?? { level: row["level"]!, dates: [], values: [] };
    const t = Number(row["t"]);
    entry.dates[t - 1] = row["date"]!;
    entry.values[t - 1] = Number(row["y"]);
    history.set(id, entry);
  }
  const tasks = readCsv(path.join(datasetDir, "origins.csv")).map((row) => {
    const seriesId = row["series_id"]!;
    const entry = history.get(seriesId);
    if (!entry) throw new Error(`origins.csv names unknown series ${seriesId}`);
    return {
      seriesId,
      level: entry.level,
      origin: row["origin"]!,
      start: periodStart(entry.dates[0]!, frequency),
      values: entry.values.slice(0, Number(row["train_end_t"])),
      horizon: Number(row["h"]),
    };
  });
  return { frequency, tasks };
}

/** Workers load this file through tsx's API: a plain worker cannot import TypeScript. */
const workerBootstrap = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) =>
  tsx.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const datasetDir = option("dataset");
  const out = option("out");
  if (!datasetDir || !out) {
    console.error(
      "usage: bench-forecast --dataset DIR --out FILE.csv [--workers N] [--methods a,b,...] [--combine K] [--origins N]",
    );
    process.exit(2);
  }
  const workers = Math.max(1, Number(option("workers") ?? 2));
  const { frequency, tasks } = loadTasks(datasetDir);
  const methods = option("methods")?.split(",");
  const unknown = methods?.filter((method) => !(singleMethodNames as string[]).includes(method));
  if (unknown?.length) {
    console.error(`unknown methods: ${unknown.join(", ")} (known: ${singleMethodNames.join(", ")})`);
    process.exit(2);
  }
  const combine = option("combine");
  const origins = option("origins");
  const options: FitOptions = {
    ...(methods ? { methods: methods as SingleMethodName[] } : {}),
    ...(combine !== undefined ? { combine: Number(combine) } : {}),
    ...(origins !== undefined ? { backtestOrigins: Number(origins) } : {}),
  };
  const started = performance.now();
  const shares = Array.from({ length: workers }, (_, w) => tasks.filter((_, i) => i % workers === w));
  const results = await Promise.all(
    shares.map(
      (share) =>
        new Promise<TaskResult[]>((resolve, reject) => {
          const worker = new Worker(workerBootstrap, {
            eval: true,
            workerData: { frequency, tasks: share, options },
          });
          worker.once("message", resolve);
          worker.once("error", reject);
        }),
    ),
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const ordered = tasks.map((_, i) => results[i % workers]![Math.floor(i / workers)]!);
  writeFileSync(
    out,
    ["series_id,origin,step,yhat,lo80,hi80", ...ordered.flatMap((result) => result.rows)].join("\n") + "\n",
  );
  console.log(`fits: ${tasks.length} (${frequency}), workers: ${workers}, wall ${wallSeconds.toFixed(2)} s`);
  const levels = [...new Set(tasks.map((task) => task.level))];
  for (const level of levels.length > 1 ? ["all", ...levels] : levels) {
    const times = ordered
      .filter((_, i) => level === "all" || tasks[i]!.level === level)
      .map((result) => result.milliseconds)
      .sort((a, b) => a - b);
    const at = (q: number): string =>
      times[Math.min(times.length - 1, Math.floor(times.length * q))]!.toFixed(2);
    const total = times.reduce((sum, ms) => sum + ms, 0) / 1000;
    console.log(
      `${level}: fit+predict ms per series median ${at(0.5)}, p90 ${at(0.9)}, max ${at(1)}; total ${total.toFixed(2)} s (n=${times.length})`,
    );
  }
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  const chosen = new Map<string, number>();
  for (const result of ordered) chosen.set(result.method, (chosen.get(result.method) ?? 0) + 1);
  console.log(
    `chosen methods: ${[...chosen]
      .sort((a, b) => b[1] - a[1])
      .map(([method, count]) => `${method} ${count}`)
      .join(", ")}`,
  );
  console.log(`wrote ${out}`);
}

if (isMainThread) {
  await main();
} else {
  parentPort!.postMessage(runTasks(workerData as WorkerInput));
}
