// Gateway migration console: reads GET /admin/migration, changes a route with PUT /admin/migration/{route}.
"use strict";
const $ = (id) => document.getElementById(id);
const MODES = ["nats", "legacy", "shadow", "split"];

function token() { return $("token").value.trim(); }

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function bar(c) {
  const total = c.match + c.mismatch + c.noise + c.error;
  const b = el("div", undefined, "bar");
  for (const k of ["match", "mismatch", "noise", "error"]) {
    const s = el("span", undefined, k);
    s.style.width = total ? (100 * c[k] / total) + "%" : "0";
    s.title = k + ": " + c[k];
    b.appendChild(s);
  }
  return b;
}

async function load() {
  const res = await fetch("/admin/migration", { headers: { Authorization: "Bearer " + token() } });
  if (!res.ok) { $("status").textContent = "HTTP " + res.status; return; }
  const body = await res.json();
  $("status").textContent = (body.shared ? "shared by every instance" : "this instance only") + ", " + new Date().toLocaleTimeString();
  const rows = $("routes");
  rows.replaceChildren();
  for (const [name, r] of Object.entries(body.routes)) {
    const tr = el("tr");
    tr.dataset.route = name;
    tr.appendChild(el("td", name));
    tr.appendChild(el("td", r.mode, "mode"));
    tr.appendChild(el("td", String(r.percent), "percent"));
    tr.appendChild(el("td", r.requests.nats + " / " + r.requests.legacy, "requests"));
    const c = r.comparisons;
    const cmp = el("td");
    cmp.appendChild(bar(c));
    cmp.appendChild(el("div", "match " + c.match + ", mismatch " + c.mismatch + ", noise " + c.noise + ", error " + c.error, "counts"));
    tr.appendChild(cmp);
    const top = el("td");
    for (const p of r.top_differences) top.appendChild(el("div", p.path + " \u00d7" + p.count));
    for (const p of r.noise) top.appendChild(el("div", p.path + " (noise) \u00d7" + p.count));
    tr.appendChild(top);
    const last = el("td");
    for (const d of r.last_differences.slice(0, 5)) {
      last.appendChild(el("code", d.path + ": " + JSON.stringify(d.legacy) + " | " + JSON.stringify(d.nats)));
      last.appendChild(el("br"));
    }
    tr.appendChild(last);
    const change = el("td");
    const mode = el("select");
    for (const m of MODES) { const o = el("option", m); o.value = m; o.selected = m === r.mode; mode.appendChild(o); }
    const pct = el("input");
    pct.type = "number"; pct.min = "0"; pct.max = "100"; pct.step = "0.01"; pct.value = r.percent; pct.className = "percent-input";
    const apply = el("button", "Apply");
    apply.onclick = async () => {
      const put = await fetch("/admin/migration/" + encodeURIComponent(name), {
        method: "PUT",
        headers: { Authorization: "Bearer " + token(), "Content-Type": "application/json" },
        body: JSON.stringify({ mode: mode.value, percent: Number(pct.value) }),
      });
      if (!put.ok) { $("status").textContent = "HTTP " + put.status + " " + (await put.text()); return; }
      const answer = await put.json();
      await load();
      if (answer.scope !== "all-instances") $("status").textContent = "changed " + name + " on this instance only: " + answer.reason;
    };
    change.append(mode, pct, apply);
    tr.appendChild(change);
    rows.appendChild(tr);
  }
}

$("load").onclick = load;
const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
if (fromHash) { $("token").value = fromHash; history.replaceState(null, "", location.pathname); load(); }
setInterval(() => { if (token()) load(); }, 5000);
