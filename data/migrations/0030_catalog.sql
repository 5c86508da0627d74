-- Catalogue import, stored ABC classes and advice snapshots (the read path of the dashboard and
-- of the analysis).

-- Ordering parameters of a product, set by the catalogue import ("if not exists": the orders
-- migration may add the first three first, with the same definitions).
alter table products add column if not exists supplier text check (length(supplier) between 1 and 100);
alter table products add column if not exists min_order_qty integer check (min_order_qty >= 0);
alter table products add column if not exists pack_size integer check (pack_size >= 1);
alter table products add column if not exists service_level double precision
  check (service_level > 0.5 and service_level < 0.9999);
alter table products add column if not exists review_period_days integer
  check (review_period_days between 0 and 365);

-- The dashboard's product list pages through products by name.
create index if not exists products_name_id on products (name, id);

-- One row per catalogue import (keyed by the Restate invocation that stored it), with the products
-- it changed, so a retried invocation finds what it did. A repeated file changes no value, so it
-- changes no product.
create table catalog_imports (
  id                text primary key,
  sha256            text not null,
  filename          text,
  columns           text[] not null,
  row_count         integer not null check (row_count >= 0),
  created_products  integer not null check (created_products >= 0),
  changed_products  text[] not null,
  created_at        timestamptz not null default now()
);

-- ABC class of each product with sales in the window, computed once per sales upload.
create table product_classes (
  product_id    text primary key references products (id) on delete cascade,
  abc           char(1) not null check (abc in ('A', 'B', 'C')),
  sales_value   double precision not null,
  window_end    date not null,
  computed_at   timestamptz not null default now()
);
create index product_classes_abc on product_classes (abc);

-- The latest purchase advice of each product, written by its product object whenever an input
-- of the advice changes (retrain, stock or profile, scrape, catalogue import).
create table advice_snapshots (
  product_id          text primary key references products (id) on delete cascade,
  computed_at         timestamptz not null,
  status              text not null check (status in ('out_of_stock', 'reorder', 'ok', 'no_forecast')),
  error               text,
  stock               integer not null,
  stockout_risk       double precision,
  days_of_cover       double precision,
  order_quantity      integer,
  xyz                 char(1) check (xyz in ('X', 'Y', 'Z')),
  currency            char(3),
  unit_cost           numeric(14, 4),
  unit_cost_source    text,
  selling_price       numeric(14, 4),
  order_cost          numeric(18, 4),
  expected_lost_units double precision,
  lost_margin         numeric(18, 4),
  excess_units        integer,
  overstock_capital   numeric(18, 4),
  money_at_stake      numeric(18, 4),
  unknown             text[] not null default '{}'
);
create index advice_snapshots_stake on advice_snapshots (money_at_stake desc nulls last, stockout_risk desc nulls last, product_id);
create index advice_snapshots_risk on advice_snapshots (stockout_risk desc nulls last, product_id);
create index advice_snapshots_status on advice_snapshots (status);
