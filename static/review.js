// The review queue: a "select all on this page" box. Without scripts each box still works.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-select-all]").forEach(function (master) {
    var name = master.getAttribute("data-select-all");
    var form = master.form;
    var boxes = form.querySelectorAll('input[type=checkbox][name="' + name + '"]');
    master.closest("label").hidden = false;
    master.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = master.checked; });
    });
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
        master.checked = ticked === boxes.length;
        master.indeterminate = ticked > 0 && ticked < boxes.length;
      });
    });
  });
});
