// GET /docs: starts Swagger UI on the API's own document (openapi.json, beside this page), nothing
// fetched from anywhere else (no validator badge). Swagger UI leaves a few controls without a name
// (the server choice, a parameter's select or input, the request body) and its code samples out of
// keyboard reach: each is named, and made focusable, as it appears.
function mend() {
  for (const s of document.querySelectorAll('select#servers:not([aria-label])')) s.setAttribute('aria-label', 'Server');
  for (const i of document.querySelectorAll('.servers input:not([aria-label])')) i.setAttribute('aria-label', 'Server variable');
  for (const c of document.querySelectorAll('tr[data-param-name] :is(select, input, textarea):not([aria-label])'))
    c.setAttribute('aria-label', c.closest('tr').getAttribute('data-param-name'));
  for (const t of document.querySelectorAll('textarea:not([aria-label])')) t.setAttribute('aria-label', 'Request body');
  for (const p of document.querySelectorAll('.highlight-code > pre:not([tabindex]), pre.microlight:not([tabindex])')) p.setAttribute('tabindex', '0');
}
new MutationObserver(mend).observe(document.body, { childList: true, subtree: true });
window.ui = SwaggerUIBundle({
  url: 'openapi.json',
  dom_id: '#swagger-ui',
  validatorUrl: null,
  // Deep links put a link inside each operation's button (nested interactive controls).
  deepLinking: false,
  // Its colours on the dark sample background fall short of WCAG AA contrast.
  syntaxHighlight: false,
});
