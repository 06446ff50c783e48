// The inbox's keyboard and its small helpers (no inline scripts: the CSP allows only 'self').
// List: j/k move, Enter opens, a takes the item, e resolves it, r opens it to answer.
// Item: r answers, e resolves, a takes it; a saved reply fills the answer box; the moderation
// dialog opens for the post its button names; the page says when you are writing.
(function () {
  "use strict";
  function typing(event) {
    var t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  function submitListAction(row, path, fields) {
    var form = document.getElementById("list-action");
    if (!form || !row) return;
    form.action = "/inbox/" + row.dataset.item + "/" + path;
    form.elements.version.value = row.dataset.version;
    Object.keys(fields).forEach(function (k) { form.elements[k].value = fields[k]; });
    form.submit();
  }
  var list = document.querySelector("[data-keys=inbox]");
  if (list) {
    var rows = Array.prototype.slice.call(list.querySelectorAll("tbody tr"));
    var at = -1;
    function select(i) {
      if (!rows.length) return;
      at = Math.max(0, Math.min(rows.length - 1, i));
      rows.forEach(function (r, n) { r.classList.toggle("selected", n === at); r.setAttribute("aria-selected", n === at ? "true" : "false"); });
      rows[at].focus();
    }
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      var row = rows[at];
      if (event.key === "j") { select(at + 1); event.preventDefault(); }
      else if (event.key === "k") { select(at < 0 ? 0 : at - 1); event.preventDefault(); }
      else if (event.key === "Enter" && row) { window.location = "/inbox/" + row.dataset.item; }
      else if (event.key === "r" && row) { window.location = "/inbox/" + row.dataset.item + "#reply"; }
      else if (event.key === "a" && row) { submitListAction(row, "assign", {email: "me"}); }
      else if (event.key === "e" && row) { submitListAction(row, "act", {action: "resolve"}); }
    });
    rows.forEach(function (r, n) { r.addEventListener("click", function () { select(n); }); });
  }
  var item = document.querySelector("[data-keys=item]");
  if (item) {
    var text = document.getElementById("reply-text");
    var state = document.getElementById("presence-state");
    if (window.location.hash === "#reply" && text) text.focus();
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "r" && text) { text.focus(); event.preventDefault(); }
      else if (event.key === "e") { var f = document.getElementById("resolve-form"); if (f) f.querySelector("button").click(); }
      else if (event.key === "a") { var g = document.getElementById("assign-form"); if (g && g.elements.email.options[0].value === "me") { g.elements.email.value = "me"; g.submit(); } }
      else if (event.key === "Escape") { window.location = "/inbox"; }
    });
    if (text && state) {
      var mark = function () { state.elements.composing.value = text.value.trim() ? "1" : "0"; };
      text.addEventListener("input", mark);
      mark();
    }
    var saved = document.getElementById("saved-reply");
    if (saved && text) {
      saved.addEventListener("change", function () {
        if (!saved.value) return;
        fetch(saved.dataset.compose + "?saved=" + encodeURIComponent(saved.value), {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.text() : Promise.reject(r); })
          .then(function (body) { text.value = body; text.dispatchEvent(new Event("input")); text.focus(); });
      });
    }
    var dialog = document.getElementById("moderate-dialog");
    if (dialog) {
      Array.prototype.forEach.call(document.querySelectorAll(".moderate-open"), function (button) {
        button.addEventListener("click", function () {
          dialog.querySelector("[name=post]").value = button.dataset.post;
          document.getElementById("moderate-who").textContent = button.dataset.author || "";
          dialog.showModal();
        });
      });
      dialog.querySelector(".moderate-close").addEventListener("click", function () { dialog.close(); });
    }
  }
})();
