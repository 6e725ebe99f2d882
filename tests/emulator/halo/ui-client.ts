/**
 * Script served to the emulated Halo pages. It mimics the React app's in-place navigation
 * (docs/psa/halo.md#web-ui): clicks on in-app links push the record's real URL with history.pushState
 * and re-render #halo-content from `/__ui/view` JSON (built with DOM APIs, never innerHTML);
 * back/forward re-render too. `window.__haloNavigations` counts in-app navigations since the
 * last real page load; `window.__haloNavigate(url)` navigates programmatically.
 */
export const UI_CLIENT_JS = String.raw`(function () {
  'use strict';
  var content = document.getElementById('halo-content');
  var seq = 0;
  window.__haloNavigations = 0;
  window.__haloRenders = 0;

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
    return fetch('/__ui/view?url=' + encodeURIComponent(url), { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== seq) return; // a later navigation won
        document.title = data.title;
        document.body.setAttribute('data-halo-view', data.target.type);
        content.replaceChildren(build(data.view));
        window.__haloRenders++;
        window.dispatchEvent(new CustomEvent('halo:rendered', { detail: data.target }));
      });
  }

  function navigate(href) {
    history.pushState({ halo: true }, '', href);
    window.__haloNavigations++;
    return load(location.href);
  }
  window.__haloNavigate = navigate;

  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('a[data-halo-nav]') : null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (a.origin !== location.origin) return;
    e.preventDefault();
    navigate(a.href);
  });
  window.addEventListener('popstate', function () { window.__haloNavigations++; load(location.href); });
})();
`;
