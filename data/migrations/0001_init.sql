-- procure schema, version 1: catalogue, sources, sales, prices, models, analyses.

create table products (
  id              text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  sku             text not null unique check (length(sku) between 1 and 64),
  name            text not null check (length(name) between 1 and 300),
  category        text,
  sub_category    text,
  stock           integer not null default 0 check (stock >= 0),
  lead_time_days  integer not null default 7 check (lead_time_days between 0 and 365),
  unit_cost       numeric(14, 4) check (unit_cost >= 0),
  currency        char(3) not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);

create table product_sources (
  id          bigint generated always as identity primary key,
  product_id  text not null references products (id) on delete cascade,
  url         text not null check (url ~ '^https?://'),
  label       text not null,
  active      boolean not null default true,
  created_at  timestamptz not null default now(),
  unique (product_id, url)
);

create table uploads (
  id           text primary key,                -- sha-256 of the file content
  filename     text,
  format       text not null check (format in ('superstore', 'plain')),
  row_count    integer not null check (row_count >= 0),
  new_rows     integer not null check (new_rows >= 0),
  product_count integer not null check (product_count >= 0),
  invocation_id text not null,                  -- the Restate invocation that stored it
  created_at   timestamptz not null default now()
);

create table sales (
  product_id  text not null references products (id) on delete cascade,
  row_key     text not null,                    -- the row's identity in its source file format
  sale_date   date not null,
  quantity    integer not null check (quantity >= 0),
  unit_price  numeric(14, 4) check (unit_price >= 0),
  revenue     numeric(16, 4),
  upload_id   text not null references uploads (id),
  primary key (product_id, row_key)
);
create index sales_product_date on sales (product_id, sale_date);
create index sales_date on sales (sale_date);

create table prices (
  id            bigint generated always as identity primary key,
  attempt_id    text not null unique,           -- idempotency key of one scrape attempt of one source
  product_id    text not null references products (id) on delete cascade,
  source_id     bigint not null references product_sources (id) on delete cascade,
  amount        numeric(14, 4) check (amount > 0),
  currency      char(3) check (currency ~ '^[A-Z]{3}$'),
  availability  text not null default 'unknown' check (availability in ('in_stock', 'out_of_stock', 'unknown')),
  status        text not null check (status in ('ok', 'not_found', 'blocked', 'http_error', 'parse_error',
                                                'robots_disallowed', 'not_modified', 'network_error',
                                                'forbidden_address')),
  rule          text,
  http_status   integer,
  detail        text,
  etag          text,
  last_modified text,
  collected_at  timestamptz not null,
  check ((status in ('ok', 'not_modified')) = (amount is not null and currency is not null))
);
create index prices_product_time on prices (product_id, collected_at desc);
create index prices_source_time on prices (source_id, collected_at desc);

create table models (
  id            bigint generated always as identity primary key,
  product_id    text not null references products (id) on delete cascade,
  path          text not null unique,
  trained_at    timestamptz not null,
  method        text not null,
  frequency     text not null,
  window_start  date not null,
  window_end    date not null,
  sales_rows    integer not null,
  metrics       jsonb not null,
  model         jsonb not null                  -- the model itself, so any replica can serve it
);
create index models_product_time on models (product_id, trained_at desc);

-- One row per product whose sales an upload changed: the retrain that upload asked for.
create table retrain_requests (
  upload_id    text not null references uploads (id) on delete cascade,
  product_id   text not null references products (id) on delete cascade,
  status       text not null default 'queued' check (status in ('queued', 'done', 'failed')),
  error        text,
  updated_at   timestamptz not null default now(),
  primary key (upload_id, product_id)
);
create index retrain_requests_product_queued on retrain_requests (product_id) where status = 'queued';

create table analyses (
  id           text primary key,
  status       text not null check (status in ('running', 'completed', 'failed')),
  mode         text not null check (mode in ('claude', 'offline')),
  products     text[] not null default '{}',
  report       jsonb,
  markdown     text,
  error        text,
  started_at   timestamptz not null,
  finished_at  timestamptz
);
