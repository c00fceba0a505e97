// An employee's goal: choosing the goal it serves fills the indicator and the unit of measure
// from that goal, unless the evaluator has written their own.
(function () {
  "use strict";
  var served = document.getElementById("id_goal");
  if (!served) {
    return;
  }
  var fields = {
    indicator: document.getElementById("id_indicator"),
    unit: document.getElementById("id_unit_of_measure"),
  };
  var filled = { indicator: "", unit: "" };
  served.addEventListener("change", function () {
    var option = served.options[served.selectedIndex];
    Object.keys(fields).forEach(function (name) {
      var field = fields[name];
      if (!field || !option) {
        return;
      }
      if (field.value === "" || field.value === filled[name]) {
        filled[name] = option.getAttribute("data-" + name) || "";
        field.value = filled[name];
      }
    });
  });
})();
