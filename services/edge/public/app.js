/**
 * The procure dashboard: a hash-routed page over the edge's read-only API (/api/...) and its
 * authenticated ingress gateway (/api/ingress/...). Vanilla JS, charts drawn as inline SVG.
 */
/* global document, window, fetch, setTimeout, crypto, URLSearchParams */

const location = window.location;
const view = document.getElementById("view");
const notice = document.getElementById("notice");
const sessionButton = document.getElementById("session-button");
const signInDialog = document.getElementById("sign-in");
const session = { authRequired: false, authenticated: true };
/** Analyses started from this page: their record may not exist for a moment. */
const startedHere = new Set();
const palette = ["#1f6f5c", "#3b6fd8", "#c2571a", "#8a4bb8", "#b3261e", "#2b8a9a"];

/* ---------- small DOM helpers ---------- */

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof window.Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A table header row; a label starting with "#" is a numeric (right-aligned) column. */
function tableHead(labels) {
  return el(
    "thead",
    {},
    el(
      "tr",
      {},
      ...labels.map((label) =>
        label.startsWith("#") ? el("th", { class: "num" }, label.slice(1)) : el("th", {}, label),
      ),
    ),
  );
}

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children.flat()) node.append(child);
  return node;
}

function show(message, kind = "info") {
  notice.textContent = message;
  notice.className = kind === "error" ? "error" : "";
  notice.hidden = false;
}

function hideNotice() {
  notice.hidden = true;
}

const numberFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const fmt = (value) => (value === null || value === undefined ? "—" : numberFormat.format(value));
const pct = (value) => (value === null || value === undefined ? "—" : `${Math.round(value * 100)}%`);
const money = (m) => (m ? `${m.amount} ${m.currency}` : "—");
const day = (iso) => (iso ? iso.slice(0, 10) : "—");
const statusLabels = {
  ok: "OK",
  reorder: "Reorder",
  out_of_stock: "Out of stock",
  no_forecast: "No forecast",
  awaiting_approval: "Awaiting approval",
  delivery_failed: "Not delivered",
  partially_received: "Partly received",
};

/** "BELOW_REORDER_POINT" → "Below reorder point". */
const humanize = (code) => code.charAt(0) + code.slice(1).toLowerCase().replaceAll("_", " ");

function badge(status, label = statusLabels[status] ?? status) {
  return el("span", { class: `badge ${status}` }, label);
}

/* ---------- HTTP ---------- */

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok)
    throw Object.assign(new Error(body.error ?? `${response.status} ${response.statusText}`), {
      status: response.status,
    });
  return body;
}

/** Calls a handler through the gateway; asks to sign in once when the key is needed. */
function callIngress(path, options) {
  return postApi(`/api/ingress/${path}`, options);
}

async function postApi(url, { body, contentType = "application/json", headers = {} } = {}) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": contentType,
        accept: "application/json",
        "x-procure-client": "dashboard",
        ...headers,
      },
      body: contentType === "application/json" ? JSON.stringify(body ?? {}) : body,
    });
    const text = await response.text();
    if (response.status === 401 && attempt === 0 && (await signIn())) continue;
    let parsed;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      parsed = { message: text };
    }
    if (!response.ok) throw new Error(parsed?.message ?? parsed?.error ?? `${response.status}`);
    return parsed;
  }
}

/* ---------- session ---------- */

async function refreshSession() {
  Object.assign(session, await getJson("/api/session"));
  sessionButton.hidden = !session.authRequired;
  sessionButton.textContent = session.authenticated ? "Sign out" : "Sign in";
}

function signIn() {
  const form = document.getElementById("sign-in-form");
  const input = document.getElementById("api-key");
  const error = document.getElementById("sign-in-error");
  error.hidden = true;
  input.value = "";
  signInDialog.showModal();
  return new Promise((resolve) => {
    const finish = (ok) => {
      form.removeEventListener("submit", submit);
      document.getElementById("sign-in-cancel").removeEventListener("click", cancel);
      signInDialog.close();
      resolve(ok);
    };
    const cancel = () => finish(false);
    const submit = async (event) => {
      event.preventDefault();
      const response = await fetch("/api/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ apiKey: input.value }),
      });
      if (!response.ok) {
        error.textContent = (await response.json().catch(() => ({}))).error ?? "sign-in failed";
        error.hidden = false;
        return;
      }
      await refreshSession();
      finish(true);
    };
    form.addEventListener("submit", submit);
    document.getElementById("sign-in-cancel").addEventListener("click", cancel);
  });
}

sessionButton.addEventListener("click", async () => {
  if (session.authenticated) {
    await fetch("/api/session", { method: "DELETE" });
    await refreshSession();
  } else await signIn();
});

/* ---------- charts ---------- */

function niceMax(value) {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * magnitude >= value) ?? 10;
  return step * magnitude;
}

/**
 * A time chart: `layers` of { kind: "line"|"band", color, dashed, points: [{ t, y }] or [{ t, lo, hi }] }.
 */
function timeChart(layers, { height = 260, yFormat = fmt } = {}) {
  const width = 760;
  const pad = { left: 48, right: 12, top: 12, bottom: 28 };
  const all = layers.flatMap((layer) => layer.points);
  if (all.length === 0) return el("p", { class: "empty" }, "No data yet.");
  const times = all.map((point) => point.t);
  const values = all.flatMap((point) => [point.y ?? 0, point.hi ?? 0]);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const yMax = niceMax(Math.max(...values));
  const x = (t) => pad.left + ((t - t0) / Math.max(t1 - t0, 1)) * (width - pad.left - pad.right);
  const y = (v) => height - pad.bottom - (v / yMax) * (height - pad.top - pad.bottom);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  for (let i = 0; i <= 4; i++) {
    const value = (yMax * i) / 4;
    chart.append(
      svg("line", { x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value), class: "axis" }),
      svg(
        "text",
        { x: pad.left - 6, y: y(value) + 4, "text-anchor": "end" },
        document.createTextNode(yFormat(value)),
      ),
    );
  }
  const months = new Intl.DateTimeFormat("en", { month: "short", year: "2-digit", timeZone: "UTC" });
  for (let i = 0; i <= 5; i++) {
    const t = t0 + ((t1 - t0) * i) / 5;
    chart.append(
      svg(
        "text",
        { x: x(t), y: height - 8, "text-anchor": i === 0 ? "start" : i === 5 ? "end" : "middle" },
        document.createTextNode(months.format(t)),
      ),
    );
  }
  for (const layer of layers) {
    if (layer.points.length === 0) continue;
    if (layer.kind === "band") {
      const upper = layer.points.map((p) => `${x(p.t)},${y(p.hi)}`);
      const lower = layer.points.map((p) => `${x(p.t)},${y(p.lo)}`).reverse();
      chart.append(
        svg("polygon", { points: [...upper, ...lower].join(" "), fill: layer.color, "fill-opacity": 0.18 }),
      );
    } else {
      chart.append(
        svg("polyline", {
          points: layer.points.map((p) => `${x(p.t)},${y(p.y)}`).join(" "),
          fill: "none",
          stroke: layer.color,
          "stroke-width": 2,
          "stroke-linejoin": "round",
          ...(layer.dashed ? { "stroke-dasharray": "6 4" } : {}),
        }),
      );
    }
  }
  const legend = el(
    "div",
    { class: "legend" },
    layers.map((layer) => el("span", {}, el("i", { "data-color": layer.color }), layer.label)),
  );
  for (const swatch of legend.querySelectorAll("i")) swatch.style.background = swatch.dataset.color;
  return el("div", { class: "chart" }, chart, legend);
}

const time = (isoDate) => Date.parse(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate);

/* ---------- views ---------- */

const listState = { search: "", offset: 0, limit: 25, sort: "name", abc: "", status: "" };

/** A select bound to one field of the list state; changing it reloads the first page. */
function listSelect(id, field, label, options) {
  const select = el(
    "select",
    { id, "aria-label": label },
    ...options.map(([value, text]) =>
      el("option", { value, ...(listState[field] === value && { selected: "" }) }, text),
    ),
  );
  select.addEventListener("change", () => {
    listState[field] = select.value;
    listState.offset = 0;
    void render();
  });
  return select;
}

function riskCell(risk) {
  if (risk === null) return el("td", { class: "num" }, "—");
  const bar = el("span", { class: risk >= 0.5 ? "high" : risk >= 0.2 ? "mid" : "" });
  bar.style.width = `${Math.round(Math.min(1, risk) * 100)}%`;
  return el(
    "td",
    { class: "num" },
    el("div", { class: "risk" }, pct(risk), el("div", { class: "meter" }, bar)),
  );
}

async function productList() {
  const query = new URLSearchParams({ limit: listState.limit, offset: listState.offset });
  for (const field of ["search", "sort", "abc", "status"])
    if (listState[field]) query.set(field, listState[field]);
  const [page, analyses] = await Promise.all([
    getJson(`/api/products?${query}`),
    getJson("/api/analyses?limit=5"),
  ]);
  const search = el("input", {
    type: "search",
    id: "search",
    placeholder: "Search name, SKU or id",
    value: listState.search,
  });
  search.addEventListener("change", () => {
    listState.search = search.value.trim();
    listState.offset = 0;
    void render();
  });
  const rows = page.products.map((product) =>
    el(
      "tr",
      { "data-product": product.id },
      el(
        "td",
        {},
        el("a", { href: `#/product/${encodeURIComponent(product.id)}` }, product.name),
        product.name === product.id ? null : el("div", { class: "sub" }, product.id),
      ),
      el("td", {}, product.category ?? "—"),
      el("td", {}, badge(product.status)),
      el("td", { class: "num" }, fmt(product.stock)),
      riskCell(product.stockoutRisk),
      el("td", { class: "num" }, fmt(product.daysOfCover)),
      el("td", { class: "num" }, fmt(product.orderQuantity)),
      el("td", {}, product.abc ?? "—"),
      el(
        "td",
        { class: "num" },
        product.moneyAtStake === null ? "—" : `${product.moneyAtStake} ${product.currency}`,
      ),
    ),
  );
  const last = Math.min(page.offset + page.limit, page.total);
  const pager = el(
    "div",
    { class: "pager" },
    `${page.total === 0 ? 0 : page.offset + 1}–${last} of ${page.total}`,
    el(
      "button",
      {
        class: "quiet",
        disabled: page.offset === 0,
        onclick: () => ((listState.offset = Math.max(0, page.offset - page.limit)), void render()),
      },
      "Previous",
    ),
    el(
      "button",
      {
        class: "quiet",
        disabled: last >= page.total,
        onclick: () => ((listState.offset = page.offset + page.limit), void render()),
      },
      "Next",
    ),
  );
  return [
    el("h1", {}, "Products"),
    el(
      "p",
      { class: "sub" },
      "Stock status and stock-out risk over the lead time, from each product's purchase advice.",
    ),
    el(
      "section",
      { class: "card" },
      el(
        "div",
        { class: "toolbar" },
        search,
        listSelect("sort", "sort", "Sort by", [
          ["name", "Sort: name"],
          ["risk", "Sort: stock-out risk"],
          ["stake", "Sort: money at stake"],
          ["abc", "Sort: ABC class"],
        ]),
        listSelect("filter-abc", "abc", "ABC class", [
          ["", "All classes"],
          ["A", "Class A"],
          ["B", "Class B"],
          ["C", "Class C"],
        ]),
        listSelect("filter-status", "status", "Status", [
          ["", "All statuses"],
          ["out_of_stock", "Out of stock"],
          ["reorder", "Reorder"],
          ["ok", "OK"],
          ["no_forecast", "No forecast"],
        ]),
      ),
      page.total === 0
        ? el("p", { class: "empty", id: "no-products" }, "No products yet: upload a sales CSV to start.")
        : el(
            "table",
            { id: "products" },
            tableHead([
              "Product",
              "Category",
              "Status",
              "#Stock",
              "#Stock-out risk",
              "#Days of cover",
              "#Order qty",
              "ABC",
              "#At stake",
            ]),
            el("tbody", {}, rows),
          ),
      pager,
    ),
    analysesCard(analyses.analyses, "Latest analyses"),
  ];
}

function analysesCard(analyses, title) {
  return el(
    "section",
    { class: "card", id: "analyses" },
    el("h2", {}, title),
    analyses.length === 0
      ? el("p", { class: "empty" }, "No analysis yet: start one with the button above.")
      : el(
          "table",
          {},
          tableHead(["Analysis", "Status", "Mode", "#Products", "#Flagged", "#Recommendations", "Started"]),
          el(
            "tbody",
            {},
            analyses.map((analysis) =>
              el(
                "tr",
                {},
                el("td", {}, el("a", { href: `#/analysis/${encodeURIComponent(analysis.id)}` }, analysis.id)),
                el("td", {}, badge(analysis.status)),
                el("td", {}, analysis.mode),
                el("td", { class: "num" }, fmt(analysis.productCount)),
                el("td", { class: "num" }, fmt(analysis.flaggedCount)),
                el("td", { class: "num" }, fmt(analysis.recommendationCount)),
                el("td", {}, new Date(analysis.startedAt).toLocaleString()),
              ),
            ),
          ),
        ),
  );
}

function figure(label, value) {
  return el("div", { class: "figure" }, el("b", {}, value), el("small", {}, label));
}

function adviceCard(advice) {
  if (advice.value === null)
    return el(
      "section",
      { class: "card" },
      el("h2", {}, "Purchase advice"),
      el("p", { class: "empty" }, advice.error),
    );
  const a = advice.value;
  return el(
    "section",
    { class: "card", id: "advice" },
    el(
      "h2",
      {},
      "Purchase advice ",
      a.shouldReorder ? badge("reorder", "Order now") : badge("ok", "No order needed"),
    ),
    el(
      "div",
      { class: "figures" },
      figure("order quantity", fmt(a.orderQuantity)),
      figure("reorder point", fmt(a.reorderPoint)),
      figure("safety stock", fmt(a.safetyStock)),
      figure("on order", fmt(a.onOrder)),
      figure("days of cover", fmt(a.daysOfCover)),
      figure("stock-out risk", pct(a.stockoutRisk)),
      figure("expected cost", money(a.expectedCost)),
    ),
    el(
      "ul",
      { class: "reasons" },
      a.reasons.map((reason) => el("li", {}, humanize(reason))),
    ),
  );
}

function demandCard(detail) {
  const sales = detail.sales.map((week) => ({ t: time(week.weekStart), y: week.quantity }));
  const forecast = detail.forecast.value;
  const layers = [{ kind: "line", label: "weekly sales", color: palette[0], points: sales }];
  if (forecast !== null) {
    layers.push(
      {
        kind: "band",
        label: "80% interval",
        color: palette[1],
        points: forecast.points.map((p) => ({ t: time(p.periodStart), lo: p.lo80, hi: p.hi80 })),
      },
      {
        kind: "line",
        label: `forecast (${forecast.method})`,
        color: palette[1],
        dashed: true,
        points: forecast.points.map((p) => ({ t: time(p.periodStart), y: p.mean })),
      },
    );
  }
  return el(
    "section",
    { class: "card", id: "demand" },
    el("h2", {}, "Demand: weekly sales and forecast"),
    timeChart(layers),
    forecast === null
      ? el("p", { class: "empty" }, `No forecast: ${detail.forecast.error}`)
      : el(
          "p",
          { class: "sub" },
          `Next ${forecast.points.length} weeks: ${fmt(forecast.total.mean)} units expected (80%: ${fmt(forecast.total.p10)}–${fmt(forecast.total.p90)}). MASE ${fmt(forecast.accuracy.mase)}, trained ${day(forecast.trainedAt)}.`,
        ),
  );
}

function pricesCard(detail) {
  const layers = detail.prices.sources.map((source, index) => ({
    kind: "line",
    label: source.active ? source.label : `${source.label} (inactive)`,
    color: palette[(index + 2) % palette.length],
    points: detail.prices.points
      .filter((point) => point.sourceId === source.id)
      .map((point) => ({ t: time(point.collectedAt), y: Number(point.amount) })),
  }));
  const best = detail.bestPrice.value?.best ?? null;
  return el(
    "section",
    { class: "card", id: "prices" },
    el("h2", {}, "Prices per source"),
    detail.prices.sources.length === 0
      ? el("p", { class: "empty" }, "No price sources for this product.")
      : timeChart(layers, { height: 200, yFormat: (v) => numberFormat.format(v) }),
    best === null
      ? null
      : el("p", { class: "sub" }, `Best current price: ${best.amount} ${best.currency} at ${best.label}.`),
  );
}

/* ---------- forecasts held to account, alerts ---------- */

/** A read through the gateway that may fail: the value, or null and why. */
async function readIngress(path, body) {
  try {
    return { value: await callIngress(path, { body }), error: null };
  } catch (error) {
    return { value: null, error: error.message };
  }
}

function pastForecastsCard(detail, past) {
  const sales = detail.sales.map((week) => ({ t: time(week.weekStart), y: week.quantity }));
  const models = past.value ?? [];
  const layers = [
    { kind: "line", label: "weekly sales", color: palette[0], points: sales },
    ...models.map((model, index) => ({
      kind: "line",
      label: `v${model.version} trained ${day(model.trainedAt)} (${model.method})`,
      color: palette[(index + 1) % palette.length],
      dashed: true,
      points: model.points.map((p) => ({ t: time(p.periodStart), y: p.mean })),
    })),
  ];
  const rows = models.map((model) =>
    el(
      "tr",
      {},
      el(
        "td",
        {},
        `v${model.version}`,
        model.serving ? " " : null,
        model.serving ? badge("ok", "serving") : null,
      ),
      el("td", {}, day(model.trainedAt)),
      el("td", {}, model.method),
      el("td", { class: "num" }, fmt(model.realized?.periods)),
      el("td", { class: "num" }, fmt(model.realized?.mase)),
      el("td", { class: "num" }, fmt(model.realized?.rmsse)),
      el(
        "td",
        { class: "num" },
        model.realized?.biasPercent == null ? "—" : `${fmt(model.realized.biasPercent)}%`,
      ),
      el("td", { class: "num" }, pct(model.realized?.coverage80)),
      el("td", { class: "num" }, fmt(model.realized?.trackingSignal)),
    ),
  );
  return el(
    "section",
    { class: "card", id: "past-forecasts" },
    el("h2", {}, "Forecast made at each retrain against what happened"),
    past.value === null ? el("p", { class: "error" }, past.error) : timeChart(layers),
    models.length === 0
      ? el("p", { class: "empty" }, "No model yet.")
      : el(
          "table",
          {},
          tableHead([
            "Model",
            "Trained",
            "Method",
            "#Weeks scored",
            "#MASE",
            "#RMSSE",
            "#Bias",
            "#80% coverage",
            "#Tracking signal",
          ]),
          el("tbody", {}, rows),
        ),
  );
}

function alertsTable(alerts) {
  if (alerts.length === 0) return el("p", { class: "empty" }, "No alerts.");
  return el(
    "table",
    {},
    tableHead(["Raised", "Product", "Kind", "Alert", "Status", "#Deliveries"]),
    el(
      "tbody",
      {},
      alerts.map((alert) =>
        el(
          "tr",
          {},
          el("td", {}, new Date(alert.raisedAt).toLocaleString()),
          el(
            "td",
            {},
            el("a", { href: `#/product/${encodeURIComponent(alert.productId)}` }, alert.productId),
          ),
          el("td", {}, humanize(alert.kind.toUpperCase())),
          el("td", {}, alert.message),
          el(
            "td",
            {},
            alert.resolvedAt === null
              ? badge("out_of_stock", "open")
              : el(
                  "span",
                  { title: alert.resolution ?? "" },
                  `resolved ${new Date(alert.resolvedAt).toLocaleString()}`,
                ),
          ),
          el(
            "td",
            { class: "num" },
            `${alert.deliveries.filter((delivery) => delivery.status === "delivered").length}/${alert.deliveries.length}`,
          ),
        ),
      ),
    ),
  );
}

async function alertsPage() {
  const alerts = await callIngress("alerts/list", { body: { limit: 200 } });
  return [
    el("h1", {}, "Alerts"),
    el("section", { class: "card", id: "alerts" }, el("h2", {}, "Newest first"), alertsTable(alerts)),
  ];
}

async function accuracyPage() {
  const portfolio = await callIngress("alerts/accuracy", { body: {} });
  const signed = (value) => (value === null ? "—" : `${fmt(value)}%`);
  return [
    el("h1", {}, "Forecast accuracy"),
    el(
      "section",
      { class: "card", id: "calibration" },
      el("h2", {}, "Realized against what the backtests promised"),
      el(
        "p",
        { class: "sub" },
        `${portfolio.scoredModels} models held to account on the sales that arrived after their training. MASE and RMSSE on each model's training scale (averaged over models); bias and coverage pooled over every week. A calibrated model's realized 80% coverage is near 80%.`,
      ),
      portfolio.calibration.length === 0
        ? el(
            "p",
            { class: "empty" },
            "No model has been scored yet: upload sales that come after a model's training.",
          )
        : el(
            "table",
            {},
            tableHead([
              "Class",
              "#Models",
              "#Weeks",
              "#MASE",
              "#Backtest MASE",
              "#RMSSE",
              "#Backtest RMSSE",
              "#Bias",
              "#80% coverage",
              "#Backtest coverage",
            ]),
            el(
              "tbody",
              {},
              portfolio.calibration.map((row) =>
                el(
                  "tr",
                  {},
                  el("td", {}, row.group),
                  el("td", { class: "num" }, fmt(row.models)),
                  el("td", { class: "num" }, fmt(row.periods)),
                  el("td", { class: "num" }, fmt(row.mase)),
                  el("td", { class: "num" }, fmt(row.backtestMase)),
                  el("td", { class: "num" }, fmt(row.rmsse)),
                  el("td", { class: "num" }, fmt(row.backtestRmsse)),
                  el("td", { class: "num" }, signed(row.biasPercent)),
                  el("td", { class: "num" }, pct(row.coverage80)),
                  el("td", { class: "num" }, pct(row.backtestCoverage80)),
                ),
              ),
            ),
          ),
    ),
  ];
}

async function productPage(id) {
  const key = encodeURIComponent(id);
  const [detail, past, alerts] = await Promise.all([
    getJson(`/api/products/${key}`),
    readIngress(`product/${key}/forecastHistory`),
    readIngress(`product/${key}/alerts`, { limit: 20 }),
  ]);
  const p = detail.product;
  return [
    el("p", {}, el("a", { href: "#/" }, "← Products")),
    el("h1", {}, p.name, " ", badge(detail.status)),
    el(
      "p",
      { class: "sub" },
      `${p.id} · SKU ${p.sku} · ${p.category ?? "no category"} · stock ${fmt(p.stock)} · lead time ${p.leadTimeDays} days${p.unitCost ? ` · unit cost ${p.unitCost} ${p.currency}` : ""}`,
    ),
    demandCard(detail),
    el("div", { class: "grid" }, adviceCard(detail.advice), pricesCard(detail)),
    pastForecastsCard(detail, past),
    el(
      "section",
      { class: "card", id: "product-alerts" },
      el("h2", {}, "Alerts"),
      alerts.value === null ? el("p", { class: "error" }, alerts.error) : alertsTable(alerts.value),
    ),
    ordersCard(detail.orders, "Purchase orders with this product"),
  ];
}

/* ---------- purchase orders ---------- */

function ordersCard(orders, title) {
  return el(
    "section",
    { class: "card", id: "orders" },
    el("h2", {}, title),
    orders.length === 0
      ? el("p", { class: "empty" }, "No purchase order yet: create them from an analysis.")
      : el(
          "table",
          {},
          tableHead(["Order", "Supplier", "Status", "#Lines", "#Total", "Created", "Expires"]),
          el(
            "tbody",
            {},
            orders.map((order) =>
              el(
                "tr",
                {},
                el("td", {}, el("a", { href: `#/order/${encodeURIComponent(order.id)}` }, order.id)),
                el("td", {}, order.supplier),
                el("td", {}, badge(order.status)),
                el("td", { class: "num" }, fmt(order.lineCount)),
                el("td", { class: "num" }, `${order.total} ${order.currency}`),
                el("td", {}, new Date(order.createdAt).toLocaleString()),
                el("td", {}, order.status === "awaiting_approval" ? day(order.expiresAt) : "—"),
              ),
            ),
          ),
        ),
  );
}

async function ordersPage() {
  const { orders } = await getJson("/api/orders?limit=100");
  return [el("h1", {}, "Purchase orders"), ordersCard(orders, "Latest orders")];
}

/** Calls one handler of the order workflow, then shows the order again. */
async function orderAction(id, action, body, done) {
  try {
    await callIngress(`order/${encodeURIComponent(id)}/${action}`, { body });
    show(done);
  } catch (error) {
    show(`Order ${id}: ${error.message}`, "error");
  }
  void render();
}

function quantityInputs(form) {
  return [...form.querySelectorAll("input[data-sku]")]
    .filter((input) => input.value !== "" && input.value !== input.defaultValue)
    .map((input) => ({ sku: input.dataset.sku, quantity: Number(input.value) }));
}

async function orderPage(id) {
  const order = await getJson(`/api/orders/${encodeURIComponent(id)}`);
  // Approved orders are being sent: show the outcome when it comes.
  if (order.status === "approved") refreshWhileOn(`#/order/${encodeURIComponent(id)}`);
  const awaiting = order.status === "awaiting_approval";
  const receiving = ["sent", "partially_received", "delivery_failed"].includes(order.status);
  const form = el("form", { id: "order-lines" });
  const lineRows = order.lines.map((line) =>
    el(
      "tr",
      {},
      el("td", {}, el("a", { href: `#/product/${encodeURIComponent(line.productId)}` }, line.sku)),
      el("td", {}, line.name),
      el(
        "td",
        { class: "num" },
        awaiting
          ? el("input", {
              type: "number",
              min: "0",
              value: String(line.quantity),
              "data-sku": line.sku,
              class: "qty",
            })
          : fmt(line.quantity),
      ),
      el("td", { class: "num" }, fmt(line.received)),
      el(
        "td",
        { class: "num" },
        receiving && line.received < line.quantity
          ? el("input", {
              type: "number",
              min: "0",
              max: String(line.quantity - line.received),
              value: "",
              placeholder: "0",
              "data-sku": line.sku,
              class: "qty",
            })
          : "—",
      ),
      el("td", { class: "num" }, line.unitPrice ?? "—"),
      el("td", { class: "num" }, line.lineTotal ?? "—"),
    ),
  );
  form.append(
    el(
      "table",
      {},
      tableHead(["SKU", "Name", "#Quantity", "#Received", "#Receive now", "#Unit price", "#Line total"]),
      el("tbody", {}, lineRows),
    ),
  );
  const button = (label, onClick, extra = {}) =>
    el("button", { type: "button", ...extra, onclick: onClick }, label);
  const actions = el(
    "div",
    { class: "row" },
    awaiting
      ? [
          button("Approve and send", () => {
            const lines = quantityInputs(form);
            void orderAction(
              id,
              "approve",
              lines.length > 0 ? { lines } : {},
              `Order ${id} approved: sending it.`,
            );
          }),
          button(
            "Save quantities",
            () => {
              const lines = quantityInputs(form);
              if (lines.length === 0) return show("Change a quantity first.");
              void orderAction(id, "edit", { lines }, `Order ${id} changed.`);
            },
            { class: "quiet" },
          ),
          button(
            "Reject",
            () => {
              const note = window.prompt(`Reject order ${id}? Reason (optional):`);
              if (note !== null)
                void orderAction(id, "reject", note ? { note } : {}, `Order ${id} rejected.`);
            },
            { class: "quiet" },
          ),
        ]
      : [],
    receiving
      ? [
          button("Receive the quantities entered", () => {
            const lines = quantityInputs(form).filter((line) => line.quantity > 0);
            if (lines.length === 0) return show("Enter the quantities received first.");
            void orderAction(id, "receive", { lines }, `Receipt booked on order ${id}.`);
          }),
          button(
            "Receive everything outstanding",
            () => void orderAction(id, "receive", {}, `Order ${id} received in full.`),
            { class: "quiet" },
          ),
        ]
      : [],
  );
  return [
    el("p", {}, el("a", { href: "#/orders" }, "← Purchase orders")),
    el("h1", {}, `Order ${order.id} `, badge(order.status)),
    el(
      "p",
      { class: "sub" },
      `${order.supplier} · ${order.total} ${order.currency}${order.analysisId ? ` · from analysis ${order.analysisId}` : ""}${order.channel ? ` · sent by ${order.channel}` : ""}${order.error ? ` · ${order.error}` : ""}`,
    ),
    el("section", { class: "card" }, el("h2", {}, "Lines"), form, actions),
    el(
      "section",
      { class: "card", id: "timeline" },
      el("h2", {}, "Timeline"),
      el(
        "ul",
        { class: "reasons" },
        order.events.map((event) =>
          el(
            "li",
            {},
            `${new Date(event.at).toLocaleString()} — ${humanize(event.kind)}${event.detail.by ? ` by ${event.detail.by}` : ""}${event.detail.note ? `: ${event.detail.note}` : ""}${event.detail.error ? `: ${event.detail.error}` : ""}`,
          ),
        ),
      ),
    ),
  ];
}

async function createOrders(analysisId) {
  try {
    const result = await callIngress("purchasing/create", { body: { analysisId } });
    show(`${result.orders.length} purchase order(s) created from ${analysisId}; they wait for approval.`);
    location.hash = "#/orders";
  } catch (error) {
    show(`Could not create orders: ${error.message}`, "error");
  }
}

async function analysesPage() {
  const { analyses } = await getJson("/api/analyses?limit=50");
  return [el("h1", {}, "Analyses"), analysesCard(analyses, "All recent analyses")];
}

function refreshWhileOn(hash) {
  setTimeout(() => location.hash === hash && void render(), 1500);
}

async function analysisPage(id) {
  const hash = `#/analysis/${encodeURIComponent(id)}`;
  const analysis = await getJson(`/api/analyses/${encodeURIComponent(id)}`).catch((error) => {
    if (error.status !== 404 || !startedHere.has(id)) throw error;
    return null;
  });
  if (analysis === null) {
    refreshWhileOn(hash);
    return [
      el("h1", {}, `Analysis ${id} `, badge("running", "starting")),
      el("section", { class: "card" }, el("p", { class: "empty" }, "Starting…")),
    ];
  }
  const report = analysis.report;
  const header = [
    el("p", {}, el("a", { href: "#/analyses" }, "← Analyses")),
    el("h1", {}, `Analysis ${analysis.id} `, badge(analysis.status)),
    el(
      "p",
      { class: "sub" },
      `${analysis.mode} · ${analysis.products.length} products · started ${new Date(analysis.startedAt).toLocaleString()}`,
    ),
  ];
  if (analysis.status === "running") {
    refreshWhileOn(hash);
    return [
      ...header,
      el(
        "section",
        { class: "card" },
        el("p", { class: "empty" }, "Running… this page refreshes by itself."),
      ),
    ];
  }
  if (report === null)
    return [
      ...header,
      el("section", { class: "card" }, el("p", { class: "error" }, analysis.error ?? "no report")),
    ];
  return [
    ...header,
    el(
      "section",
      { class: "card", id: "recommendations" },
      el(
        "h2",
        {},
        `Recommendations (${report.recommendations.length}) `,
        report.recommendations.some((r) => r.action === "buy_now")
          ? el(
              "button",
              { type: "button", id: "create-orders", onclick: () => void createOrders(analysis.id) },
              "Create purchase orders",
            )
          : null,
      ),
      report.recommendations.length === 0
        ? el("p", { class: "empty" }, "Nothing to buy: no product was flagged.")
        : el(
            "table",
            {},
            tableHead(["Product", "Action", "#Quantity", "Source", "#Expected cost", "Why"]),
            el(
              "tbody",
              {},
              report.recommendations.map((r) =>
                el(
                  "tr",
                  {},
                  el(
                    "td",
                    {},
                    el("a", { href: `#/product/${encodeURIComponent(r.productId)}` }, r.productId),
                  ),
                  el("td", {}, badge(r.action, r.action.replace("_", " "))),
                  el("td", { class: "num" }, fmt(r.quantity)),
                  el("td", {}, r.source?.label ?? "—"),
                  el("td", { class: "num" }, money(r.expectedCost)),
                  el(
                    "td",
                    {},
                    el(
                      "ul",
                      { class: "reasons" },
                      r.reasons.map((reason) => el("li", {}, reason.text)),
                    ),
                  ),
                ),
              ),
            ),
          ),
    ),
    el(
      "section",
      { class: "card" },
      el("h2", {}, "Report"),
      el("pre", { class: "markdown" }, analysis.markdown),
    ),
  ];
}

/* ---------- actions ---------- */

document.getElementById("upload-input").addEventListener("change", async (event) => {
  const input = event.target;
  const file = input.files?.[0];
  input.value = "";
  if (!file) return;
  show(`Uploading ${file.name}…`);
  try {
    const result = await postApi("/api/upload", {
      body: file,
      contentType: "text/csv",
      headers: { "x-filename": file.name },
    });
    show(
      result.status === "duplicate"
        ? `${file.name} was uploaded before: nothing changed.`
        : `${file.name}: ${result.rows} rows stored (${result.changedRows} new or changed), ${result.newProducts} new products; retraining ${result.retrainsRequested} forecasts.`,
    );
    void render();
  } catch (error) {
    show(`Upload failed: ${error.message}`, "error");
  }
});

document.getElementById("catalog-input").addEventListener("change", async (event) => {
  const input = event.target;
  const file = input.files?.[0];
  input.value = "";
  if (!file) return;
  show(`Importing ${file.name}…`);
  try {
    const result = await callIngress("catalog/import", {
      body: file,
      contentType: "text/csv",
      headers: { "x-filename": file.name },
    });
    show(
      result.status === "unchanged"
        ? `${file.name}: ${result.rows} products read, nothing to change.`
        : `${file.name}: ${result.rows} products read (${result.columns.join(", ")}): ${result.createdProducts} created, ${result.changedProducts.length} changed.`,
    );
    void render();
  } catch (error) {
    show(`Catalogue import failed: ${error.message}`, "error");
  }
});

document.getElementById("analyse-button").addEventListener("click", async (event) => {
  const button = event.target;
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const id = `analysis-${stamp}-${crypto.getRandomValues(new Uint32Array(1))[0].toString(16)}`;
  button.disabled = true;
  try {
    await callIngress(`analysis/${encodeURIComponent(id)}/run/send`, { body: {} });
    startedHere.add(id);
    show(`Analysis ${id} started.`);
    location.hash = `#/analysis/${encodeURIComponent(id)}`;
  } catch (error) {
    show(`Could not start an analysis: ${error.message}`, "error");
  } finally {
    button.disabled = false;
  }
});

/* ---------- routing ---------- */

async function render() {
  const [, page, ...rest] = location.hash.replace(/^#/, "").split("/");
  const id = decodeURIComponent(rest.join("/"));
  try {
    const content =
      page === "product" && id
        ? await productPage(id)
        : page === "analysis" && id
          ? await analysisPage(id)
          : page === "analyses"
            ? await analysesPage()
            : page === "alerts"
              ? await alertsPage()
              : page === "accuracy"
                ? await accuracyPage()
                : page === "order" && id
                  ? await orderPage(id)
                  : page === "orders"
                    ? await ordersPage()
                    : await productList();
    view.replaceChildren(...content);
  } catch (error) {
    view.replaceChildren(el("section", { class: "card" }, el("p", { class: "error" }, error.message)));
  }
}

window.addEventListener("hashchange", () => {
  hideNotice();
  void render();
});
await refreshSession().catch((error) => show(`Cannot reach procure: ${error.message}`, "error"));
await render();
