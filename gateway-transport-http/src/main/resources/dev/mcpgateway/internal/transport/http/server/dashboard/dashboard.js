// The dashboard's script: polls the management API of the gateway that served it (same origin, relative URLs so it
// works below a servlet's prefix too) every 2 s and renders what it reads. No framework and no build step: the page
// is a resource of the gateway's jar.
"use strict";

const POLL_MS = 2000;
const HISTORY_MS = 5 * 60 * 1000;
const TOKEN_KEY = "mcp-gateway-dashboard-token";
// Per plugin, the call counts seen at each poll: [{t, calls}], the last HISTORY_MS of them.
const history = new Map();

const $ = (id) => document.getElementById(id);

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

class Unauthorized extends Error {}

async function read(path) {
  const headers = { Accept: "application/json" };
  const bearer = token();
  if (bearer) {
    headers.Authorization = "Bearer " + bearer;
  }
  const response = await fetch(path, { headers, cache: "no-store" });
  if (response.status === 401 || response.status === 403) {
    throw new Unauthorized(response.status + " from " + path);
  }
  if (response.status === 404) {
    return null; // e.g. /api/v1/metrics when the gateway records none
  }
  if (!response.ok) {
    throw new Error(response.status + " from " + path);
  }
  return response.json();
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? "—" : String(text);
  if (className) {
    td.className = className;
  }
  return td;
}

function fill(tbody, items, render, empty, columns) {
  tbody.replaceChildren();
  if (items.length === 0) {
    const td = tbody.insertRow().insertCell();
    td.colSpan = columns;
    td.textContent = empty;
    return;
  }
  items.forEach((item) => render(tbody.insertRow(), item));
}

// Health in words and a symbol, so it reads without colour; an instance out of service or down says so first.
function health(instance) {
  if (instance.status === "DOWN") {
    return { text: "✗ down", key: "down" };
  }
  switch (instance.health) {
    case "HEALTHY": return { text: "✓ healthy", key: "healthy" };
    case "UNHEALTHY": return { text: "✗ unhealthy", key: "unhealthy" };
    default: return { text: "? unknown", key: "unknown" };
  }
}

function ago(iso) {
  if (!iso) {
    return null;
  }
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  const span = seconds < 120 ? seconds + " s" : seconds < 7200 ? Math.round(seconds / 60) + " min"
      : Math.round(seconds / 3600) + " h";
  return new Date(iso).toLocaleTimeString() + " (" + span + " ago)";
}

function renderInstances(list) {
  const instances = (list ? list.instances : []).slice()
      .sort((a, b) => a.plugin.localeCompare(b.plugin) || a.id.localeCompare(b.id));
  fill($("instances").tBodies[0], instances, (row, instance) => {
    const h = health(instance);
    row.dataset.instance = instance.id;
    row.dataset.plugin = instance.plugin;
    cell(row, instance.plugin);
    cell(row, instance.id);
    const td = cell(row, h.text, "health health-" + h.key);
    td.dataset.health = h.key;
    cell(row, ago(instance.healthSince));
    cell(row, instance.status);
    cell(row, instance.routable ? "yes" : "no");
    cell(row, instance.callsInFlight, "num");
    cell(row, (instance.tools || []).length, "num");
    cell(row, instance.healthReason);
  }, "No plugin instances are registered.", 9);
}

// Calls per second between successive polls of one plugin's history.
function rates(points) {
  const out = [];
  for (let i = 1; i < points.length; i++) {
    const seconds = (points[i].t - points[i - 1].t) / 1000;
    out.push(seconds > 0 ? Math.max(0, points[i].calls - points[i - 1].calls) / seconds : 0);
  }
  return out;
}

function sparkline(values) {
  const ns = "http://www.w3.org/2000/svg";
  const width = 120;
  const height = 24;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "spark");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  const max = Math.max(...values, 0);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "calls per second over the last minutes, peak " + max.toFixed(1));
  // A baseline, so an idle plugin's sparkline reads as "no calls" rather than as nothing drawn.
  const axis = document.createElementNS(ns, "line");
  axis.setAttribute("class", "axis");
  axis.setAttribute("x1", 0);
  axis.setAttribute("x2", width);
  axis.setAttribute("y1", height - 0.5);
  axis.setAttribute("y2", height - 0.5);
  svg.appendChild(axis);
  const line = document.createElementNS(ns, "polyline");
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  line.setAttribute("points", values.map((v, i) =>
      (i * step).toFixed(1) + "," + (height - 1 - (max > 0 ? v / max : 0) * (height - 2)).toFixed(1)).join(" "));
  svg.appendChild(line);
  return svg;
}

function millis(seconds) {
  return seconds === null || seconds === undefined ? null : (seconds * 1000).toFixed(seconds < 0.01 ? 2 : 0) + " ms";
}

function renderMetrics(summary) {
  const note = $("metrics-note");
  note.hidden = summary !== null;
  note.textContent = "This gateway records no metrics (the runner: metrics.enabled).";
  const now = Date.now();
  const plugins = summary ? summary.plugins.slice().sort((a, b) => a.plugin.localeCompare(b.plugin)) : [];
  fill($("metrics").tBodies[0], plugins, (row, plugin) => {
    const points = history.get(plugin.plugin) || [];
    points.push({ t: now, calls: plugin.calls });
    while (points.length > 0 && now - points[0].t > HISTORY_MS) {
      points.shift();
    }
    history.set(plugin.plugin, points);
    const perSecond = rates(points);
    row.dataset.plugin = plugin.plugin;
    cell(row, plugin.plugin);
    cell(row, plugin.calls, "num calls");
    cell(row, perSecond.length ? perSecond[perSecond.length - 1].toFixed(2) : null, "num");
    cell(row, plugin.errors, "num");
    cell(row, (plugin.errorRate * 100).toFixed(1) + " %", "num");
    cell(row, plugin.inFlight, "num");
    cell(row, millis(plugin.p50Seconds), "num");
    cell(row, millis(plugin.p95Seconds), "num");
    cell(row, millis(plugin.p99Seconds), "num");
    row.insertCell().appendChild(sparkline(perSecond));
  }, summary ? "No tool calls yet." : "—", 10);
}

function target(t) {
  const parts = ["weight " + t.weight];
  if (t.versions) {
    parts.push("versions " + t.versions);
  }
  if (t.labels) {
    parts.push("labels " + (typeof t.labels === "string" ? t.labels : JSON.stringify(t.labels)));
  }
  return parts.join(", ");
}

function renderRules(list) {
  fill($("rules").tBodies[0], list ? list.rules : [], (row, rule) => {
    cell(row, rule.name);
    cell(row, rule.match);
    cell(row, rule.loadBalancer);
    cell(row, (rule.targets || []).map(target).join("; "));
  }, "No routing rules: every tool is balanced over all its instances.", 4);
}

function renderEvents(list) {
  fill($("events").tBodies[0], list ? list.events : [], (row, event) => {
    row.dataset.kind = event.kind;
    cell(row, new Date(event.time).toLocaleTimeString());
    cell(row, event.kind);
    cell(row, event.plugin);
    cell(row, event.instance);
    cell(row, event.from || event.to ? (event.from || "—") + " → " + (event.to || "—") : null);
    cell(row, event.reason);
  }, "No events since the gateway started.", 6);
}

function renderGateway(info) {
  const counts = info.instances;
  $("gateway").textContent = info.name + " " + info.version + " · up " + ago(info.build.startedAt) + " · "
      + info.plugins + " plugins, " + counts.routable + " of " + counts.total + " instances routable, "
      + info.tools + " tools, " + info.callsInFlight + " calls in flight";
}

async function poll() {
  try {
    const [info, instances, metrics, rules, events] = await Promise.all([read("api/v1/gateway"),
      read("api/v1/plugins"), read("api/v1/metrics"), read("api/v1/rules"), read("api/v1/events?limit=50")]);
    $("token-form").hidden = true;
    renderGateway(info);
    renderInstances(instances);
    renderMetrics(metrics);
    renderRules(rules);
    renderEvents(events);
    $("status").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    if (e instanceof Unauthorized) {
      $("token-form").hidden = false;
      $("status").textContent = token() ? "⚠ the token was refused (" + e.message + ")" : "⚠ a token is needed";
    } else {
      $("status").textContent = "⚠ cannot reach the gateway: " + e.message;
    }
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    $("token").value = "";
    $("status").textContent = "token saved; reading…";
  });
  poll();
});
