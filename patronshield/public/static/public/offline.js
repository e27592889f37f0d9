/* Registers the service worker that keeps the rights pages (and the PDFs opened from
   them) on this device, so they open again without internet. Nothing is sent anywhere. */
(function () {
  var me = document.currentScript;
  if (!me || !("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    // Once the worker controls the page it keeps what the page fetches by itself; only
    // the first visit, before it took over, needs this page and its files sent to it.
    var first = !navigator.serviceWorker.controller;
    navigator.serviceWorker
      .register(me.dataset.sw, { scope: me.dataset.scope })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        if (!first) return;
        var urls = [location.pathname + location.search];
        document.querySelectorAll("link[rel=stylesheet], script[src]").forEach(function (el) {
          urls.push(el.getAttribute("href") || el.getAttribute("src"));
        });
        registration.active.postMessage({ cache: urls });
      })
      .catch(function () { /* offline copies are a bonus: the page works without them */ });
  });
})();
