// Renders LaTeX strings with KaTeX and MathJax 3 (as notebooks and web pages do) and reports failures.
// Input (stdin): a JSON list of LaTeX strings (display math).  Output (stdout): a JSON list of
// {index, renderer, error} for every string a renderer rejects or marks as an error.
const katex = require("katex");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const doc = mathjax.document("", {
  InputJax: new TeX({ packages: AllPackages.filter((p) => p !== "noundefined"), formatError: (jax, err) => { throw err; } }),
  OutputJax: new SVG({ fontCache: "none" }),
});

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const failures = [];
  JSON.parse(input).forEach((tex, index) => {
    try {
      katex.renderToString(tex, { displayMode: true, throwOnError: true, strict: "ignore" });
    } catch (err) {
      failures.push({ index, renderer: "katex", error: String(err.message || err) });
    }
    try {
      const node = doc.convert(tex, { display: true });
      const html = adaptor.outerHTML(node);
      if (html.includes("data-mjx-error") || html.includes("merror")) {
        failures.push({ index, renderer: "mathjax", error: "rendered as an error" });
      }
    } catch (err) {
      failures.push({ index, renderer: "mathjax", error: String(err.message || err) });
    }
  });
  process.stdout.write(JSON.stringify(failures));
});
