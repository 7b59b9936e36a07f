// The contribution page: send the batch to POST /validate (or POST /cases with a token) and show the report.
(function () {
  "use strict";
  var text = document.getElementById("batch-text");
  var format = document.getElementById("batch-format");
  var report = document.getElementById("report");
  var TYPES = { csv: "text/csv", json: "application/json", jsonld: "application/ld+json", ttl: "text/turtle" };

  document.getElementById("batch-file").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (!file) { return; }
    var extension = file.name.split(".").pop().toLowerCase();
    if (TYPES[extension]) { format.value = TYPES[extension]; }
    file.text().then(function (content) { text.value = content; });
  });

  function cell(row, value, className) {
    var td = document.createElement("td");
    td.textContent = value === undefined || value === null ? "" : String(value);
    if (className) { td.className = className; }
    row.appendChild(td);
  }

  function problemsOf(body) {
    if (Array.isArray(body)) { return body; }
    if (body.report) { return problemsOf(body.report); }
    var keys = ["problems", "results", "errors", "violations", "issues"];
    for (var i = 0; i < keys.length; i++) { if (Array.isArray(body[keys[i]])) { return body[keys[i]]; } }
    return [];
  }

  function show(status, body) {
    report.innerHTML = "";
    var problems = problemsOf(body);
    var summary = document.createElement("p");
    var blocking = problems.filter(function (p) { return p.severity !== "warning"; }).length;
    var failed = status >= 400 || body.conforms === false;
    summary.className = "summary " + (failed ? "error" : "ok");
    summary.id = "report-summary";
    var words = [];
    if (status >= 400) { words.push(body.error || body.detail || ("The service answered " + status + ".")); }
    if (Array.isArray(body.stored)) { words.push("Stored " + body.stored.length + " case record(s): " + body.stored.join(", ") + "."); }
    if (!failed && !body.stored) { words.push("Valid: nothing blocks loading."); }
    if (problems.length) {
      words.push(blocking + " violation(s), " + (problems.length - blocking) + " warning(s).");
    }
    summary.textContent = words.join(" ");
    report.appendChild(summary);
    if (problems.length === 0) { return; }
    var table = document.createElement("table");
    table.className = "data";
    table.id = "report-table";
    var head = table.createTHead().insertRow();
    ["severity", "where", "field", "value", "problem", "expected"].forEach(function (name) {
      var th = document.createElement("th"); th.textContent = name; head.appendChild(th);
    });
    var tbody = table.createTBody();
    problems.forEach(function (p) {
      var tr = tbody.insertRow();
      tr.className = "problem " + (p.severity || "");
      cell(tr, p.severity);
      cell(tr, p.place || [p.focus, p.path].filter(Boolean).join(" "), "problem-place");
      cell(tr, p.field, "problem-field");
      cell(tr, p.value, "mono");
      cell(tr, p.message);
      cell(tr, p.expected);
    });
    report.appendChild(table);
  }

  function send(url, headers) {
    headers["Content-Type"] = format.value;
    headers["Accept"] = "application/json";
    report.textContent = "Checking…";
    fetch(url, { method: "POST", headers: headers, body: text.value })
      .then(function (response) {
        return response.text().then(function (raw) {
          var body;
          try { body = JSON.parse(raw); } catch (error) { body = { detail: raw || response.statusText }; }
          show(response.status, body);
        });
      })
      .catch(function (error) { show(599, { detail: "The service did not answer: " + error.message }); });
  }

  document.getElementById("check-batch").addEventListener("click", function () { send("/validate", {}); });
  document.getElementById("submit-batch").addEventListener("click", function () {
    var token = document.getElementById("batch-token").value.trim();
    send("/cases", token ? { Authorization: "Bearer " + token } : {});
  });
})();
