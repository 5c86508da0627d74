/**
 * The `analysis` workflow, keyed by analysis id: the Monitor + Analyst team (shared/agent) run
 * durably. Every LLM call is a `ctx.run` step ("llm monitor turn 1", "llm analyst <id> turn 2")
 * and every tool call a journaled product-object call, so a restarted service resumes without
 * repeating them. Shared handlers `status` and `report` answer while it runs and after.
 */
import * as restate from "@restatedev/restate-sdk";
import { Schema } from "effect";
import { AnalysisLimits, defaultLimits, type AnalysisUsage } from "../../shared/agent/budget.ts";
import type { LlmDriver } from "../../shared/agent/llm.ts";
import { renderMarkdown } from "../../shared/agent/markdown.ts";
import { AnalysisId, type AnalysisMode, type AnalysisReport } from "../../shared/agent/report.ts";
import { runTeam, type TeamPhase } from "../../shared/agent/team.ts";
import type { Outcome, ProductReads } from "../../shared/agent/tools.ts";
import { ProductId } from "../../shared/ids/index.ts";
import type { Config } from "../../shared/config/index.ts";
import {
  findAnalysis,
  recordAnalysisFailure,
  recordAnalysisReport,
  recordAnalysisStart,
} from "../../shared/db/analyses.ts";
import type { Database } from "../../shared/db/connection.ts";
import { listProducts } from "../../shared/db/products.ts";
import type { ServiceDependencies } from "../dependencies.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { checkedKey, schemaInput, serviceOptions, stepRetries } from "../options.ts";
import type { ProductObject } from "../product/index.ts";
import { analysisWorkflowName, productObjectName } from "../registry.ts";
import { createClaudeCall, type ClaudeCall } from "./claude.ts";

export { analysisWorkflowName };

/** Products scanned when the input names none: the first ones by id. */
export const maxScannedProducts = 200;

export const AnalysisInput = Schema.Struct({
  products: Schema.optionalWith(
    Schema.Array(ProductId).pipe(Schema.minItems(1), Schema.maxItems(maxScannedProducts)),
    { exact: true },
  ),
  limits: Schema.optionalWith(Schema.partial(AnalysisLimits), { exact: true }),
});
export type AnalysisInput = typeof AnalysisInput.Type;

export interface AnalysisProgress {
  readonly analysisId: string;
  readonly status: "running" | "completed" | "failed";
  readonly phase: "starting" | TeamPhase | "done";
  readonly mode: AnalysisMode;
  readonly scanned: readonly string[];
  readonly flagged: readonly string[];
  readonly analysed: readonly string[];
  readonly usage: AnalysisUsage | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

export interface AnalysisResult {
  readonly report: AnalysisReport;
  readonly markdown: string;
}

interface AnalysisState {
  progress: AnalysisProgress;
  result: AnalysisResult;
}

/** Retries of one LLM call (network trouble, 429, 5xx) before the analysis fails. */
const llmRetry = { maxRetryAttempts: 5, initialRetryInterval: 1_000, maxRetryInterval: 30_000 };

function analysisKey(ctx: { readonly key: string }): string {
  return checkedKey(ctx, AnalysisId, "analysis id");
}

async function settle(call: Promise<unknown>): Promise<Outcome<unknown>> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    if (error instanceof restate.TerminalError)
      return { ok: false, error: `${error.code}: ${error.message}` };
    throw error;
  }
}

/** The tools' reads: calls to the product object, journaled by Restate. */
function productReads(ctx: restate.WorkflowContext<AnalysisState>): ProductReads {
  const product = (id: string) => ctx.objectClient<ProductObject>({ name: productObjectName }, id);
  return {
    forecast: (id, request) => settle(product(id).forecast(request)),
    bestPrice: (id) => settle(product(id).bestPrice()),
    status: (id) => settle(product(id).status()),
    advice: (id, request) => settle(product(id).advice(request)),
  };
}

/**
 * Claude as a journaled driver: each call is a `ctx.run` step, so a replay answers finished calls
 * from the journal. The client is made on the first call that really goes out, with the model the
 * analysis started with.
 */
function journaledClaude(
  ctx: restate.WorkflowContext<AnalysisState>,
  config: Config,
  model: string,
): LlmDriver {
  let call: ClaudeCall | undefined;
  return (request, step) =>
    ctx.run(
      step,
      () => {
        const apiKey = config.ANTHROPIC_API_KEY;
        if (apiKey === undefined)
          throw new restate.TerminalError(
            "the analysis runs on Claude but ANTHROPIC_API_KEY is no longer set",
          );
        call ??= createClaudeCall({ apiKey, model, baseUrl: config.ANTHROPIC_BASE_URL });
        return call(request);
      },
      llmRetry,
    );
}

/** The products named (once each), or the first ones of the catalogue by id. */
async function productsToScan(db: Database, named: readonly string[] | undefined): Promise<string[]> {
  const ids =
    named ?? (await listProducts(db, { limit: maxScannedProducts, offset: 0 })).map((product) => product.id);
  return [...new Set(ids)];
}

export function createAnalysisWorkflow(deps: ServiceDependencies) {
  const { db, config } = deps;
  return restate.workflow({
    name: analysisWorkflowName,
    handlers: {
      run: restate.handlers.workflow.workflow(
        { input: schemaInput(AnalysisInput) },
        async (
          ctx: restate.WorkflowContext<AnalysisState>,
          input: AnalysisInput,
        ): Promise<AnalysisResult> => {
          const analysisId = analysisKey(ctx);
          const limits = { ...defaultLimits, ...input.limits };
          const startedAt = new Date(await ctx.date.now()).toISOString();
          let progress: AnalysisProgress = {
            analysisId,
            status: "running",
            phase: "starting",
            mode: "offline",
            scanned: input.products ?? [],
            flagged: [],
            analysed: [],
            usage: null,
            startedAt,
            finishedAt: null,
            error: null,
          };
          try {
            const start = await ctx.run(
              "record start",
              async () => {
                const mode: AnalysisMode = config.ANTHROPIC_API_KEY === undefined ? "offline" : "claude";
                const products = await productsToScan(db, input.products);
                await recordAnalysisStart(db, { id: analysisId, mode, products, startedAt });
                return { mode, products, model: mode === "claude" ? config.ANTHROPIC_MODEL : null };
              },
              stepRetries(config, 0.5),
            );
            progress = { ...progress, mode: start.mode, scanned: start.products };
            ctx.set("progress", progress);
            const team = await runTeam({
              productIds: start.products,
              reads: productReads(ctx),
              llm: start.model === null ? null : journaledClaude(ctx, config, start.model),
              limits,
              onProgress: (update) => {
                progress = { ...progress, ...update };
                ctx.set("progress", progress);
              },
            });
            const finishedAt = new Date(await ctx.date.now()).toISOString();
            const report: AnalysisReport = {
              analysisId,
              mode: start.mode,
              model: start.model,
              startedAt,
              finishedAt,
              scanned: start.products,
              ...team,
              limits,
            };
            const result = { report, markdown: renderMarkdown(report) };
            await ctx.run("save report", () => recordAnalysisReport(db, analysisId, result));
            ctx.set("result", result);
            ctx.set("progress", { ...progress, status: "completed", phase: "done", finishedAt });
            return result;
          } catch (error) {
            if (!(error instanceof restate.TerminalError)) throw error;
            const finishedAt = new Date(await ctx.date.now()).toISOString();
            ctx.set("progress", { ...progress, status: "failed", finishedAt, error: error.message });
            // If the database cannot take it now, the reconciler records it later.
            await ctx
              .run(
                "record failure",
                () => recordAnalysisFailure(db, { id: analysisId, error: error.message, finishedAt }),
                stepRetries(config, 0.3),
              )
              .catch((recording: unknown) => {
                if (!(recording instanceof restate.TerminalError)) throw recording;
              });
            throw error;
          }
        },
      ),

      status: restate.handlers.workflow.shared(
        async (ctx: restate.WorkflowSharedContext<AnalysisState>): Promise<AnalysisProgress> => {
          const analysisId = analysisKey(ctx);
          const progress = await ctx.get("progress");
          if (progress !== null && progress.status !== "running") return progress;
          const stored = await ctx.run(
            "load analysis",
            async () => (await findAnalysis(db, analysisId)) ?? null,
          );
          // A run killed after its retries ran out is recorded as failed by the reconciler.
          if (progress !== null) {
            return stored?.status === "failed"
              ? { ...progress, status: "failed", finishedAt: stored.finishedAt, error: stored.error }
              : progress;
          }
          if (stored === null) throw new NotFoundError(`analysis "${analysisId}" does not exist`);
          return {
            analysisId,
            status: stored.status,
            phase: stored.status === "running" ? "starting" : "done",
            mode: stored.mode,
            scanned: stored.products,
            flagged: stored.report?.flagged.map((flag) => flag.productId) ?? [],
            analysed: stored.report?.recommendations.map((recommendation) => recommendation.productId) ?? [],
            usage: stored.report?.usage ?? null,
            startedAt: stored.startedAt,
            finishedAt: stored.finishedAt,
            error: stored.error,
          };
        },
      ),

      report: restate.handlers.workflow.shared(
        async (ctx: restate.WorkflowSharedContext<AnalysisState>): Promise<AnalysisResult> => {
          const analysisId = analysisKey(ctx);
          const result = await ctx.get("result");
          if (result !== null) return result;
          const stored = await ctx.run(
            "load analysis",
            async () => (await findAnalysis(db, analysisId)) ?? null,
          );
          if (stored === null) throw new NotFoundError(`analysis "${analysisId}" does not exist`);
          if (stored.status === "failed")
            throw new ConflictError(`analysis "${analysisId}" failed: ${stored.error}`);
          if (stored.report === null || stored.markdown === null)
            throw new ConflictError(
              `analysis "${analysisId}" is still running: ask again when its status is completed`,
            );
          return { report: stored.report, markdown: stored.markdown };
        },
      ),
    },
    options: serviceOptions,
  });
}

export type AnalysisWorkflow = ReturnType<typeof createAnalysisWorkflow>;
