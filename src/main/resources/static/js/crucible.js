// Crucible admin UI behaviour. Loaded from a file (the CSP allows no inline script).
(function () {
  "use strict";

  // htmx requests carry the session's CSRF token, as the forms do.
  document.addEventListener("htmx:configRequest", function (event) {
    var header = document.querySelector('meta[name="csrf-header"]');
    var token = document.querySelector('meta[name="csrf-token"]');
    if (header && token) {
      event.detail.headers[header.content] = token.content;
    }
  });

  // In code areas, Tab inserts four spaces (Shift+Tab removes them) instead of leaving the field.
  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (event.key !== "Tab" || !area.classList || !area.classList.contains("code-editor")) {
      return;
    }
    event.preventDefault();
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var value = area.value;
    if (event.shiftKey) {
      var lineStart = value.lastIndexOf("\n", start - 1) + 1;
      var remove = value.substring(lineStart, lineStart + 4).match(/^ */)[0].length;
      area.value = value.substring(0, lineStart) + value.substring(lineStart + remove);
      area.selectionStart = area.selectionEnd = Math.max(lineStart, start - remove);
    } else {
      area.value = value.substring(0, start) + "    " + value.substring(end);
      area.selectionStart = area.selectionEnd = start + 4;
    }
  });

  // "Add a file" / "Add a test case": another row from the fieldset's template.
  document.addEventListener("click", function (event) {
    var button = event.target;
    if (!button.classList || !button.classList.contains("add-row")) {
      return;
    }
    var fieldset = button.closest("fieldset.repeat");
    var template = fieldset.querySelector("template");
    var rows = fieldset.querySelector(".repeat-rows");
    rows.appendChild(template.content.firstElementChild.cloneNode(true));
    var first = rows.lastElementChild.querySelector("input, textarea");
    if (first) {
      first.focus();
    }
  });

  // Dashboard charts (uPlot), drawn from /dashboard/metrics.json and refreshed every 30 s.
  var charts = {};

  function size(element) {
    return { width: Math.max(280, element.clientWidth), height: 200 };
  }

  function draw(metrics) {
    var throughput = document.getElementById("chart-throughput");
    if (throughput) {
      var data = [metrics.throughput.minutes, metrics.throughput.ended];
      if (charts.throughput) {
        charts.throughput.setData(data);
      } else {
        charts.throughput = new uPlot(Object.assign(size(throughput), {
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { y: { range: function (u, min, max) { return [0, Math.max(5, max)]; } } },
          axes: [{}, { label: "ended / min" }],
          series: [{}, { label: "ended", stroke: "#d9480f", fill: "rgba(217,72,15,0.12)", width: 2 }]
        }), data, throughput);
      }
    }
    var runtime = document.getElementById("chart-runtime");
    if (runtime) {
      var labels = metrics.runtime.buckets;
      var xs = labels.map(function (_, i) { return i; });
      var runtimeData = [xs, metrics.runtime.counts];
      if (charts.runtime) {
        charts.runtime.setData(runtimeData);
      } else {
        charts.runtime = new uPlot(Object.assign(size(runtime), {
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: false, range: [-0.5, labels.length - 0.5] },
                    y: { range: function (u, min, max) { return [0, Math.max(5, max)]; } } },
          axes: [
            { values: function (u, splits) { return splits.map(function (i) { return labels[i] || ""; }); },
              splits: function () { return xs; }, rotate: -45, size: 48, font: "11px system-ui, sans-serif" },
            { label: "runs" }
          ],
          series: [{}, { label: "runs", stroke: "#1c5fb8", fill: "rgba(28,95,184,0.35)",
                         paths: uPlot.paths.bars({ size: [0.8, 60] }), points: { show: false } }]
        }), runtimeData, runtime);
      }
    }
  }

  function loadCharts() {
    var element = document.getElementById("chart-throughput");
    if (!element || typeof uPlot === "undefined") {
      return;
    }
    fetch(element.dataset.src, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (metrics) { if (metrics) { draw(metrics); } })
      .catch(function () { /* the next refresh tries again */ });
  }

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (key) {
      var chart = charts[key];
      chart.setSize(size(chart.root.parentNode));
    });
  });

  // Batch upload: drag and drop onto the drop zone, and an upload progress bar (XHR to the API).
  function setUpBatchUpload() {
    var form = document.getElementById("batch-form");
    if (!form) {
      return;
    }
    var zone = document.getElementById("dropzone");
    var input = document.getElementById("files");
    var chosen = document.getElementById("chosen");
    var error = document.getElementById("upload-error");
    function showChosen() {
      var n = input.files.length;
      chosen.textContent = n === 0 ? "" : n === 1 ? input.files[0].name : n + " files";
    }
    input.addEventListener("change", showChosen);
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      input.files = event.dataTransfer.files;
      showChosen();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var files = input.files;
      if (files.length === 0) {
        return;
      }
      var data = new FormData();
      var archive = files.length === 1 && /\.(zip|tar\.gz|tgz|tar)$/i.test(files[0].name);
      for (var i = 0; i < files.length; i++) {
        data.append(archive ? "file" : "files", files[i]);
      }
      ["name", "language", "timeout", "memory_limit", "cpu_limit"].forEach(function (field) {
        var value = form.elements[field].value;
        if (value) {
          data.append(field, value);
        }
      });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.dataset.api);
      var header = document.querySelector('meta[name="csrf-header"]');
      var token = document.querySelector('meta[name="csrf-token"]');
      if (header && token) {
        xhr.setRequestHeader(header.content, token.content);
      }
      var bar = document.getElementById("upload-bar");
      var percent = document.getElementById("upload-percent");
      document.getElementById("upload-progress").classList.remove("hidden");
      document.getElementById("upload").disabled = true;
      error.classList.add("hidden");
      xhr.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var p = Math.round(100 * progress.loaded / progress.total);
          bar.value = p;
          percent.textContent = p + "%";
        }
      });
      xhr.addEventListener("load", function () {
        if (xhr.status === 202) {
          var batch = JSON.parse(xhr.responseText);
          window.location.href = "/batches/" + encodeURIComponent(batch.batch_id);
          return;
        }
        var message = "The upload was refused (" + xhr.status + ")";
        try {
          var body = JSON.parse(xhr.responseText);
          var detail = body.detail;
          message = typeof detail === "string" ? detail : detail.map(function (d) { return d.msg; }).join("; ");
        } catch (ignored) { /* keep the generic message */ }
        error.textContent = message;
        error.classList.remove("hidden");
        document.getElementById("upload").disabled = false;
      });
      xhr.addEventListener("error", function () {
        error.textContent = "The upload failed: the connection was lost.";
        error.classList.remove("hidden");
        document.getElementById("upload").disabled = false;
      });
      xhr.send(data);
    });
  }

  // An evaluation that has not ended: its panel follows the evaluation's event stream
  // (/api/eval/{id}/events). Output is added as the program writes it; a new status brings the
  // panel again (the live output is put back into it); the result brings the final panel and ends
  // the stream. EventSource reconnects by itself and resumes from the last event it had.
  var live = null;

  function follow() {
    var panel = document.getElementById("panel");
    if (!panel) {
      return;
    }
    var url = panel.getAttribute("data-events");
    if (!url) {
      if (live) {
        live.source.close();
        live = null;
      }
      return;
    }
    if (live && live.url === url) {
      showLive();
      return;
    }
    live = { url: url, output: "", stdout: "", stderr: "", status: panel.getAttribute("data-status"),
      source: new EventSource(url) };
    var source = live.source;
    source.addEventListener("output", function (event) {
      var data = JSON.parse(event.data);
      live.output += data.text;
      if (data.stream === "stderr") {
        live.stderr += data.text;
      } else {
        live.stdout += data.text;
      }
      showLive();
    });
    source.addEventListener("status", function (event) {
      var data = JSON.parse(event.data);
      var position = document.getElementById("queue-position");
      if (data.status === "queued" && position && data.queue_position != null) {
        position.textContent = "position " + data.queue_position + " in the queue";
      }
      if (data.status !== live.status) {
        live.status = data.status;
        refreshPanel();
      }
    });
    source.addEventListener("result", function () {
      source.close();
      live = null;
      refreshPanel();
    });
  }

  function refreshPanel() {
    var panel = document.getElementById("panel");
    if (panel && window.htmx) {
      htmx.ajax("GET", panel.getAttribute("data-panel"), { target: "#panel", swap: "outerHTML" });
    }
  }

  function showLive() {
    if (!live) {
      return;
    }
    ["output", "stdout", "stderr"].forEach(function (id) {
      var element = document.getElementById(id);
      if (element && element.textContent !== live[id]) {
        element.textContent = live[id];
      }
    });
  }

  document.addEventListener("htmx:afterSwap", follow);

  document.addEventListener("DOMContentLoaded", function () {
    follow();
    loadCharts();
    setInterval(loadCharts, 30000);
    setUpBatchUpload();
  });
})();
