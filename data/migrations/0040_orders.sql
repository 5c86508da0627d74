-- Purchase orders: suppliers and how they take orders, orders with their lines, timeline and
-- receipts, and the stock receipts that raise a product's stock exactly once.

-- Ordering parameters of a product (the catalogue import fills them; "if not exists" so either
-- migration may add them first).
alter table products add column if not exists supplier text check (length(supplier) between 1 and 100);
alter table products add column if not exists min_order_qty integer check (min_order_qty >= 0);
alter table products add column if not exists pack_size integer check (pack_size >= 1);

create table suppliers (
  id              text primary key check (length(id) between 1 and 100),
  webhook_url     text check (webhook_url ~ '^https?://'),
  webhook_secret  text,
  email           text check (email ~ '^[^@\s]+@[^@\s]+$'),
  updated_at      timestamptz not null default now(),
  check ((webhook_url is null) = (webhook_secret is null))
);

create table purchase_orders (
  id              text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  supplier        text not null,
  currency        char(3) not null check (currency ~ '^[A-Z]{3}$'),
  status          text not null check (status in ('awaiting_approval', 'approved', 'sent', 'delivery_failed',
                                                  'partially_received', 'received', 'rejected', 'expired')),
  analysis_id     text,
  channel         text check (channel in ('webhook', 'email')),
  delivery_id     text,
  decided_by      text,
  decision_note   text,
  error           text,
  created_at      timestamptz not null,
  expires_at      timestamptz,
  decided_at      timestamptz,
  sent_at         timestamptz,
  closed_at       timestamptz
);
create index purchase_orders_status on purchase_orders (status, created_at desc);

create table purchase_order_lines (
  order_id        text not null references purchase_orders (id) on delete cascade,
  product_id      text not null references products (id),
  sku             text not null,
  quantity        integer not null check (quantity >= 0),
  received        integer not null default 0 check (received >= 0),
  unit_price      numeric(14, 4) check (unit_price >= 0),
  price_source    text,
  primary key (order_id, product_id)
);
create index purchase_order_lines_product on purchase_order_lines (product_id);

-- The order's timeline; `event_key` makes every write idempotent (a replayed step adds nothing).
create table purchase_order_events (
  id              bigint generated always as identity primary key,
  order_id        text not null references purchase_orders (id) on delete cascade,
  event_key       text not null,
  kind            text not null,
  detail          jsonb not null default '{}',
  at              timestamptz not null,
  unique (order_id, event_key)
);

create table purchase_order_receipts (
  order_id        text not null references purchase_orders (id) on delete cascade,
  receipt_id      text not null,
  product_id      text not null references products (id),
  quantity        integer not null check (quantity > 0),
  received_at     timestamptz not null,
  primary key (order_id, receipt_id, product_id)
);

-- One row per stock receipt applied to a product: the stock is raised once per receipt id.
create table stock_receipts (
  receipt_id      text not null,
  product_id      text not null references products (id) on delete cascade,
  quantity        integer not null check (quantity > 0),
  applied_at      timestamptz not null default now(),
  primary key (receipt_id, product_id)
);
