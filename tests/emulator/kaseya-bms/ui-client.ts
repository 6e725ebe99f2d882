/**
 * Script served to the emulated BMS pages. On every page it publishes the auth-state hook
 * `localStorage.PSAUserInfo` (docs/psa/kaseya-bms.md#page-hooks). On React-UI pages (`#psa-content`) it mimics
 * the single-page app: clicks on `a[data-bms-nav]` push the target URL with history.pushState,
 * show a loading placeholder, and re-render from `/react/__ui/view` JSON (built with DOM APIs,
 * never innerHTML); back/forward re-render too. `window.__bmsNavigations` counts in-app
 * navigations since the last real page load, `window.__bmsRenders` client-side renders.
 */
export function uiClientJs(userInfo: Record<string, unknown>): string {
  const user = JSON.stringify(userInfo).replace(/</g, '\\u003c');
  return String.raw`(function () {
  'use strict';
  try { localStorage.setItem('PSAUserInfo', JSON.stringify(${user})); } catch (e) { /* storage disabled */ }
  window.__bmsNavigations = 0;
  window.__bmsRenders = 0;
  var content = document.getElementById('psa-content');
  if (!content) return; // legacy WebForms page: full page loads only
  var seq = 0;

  function build(v) {
    if (typeof v === 'string') return document.createTextNode(v);
    var el = document.createElement(v.tag);
    var attrs = v.attrs || {};
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if ('value' in attrs) el.value = attrs.value;
    (v.children || []).forEach(function (c) { el.appendChild(build(c)); });
    return el;
  }

  function here() { return location.pathname + location.search; }

  function load(url) {
    var mine = ++seq;
    return fetch('/react/__ui/view?url=' + encodeURIComponent(url), { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== seq) return; // a later navigation won
        document.title = data.title;
        content.replaceChildren(build(data.view));
        window.__bmsRenders++;
      });
  }

  function navigate(href) {
    history.pushState({ bms: true }, '', href);
    window.__bmsNavigations++;
    var spinner = document.createElement('div');
    spinner.className = 'psa-loading';
    spinner.textContent = 'Loading...';
    content.replaceChildren(spinner);
    return load(here());
  }
  window.__bmsNavigate = navigate;

  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('a[data-bms-nav]') : null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(a.getAttribute('href'));
  });
  window.addEventListener('popstate', function () { window.__bmsNavigations++; load(here()); });
  // Client-side first render (option reactSsr: false): the shell arrives empty, like a real SPA.
  if (content.getAttribute('data-ssr') === '0') load(here());
})();
`;
}
