// Drag and drop onto the upload form, and polling a job page until the job has finished.
(function () {
  "use strict";
  var drop = document.getElementById("drop");
  var input = document.getElementById("files");
  var chosen = document.getElementById("chosen");
  function list() {
    if (!chosen || !input) return;
    chosen.innerHTML = "";
    Array.prototype.forEach.call(input.files, function (f) {
      var li = document.createElement("li");
      li.textContent = f.name + "（" + Math.ceil(f.size / 1024) + " KB）";
      chosen.appendChild(li);
    });
  }
  if (drop && input) {
    ["dragenter", "dragover"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files; // the form then submits them as ordinary multipart fields
        list();
      }
    });
    input.addEventListener("change", list);
  }

  // A running job: ask the API for progress and reload the page when more files are done.
  var job = document.getElementById("job");
  if (job && (job.dataset.status === "queued" || job.dataset.status === "running")) {
    var done = job.dataset.done;
    var timer = setInterval(function () {
      fetch("/api/v1/jobs/" + job.dataset.job, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) {
          if (!j) return;
          if (String(j.progress.done) !== done || j.status !== job.dataset.status) {
            clearInterval(timer);
            window.location.reload();
          }
        })
        .catch(function () {});
    }, 1500);
  }
  // The job list: progress updated in place (a reload would lose files chosen for upload).
  var STATUS = { queued: "排队中", running: "检查中", done: "已完成", failed: "失败" };
  function activeRows() {
    return Array.prototype.filter.call(document.querySelectorAll("tr[data-job]"), function (r) {
      return r.dataset.status === "queued" || r.dataset.status === "running";
    });
  }
  if (activeRows().length) {
    var listTimer = setInterval(function () {
      fetch("/api/v1/jobs?limit=100", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          data.jobs.forEach(function (j) {
            var row = document.querySelector('tr[data-job="' + j.id + '"]');
            if (!row) return;
            row.dataset.status = j.status;
            row.querySelector(".status").textContent = STATUS[j.status] || j.status;
            var bar = row.querySelector("progress");
            bar.max = j.progress.total || 1;
            bar.value = j.progress.done;
            row.querySelector(".count").textContent = j.progress.done + "/" + j.progress.total;
          });
          if (!activeRows().length) clearInterval(listTimer);
        })
        .catch(function () {});
    }, 2000);
  }
})();
