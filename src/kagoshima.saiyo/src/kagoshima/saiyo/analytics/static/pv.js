/* Page-view beacon of kagoshima.saiyo (inlined by analytics/viewlets.py).
   Rendered only on published pages viewed anonymously. Sends the page's signed token
   once, after "load", and only when the page is really shown: a prerendered page waits
   until it is activated; prefetches never run scripts. Nothing else is sent. */
(function () {
  var meta = document.querySelector('meta[name="saiyo-pv"]');
  if (!meta || !navigator.sendBeacon || !window.URLSearchParams) {
    return;
  }
  var sent = false;
  function send() {
    if (sent) {
      return;
    }
    sent = true;
    var body = new URLSearchParams();
    body.set("t", meta.getAttribute("content"));
    navigator.sendBeacon(meta.getAttribute("data-endpoint"), body);
  }
  function whenLoaded() {
    if (document.readyState === "complete") {
      send();
    } else {
      window.addEventListener("load", send, { once: true });
    }
  }
  if (document.prerendering || document.visibilityState === "prerender") {
    document.addEventListener("prerenderingchange", whenLoaded, { once: true });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        whenLoaded();
      }
    });
  } else {
    whenLoaded();
  }
})();
