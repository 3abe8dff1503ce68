// On pages with widgets, between require.js and the widget manager (all three deferred; added by
// _ext/nnmath_site.py). The manager derives the address of its font files from its RequireJS
// module name, relative to the page (book/@jupyter-widgets/html-manager/dist/..., which does not
// exist): a RequireJS "paths" entry points that name at the directory it is really served from.
(function () {
  "use strict";
  var loader = document.querySelector('script[src*="requirejs/require.js"]');
  if (loader && window.require && window.require.config) {
    var directory = loader.src.split("?")[0].replace(/requirejs\/require\.js$/, "html-manager");
    window.require.config({paths: {"@jupyter-widgets/html-manager/dist": directory}});
  }
})();
