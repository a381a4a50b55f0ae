/* The mobile menu (the theme's off-canvas navigation) without Bootstrap's script, which
   visitors do not load; and 文字サイズ (標準/大/特大) and 配色 (標準/高コントラスト) of the utility bar.
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

  function menu() {
    var toggler = document.querySelector(".navbar-toggler[aria-controls]");
    var panel = toggler && document.getElementById(toggler.getAttribute("aria-controls"));
    if (!panel) { return; }
    // take the button over from Bootstrap's data API (loaded for logged-in staff only)
    toggler.removeAttribute("data-bs-toggle");
    toggler.setAttribute("aria-expanded", "false");
    if (!toggler.getAttribute("aria-label")) { toggler.setAttribute("aria-label", "メニュー"); }
    var closer = panel.querySelector("[data-bs-dismiss]");
    if (closer) { closer.removeAttribute("data-bs-dismiss"); closer.setAttribute("aria-label", "メニューを閉じる"); }

    function open() {
      panel.classList.add("show");
      toggler.setAttribute("aria-expanded", "true");
      var first = panel.querySelector("a, button, input");
      if (first) { first.focus(); }
    }
    function close() {
      if (!panel.classList.contains("show")) { return; }
      panel.classList.remove("show");
      toggler.setAttribute("aria-expanded", "false");
      toggler.focus();
    }
    toggler.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopImmediatePropagation();
      if (panel.classList.contains("show")) { close(); } else { open(); }
    });
    if (closer) { closer.addEventListener("click", close); }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); }
    });
  }

  // Drop-down menus of Plone's pages (search: 絞り込み, ソート) where Bootstrap's script is not loaded.
  function dropdowns() {
    if (document.querySelector('script[data-bundle="plone"]')) { return; }
    var toggles = document.querySelectorAll('[data-bs-toggle="dropdown"]');
    function closeAll(except) {
      for (var i = 0; i < toggles.length; i++) {
        if (toggles[i] !== except) {
          toggles[i].setAttribute("aria-expanded", "false");
          var other = toggles[i].parentNode.querySelector(".dropdown-menu");
          if (other) { other.classList.remove("show"); }
        }
      }
    }
    for (var i = 0; i < toggles.length; i++) {
      toggles[i].addEventListener("click", function (event) {
        var menuList = this.parentNode.querySelector(".dropdown-menu");
        if (!menuList) { return; }
        event.preventDefault();
        closeAll(this);
        var show = !menuList.classList.contains("show");
        menuList.classList.toggle("show", show);
        this.setAttribute("aria-expanded", show ? "true" : "false");
      });
    }
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") { closeAll(null); } });
  }

  function init() {
    menu();
    dropdowns();
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

  /* Printing: the answers of よくある質問 (closed <details> on /faq and in the landing pages' FAQ
     tile) are printed too; the ones the visitor had closed close again afterwards. */
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll("details:not([open])");
    for (var i = 0; i < closed.length; i++) { closed[i].open = true; openedForPrint.push(closed[i]); }
  });
  window.addEventListener("afterprint", function () {
    while (openedForPrint.length) { openedForPrint.pop().open = false; }
  });

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
