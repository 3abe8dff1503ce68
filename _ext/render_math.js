// Typesets TeX at build time with MathJax 3 in Node, for _ext/nnmath_site.py.
//
//   node render_math.js MATHJAX_ES5_DIR FONT_URL < request.json > reply.json
//
// request.json: {"formulas": [[tex, display], ...]}
// reply.json:   {"html": [html, ...], "css": stylesheet, "errors": [[index, message], ...]}
//
// Each formula becomes MathJax's CommonHTML output (what the browser would have
// made) with its MathML beside it for screen readers (assistive-mml). The one
// stylesheet covers every formula; it finds MathJax's fonts at FONT_URL.
"use strict";

const path = require("path");

const [mathjaxDir, fontURL] = process.argv.slice(2);
if (!mathjaxDir || !fontURL) {
  console.error("usage: node render_math.js MATHJAX_ES5_DIR FONT_URL < request.json");
  process.exit(2);
}
const root = path.resolve(mathjaxDir);

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const formulas = JSON.parse(input).formulas;
  const errors = [];
  let current = -1;
  require(path.join(root, "node-main.js")).init({
    loader: {
      paths: {mathjax: root},
      load: ["adaptors/liteDOM", "input/tex-full", "output/chtml", "a11y/assistive-mml"],
      require: require,
      versionWarnings: false,
    },
    tex: {
      // Sphinx numbers the equations itself.
      tags: "none",
      // A TeX error fails the build instead of showing red text on the page.
      packages: {"[-]": ["noerrors", "noundefined"]},
      formatError: (jax, error) => { errors.push([current, error.message]); return jax.formatError(error); },
    },
    chtml: {fontURL: fontURL, adaptiveCSS: true},
    startup: {typeset: false},
  }).then((MathJax) => {
    const adaptor = MathJax.startup.adaptor;
    const html = formulas.map(([tex, display], index) => {
      current = index;
      try {
        return adaptor.outerHTML(MathJax.tex2chtml(tex, {display: Boolean(display)}));
      } catch (error) {  // MathJax itself failed on this formula: name it, like a TeX error
        errors.push([index, `MathJax failed: ${error && error.message ? error.message : String(error)}`]);
        return "";
      }
    });
    const css = adaptor.textContent(MathJax.chtmlStylesheet());
    process.stdout.write(JSON.stringify({html, css, errors}));
  }).catch((error) => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exit(1);
  });
});
