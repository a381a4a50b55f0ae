/* 文字サイズ (標準/大/特大) and 配色 (標準/高コントラスト) of the utility bar.
   The choice is kept in localStorage ("saiyo.size", "saiyo.scheme") and set as
   data-saiyo-size / data-saiyo-scheme on <html>; an inline script in the head
   (theme/templates/head.pt) applies it before the first paint on every page. */
(function () {
  "use strict";
  var root = document.documentElement;
  var SETTINGS = { size: ["", "large", "xlarge"], scheme: ["", "contrast"] };

  function store(key, value) {
    try {
      if (value) { window.localStorage.setItem("saiyo." + key, value); }
      else { window.localStorage.removeItem("saiyo." + key); }
    } catch (e) { /* private mode: the setting lasts for this page only */ }
  }

  function apply(key, value) {
    if (SETTINGS[key].indexOf(value) < 0) { value = ""; }
    if (value) { root.setAttribute("data-saiyo-" + key, value); }
    else { root.removeAttribute("data-saiyo-" + key); }
    var buttons = document.querySelectorAll("button[data-saiyo-" + key + "]");
    for (var i = 0; i < buttons.length; i++) {
      var pressed = buttons[i].getAttribute("data-saiyo-" + key) === value;
      buttons[i].setAttribute("aria-pressed", pressed ? "true" : "false");
    }
  }

  function init() {
    Object.keys(SETTINGS).forEach(function (key) {
      apply(key, root.getAttribute("data-saiyo-" + key) || "");
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest(".saiyo-utility button");
      if (!button) { return; }
      Object.keys(SETTINGS).forEach(function (key) {
        if (button.hasAttribute("data-saiyo-" + key)) {
          var value = button.getAttribute("data-saiyo-" + key);
          apply(key, value);
          store(key, value);
        }
      });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
