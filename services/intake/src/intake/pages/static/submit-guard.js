// A classic script in <head>, run before any form exists. Until the page's modules have run
// (DOMContentLoaded fires after them), Enter in a form must not submit it the browser's own way: a
// GET would lose the call and put the sheet's values (an agency's name, a password) in the URL.
// The early submit is held and made again once the modules listen, so the keystroke is not lost.
(function () {
  var ready = false;
  var held = null;
  document.addEventListener("DOMContentLoaded", function () {
    // After every other DOMContentLoaded listener, so a module that starts there listens too.
    setTimeout(function () {
      ready = true;
      if (held && held.form.isConnected) held.form.requestSubmit(held.submitter || undefined);
      held = null;
    }, 0);
  });
  document.addEventListener("submit", function (event) {
    if (ready) return;
    event.preventDefault();
    held = { form: event.target, submitter: event.submitter };
  }, true);
})();
