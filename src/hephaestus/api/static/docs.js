// Offline API reference: renders /openapi.json as text (no Swagger UI, nothing from a CDN).
"use strict";

(() => {
  function h(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function resolve(spec, schema) {
    if (schema && schema.$ref) {
      const name = schema.$ref.split("/").pop();
      return spec.components.schemas[name] || schema;
    }
    return schema;
  }

  function parameters(op) {
    if (!op.parameters || !op.parameters.length) return null;
    const rows = op.parameters.map((p) => h("tr", "",
      h("td", "", h("code", "", p.name)), h("td", "", p.in),
      h("td", "", p.required ? "required" : "optional"), h("td", "", p.description || "")));
    return [h("h3", "", "Parameters"), h("table", "", h("tbody", "", ...rows))];
  }

  function body(spec, op) {
    const content = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
    if (!content) return null;
    const schema = resolve(spec, content.schema);
    return [h("h3", "", "JSON body"), h("pre", "", JSON.stringify(schema, null, 2))];
  }

  function responses(op) {
    const codes = Object.keys(op.responses || {});
    return [h("h3", "", "Responses"), h("p", "", codes.map((c) =>
      c + " " + (op.responses[c].description || "")).join(" · "))];
  }

  async function main() {
    const response = await fetch("/openapi.json", { headers: { Accept: "application/json" } });
    const spec = await response.json();
    document.getElementById("version").textContent = "version " + spec.info.version;
    document.getElementById("description").textContent = spec.info.description || "";
    const box = document.getElementById("operations");
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const card = h("section", "card op",
          h("h2", "", h("span", "method " + method, method.toUpperCase()), h("span", "path", path),
            h("span", "summary", op.summary || "")),
          op.description ? h("p", "", op.description) : null);
        for (const part of [parameters(op), body(spec, op), responses(op)]) {
          if (part) card.append(...part);
        }
        box.append(card);
      }
    }
  }

  document.addEventListener("DOMContentLoaded", main);
})();
