/**
 * Script served to the emulated ConnectWise pages. It mimics the GWT app's in-place
 * navigation: clicks on record links push the record's real URL with history.pushState and
 * re-render #cwContent from `__ui/record` JSON (built with DOM APIs, never innerHTML);
 * back/forward and hash states (`#startscreen=sr150&state={..."rd":N...}`) re-render too.
 * `window.__cwNavigations` counts in-app navigations (it resets only on a real reload).
 */
export const UI_CLIENT_JS = String.raw`(function () {
  'use strict';
  var content = document.getElementById('cwContent');
  var codebase = location.pathname.split('/')[1] || 'v4_6_release';
  var seq = 0;
  window.__cwNavigations = 0;
  window.__cwRenders = 0;

  function build(v) {
    if (typeof v === 'string') return document.createTextNode(v);
    var el = document.createElement(v.tag);
    var attrs = v.attrs || {};
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if ('value' in attrs) el.value = attrs.value;
    (v.children || []).forEach(function (c) { el.appendChild(build(c)); });
    return el;
  }

  function load(url) {
    var mine = ++seq;
    return fetch('/' + codebase + '/__ui/record?url=' + encodeURIComponent(url), { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== seq) return; // a later navigation won
        document.title = data.title;
        content.replaceChildren(build(data.view));
        window.__cwRenders++;
      });
  }

  function navigate(href) {
    history.pushState({ cw: true }, '', href);
    window.__cwNavigations++;
    return load(location.href);
  }
  window.__cwNavigate = navigate;

  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('a[data-cw-nav]') : null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(a.href);
  });
  window.addEventListener('popstate', function () { window.__cwNavigations++; load(location.href); });
  window.addEventListener('hashchange', function () { if (/startscreen=/i.test(location.hash)) load(location.href); });
  // The server never sees the hash: hash-state URLs are resolved once the script runs.
  if (/startscreen=/i.test(location.hash)) load(location.href);
})();
`;
