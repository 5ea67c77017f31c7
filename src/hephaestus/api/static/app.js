// Hephaestus dashboard: plain JS, no build step, nothing loaded from elsewhere.
// Everything that comes from the API (log text, titles, patches, file names) is untrusted:
// it only ever reaches the page through textContent / createTextNode, never as markup.
"use strict";

(() => {
  const TOKEN_KEY = "hephaestus.token";
  const state = { status: "", issues: [], selected: null };
  const $ = (sel) => document.querySelector(sel);

  // --- DOM helpers: build elements, text only ------------------------------------------------
  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "data") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function toast(message, kind) {
    const box = $("#toast");
    box.textContent = message;
    box.className = "toast " + (kind || "");
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { box.hidden = true; }, 4000);
  }

  function when(iso) {
    if (!iso) return "—";
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleString();
  }

  // --- API -----------------------------------------------------------------------------------
  class Unauthorized extends Error {}

  async function api(path, options) {
    const headers = { Accept: "application/json" };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = "Bearer " + token;
    const init = Object.assign({ headers, cache: "no-store" }, options || {});
    if (init.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(init.body);
    }
    const response = await fetch(path, init);
    let data = null;
    try { data = await response.json(); } catch (_) { data = null; }
    if (response.status === 401) throw new Unauthorized((data && data.error) || "unauthorized");
    if (!response.ok) throw new Error((data && data.error) || "HTTP " + response.status);
    return data;
  }

  // --- auth ----------------------------------------------------------------------------------
  function showAuth(message) {
    $("#app").hidden = true;
    $("#auth").hidden = false;
    $("#auth-error").textContent = message || "";
    $("#token-input").focus();
  }

  function onAuthSubmit(event) {
    event.preventDefault();
    const value = $("#token-input").value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $("#token-input").value = "";
    start();
  }

  function forgetToken() {
    sessionStorage.removeItem(TOKEN_KEY);
    showAuth("");
  }

  async function guarded(work) {
    try {
      return await work();
    } catch (err) {
      if (err instanceof Unauthorized) {
        const had = sessionStorage.getItem(TOKEN_KEY);
        sessionStorage.removeItem(TOKEN_KEY);
        showAuth(had ? "That token was refused." : "");
      } else {
        toast(err.message, "bad");
      }
      return undefined;
    }
  }

  // --- issue list ----------------------------------------------------------------------------
  function badge(text, kind) {
    return h("span", { class: "badge " + kind }, text);
  }

  function fixCell(issue) {
    const s = issue.solution;
    if (s) {
      const parts = [badge(s.status, "fix-" + s.status)];
      if (s.feedback) parts.push(badge(s.feedback, "fb-" + s.feedback));
      return parts;
    }
    return issue.diagnosis ? badge("diagnosis", "fix-none") : h("span", { class: "muted" }, "—");
  }

  function renderList() {
    const body = clear($("#issues tbody"));
    $("#empty").hidden = state.issues.length > 0;
    for (const issue of state.issues) {
      const row = h(
        "tr",
        {
          class: "issue-row" + (issue.id === state.selected ? " selected" : "") +
            (issue.status !== "open" ? " " + issue.status : ""),
          data: { id: issue.id },
          tabindex: 0,
          onclick: () => select(issue.id),
          onkeydown: (e) => { if (e.key === "Enter") select(issue.id); },
        },
        h("td", {}, badge(issue.severity, "sev-" + issue.severity)),
        h("td", { class: "num" }, String(issue.count)),
        h("td", { class: "title" }, h("span", { class: "issue-id" }, issue.id), " ", issue.title,
          issue.status !== "open" ? h("span", { class: "status-tag" }, issue.status) : null),
        h("td", { class: "fix" }, fixCell(issue)),
        h("td", { class: "when" }, when(issue.last_seen)),
      );
      body.append(row);
    }
  }

  async function loadList() {
    const query = state.status ? "?status=" + encodeURIComponent(state.status) : "";
    const data = await api("/api/issues" + query);
    state.issues = data.issues;
    renderList();
  }

  // --- issue detail --------------------------------------------------------------------------
  function section(title, ...content) {
    return h("section", { class: "block" }, h("h3", {}, title), ...content);
  }

  function framesBlock(issue) {
    if (!issue.frames.length) {
      return section("Stack", h("p", { class: "muted" }, "No stack trace in the logs."));
    }
    const list = h("ol", { class: "frames" });
    issue.frames.forEach((f, i) => {
      const innermost = i === issue.frames.length - 1;
      list.append(h("li", { class: innermost ? "innermost" : "" },
        h("div", { class: "frame-loc" },
          h("span", { class: "file" }, f.file), ":", h("span", { class: "line" }, f.line ?? "?"),
          " in ", h("span", { class: "func" }, f.function || "?")),
        f.source_line ? h("code", { class: "src" }, f.source_line) : null));
    });
    return section("Stack (innermost last)", list);
  }

  function diffView(patch) {
    const pre = h("pre", { class: "diff", "aria-label": "proposed patch" });
    for (const line of patch.split("\n")) {
      let kind = "ctx";
      if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ") ||
          line.startsWith("new file") || line.startsWith("index ")) kind = "meta";
      else if (line.startsWith("@@")) kind = "hunk";
      else if (line.startsWith("+")) kind = "add";
      else if (line.startsWith("-")) kind = "del";
      pre.append(h("span", { class: "dl " + kind }, line + "\n"));
    }
    return pre;
  }

  function validationBlock(v) {
    if (!v) return section("Validation", h("p", { class: "muted" }, "Not validated."));
    const yesNo = (x) => (x === null || x === undefined ? "—" : x ? "yes" : "no");
    const rows = [
      ["Outcome", v.passed ? "passed" : "failed"],
      ["Patch applied", yesNo(v.applied)],
      ["Tests before / after", v.tests_before + " / " + v.tests_after],
      ["Regression test failed before", yesNo(v.reproduced_before)],
      ["Regression test passes after", yesNo(v.fixed_after)],
      ["Regressions", v.regressions.length ? v.regressions.join(", ") : "none"],
      ["Duration", v.duration_s.toFixed(2) + " s"],
    ];
    if (v.reason) rows.push(["Reason", v.reason]);
    const table = h("dl", { class: "facts validation " + (v.passed ? "ok" : "bad") },
      rows.map(([k, val]) => [h("dt", {}, k), h("dd", {}, val)]));
    const tail = v.output_tail
      ? h("details", {}, h("summary", {}, "Test output (tail)"), h("pre", { class: "output" }, v.output_tail))
      : null;
    return section("Validation", table, tail);
  }

  function fixBlock(issue) {
    const s = issue.solution;
    if (!s) {
      return section("Fix", h("p", {}, issue.diagnosis ? "No code patch: " + issue.diagnosis
        : "No fix proposed for this issue."));
    }
    const decided = s.feedback
      ? h("p", { class: "verdict " + s.feedback }, "Fix " + s.feedback + ".")
      : null;
    const actions = h("div", { class: "actions" },
      h("button", { type: "button", class: "primary accept", id: "accept",
        onclick: () => feedback(issue.id, "accept") }, "Accept fix"),
      h("button", { type: "button", class: "danger reject", id: "reject",
        onclick: () => feedback(issue.id, "reject") }, "Reject fix"),
      decided);
    return section("Proposed fix",
      h("p", { class: "fix-meta" }, badge(s.status, "fix-" + s.status),
        " provider ", h("strong", {}, s.provider), " · score ", h("strong", {}, s.score.toFixed(2))),
      h("p", { class: "explanation" }, s.explanation),
      diffView(s.patch),
      actions);
  }

  function logsBlock(logs) {
    if (!logs.length) {
      return section("Related logs", h("p", { class: "muted" }, "No logs share a trace id with this issue."));
    }
    const table = h("table", { class: "logs" },
      h("thead", {}, h("tr", {}, h("th", {}, "Time"), h("th", {}, "Level"), h("th", {}, "Message"))),
      h("tbody", {}, logs.map((l) => h("tr", { class: "lvl-" + String(l.level || "").toLowerCase() },
        h("td", { class: "when" }, when(l.timestamp)), h("td", {}, l.level || "—"),
        h("td", { class: "msg" }, l.message)))));
    return section("Related logs", table);
  }

  function renderDetail(issue) {
    const box = clear($("#detail"));
    box.append(
      h("header", { class: "detail-head" },
        h("h2", {}, h("span", { class: "issue-id" }, issue.id), " ", issue.title),
        h("p", { class: "meta" }, badge(issue.severity, "sev-" + issue.severity), " ",
          badge(issue.status, "st-" + issue.status), " seen ", h("strong", {}, String(issue.count)),
          " times · first ", when(issue.first_seen), " · last ", when(issue.last_seen),
          issue.application ? " · app " + issue.application : "")),
      section("Message", h("pre", { class: "message" }, issue.message)),
      framesBlock(issue),
      fixBlock(issue),
      issue.solution ? validationBlock(issue.validation) : null,
      logsBlock(issue.related_logs));
  }

  async function select(id) {
    state.selected = id;
    if (location.hash !== "#" + id) history.replaceState(null, "", "#" + encodeURIComponent(id));
    renderList();
    await guarded(async () => {
      renderDetail(await api("/api/issues/" + encodeURIComponent(id)));
    });
  }

  async function feedback(id, verdict) {
    for (const b of document.querySelectorAll(".actions button")) b.disabled = true;
    await guarded(async () => {
      const result = await api("/api/issues/" + encodeURIComponent(id) + "/feedback",
        { method: "POST", body: { verdict } });
      toast(id + ": fix " + verdict + "ed" + (result.status === "resolved" ? ", issue resolved" : ""), "ok");
      await loadList();
      renderDetail(await api("/api/issues/" + encodeURIComponent(id)));
    });
    for (const b of document.querySelectorAll(".actions button")) b.disabled = false;
  }

  // --- start ---------------------------------------------------------------------------------
  async function start() {
    const ok = await guarded(async () => { await loadList(); return true; });
    if (!ok) return;
    $("#auth").hidden = true;
    $("#app").hidden = false;
    $("#forget-token").hidden = !sessionStorage.getItem(TOKEN_KEY);
    const wanted = decodeURIComponent(location.hash.slice(1));
    if (wanted) await select(wanted);
    document.body.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("#auth-form").addEventListener("submit", onAuthSubmit);
    $("#forget-token").addEventListener("click", forgetToken);
    for (const button of document.querySelectorAll(".filter")) {
      button.addEventListener("click", async () => {
        for (const b of document.querySelectorAll(".filter")) b.classList.toggle("active", b === button);
        state.status = button.dataset.status;
        await guarded(loadList);
      });
    }
    start();
  });
})();
