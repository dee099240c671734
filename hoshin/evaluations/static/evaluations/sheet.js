/* Save-as-you-go for the evaluation sheet form (progressive enhancement).
 *
 * Without JavaScript the form is a normal form with a 保存する button. With it, each changed
 * field is sent (debounced) to the form's data-autosave-url, which calls the same service as
 * the button; the server's messages are shown at their field, and the version is kept current
 * so that the button and the indicator forms never save over a newer version.
 */
(function () {
  "use strict";

  var form = document.getElementById("sheet-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var dirty = {}; // changed since the last save was sent
  var refused = {}; // refused by the server (shown at the field) until corrected
  var unsent = {}; // not saved because the network failed
  var timer = null;
  var inFlight = null;
  var stopped = false;
  var submitting = false;

  function container(path) {
    return form.querySelector('[data-path="' + path + '"]');
  }

  function controls(path) {
    return form.querySelectorAll('[name="' + path + '"]');
  }

  function idOf(path) {
    return "f-" + path.replace(/[._]/g, "-");
  }

  // Words come from the page (data-msg-*, translated by Django), so this file has none.
  function text(key) {
    return form.getAttribute("data-msg-" + key.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); })) || key;
  }

  // The form's data-autosave says where saving stands: idle, pending, saving, error, stopped.
  function state(value) {
    form.setAttribute("data-autosave", value);
  }

  function say(text, isError) {
    status.textContent = text;
    status.className = "autosave-status" + (isError ? " autosave-status--error" : " autosave-status--ok");
  }

  function describedBy(element, id, present) {
    var ids = (element.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    ids = ids.filter(function (item) { return item !== id; });
    if (present) {
      ids.unshift(id);
    }
    if (ids.length) {
      element.setAttribute("aria-describedby", ids.join(" "));
    } else {
      element.removeAttribute("aria-describedby");
    }
  }

  // Show (or clear) a note of ``kind`` (error, warning) at the field of ``path``.
  function note(path, kind, message) {
    var box = container(path);
    if (!box) {
      return;
    }
    var id = idOf(path) + "-" + kind;
    var element = document.getElementById(id);
    if (message) {
      if (!element) {
        element = document.createElement("p");
        element.id = id;
        element.className = "field-" + kind;
        var legend = box.querySelector("legend");
        var label = legend || box.querySelector("label");
        label.insertAdjacentElement("afterend", element);
      }
      element.textContent = message;
    } else if (element) {
      element.parentNode.removeChild(element);
    }
    var target = box.tagName === "FIELDSET" ? box : box.querySelector("input, select, textarea");
    describedBy(target, id, Boolean(message));
    if (kind === "error") {
      box.classList.toggle("sheet-field--error", Boolean(message));
      Array.prototype.forEach.call(controls(path), function (control) {
        if (message) {
          control.setAttribute("aria-invalid", "true");
        } else {
          control.removeAttribute("aria-invalid");
        }
      });
    }
  }

  function mark(path, text) {
    var box = container(path);
    var state = box && box.querySelector(".save-state");
    if (state) {
      state.textContent = text;
    }
  }

  function valueOf(path) {
    var list = controls(path);
    if (list.length && list[0].type === "radio") {
      for (var i = 0; i < list.length; i += 1) {
        if (list[i].checked) {
          return list[i].value;
        }
      }
      return null;
    }
    return list.length ? list[0].value : null;
  }

  function setVersion(version) {
    var shown = document.getElementById("sheet-version");
    if (shown) {
      shown.textContent = text("version").replace("%s", version);
    }
    Array.prototype.forEach.call(document.querySelectorAll(".js-version"), function (input) {
      input.value = version;
    });
  }

  function labelOf(path) {
    var box = container(path);
    var label = box && (box.querySelector("legend") || box.querySelector("label"));
    return label ? label.textContent.trim() : path;
  }

  function send(paths) {
    var body = new FormData();
    body.append("version", form.querySelector("input[name=version]").value);
    paths.forEach(function (path) {
      var value = valueOf(path);
      if (value !== null) {
        body.append(path, value);
      }
      mark(path, text("saving"));
    });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "XMLHttpRequest", Accept: "application/json" },
    }).then(function (response) {
      if ((response.headers.get("Content-Type") || "").indexOf("json") < 0) {
        // Sent to the login page: the session ended.
        return { status: 401, data: { message: text("loggedOut") } };
      }
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  // The "needed before submitting" box follows what has been saved.
  function showMissing(missing) {
    var box = document.getElementById("missing");
    if (!box || !missing) {
      return;
    }
    var list = box.querySelector("ul");
    list.textContent = "";
    missing.forEach(function (item) {
      var entry = document.createElement("li");
      if (item[1]) {
        var link = document.createElement("a");
        link.href = "#" + item[1];
        link.textContent = item[0];
        entry.appendChild(link);
      } else {
        entry.textContent = item[0];
      }
      list.appendChild(entry);
    });
    box.hidden = missing.length === 0;
  }

  function applySaved(paths, data) {
    setVersion(data.version);
    paths.forEach(function (path) {
      note(path, "error", "");
      mark(path, text("saved"));
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-path]"), function (box) {
      var path = box.getAttribute("data-path");
      note(path, "warning", (data.warnings || {})[path] || "");
    });
    showMissing(data.missing);
    Object.keys(data.computed || {}).forEach(function (id) {
      var element = document.getElementById(id);
      if (element) {
        element.textContent = data.computed[id] || "—";
      }
    });
  }

  function flush() {
    timer = null;
    // Fields a network failure left unsaved go with the next save.
    Object.keys(unsent).forEach(function (path) { dirty[path] = true; });
    unsent = {};
    var paths = Object.keys(dirty);
    if (!paths.length || stopped) {
      return Promise.resolve();
    }
    dirty = {};
    state("saving");
    say(text("saving"), false);
    inFlight = send(paths)
      .then(function (result) {
        var data = result.data;
        if (result.status === 200) {
          applySaved(paths, data);
          paths.forEach(function (path) { delete refused[path]; });
          say(data.message + "（" + paths.map(labelOf).join("、") + "）", false);
          return null;
        }
        if (result.status === 400 && data.errors) {
          var errors = data.errors;
          var good = paths.filter(function (path) { return !errors[path]; });
          paths.forEach(function (path) {
            note(path, "error", errors[path] || "");
            mark(path, errors[path] ? text("notSaved") : "");
            if (errors[path]) {
              refused[path] = true; // sent again when the user corrects it
            }
          });
          var names = Object.keys(errors).map(labelOf).join("、");
          say(data.message + "（" + names + "）", true);
          // The other fields were refused only because they came together: send them alone.
          if (good.length) {
            return send(good).then(function (retry) {
              if (retry.status === 200) {
                applySaved(good, retry.data);
              } else {
                good.forEach(function (path) { refused[path] = true; });
              }
            });
          }
          return null;
        }
        if (result.status === 409) {
          stopped = true;
          paths.forEach(function (path) { mark(path, text("notSaved")); refused[path] = true; });
          var lines = (data.changes || []).map(function (change) {
            return change.label + "：" + change.old + " → " + change.new + "（" + change.who + " " + change.at + "）";
          });
          say(data.message + (lines.length ? " " + lines.join(" ／ ") : "") +
            " " + text("stopped"), true);
          return null;
        }
        stopped = true;
        paths.forEach(function (path) { refused[path] = true; });
        say((data && data.message) || text("failed"), true);
        return null;
      })
      .catch(function () {
        paths.forEach(function (path) { unsent[path] = true; });
        say(text("offline"), true);
      })
      .then(function () {
        inFlight = null;
        if (Object.keys(dirty).length && !stopped && !submitting) {
          timer = window.setTimeout(flush, 300); // typed while the last save was on its way
        }
        if (stopped) {
          state("stopped");
        } else if (timer) {
          state("pending");
        } else {
          state(Object.keys(refused).length || Object.keys(unsent).length ? "error" : "idle");
        }
      });
    return inFlight;
  }

  function schedule(event, delay) {
    var target = event.target;
    if (!target.name || target.form !== form || !container(target.name)) {
      return;
    }
    dirty[target.name] = true;
    state("pending");
    mark(target.name, "");
    if (timer) {
      window.clearTimeout(timer);
    }
    if (!inFlight) {
      timer = window.setTimeout(flush, delay);
    }
  }

  state("idle");
  form.addEventListener("input", function (event) { schedule(event, 1500); });
  form.addEventListener("change", function (event) { schedule(event, 300); });

  // The button saves everything; wait for a save in flight so the version is current.
  form.addEventListener("submit", function (event) {
    if (submitting) {
      return;
    }
    submitting = true;
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (inFlight) {
      event.preventDefault();
      inFlight.then(function () { form.submit(); });
    }
  });

  // Adding or removing an indicator reloads the page: save typed fields first, then send the
  // form with the version those saves produced.
  Array.prototype.forEach.call(document.querySelectorAll(".js-side-form"), function (side) {
    side.addEventListener("submit", function (event) {
      event.preventDefault();
      if (timer) {
        window.clearTimeout(timer);
        timer = null;
      }
      (inFlight || Promise.resolve()).then(flush).then(function () {
        submitting = true;
        side.submit(); // the server checks the values (no submit event, no second round)
      });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll(".js-confirm"), function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  // Leaving the page with unsaved fields: the browser asks first.
  window.addEventListener("beforeunload", function (event) {
    var unsaved = Object.keys(dirty).length + Object.keys(refused).length + Object.keys(unsent).length;
    if (unsaved && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
