/**
 * The status page: one HTML document with its script and styles inline, served by the bot itself (no build
 * step, no files to install, nothing fetched from elsewhere). It polls /api/status every second and draws
 * each symbol's marks as a small SVG chart, positions and P&L, recent orders and decisions, flags, shadow
 * tallies and why trading is blocked, if it is.
 */
export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>perps-bot status</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem 1.5rem; color: #1d2430; background: #f7f8fa; }
  h1 { font-size: 1.2rem; margin: 0 0 .25rem; } h2 { font-size: 1rem; margin: 1rem 0 .4rem; }
  .meta { color: #566; } .bad { color: #b3261e; font-weight: 600; } .ok { color: #1b7f3b; }
  .cards { display: flex; flex-wrap: wrap; gap: .75rem; }
  .card { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: .5rem .75rem; min-width: 15rem; }
  .card b { font-variant-numeric: tabular-nums; } svg { display: block; }
  table { border-collapse: collapse; background: #fff; font-variant-numeric: tabular-nums; }
  th, td { border: 1px solid #dde1e6; padding: .2rem .5rem; text-align: left; } th { background: #eef1f4; }
  .pos { color: #1b7f3b; } .neg { color: #b3261e; }
</style>
</head>
<body>
<h1>perps-bot <span id="profile"></span></h1>
<div class="meta" id="meta">loading…</div>
<div id="blocks"></div>
<h2>Marks</h2>
<div class="cards" id="marks"></div>
<h2>Positions and P&amp;L</h2>
<div id="account" class="meta"></div>
<table id="positions"><thead><tr><th>symbol</th><th>side</th><th>quantity</th><th>entry</th><th>mark</th><th>unrealized P&amp;L</th></tr></thead><tbody></tbody></table>
<h2>Recent orders</h2>
<table id="orders"><thead><tr><th>time</th><th>cycle</th><th>symbol</th><th>outcome</th><th>side</th><th>quantity</th><th>price</th><th>detail</th></tr></thead><tbody></tbody></table>
<h2>Recent decisions</h2>
<table id="decisions"><thead><tr><th>time</th><th>cycle</th><th>symbol</th><th>action</th><th>reason</th></tr></thead><tbody></tbody></table>
<h2>Flags and shadow</h2>
<div id="flags" class="meta"></div>
<div id="shadow" class="meta"></div>
<div id="execution-shadow" class="meta"></div>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const text = (v) => (v === null || v === undefined ? "–" : String(v));
const esc = (v) => text(v).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const sign = (v) => (v === null || v === undefined ? "" : Number(v) < 0 ? "neg" : Number(v) > 0 ? "pos" : "");
function rows(table, items, cells) {
  $(table).tBodies[0].innerHTML = items.map((item) => "<tr" + (item.symbol ? ' data-symbol="' + esc(item.symbol) + '"' : "") + ">" + cells(item).map((c) => "<td>" + c + "</td>").join("") + "</tr>").join("");
}
function chart(points) {
  const w = 220, h = 48;
  if (points.length < 2) return '<svg width="' + w + '" height="' + h + '"></svg>';
  const ys = points.map((p) => p[1]), lo = Math.min(...ys), hi = Math.max(...ys), span = hi - lo || 1;
  const t0 = points[0][0], dt = points[points.length - 1][0] - t0 || 1;
  const path = points.map((p, i) => (i ? "L" : "M") + ((p[0] - t0) / dt * (w - 2) + 1).toFixed(1) + "," + (h - 1 - (p[1] - lo) / span * (h - 2)).toFixed(1)).join("");
  return '<svg width="' + w + '" height="' + h + '" role="img" aria-label="marks"><path d="' + path + '" fill="none" stroke="#2f6fde" stroke-width="1.5"/></svg>';
}
let refreshes = 0;
async function refresh() {
  let doc;
  try {
    const response = await fetch("/api/status", { cache: "no-store" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    doc = await response.json();
  } catch (error) {
    $("meta").innerHTML = '<span class="bad">status unavailable: ' + esc(error.message) + "</span>";
    return;
  }
  const h = doc.health;
  $("profile").textContent = h.profile + (h.dryRun ? " · dry run (paper)" : " · LIVE");
  $("meta").textContent = "status " + h.status + " · pid " + h.pid + " · broker " + h.broker + " · market data " + h.marketDataMode + " · cycle " + h.cycleCount + " · last cycle " + text(h.lastCycleAt) + (h.lastError ? " · last error: " + h.lastError : "");
  $("blocks").innerHTML = doc.risk.blocks.length ? doc.risk.blocks.map((b) => '<div class="bad" data-block="' + esc(b.kind) + '">trading blocked: ' + esc(b.message) + "</div>").join("") : '<div class="ok">trading allowed</div>';
  $("marks").innerHTML = Object.entries(h.symbols).map(([symbol, s]) => '<div class="card" data-symbol="' + esc(symbol) + '"><div>' + esc(symbol) + ' <b data-field="mark">' + esc(s.mark) + '</b> <span class="meta" data-field="age">' + (s.markAgeSeconds === null ? "" : esc(s.markAgeSeconds) + " s ago") + "</span>" + (s.stale ? ' <span class="bad">stale</span>' : "") + "</div>" + chart(doc.history[symbol] || []) + "</div>").join("");
  const a = doc.account;
  $("account").innerHTML = "cash " + esc(a.cash) + " · equity " + esc(a.equity) + ' · P&amp;L today <b class="' + sign(a.dayPnl) + '" data-field="day-pnl">' + esc(a.dayPnl) + "</b>" + (a.feesToday !== null ? " · fees today " + esc(a.feesToday) + " · realized today " + esc(a.realizedToday) : "") + " · orders " + h.orderStats.successful + "/" + h.orderStats.attempted + " ok, " + h.orderStats.failed + " failed";
  rows("positions", doc.positions, (p) => [esc(p.symbol), esc(p.side), esc(p.quantity), esc(p.entryPrice), esc(p.markPrice), '<span class="' + sign(p.unrealizedPnl) + '">' + esc(p.unrealizedPnl) + "</span>"]);
  rows("orders", doc.orders, (o) => [esc(o.at.slice(11, 19)), esc(o.cycle), esc(o.symbol), esc(o.outcome), esc(o.side), esc(o.quantity), esc(o.price), esc(o.detail)]);
  rows("decisions", doc.decisions, (d) => [esc(d.at.slice(11, 19)), esc(d.cycle), esc(d.symbol), esc(d.action), esc(d.reason)]);
  $("flags").textContent = "flags: " + doc.flags.map((f) => f.name + "=" + f.value + " → " + f.effective).join(" · ");
  $("shadow").textContent = h.shadow ? "market-data shadow: runs " + h.shadow.runs + ", matched " + h.shadow.matched + ", mismatched " + h.shadow.mismatched + ", ignored " + h.shadow.ignored + ", candidate errors " + h.shadow.candidateErrors + ", cycles skipped by the ramp-up " + h.shadow.skippedCycles : "market-data shadow: off";
  const x = h.executionShadow;
  $("execution-shadow").textContent = x ? "execution shadow: runs " + x.runs + ", matched " + x.matched + ", mismatched " + x.mismatched + ", ignored " + x.ignored + ", candidate errors " + x.candidateErrors + ", skipped by the ramp-up " + x.skipped + ", paper orders " + x.paperOrders : "execution shadow: off";
  document.body.dataset.refreshes = String(++refreshes);
  document.body.dataset.cycle = String(h.cycleCount);
}
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
`;
