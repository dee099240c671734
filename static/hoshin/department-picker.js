/* hoshin department picker — progressive enhancement of org/widgets/department_picker.html.
 * Without this file the check boxes work as they are. With it: a filter box above the list
 * hides the departments whose name or kana reading does not contain what is typed, and the
 * chosen departments are shown as chips that can be removed with one click.
 * The template may appear (and load this file) more than once: each picker is set up once.
 */
(function () {
  "use strict";

  function normalize(text) {
    // Katakana typed by the user finds the hiragana reading; case and width do not matter.
    return (text || "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[\u30a1-\u30f6]/g, function (ch) {
        return String.fromCharCode(ch.charCodeAt(0) - 0x60);
      })
      .replace(/\s+/g, "");
  }

  function setUp(picker, index) {
    if (picker.hasAttribute("data-ready")) {
      return;
    }
    picker.setAttribute("data-ready", "");
    var list = picker.querySelector(".department-picker__list");
    var items = Array.prototype.slice.call(picker.querySelectorAll(".department-picker__item"));
    var groups = Array.prototype.slice.call(picker.querySelectorAll(".department-picker__group"));

    var filterId = (list.id || "department-picker-" + index) + "-filter";
    var filterBox = document.createElement("div");
    filterBox.className = "department-picker__filter";
    var label = document.createElement("label");
    label.htmlFor = filterId;
    label.textContent = picker.getAttribute("data-filter-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = filterId;
    input.autocomplete = "off";
    input.setAttribute("aria-controls", list.id);
    filterBox.appendChild(label);
    filterBox.appendChild(input);

    var none = document.createElement("p");
    none.className = "hint department-picker__none";
    none.textContent = picker.getAttribute("data-none-label");
    none.hidden = true;

    var chosen = document.createElement("div");
    chosen.className = "department-picker__chosen";
    var chosenLabel = document.createElement("span");
    chosenLabel.className = "department-picker__chosen-label";
    chosenLabel.textContent = picker.getAttribute("data-chosen-label");
    var chips = document.createElement("ul");
    chips.className = "department-picker__chips";
    chosen.appendChild(chosenLabel);
    chosen.appendChild(chips);

    picker.insertBefore(chosen, list);
    picker.insertBefore(filterBox, list);
    list.parentNode.insertBefore(none, list.nextSibling);

    function applyFilter() {
      var query = normalize(input.value);
      var shown = 0;
      items.forEach(function (item) {
        var text = normalize(item.textContent) + " " + normalize(item.getAttribute("data-reading"));
        var match = !query || text.indexOf(query) !== -1;
        item.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector(".department-picker__item:not([hidden])");
      });
      none.hidden = shown > 0;
    }

    function renderChips() {
      chips.textContent = "";
      var count = 0;
      items.forEach(function (item) {
        var box = item.querySelector("input[type=checkbox]");
        if (!box.checked) {
          return;
        }
        count += 1;
        var name = item.querySelector("label").textContent;
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "department-picker__chip";
        button.textContent = name;
        button.setAttribute(
          "aria-label",
          picker.getAttribute("data-remove-label").replace("%(name)s", name)
        );
        button.addEventListener("click", function () {
          box.checked = false;
          renderChips();
          input.focus();
        });
        li.appendChild(button);
        chips.appendChild(li);
      });
      chosen.hidden = count === 0;
    }

    input.addEventListener("input", applyFilter);
    // Enter in the filter box must not submit the form half-filled.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    list.addEventListener("change", renderChips);
    renderChips();
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-department-picker]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
