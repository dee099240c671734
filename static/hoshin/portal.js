/* hoshin portal — progressive enhancement only; every page works without this file.
 * On a plan page: adds "expand all / collapse all" buttons and opens every node before
 * printing (restoring the reader's choice afterwards).
 */
(function () {
  "use strict";
  var tree = document.querySelector("[data-plan-tree]");
  var tools = document.querySelector("[data-tree-tools]");
  if (!tree) {
    return;
  }

  function nodes() {
    return tree.querySelectorAll("details");
  }

  function setAll(open) {
    Array.prototype.forEach.call(nodes(), function (details) {
      details.open = open;
    });
  }

  function addButton(label, open) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = label;
    button.addEventListener("click", function () {
      setAll(open);
    });
    tools.appendChild(button);
  }

  if (tools) {
    addButton(tools.getAttribute("data-expand-label"), true);
    addButton(tools.getAttribute("data-collapse-label"), false);
    tools.hidden = false;
  }

  var closedBeforePrint = [];
  window.addEventListener("beforeprint", function () {
    closedBeforePrint = Array.prototype.filter.call(nodes(), function (details) {
      return !details.open;
    });
    setAll(true);
  });
  window.addEventListener("afterprint", function () {
    closedBeforePrint.forEach(function (details) {
      details.open = false;
    });
    closedBeforePrint = [];
  });

  // Following a link to a node or action inside a closed node opens the way to it.
  function revealTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var el = target; el && el !== tree; el = el.parentElement) {
      if (el.tagName === "DETAILS") {
        el.open = true;
      }
    }
  }
  window.addEventListener("hashchange", revealTarget);
  revealTarget();
})();
