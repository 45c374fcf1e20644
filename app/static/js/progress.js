// Bulk job page: follow the progress without reloading; when done, reload once to show the download.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-progress-url]");
  if (!box || !window.fetch) return;
  var bar = box.querySelector("progress");
  var text = box.querySelector(".progress-text");
  var poll = function () {
    fetch(box.dataset.progressUrl, {credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.max = Math.max(job.total, 1);
        bar.value = job.done;
        text.textContent = job.done + " / " + job.total;
        if (job.state === "done") { window.location.reload(); } else { setTimeout(poll, 2000); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  };
  if (!document.querySelector("a[href$='.zip']")) setTimeout(poll, 1000);
});
