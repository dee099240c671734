// The staff menu is a <details> so that it folds away on a phone and still works without
// JavaScript. On wide screens it should simply be open: backoffice.css does that where the
// browser supports ::details-content; this does it everywhere else, and folds the menu again
// when the window becomes narrow.
(function () {
  "use strict";
  var menu = document.querySelector("[data-staff-menu]");
  if (!menu || !window.matchMedia) {
    return;
  }
  var wide = window.matchMedia("(min-width: 60rem)");
  if (wide.matches) {
    menu.open = true;
  }
  wide.addEventListener("change", function (event) {
    menu.open = event.matches;
  });
})();
