// A classic script in <head>, run before any form exists: until the page's modules have run
// (DOMContentLoaded fires after them), Enter in a form must not submit it the browser's own way —
// a GET would lose the call and put the sheet's values (an agency's name, a password) in the URL.
(function () {
  var ready = false;
  document.addEventListener("DOMContentLoaded", function () { ready = true; });
  document.addEventListener("submit", function (event) {
    if (!ready) event.preventDefault();
  }, true);
})();
