// Quiz attempt: save answers as you go, and show the time left politely (never moving focus).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-autosave]");
  var status = document.querySelector(".autosave-status");
  if (form && window.fetch && window.FormData) {
    var timer = null;
    var save = function () {
      var data = new FormData(form);
      fetch(form.action, {method: "POST", body: data, headers: {"X-Requested-With": "fetch"}, credentials: "same-origin"})
        .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
        .then(function (result) {
          if (result[0]) {
            form.querySelector("input[name=revision]").value = result[1].revision;
            status.textContent = form.dataset.savedText || "✓";
          } else {
            status.textContent = result[1].error || "";
          }
        })
        .catch(function () { status.textContent = ""; });
    };
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(save, 400); });
  }
  var clock = document.getElementById("timer");
  if (clock && clock.dataset.deadline) {
    var deadline = new Date(clock.dataset.deadline);
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - new Date()) / 60000));
      clock.dataset.minutesLeft = left;
      var text = clock.dataset.template ? clock.dataset.template.replace("N", left) : null;
      if (text) clock.textContent = text;
    };
    tick();
    setInterval(tick, 30000);
  }
});
