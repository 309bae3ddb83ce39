// The HTML report's only script: filters (severity, rule, namespace) and search over the findings
// already in the page. It reads data attributes and sets `hidden`/textContent only, never HTML, so
// no scanned text can become markup. The page's CSP allows exactly this script by its hash.
export const FILTER_SCRIPT = `(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var findings = Array.prototype.slice.call(document.querySelectorAll('li.f'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('.cause'));
  var resources = Array.prototype.slice.call(document.querySelectorAll('.resource'));
  var counter = document.getElementById('shown');
  var none = document.getElementById('none-shown');
  function apply() {
    var sev = {};
    Array.prototype.forEach.call(form.querySelectorAll('input[name=sev]'), function (c) { sev[c.value] = c.checked; });
    var rule = form.elements.rule.value;
    var ns = form.elements.ns.value;
    var q = form.elements.q.value.trim().toLowerCase();
    var shown = 0;
    findings.forEach(function (li) {
      var d = li.dataset;
      var ok = sev[d.sev] && (!rule || d.rule === rule) && (!ns || d.ns === ns) && (!q || li.textContent.toLowerCase().indexOf(q) >= 0 || d.where.toLowerCase().indexOf(q) >= 0);
      li.hidden = !ok;
      if (ok) shown++;
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('li.f:not([hidden])'); });
    resources.forEach(function (r) { r.hidden = !r.querySelector('li.f:not([hidden])'); });
    counter.textContent = String(shown);
    none.hidden = shown > 0;
  }
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  apply();
})();`;
