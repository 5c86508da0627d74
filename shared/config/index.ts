/**
 * Process configuration, read once from the environment and decoded with a Schema.
 * Every variable is listed, with its default, in `.env.example`.
 */
import { Either, ParseResult, Schema } from "effect";

const Port = Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 65535));
const PositiveSeconds = Schema.NumberFromString.pipe(Schema.positive());
const CommaList = Schema.transform(Schema.String, Schema.Array(Schema.String), {
  strict: true,
  decode: (text) =>
    text
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  encode: (items) => items.join(","),
});

const Environment = Schema.Struct({
  PROCURE_DATA_DIR: Schema.optionalWith(Schema.String, { default: () => "data" }),
  DATABASE_URL: Schema.optional(Schema.String.pipe(Schema.pattern(/^postgres(ql)?:\/\//))),
  DATABASE_MAX_CONNECTIONS: Schema.optional(
    Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 100)),
  ),
  PGLITE_PORT: Schema.optionalWith(Port, { default: () => 5433 }),
  SERVICE_HOST: Schema.optionalWith(Schema.String, { default: () => "127.0.0.1" }),
  SERVICE_PORT: Schema.optionalWith(Port, { default: () => 9080 }),
  SERVICE_ADVERTISED_URL: Schema.optional(Schema.String),
  RESTATE_INGRESS_URL: Schema.optionalWith(Schema.String, { default: () => "http://127.0.0.1:8080" }),
  RESTATE_ADMIN_URL: Schema.optionalWith(Schema.String, { default: () => "http://127.0.0.1:9070" }),
  RESTATE_BIND_PORT: Schema.optionalWith(Port, { default: () => 5122 }),
  RESTATE_START_SERVER: Schema.optionalWith(Schema.Literal("true", "false"), { default: () => "true" }),
  RESTATE_REGISTER_DEPLOYMENT: Schema.optionalWith(Schema.Literal("true", "false"), {
    default: () => "true",
  }),
  RESTATE_IDENTITY_KEYS: Schema.optionalWith(CommaList, { default: () => [] }),
  PROCURE_API_KEY: Schema.optional(Schema.String.pipe(Schema.minLength(16))),
  DASHBOARD_HOST: Schema.optionalWith(Schema.String, { default: () => "127.0.0.1" }),
  DASHBOARD_PORT: Schema.optionalWith(Port, { default: () => 3000 }),
  SCRAPE_INTERVAL_SECONDS: Schema.optionalWith(PositiveSeconds, { default: () => 8 * 60 * 60 }),
  SCRAPE_USER_AGENT: Schema.optionalWith(Schema.String, {
    default: () => "procure-price-bot/0.1 (+https://github.com/procure/procure)",
  }),
  SCRAPE_ALLOW_PRIVATE_HOSTS: Schema.optionalWith(CommaList, { default: () => [] }),
  SCRAPE_MIN_HOST_INTERVAL_MS: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.nonNegative()), {
    default: () => 2000,
  }),
  SCRAPE_TIMEOUT_MS: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.positive()), {
    default: () => 15_000,
  }),
  SCRAPE_MAX_RETRIES: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, 10)), {
    default: () => 3,
  }),
  RETRAIN_DEBOUNCE_SECONDS: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.nonNegative()), {
    default: () => 10,
  }),
  DRIFT_TRACKING_SIGNAL: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.positive()), {
    default: () => 4,
  }),
  ALERT_WEBHOOK_URLS: Schema.optionalWith(CommaList, { default: () => [] }),
  ALERT_WEBHOOK_SECRET: Schema.optional(Schema.String.pipe(Schema.minLength(16))),
  RETRY_WINDOW_SECONDS: Schema.optionalWith(PositiveSeconds, { default: () => 900 }),
  RETRY_MAX_INTERVAL_SECONDS: Schema.optionalWith(PositiveSeconds, { default: () => 30 }),
  RECONCILE_INTERVAL_SECONDS: Schema.optionalWith(PositiveSeconds, { default: () => 300 }),
  SALES_EARLIEST_DATE: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/)), {
    default: () => "1990-01-01",
  }),
  SALES_MAX_DAYS_AHEAD: Schema.optionalWith(
    Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, 3660)),
    {
      default: () => 1,
    },
  ),
  ANTHROPIC_API_KEY: Schema.optional(Schema.String),
  ANTHROPIC_BASE_URL: Schema.optional(Schema.String),
  ANALYSIS_TOP_PRODUCTS: Schema.optionalWith(
    Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 200)),
    { default: () => 50 },
  ),
  ANTHROPIC_MODEL: Schema.optionalWith(Schema.String, { default: () => "claude-sonnet-4-5" }),
  ORDER_APPROVAL_TIMEOUT_SECONDS: Schema.optionalWith(PositiveSeconds, { default: () => 14 * 24 * 60 * 60 }),
  ORDER_DELIVERY_GIVE_UP_HOURS: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.positive()), {
    default: () => 72,
  }),
  SMTP_URL: Schema.optional(Schema.String.pipe(Schema.pattern(/^smtps?:\/\//))),
  SMTP_FROM: Schema.optionalWith(Schema.String, { default: () => "procure <orders@localhost>" }),
  LOG_LEVEL: Schema.optionalWith(Schema.Literal("debug", "info", "warn", "error"), { default: () => "info" }),
});

export type Config = Schema.Schema.Type<typeof Environment>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Decodes the given environment (unset and empty variables take their defaults). */
export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(environment).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "",
    ),
  );
  const decoded = Schema.decodeUnknownEither(Environment)(present, { onExcessProperty: "ignore" });
  if (Either.isLeft(decoded)) {
    throw new ConfigError(
      `Invalid environment configuration:\n${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`,
    );
  }
  return decoded.right;
}
