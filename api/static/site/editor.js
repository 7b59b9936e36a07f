// The SPARQL editor: YASGUI pointed at this service's /sparql, with the named queries one pick away.
(function () {
  "use strict";
  var named = JSON.parse(document.getElementById("named-queries").textContent);
  var starter = JSON.parse(document.getElementById("starter-query").textContent);
  var endpoint = window.location.origin + "/sparql";

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    autoAddOnInit: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { autocompleters: ["prefixes", "variables"], value: starter },
  });

  function openQuery(query) {
    var tab = yasgui.addTab(true, { name: query.title.slice(0, 40), yasqe: { value: query.text }, requestConfig: { endpoint: endpoint } });
    tab.show();
    return tab;
  }

  var first = yasgui.addTab(true, { name: "Start", yasqe: { value: starter }, requestConfig: { endpoint: endpoint } });
  first.show();

  document.getElementById("open-query").addEventListener("click", function () {
    var picked = document.getElementById("named-query").value;
    var query = named.find(function (q) { return q.name === picked; });
    if (query) { openQuery(query); }
  });
  window.dfkYasgui = yasgui;
})();
