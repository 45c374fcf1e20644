// Studio editor: when opened from a "file:line" message, select that line in the textarea.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("source");
  if (!source || !source.dataset.line) return;
  var line = parseInt(source.dataset.line, 10);
  var lines = source.value.split("\n");
  if (!(line >= 1 && line <= lines.length)) return;
  var start = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
  source.focus();
  source.setSelectionRange(start, start + lines[line - 1].length);
  var lineHeight = source.scrollHeight / lines.length;
  source.scrollTop = Math.max(0, (line - 5) * lineHeight);
});
