// Quiz attempt: save answers as you go, and show the time left calmly (it never moves focus).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-autosave]");
  var status = document.querySelector(".autosave-status");
  if (form && window.fetch && window.FormData) {
    var timer = null;
    var save = function () {
      fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                          headers: {"X-Requested-With": "fetch"}})
        .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
        .then(function (result) {
          if (result[0]) {
            form.querySelector("input[name=revision]").value = result[1].revision;
            status.textContent = status.dataset.savedText;
          } else {
            status.textContent = result[1].error || status.dataset.failedText;
          }
        })
        .catch(function () { status.textContent = status.dataset.failedText; });
    };
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(save, 400); });
  }
  var clock = document.getElementById("timer");
  var alert = document.getElementById("timer-alert");
  if (clock && clock.dataset.deadline) {
    var deadline = new Date(clock.dataset.deadline);
    var warned = {};
    var tick = function () {
      var left = Math.max(0, Math.ceil((deadline - new Date()) / 60000));
      clock.textContent = clock.dataset.template.replace("N", left);
      // Screen readers hear the time only at 5 and 1 minutes, not every tick.
      if ((left === 5 || left === 1) && !warned[left] && alert) {
        warned[left] = true;
        alert.textContent = alert.dataset.warning.replace("N", left);
      }
    };
    tick();
    setInterval(tick, 15000);
  }
});
