/* Django admin's autocomplete widgets (Select2) draw a combobox and a search field that carry
   no name for screen readers (axe's aria-input-field-name and label rules). Each is named here by
   the label of the <select> it stands for, whenever Select2 draws or opens one. */
(function () {
  "use strict";

  function labelOf(selectId) {
    var label = document.querySelector("label[for='" + CSS.escape(selectId) + "']");
    if (label && !label.id) {
      label.id = selectId + "-label";
    }
    return label;
  }

  function nameWidgets() {
    document.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
      var label = labelOf(select.id);
      var drawn = select.nextElementSibling;
      if (!label || !drawn || !drawn.classList.contains("select2")) {
        return;
      }
      var combobox = drawn.querySelector(".select2-selection[role='combobox']");
      var shown = drawn.querySelector(".select2-selection__rendered[id]");
      if (combobox) {
        combobox.setAttribute("aria-labelledby", label.id + (shown ? " " + shown.id : ""));
        // Open, it owns its list of results (aria-owns); ARIA 1.2 asks for aria-controls.
        var owns = combobox.getAttribute("aria-owns");
        if (owns) {
          combobox.setAttribute("aria-controls", owns);
        }
      }
      // The chosen value is shown in a read-only "textbox", and a multiple choice is searched
      // in a field inside the widget: both named by the same label.
      if (shown && shown.getAttribute("role") === "textbox") {
        shown.setAttribute("aria-labelledby", label.id);
      }
      drawn.querySelectorAll(".select2-search__field").forEach(function (field) {
        field.setAttribute("aria-labelledby", label.id);
      });
    });
    document.querySelectorAll(".select2-search__field").forEach(function (field) {
      // Select2 points the search field at its results: "select2-<select id>-results".
      var results = field.getAttribute("aria-controls") || "";
      var match = results.match(/^select2-(.+)-results$/);
      var label = match && labelOf(match[1]);
      if (label) {
        field.setAttribute("aria-labelledby", label.id);
      }
    });
  }

  var pending = false;
  function soon() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        nameWidgets();
      });
    }
  }

  function start() {
    nameWidgets();
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
