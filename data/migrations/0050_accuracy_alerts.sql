-- Forecasts held to account (realized accuracy per product and model) and alerts (rules,
-- episodes, webhook deliveries).

-- One row per product and model: that model's forecast scored against the complete periods sold
-- after it was trained (updated as later uploads add periods).
create table forecast_accuracy (
  product_id        text not null references products (id) on delete cascade,
  model_path        text not null references models (path) on delete cascade,
  first_period      date not null,
  last_period       date not null,
  periods           integer not null check (periods > 0),
  sum_actual        double precision not null,
  sum_error         double precision not null,   -- sum(forecast - actual)
  sum_abs_error     double precision not null,
  sum_squared_error double precision not null,
  inside80          integer not null check (inside80 between 0 and periods),
  scale_absolute    double precision not null check (scale_absolute > 0),
  scale_squared     double precision not null check (scale_squared > 0),
  mase              double precision not null,
  rmsse             double precision not null,
  bias_percent      double precision,            -- null when nothing was sold in the periods
  coverage80        double precision not null,
  tracking_signal   double precision not null,   -- sum(actual - forecast) / mean |error|
  demand_cv         double precision,            -- of the training series, for the XYZ class
  scored_at         timestamptz not null,
  primary key (product_id, model_path)
);

-- Alert rules: for one product, or for every product when product_id is null.
create table alert_rules (
  id          bigint generated always as identity primary key,
  product_id  text references products (id) on delete cascade,
  kind        text not null check (kind in ('price_at_or_below', 'price_drop', 'source_out_of_stock',
                                            'stockout_risk', 'cover_below_lead_time', 'drift')),
  threshold   numeric(14, 4),
  active      boolean not null default true,
  created_at  timestamptz not null default now(),
  check (kind not in ('price_at_or_below', 'price_drop', 'stockout_risk') or threshold is not null)
);
create index alert_rules_product on alert_rules (product_id) where active;

-- Drift alerts are on for every product unless removed (threshold null: DRIFT_TRACKING_SIGNAL).
insert into alert_rules (product_id, kind, threshold) values (null, 'drift', null);

-- One row per episode: raised when the rule's condition became true, resolved when it became false.
create table alerts (
  id           text primary key,                -- from the evaluating invocation's journal
  rule_id      bigint not null references alert_rules (id) on delete cascade,
  product_id   text not null references products (id) on delete cascade,
  kind         text not null,
  subject      text not null,                   -- "product" or "source:<id>"
  message      text not null,
  details      jsonb not null,
  raised_at    timestamptz not null,
  resolved_at  timestamptz,
  resolution   text
);
create unique index alerts_open_episode on alerts (rule_id, product_id, subject) where resolved_at is null;
create index alerts_raised on alerts (raised_at desc);
create index alerts_product on alerts (product_id, raised_at desc);

-- The outcome of each webhook delivery of an alert event.
create table alert_deliveries (
  alert_id      text not null references alerts (id) on delete cascade,
  event         text not null check (event in ('raised', 'resolved')),
  url           text not null,
  status        text not null check (status in ('delivered', 'rejected', 'failed')),
  http_status   integer,
  detail        text,
  finished_at   timestamptz not null,
  primary key (alert_id, event, url)
);
